"""Parameters written as words, in English and Chinese: variations, resolution, aspect (aspect.py), mode, loop,
seed, explicit negative prompts, and durations (seconds.py). Cuts each from a Scan into Found.

Ambiguous words ("portrait", "square", "loop", "relaxed") count only with context: a clause of their own
or a run of other parameters. Must not decide the action.
"""

from __future__ import annotations

import functools
import re

from bot.parse.aspect import take_aspect
from bot.parse.beside import take_beside_params
from bot.parse.clauses import UNIT, L, R, alt, c, seg, zseg
from bot.parse.errors import ParseError
from bot.parse.found import Found, check_seed, check_variations
from bot.parse.numbers import CN_NUM, EN_NUM, number
from bot.parse.prompt import tidy
from bot.parse.scan import Scan
from bot.parse.seconds import take_seconds
from bot.parse.sound import take_sound
from bot.parse.strength import take_strength
from bot.parse.words import (
    BAD_RES,
    EDIT_OBJECTS,
    FAST_PHRASES,
    FAST_ZH,
    MAKE_VERBS,
    POLITE_WORDS,
    RELAXED_ACCEPT_ZH,
    RELAXED_CLAUSE_WORDS,
    RELAXED_CLAUSE_ZH,
    RELAXED_PHRASES,
    RELAXED_ZH,
    SPARE_TIME,
    VIDEO_NOUNS,
)
from reel.contract import RESOLUTIONS

_LOOP_HOW = r"(?:\s+(?:seamlessly|smoothly|perfectly|forever|endlessly|infinitely)(?![a-z0-9_]))?"
#: Chinese counts in words that are no numerals ("俩" two, "仨" three)
_COLLOQUIAL_COUNTS = {"俩": "2", "仨": "3"}
_VERSION_NOUN = r"(?:versions?|variations?|variants?|takes?)"
#: "用relaxed模式*跑一个*": the verb that runs a job in a mode goes with the mode
_RUN_ZH = r"(?:跑(?:一下|一个|一条|一段|个)?)?"
#: "*把它*做成竖屏", "*把视频*改成方形": the clip named before a make-into verb
_HIGH_DEF = r"(?:high|hi)[\s-]?def(?:inition)?"


@functools.cache
def _rx() -> dict[str, re.Pattern[str]]:
    """All parameter patterns, compiled on first parse (keeps `import bot.parse` cheap)."""
    relaxed_seg = seg(alt(RELAXED_CLAUSE_WORDS))
    loop_seg = seg(r"loop(?:ing|ed)?|loop\s+it|seamless|seamless\s+loop|looping\s+please")
    video = rf"{alt(VIDEO_NOUNS)}s?"
    # a clause end, for words that count only at the end of one ("a desert highway in 1080")
    # a courtesy word may close it first ("in 1080 pls", "at 720 thanks!")
    clause_end = rf"(?=(?:\s+{alt((*POLITE_WORDS, 'thank you', 'thank u'))}(?![a-z0-9]))*\s*(?:$|[,;.!?。|\n:]|\s[—–-]\s))"
    # "/create prompt:... negative:blur seed:4": a Discord-style option pasted as text ends where the next opens
    keyed_next = r"(?:prompt|seed|mode|aspect|aspect_ratio|ratio|ar|resolution|res|quality|seconds|duration|length|variations|versions|loop|audio|sound)\s*:(?!//)"
    bare_seg = seg(r"(?:(?:in|at)\s+)?(?P<n2>480|720|1080)")
    return {
        # -- negative (explicit key forms only) --
        "negative_kv": c(
            rf"{L}(?:negative(?:[\s_]*prompt)?|neg|avoid|exclude|without|no)\s*[:=]\s*(?P<v>[^;\n]+?)\s*(?=$|;|\n|\s{keyed_next})"
            r"|(?:负面|反向|负向)(?:提示词?|提示语|词)?\s*[:=]\s*(?P<v2>[^;\n]+?)\s*(?=$|;|\n)"
        ),
        # -- seed --
        "seed": c(
            rf"{L}(?:(?:with|using|use)\s+)?(?:the\s+|a\s+)?seed\s*(?:[:=#]|is|of|number|(?:you\s+)?(?:can\s+)?(?:keep|use|set|put|make)"
            rf"(?:\s+(?:it|as|to|at))?)?\s*"
            rf"(?P<n>-?[0-9]{{1,30}}){R}"
            r"|(?:用|使用|以|拿|采用)?(?:随机)?种子(?:号|数)?\s*(?:[:=#]|为|是|号|用)?\s*(?P<n2>-?[0-9]{1,30})"
        ),
        # -- variations --
        "variations": c(
            rf"{L}(?:(?:make|give\s+me|generate|in|with|do)\s+)?(?P<n>[0-9]{{1,30}}|{EN_NUM})\s*"
            rf"(?:(?:different|more|new|other|alternative)\s+)?(?:variations?|versions?|variants?|takes|options|alternatives){R}"
            rf"(?:\s+of{R})?"
            rf"|{L}(?:variations?|versions?|count)\s*[:=]\s*(?P<n3>[0-9]{{1,30}}){R}"
            rf"|(?:生成|出|来|做|要)?(?P<n2>[0-9]{{1,30}}|{CN_NUM}|俩|仨)\s*(?:个|种|款|组|套)?\s*(?:不同的?)?\s*"
            r"(?:版本|变体|变化版)"
            r"|(?:要|出|来|做)(?P<n4>[0-9]{1,2}|两|二|三|四|俩|仨)版(?![本面权])"
            # "兩個version", "来三个takes": a Chinese count before an English version noun
            rf"|(?:生成|出|来|做|要|给我)?(?P<n5>{CN_NUM}|俩|仨)\s*(?:个|种|款|条|段)?\s*{_VERSION_NOUN}{R}"
        ),
        # "2 vids", "4 of them": a count of clips standing alone
        "variations_seg": c(
            seg(
                rf"(?P<n>[0-9]{{1,30}}|{EN_NUM})\s*(?:vids?|videos?|clips?|outputs?|results?"
                r"|(?<=[\s0-9])of\s+(?:them|these|those|em|'em|each|it))"
            )
        ),
        # "2 vids of a pigeon ...": a count of clips opening a clause before what they show
        "variations_lead": c(
            rf"(?:^|(?<=[,;|\n]))\s*(?P<n>[0-9]{{1,2}}|{EN_NUM})\s+(?:(?:different|separate|short)\s+)?"
            rf"(?:{video}|versions?|variations?|takes)\s+(?:of|showing|with|where){R}"
        ),
        # "make 2 videos of a lighthouse": a count of clips after a request verb
        "variations_make": c(
            rf"{L}(?:{alt(MAKE_VERBS)})\s+(?:(?:me|us)\s+)?(?P<n>[0-9]{{1,2}}|{EN_NUM})\s+(?:different\s+)?"
            rf"(?:{video}|versions?|variations?)\s+(?:of|showing|with|where){R}"
        ),
        # "can i get 2 vids of a fox", "i want two clips of ...": the count goes, the asking words stay for the
        # request wording rules
        "variations_want": c(
            rf"{L}(?:get|want|need|send|like)\s+(?:(?:me|us)\s+)?(?P<n>[0-9]{{1,2}}|{EN_NUM})\s+(?:different\s+)?"
            rf"(?:{video}|versions?|variations?)\s+(?:of|showing|with|where){R}"
        ),
        # "make 2 of these: a sloth ...", "give me four of this": the count goes, the request verb stays for
        # the request wording rules ("bro make: ..." is all request)
        "variations_of": c(
            rf"{L}(?:{alt(MAKE_VERBS)}|give\s+me)\s+(?:(?:me|us)\s+)?(?P<n>[0-9]{{1,2}}|{EN_NUM})\s+of\s+"
            rf"(?:these|those|this|them|it){R}"
        ),
        # "一只龙，来四个": a count standing alone as a clause is how many clips
        "variations_zh_seg": c(
            zseg(
                rf"(?:生成|出|来|做|要|给我)?(?P<n>[0-9]{{1,2}}|{CN_NUM}|俩|仨)\s*(?:(?:个|条|段|支)(?:视频|影片|短片|片)?|视频|影片|短片)"
                r"|(?:生成|出|来|做|要|给我|整)(?P<n2>俩|仨)"
            )
        ),
        # "x4" standing alone: at the end, before a separator, or before another parameter ("x4 1080p")
        "variations_x": c(
            rf"(?<![^\s,;，]){L}(?:版本\s*)?[x×]\s?(?P<n>[124]){R}(?=\s*(?:$|[,;|—–，]|--|\s[0-9\u4e00-\u9fff]|\s(?:relaxed|relax|fast|vertical|portrait|square|landscape|hd|full|loop|seamless)\b))|^[x×](?P<n2>[124])(?=\s)"
        ),
        # -- resolution --
        "res_p": c(
            rf"(?:{L}(?:in|at)\s+)?(?:(?:{L}(?:resolution|res|quality)|分辨率|清晰度|画质)\s*(?:[:=]|为|是)?\s*)?"
            rf"{L}(?P<n>[0-9]{{3,4}})\s*p{R}(?:\s+(?:resolution|quality){R})?"
        ),
        "res_fhd": c(
            rf"(?:{L}(?:in|at)\s+)?{L}(?:full[\s-]?hd|fhd|full[\s-]+{_HIGH_DEF}){R}(?:\s+(?:resolution|quality){R})?"
        ),
        # "hd", "high definition", "hi-def"
        "res_hd": c(rf"(?:{L}(?:in|at)\s+)?{L}(?:hd|{_HIGH_DEF}){R}(?:\s+(?:resolution|quality){R})?"),
        "res_sd": c(
            rf"(?:{L}(?:in|at)\s+)?{L}(?:standard|regular|normal|low|basic|default)[\s-]+"
            rf"(?:quality|definition|res(?:olution)?){R}|{L}standard[\s-]def{R}"
        ),
        # "at 720", "in 1080": a resolution without its "p" at the end of a clause, or a clause of its own
        "res_bare": c(
            rf"{L}(?:in|at)\s+(?P<n>480|720|1080){R}{clause_end}"
            # "and make it 1080 and square": a bare resolution a make-verb sets on the clip
            rf"|{L}(?:make|render|do|want|need|have|put|set|keep)\s+(?:it|this|the\s+(?:video|clip))\s+"
            rf"(?:in\s+|at\s+)?(?P<n3>480|720|1080){R}(?!\s*(?:{UNIT}|frames?|x|by|pixels?|px|fps){R})"
            rf"|{bare_seg}"
        ),
        # "a landscape video in 1080 of wild horses": the clip's own resolution, after a video noun
        "res_video": c(
            rf"{L}(?:video|clip|vid|movie|footage|reel)s?\s+(?P<in>in|at)\s+(?P<n>480|720|1080){R}"
        ),
        "res_zh": c(
            r"(?:(?:分辨率|清晰度|画质)\s*(?::|为|是)?\s*)?"
            r"(?:(?P<fhd>全高清|超高清|超清|蓝光)|(?P<hd>高清|高画质)|(?P<sd>标清|普清|(?:普通|一般|标准|正常)(?:的)?(?:清晰度|画质|分辨率)))"
            r"(?:画质|分辨率)?(?:的)?"
        ),
        # -- mode --
        "mode_relaxed": c(
            rf"{L}(?:(?:in|use|using)\s+)?(?:relax(?:ed)?|slow)\s+(?:mode|queue|lane){R}"
            rf"|{L}(?:{alt(RELAXED_PHRASES)}){R}|{relaxed_seg}"
            # "when you have a sec", "whenever u get a minute", "when you're free"
            rf"|{L}(?:when|whenever|if|once)\s+(?:you|u|ya)\s+(?:have|get|got|find|['’]?ve\s+got)\s+"
            rf"(?:a\s+|some\s+)?(?:{alt(SPARE_TIME)}){R}"
            rf"|{L}(?:when|whenever)\s+(?:you['’]?re|you\s+are|ur|u\s+r|you|u)\s+(?:free|can|get\s+a\s+sec){R}"
            rf"|(?:用|走)?慢速(?:模式|队列|生成|排队){_RUN_ZH}|(?:用|走)?放松模式{_RUN_ZH}"
            # "用relaxed模式跑一个": the English mode word in a Chinese frame (跑: run it so)
            rf"|(?:用|走|开|选|使用|以|要|切)?{L}(?:relax(?:ed)?|slow|chill)\s*(?:模式|队列|档|排队){R}{_RUN_ZH}"
            # "慢慢來冇問題", "唔急都得": relaxed words closed by an acceptance
            r"|"
            + zseg(rf"(?:{alt(RELAXED_CLAUSE_ZH)})+(?:{alt(RELAXED_ACCEPT_ZH)})")
            + rf"|{alt(RELAXED_ZH)}|"
            + zseg(rf"{alt(RELAXED_CLAUSE_ZH)}+")
        ),
        "mode_fast": c(
            rf"{L}(?:(?:in|use|using)\s+)?(?:fast|turbo|quick)\s+(?:mode|queue|lane){R}"
            rf"|{seg(alt(FAST_PHRASES))}|快速(?:模式|队列|生成){_RUN_ZH}|"
            + zseg(alt(FAST_ZH))
            + rf"|(?:用|走|开|选|使用|以|要|切)?{L}(?:fast|turbo|quick)\s*(?:模式|队列|档){R}{_RUN_ZH}"
        ),
        # -- loop --
        "loop_phrase": c(
            rf"{L}(?:make|turn)\s+{alt(EDIT_OBJECTS)}\s+(?:into\s+)?(?:a\s+)?(?:seamless\s+|perfect\s+)?"
            rf"loop(?:ing|able|ed)?(?:\s+(?:video|clip|gif))?{R}{_LOOP_HOW}"
            rf"|{L}loop\s+{alt(EDIT_OBJECTS)}{R}{_LOOP_HOW}"
            rf"|{L}(?:can|could|will|would)\s+(?:you\s+make\s+)?{alt(EDIT_OBJECTS)}\s+loop{R}{_LOOP_HOW}"
            rf"|{L}(?:as|in|on)\s+an?\s+(?:seamless\s+|perfect\s+|endless\s+|infinite\s+)?loop{R}"
            rf"|{L}(?:seamless(?:ly)?|perfect(?:ly)?|endless|infinite|smooth)(?:\s+|-)loop(?:ing|ed|able|s)?{R}"
            rf"(?:\s+(?:video|clip|gif|animation|vid){R}(?=\s*(?:$|[,;.!])))?"
            rf"|{L}loopable{R}"
            rf"|{L}(?:looping|looped|loopable)(?=\s+(?:video|clip|gif|animation|vid|background|bg){R})"
            rf"|{loop_seg}"
            rf"|(?<=\s)looping\s*$"
            rf"|{L}loop(?:ing|ed)?\s+(?:it\s+)?(?:seamlessly|perfectly|smoothly|forever|endlessly|nicely){R}"
            # "(make it so it) plays round and round without a jump", "repeats forever", "goes on and on"
            rf"|{L}(?:make\s+(?:it|this)\s+(?:so\s+(?:it|that)\s+)?)?(?:plays?|runs?|goes|repeats?|loops?|keeps\s+playing)\s+"
            rf"(?:round\s+and\s+round|over\s+and\s+over|forever|endlessly|on\s+repeat|in\s+a\s+loop|nonstop|without\s+end)"
            rf"(?:\s+(?:without|with\s+no)\s+(?:a\s+|any\s+)?(?:jump|seam|cut|break|glitch|gap)s?)?{R}"
        ),
        "loop_zh": c(
            r"(?<!血液)(?<!水)(?<!恶性)(?<!良性)(?:做成|变成|弄成|改成|做个|来个|要|可以)?"
            r"(?:无缝|完美|无限)?(?:循环|回圈)(?:播放|视频|动画|的)?|loop(?:一下|起来|吧)|(?:一直|不停|无限|反复)(?:地)?(?:重复|重播|播放)(?:下去)?"
        ),
    }


def take_params(scan: Scan, found: Found, *, seconds: bool = True) -> None:
    """Cut natural-language parameters (English and Chinese) from `scan` into `found`. `seconds=False`
    leaves durations alone (inside a storyboard card, "runs for 3 seconds" is the scene).

    Raises ParseError for an explicit value out of range ("7 variations", "2160p", "aspect 4:3")."""
    rx = _rx()
    for m in scan.take(rx["negative_kv"]):
        v = m.group("v") if m.group("v") is not None else m.group("v2")
        start = m.start("v") if m.group("v") is not None else m.start("v2")
        text = tidy(scan.original(start, start + len(v)))
        if text:
            found.negatives.append(text)

    for m in scan.take(rx["seed"]):
        n = m.group("n") if m.group("n") is not None else m.group("n2")
        seed = check_seed(n, m.group(0).strip())
        if m.start() >= found.approved_at.get("seed", -1):  # "seed 55... no wait seed 56": 56 stays
            found.set("seed", seed)

    take_strength(scan, found)

    def variations(m: re.Match[str]) -> bool:
        n = (
            m.group("n")
            or m.groupdict().get("n2")
            or m.groupdict().get("n3")
            or m.groupdict().get("n4")
            or m.groupdict().get("n5")
            or ""
        )
        n = _COLLOQUIAL_COUNTS.get(n, n)  # "来俩版本": two
        found.set("variations", check_variations(number(n), m.group(0).strip()))
        return True

    scan.take(rx["variations"], variations)
    scan.take(rx["variations_x"], variations)
    scan.take(rx["variations_seg"], variations)
    scan.take(rx["variations_make"], variations)
    scan.take(rx["variations_lead"], variations)
    for m in [*rx["variations_of"].finditer(scan.norm), *rx["variations_want"].finditer(scan.norm)]:
        variations(m)
        scan.cut(m.start("n"), m.end())
    if scan.cjk:

        def counted_clips(m: re.Match[str]) -> bool:
            # "一个 robot 在雨里": a bare count that opens the message before more words measures its noun
            bare = re.fullmatch(r"\s*[0-9零〇一二两三四五六七八九十]+\s*(?:个|条|段|支)\s*", m.group())
            opens = not scan.norm[: m.start()].strip()
            more = re.match(r"\s*[^\s,;，；。、|]", scan.norm[m.end() :])
            return not (bare and opens and more) and variations(m)

        scan.take(rx["variations_zh_seg"], counted_clips)

    if seconds:
        take_seconds(scan, found)
    _take_resolution(scan, found)
    take_aspect(scan, found)

    for _m in scan.take(rx["mode_relaxed"]):
        found.set("mode", "relaxed")
    for _m in scan.take(rx["mode_fast"]):
        found.set("mode", "fast")

    if scan.take(rx["loop_phrase"]):
        found.set("loop", True)
    if scan.cjk and scan.take(rx["loop_zh"]):
        found.set("loop", True)
    take_sound(scan, found)
    take_beside_params(scan, found)


def _take_resolution(scan: Scan, found: Found) -> None:
    rx = _rx()
    said: list[tuple[int, str]] = []  # (where, value): the last one written wins ("hd? no, full hd")

    def res_p(m: re.Match[str]) -> bool:
        n = m.group("n")
        if n in BAD_RES:
            raise ParseError("bad_resolution", m.group(0).strip())
        if n + "p" not in RESOLUTIONS:
            return False
        said.append((m.start(), n + "p"))
        return True

    scan.take(rx["res_p"], res_p)
    said.extend((m.start(), "1080p") for m in scan.take(rx["res_fhd"]))

    def hd(m: re.Match[str]) -> bool:
        if re.search(r"(?:ultra|uhd|4k|8k)[\s-]*$", scan.norm[max(0, m.start() - 8) : m.start()]):
            return False
        said.append((m.start(), "720p"))
        return True

    scan.take(rx["res_hd"], hd)
    said.extend((m.start(), "480p") for m in scan.take(rx["res_sd"]))
    said.extend(
        (m.start(), (m.group("n") or m.group("n2") or m.group("n3")) + "p") for m in scan.take(rx["res_bare"])
    )
    for m in list(rx["res_video"].finditer(scan.norm)):
        said.append((m.start("in"), m.group("n") + "p"))
        scan.cut(m.start("in"), m.end())
    if scan.cjk:
        for m in scan.take(rx["res_zh"]):
            said.append((m.start(), "1080p" if m.group("fhd") else "720p" if m.group("hd") else "480p"))
    for at, value in sorted(said, key=lambda p: p[0]):
        if at >= found.approved_at.get("resolution", -1):  # "1080p? nah 720p is enough": 720p stays
            found.set("resolution", value)
