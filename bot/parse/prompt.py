"""The prompt that is left once parameters are cut: separators and connectors a cut left dangling, and the
request wording around the scene ("make me a video of ...", "please", "生成一个视频：").

Must not read parameters: it only tidies text the other modules have already cut.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from bot.parse.around import drop_around
from bot.parse.clauses import R, alt, c, drawn_out, stretched
from bot.parse.scan import Scan, drop_trailing_mood
from bot.parse.slash import command_at_start, strip_mentions
from bot.parse.words import (
    A_BEFORE_VOWEL,
    AN_BEFORE_CONSONANT,
    ANIMATE_OBJECTS,
    ANIMATE_OBJECTS_ZH,
    ANIMATE_RESULTS,
    ANIMATE_RESULTS_ZH,
    CHEERS_BEFORE_ASK_ZH,
    CLOSINGS,
    EDIT_OBJECTS,
    GREETING_ADDRESSEES,
    GREETING_PHRASES,
    GREETINGS,
    GREETINGS_ZH,
    INTERJECTIONS,
    INTERJECTIONS_LOOSE,
    INTERJECTIONS_ZH,
    MAKE_VERBS,
    MAKE_VERBS_MEASURED_ZH,
    PURPOSE_PLACES_ZH,
    PURPOSE_VERBS_ZH,
    REMIX_LINKS,
    REMIX_OBJECTS_ZH,
    REMIX_VERBS,
    REMIX_VERBS_ZH,
    REQUEST_LEADS,
    REQUEST_PREFIX_ZH,
    SETTING_KEYS,
    SWITCH_KEYS,
    THANKS_ZH,
    VERSION_NOUNS,
    VIDEO_NOUNS,
)

_CONNECTOR = r"(?:and|with|in|at|for|of|&|plus|using|as|on|but)"
_CJK_CHAR = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"


# "an <18-second> drone flight", "a <10s> epic battle": the article before a cut agrees with the word after it
_ARTICLE_CUT = re.compile(
    r"(?<![\w'’])(?P<art>an?)(?P<gap>[ \t]+\x00[ \t]?|\x00[ \t]?)(?P<next>[a-z0-9]+)", re.I
)


# "来个<1080p>的赛博朋克夜景", "我要一个 <1080p> 的 ...": the 的 that tied a cut parameter to the scene after it
_DE_AFTER_CUT = re.compile(r"(^|[\s,，、;；:：。！？!?]|[个段条部支])(\x00[ \t]?)的[ \t]?")


@functools.cache
def _key_before_cut() -> re.Pattern[str]:
    """A setting's key whose value was cut ("... blinking mode:<relaxed>"): it goes with its value."""
    keys = alt((*SETTING_KEYS, *SWITCH_KEYS))
    return re.compile(rf"(?i)(?<![a-z0-9_'’-]){keys}[ \t]*[:=：][ \t]*(?=\x00)")


def _agree(m: re.Match[str]) -> str:
    art, word = m.group("art"), m.group("next").lower()
    if word[0].isdigit():
        an = word[0] == "8" or re.fullmatch(r"1[18]", word) is not None
    elif word.startswith(A_BEFORE_VOWEL):
        an = False
    else:
        an = word[0] in "aeiou" or word.startswith(AN_BEFORE_CONSONANT)
    fixed = "an" if an else "a"
    if art[0].isupper():
        fixed = fixed.capitalize()
    return fixed + m.group("gap") + m.group("next")


def tidy(s: str) -> str:
    """`s` with whitespace collapsed and the separators and connectors a cut left dangling dropped.

    `\\x00` marks where parameters were cut; a connector right before one ("a cat in <720p>") goes too.
    """
    # one marker per cut run ("\x00 " when the run held a space), so the patterns below stay linear
    s = re.sub(r"\x00[\x00 \t]*", lambda m: "\x00" if not m.group().strip("\x00") else "\x00 ", s)
    s = _ARTICLE_CUT.sub(_agree, s)
    s = _DE_AFTER_CUT.sub(r"\1\2", s)
    s = _key_before_cut().sub("", s)
    s = re.sub(rf"(?i)(?<![^\s,;]){_CONNECTOR}\s?(?=\x00\s?(?:$|[,，、;；.。!！?？]))", "", s)
    s = re.sub(rf"(?i)^\s*\x00\s?{_CONNECTOR}\s+", " ", s)
    # "<make it silent>, and night time": a joining word after the cut clause that opened the message
    s = re.sub(r"(?i)^\s*\x00[\s,;，；]*(?:and|but|plus|also|then|so|&)\s+(?=\S)", " ", s)
    # sentence stops left alone by a cut sentence ("A dragon. <Vertical>. <10 seconds>.")
    for _ in range(5):
        before = s
        s = re.sub(r"(^|[.!?。！？][ \t]?|\x00[ \t]?)(\x00[ \t]?)[.!?。！？]+(?=[\s\x00]|$)", r"\1\2", s)
        if s == before:
            break
    # a stop that closed a cut clause ("a cat, <3 versions>? no, ...")
    s = re.sub(r"([,，、;；][ \t]*\x00[ \t]?)[?？!！.。]+(?=[\s\x00]|$)", r"\1", s)
    # the stop that separated the scene from cut settings goes with them ("empty station at 3am. <negative:
    # people>", "一只猫。<竖屏>"); "!!!", "?" and an ellipsis say something, and stay
    s = re.sub(r"(?<=[^\s.。!?！？\x00])[.。](?=[ \t]*\x00[\x00 \t.。]*$)", "", s)
    s = re.sub(r"(?:的|和|跟|与|并且|并|用|以)(?=\x00\s?(?:$|[,，、;；。！？]))", "", s)
    # "请用<1080p>(和<竖屏>)做一段...": the 用 that took the cut settings goes with them, before the make verb
    s = re.sub(r"\x00[ \t]?(?:和|跟|与|加上?|、|,|，)[ \t]?(?=\x00)", "", s)
    s = re.sub(r"(?:使用|采用|用|拿)(?=\x00[ \t]?(?:做|生成|跑|拍|制作|出|弄|整|搞|画|来))", "", s)
    s = re.sub(r"(?<![^\s\x00])#(?=\x00)", "", s)  # a hashtag whose word was a parameter ("#vertical")
    s = re.sub(r"(?:…+|\.{3,})(?=[ \t]?\x00)|(?<=\x00)[ \t]?(?:…+|\.{3,})", "", s)  # "两个版本…<算了>"
    s = re.sub(rf"(?<={_CJK_CHAR})\x00(?={_CJK_CHAR})", "", s)  # no gap left inside Chinese
    s = s.replace("\x00", " ")
    s = re.sub(r"\s+", " ", s)
    for _ in range(3):
        before = s
        s = re.sub(r"[(\[{（【「『][\s,，、;；]*[)\]}）】」』]", " ", s)  # brackets emptied by a cut: "(10s)"
        s = re.sub(r"(?<!\S)(\*\*|__|~~|\*|_|`|\|\|)\s*\1(?!\S)", " ", s)  # markdown emptied: "**10s**"
        s = re.sub(r"\s+([,，、;；])", r"\1", s)
        s = re.sub(
            r"(?<=[.。])[,，、;；]+", "", s
        )  # "lilies. <I am on the Pro plan>, so ...": one stop stays
        s = re.sub(r"([,，、;；])(?:\s*[,，、;；:：])+", r"\1", s)
        s = re.sub(r"[,，、;；:：]\s*[.。]$", "", s)
        s = re.sub(r"([,，、;；:：])\s*([.。!！?？])(?=\s|$)", r"\2", s)
        s = re.sub(r"\s+", " ", s).strip()
        s = s.lstrip(" ,，、;；:：|/&+-–—.。·•").rstrip(" ,，、;；:：|/&+-–—·•")
        s = re.sub(r"\s[.。]$", "", s).strip()
        if s == before:
            break
    return s


#: a Chinese frame's video noun: Cantonese 片 only before no other character ("做個片：", not "片刻"), English
#: nouns in a mixed frame ("gen一个video"), 画面 / 场景 / 镜头 only before a colon ("我想要一个画面：...")
_NOUN_ZH = (
    r"视频片段|短视频|小视频|视频|影片|短片|动画|片(?![\u3400-\u9fff])|片(?=给我)|video|vid|clip|reel"
    r"|(?:画面|场景|镜头)(?=\s*:)"
)

_FILLER_NOUN = (
    r"(?:(?:a|an|one|some|the)\s+)?(?:(?:short|quick|little|small|cool|nice|new|cinematic)\s+)*"
    rf"{alt(VIDEO_NOUNS)}s?{R}"
)
#: the word that links the video noun to the scene; a whole word ("a video office" is no "video of")
_FILLER_LINK = (
    r"(?:of|showing|where|with|about|featuring|from|in\s+which|that\s+shows|regarding|depicting|describing"
    rf"|capturing|on\s+the\s+(?:topic|theme|subject)\s+of|based\s+on|related\s+to){R}|:"
)


@functools.cache
def _filler_rx() -> dict[str, re.Pattern[str]]:
    """Request wording patterns, compiled on first use."""
    anim_obj = rf"(?:{alt(ANIMATE_OBJECTS)})"
    addressee = rf"(?:{alt(GREETING_ADDRESSEES)})(?![a-z0-9'’-])"
    ask_zh = rf"(?:{alt(REQUEST_PREFIX_ZH)}|做|生成|来|画|整|搞|求)"
    greet_zh, cheer_zh = alt(GREETINGS_ZH), alt(CHEERS_BEFORE_ASK_ZH)
    return {
        # prompt: a cat  /  提示词：一只猫
        "prompt_key": c(
            r"^\s*(?:prompt|scene|description|subject|idea|concept|提示词|描述|内容|画面描述|主题)\s*[:=]\s*"
        ),
        # "Moderator test run: <settings>. Prompt: ...": a short label before a "Prompt:" key
        "prompt_key_late": c(r"^\s*[^:：.\n]{1,40}[:：]\s*(?:prompt|提示词)\s*[:：=]\s*(?=\S)"),
        "filler_head": c(
            rf"^\s*(?:(?:{stretched((*GREETINGS, *GREETING_PHRASES, *INTERJECTIONS, *INTERJECTIONS_LOOSE))})"
            rf"(?:\s+{addressee})?(?![a-z0-9'’-])[\s,!.~]*)*"
            r"(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+|kindly\s+)?|help\s+me\s+(?:to\s+)?"
            r"|i\s+want\s+you\s+to\s+|let['’]?s\s+|let\s+us\s+)?"
            # "Kindly do the needful and make ...", "be so kind as to create ...": a polite lead before the verb
            rf"(?:(?:(?:{alt(REQUEST_LEADS)})(?![a-z0-9'’-])[\s,]*(?:(?:please|pls|kindly)\s+)?)"
            rf"(?=(?:{alt(MAKE_VERBS)}|do|i)(?![a-z0-9'’-])))?"
            rf"(?:(?:{alt(MAKE_VERBS)}"
            r"(?:\s*[:,]\s*|\s+)(?:(?:for\s+)?(?:me|us)(?:\s*[:,]\s*|\s+)|it\s+(?=\S))?(?:of\s+(?!(?:it|this|that|them)(?![a-z]))(?=\S))?"
            # "can you do a jellyfish in a jar": "do" asks for a clip only before what it should be; "do of" is
            # what a cut left ("let's do <720p> of a river")
            r"|do\s+(?:(?:me|us)\s+)?(?:of\s+(?=\S)|(?=(?:a|an|one|some|two|three|four|[0-9]{1,2})\s))"
            # "can you do chibi versions of ...": "do" before a noun phrase that takes "of" (the scene's own)
            r"|do\s+(?:(?:me|us)\s+)?(?=(?!(?:it|this|that|them|not|the\s+same)\s)(?:[a-z][a-z'’-]*\s+){1,3}of\s+\S)"
            r"|i(?:\s+(?:want|need|would\s+(?:like|love))|['’]?d\s+(?:like|love))"
            r"(?:\s+to\s+(?:see|make|create|have|request|get|order|ask\s+for))?\s+"
            r"|(?:can|could|may)\s+(?:i|we)\s+(?:please\s+|pls\s+)?(?:get|have|see)\s+(?:(?:me|us)\s+)?)[:,]?\s*"
            rf"(?:{_FILLER_NOUN}\s*(?:{_FILLER_LINK})?\s*(?:[:,-]|[?.!](?=\s))?\s*)?"
            rf"|(?:{_FILLER_NOUN}\s*(?:{_FILLER_LINK})\s*[:,-]?\s*))"
        ),
        # "lol a hamster on a bike", "ok so, a cat", "哈哈，一只猫": the interjection opening a message goes
        "filler_interjection": c(
            rf"^\s*(?:(?:{stretched(INTERJECTIONS)}|{drawn_out(INTERJECTIONS_LOOSE)})(?![a-z0-9'’-])[\s,!.~]*"
            rf"|(?:{stretched(INTERJECTIONS_LOOSE)})\s*[,!~]+\s*"
            rf"|(?:{stretched(p for p in GREETING_PHRASES if ' ' in p)}"
            rf"|{stretched((*GREETINGS, *GREETING_PHRASES))}\s+{addressee})\s*[,!~.]+\s*"
            rf"|(?:{alt(GREETINGS_ZH)})[\s,，!！~～。.?？]+"
            rf"|(?:{alt(INTERJECTIONS_ZH)})(?:[\s,，!！~～。.]+|(?=请|帮|给我|麻烦|做|生成|来|画|我想|我要)))+"
        ),
        "filler_head_zh": c(
            rf"^\s*(?:(?:{greet_zh})(?:[\s,!~。.?]+|(?={cheer_zh}|{ask_zh}))|(?:{cheer_zh})[\s,!~。.]*(?={greet_zh}|{ask_zh}))*"
            # "可以帮他生成一段...": who the clip is for, before the make verb only ("帮他系鞋带" stays)
            rf"(?:(?:(?:帮|替|给)(?:他们?|她们?|它|我们)(?=生成|制作|做|拍|弄|整|搞|画|出)|{alt(REQUEST_PREFIX_ZH)}"
            # "用<1080p>做一段...": "use" left by a cut setting, before the make verb
            rf"|用(?=\s*(?:生成|制作|做|拍|弄|整|搞|画|(?:{_NOUN_ZH})\s*[,:])))[,\s]*)*"
            r"(?:(?:生成|制作|创作)\s*(?:一个|一段|一条|一部|一支|个|段|条|部|如下的?|以下的?)?|(?:做|拍|弄|来|画)(?:一个|一段|一条|一部|一支)"
            r"|(?:做|拍|弄)(?=(?:视频|影片|短片|动画)\s*(?:给我|给我们)?\s*(?:[:,]|关于|内容))"
            rf"|(?:做|拍|弄|来|画)(?=一|个|段|条|部|张)(?:个|段|条|部)?"
            # "整一个", "求个", "给我整个": these verbs ask only before a measure word ("整个城市" is a scene)
            rf"|(?:{alt(MAKE_VERBS_MEASURED_ZH)})(?:一(?:个|段|条|部|支)|(?=一[只张幅头])|(?<!整)(?:个|段|条|部|支))"
            r"|(?<=[我请忙你您])整个"
            # "帮我gen一个video", "跑一个：": a make verb in English inside a Chinese frame, 跑 (run) one
            rf"|(?:{alt(MAKE_VERBS)})\s*(?:一个|一段|一条|个|段|条)|跑(?:一个|一段|一条|个|段|条)(?=\s*(?:{_NOUN_ZH}|[:,])))?\s*"
            rf"(?:(?:一个|一段|一条|一部|个|段|条|部)?\s*(?:{_NOUN_ZH})"
            r"\s*(?:给我)?(?:吗|呢|好吗)?\s*\??\s*(?:[,:]|内容是|内容为|关于|画面是)*)?\s*(?:内容是|内容为|画面是|关于|主题是|主题为|题目是)?\s*[,:]?\s*"
        ),
        "filler_polite": c(
            r"^\s*(?:(?:hey|hi|ok|okay|pls|plz|please|now)\b[\s,!]*)*(?:(?:can|could|would|will)\s+(?:you|u)"
            r"(?:\s+(?:please|pls|plz|kindly))*\s+|(?:please|pls|plz|kindly)\s+)(?:(?:please|pls|plz|kindly)\s+)*"
        ),
        "filler_tail": c(
            rf"(?:[\s,.?!]*(?:(?<![a-z])(?:please|pls|plz|thanks|thank\s+you|thx|tks|tq|ty|{alt(CLOSINGS)})(?:\s+(?:so\s+much|a\s+lot|very\s+much|in\s+advance))?(?![a-z])|many\s+thanks|(?:{alt(THANKS_ZH)})(?:啦|了|呀|哈|哦|啊|噢)?|谢谢(?:老师|大家|你|啦|了|晒)?|多谢晒|谢啦|感谢|拜托了?)"
            r"[\s!.。！]*)+$"
        ),
        # "... Regards, Mr Lim", "... thanks! - Priya": a letter's sign-off with the sender's name
        "filler_signoff": c(
            r"(?:(?<=[.!?,\n])|(?<=[.!?,]\s))\s*(?:-\s*)?(?:(?:best|kind|warm|warmest|with)\s+regards|regards|thanks|thank\s+you|"
            r"cheers|sincerely|yours\s+(?:sincerely|truly|faithfully)|thanking\s+you)\s*[,!.\-–—]?\s*"
            r"(?:(?:mr|mrs|ms|miss|dr|sir|madam|uncle|auntie|aunty)\.?\s+)?[a-z][a-z'’-]*(?:\s+[a-z][a-z'’-]*)?\s*[.!]?\s*$"
        ),
        # "我想要一段<无声的视频>，主题是...": a request whose video noun was a parameter's
        "filler_measure_zh": c(
            r"^\s*(?:(?:请|麻烦你?|帮我|给我|我想要?|想要|我要)[,，\s]*)*(?:做|来|拍|生成)?(?:一个|一段|一条|一部)\s*[,:]\s*"
            r"(?:内容是|内容为|画面是|关于|主题是|主题为|题目是)?\s*"
        ),
        "filler_tail_zh": c(
            # "在手机上看视频": a video a verb of the scene acts on stays; "...的短视频发抖音": what it is for
            r"(?:(?:的|(?<![看拍剪发刷录播放]))(?:视频|影片|短片|短视频|小视频|视频片段)|的片)"
            rf"(?:\s*(?:{alt(PURPOSE_VERBS_ZH)})(?:{alt(PURPOSE_PLACES_ZH)})(?:用的?)?)?\s*(?:吗|呢|好吗|可以吗|行吗|好不好|呀|啊|哦|吧|啦|嘛)?\s*[?!]?\s*$"
        ),
        # a remix says what the clip becomes: "make it night" -> "night", "帮我把它变成冬天" -> "冬天"
        "filler_remix": c(
            r"^\s*(?:(?:(?:can|could|would|will)\s+(?:you|u)|please|pls|plz|now|ok|okay|just|and)\s+)*"
            rf"{alt(REMIX_VERBS)}\s+{alt(EDIT_OBJECTS)}\s+(?:{alt(REMIX_LINKS)}\s+)?(?=\S)"
            r"|^\s*(?:请|帮我|麻烦你?|给我|能不能|可以|能否|你能|再)*(?:把|将|让|使)?"
            rf"{alt(REMIX_OBJECTS_ZH)}?{alt(REMIX_VERBS_ZH)}(?=\S)"
        ),
        # an animate caption's clause that only says "animate this": "make the photo move, ...", "让这张画动起来，..."
        "filler_animate": c(
            rf"(?:^|(?<=[,;:.!—–-]))\s*(?:(?:please|pls|plz|can\s+you|could\s+you|now|just)\s+)*"
            rf"(?:(?:make|let|have|get)\s+{anim_obj}\s+(?:{alt(ANIMATE_RESULTS)})"
            rf"|bring\s+{anim_obj}\s+(?:to\s+life|alive)|animate\s+{anim_obj}"
            rf"|(?:turn|make)\s+{anim_obj}\s+into\s+(?:{alt(ANIMATE_RESULTS)})"
            rf"|give\s+{anim_obj}\s+(?:some\s+)?(?:motion|movement|life)"
            rf"|(?:add|put)\s+(?:some\s+)?(?:motion|movement|animation)\s+(?:to|in|into)\s+{anim_obj})"
            rf"(?:\s+(?:please|pls|plz))?(?![a-z0-9])\s*(?:[,;:.!—–-]+\s*|$)"
            rf"|(?:^|(?<=[,;:!。！，；：]))\s*(?:请|帮我|帮忙|麻烦)?(?:把|让|使|给|将)?(?:{alt(ANIMATE_OBJECTS_ZH)})?"
            rf"(?:{alt(ANIMATE_RESULTS_ZH)})(?:吧|了|一下)?\s*(?:[,;:!。！，；：]+\s*|$)"
        ),
        "filler_edit": c(
            r"^\s*(?:(?:pls|plz|please)\s+)?(?:remix|redo|reimagine|animate|blend|mix|merge|combine|fuse|join)(?:\s*[:,]\s*|\s+)"
            r"(?:(?:it|this|that|these(?:\s+two)?|them|the\s+(?:two|clips?|videos?|image|photo|picture|pic)|both)\s*)?"
            r"(?:together\s*)?(?:(?:as|into|to|in|with|so\s+that)\s+)?"
            r"|^\s*(?:animate|remix|blend|merge|combine)\s*$"
            r"|^\s*(?:把|让)?(?:这个|它|这张图|这张图片|图片|照片|这张|这两个视频|两个视频)?"
            r"(?:重新生成|重绘|动起来|混合|融合)(?:起来|成|为|一下)?[,:]?"
            r"|^\s*(?:合并|混合|融合|拼接|合成)(?:一下)?(?:这两个视频|这两段视频|两个视频|这两段|这两个|它们)?"
            r"(?:起来|在一起|成一个)?[,:]?"
        ),
    }


# "a <7-sec> shot of ...", "a <full-hd> clip of ...": once the parameters are cut, the noun they described is
# request wording too (but "a shot of whiskey", with nothing cut before it, is a scene)
_COUNTED_NOUN = re.compile(
    rf"(?:^|(?<=[,;:\n]))(?:\s*(?:please\s+)?(?:{alt(MAKE_VERBS)})(?:\s+(?:me|us))?(?=\s))?"
    rf"(?P<a>\s*(?:(?:a|an|one|some)(?=\s))?)(?P<gap>\s+)"
    rf"(?:{alt(VIDEO_NOUNS)}|{alt(VERSION_NOUNS)}|shot|footage|sequence|scene)s?\s+(?:of|showing|where|featuring)(?![a-z])\s*"
)


def cut_described_nouns(scan: Scan) -> None:
    """Cut a video noun whose describing parameters were cut right before it ("a 7-sec shot of")."""
    for m in list(_COUNTED_NOUN.finditer(scan.norm)):
        if any(scan.cutn[j] for j in range(m.start("a"), m.end("gap"))):
            scan.cut(m.start("a"), m.end())  # a request verb before it stays, for strip_filler


def prompt_key(norm: str) -> re.Match[str] | None:
    """A leading `prompt:` / `提示词：` key, to cut before anything else."""
    return _filler_rx()["prompt_key"].match(norm)


def request_edges(norm: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The spans (or None) of the request wording that opens `norm` ("show us ", "make a video of ", "lol ")
    and of the words that close it ("thanks", "发我一下") when something is left between them: what stands
    there is a clause of its own once they go ("make a video asap"), as the prompt shows it."""
    rx = _filler_rx()
    end = 0
    for _ in range(4):
        for key in ("filler_interjection", "filler_polite", "filler_head"):
            m = rx[key].match(norm[end:])  # the patterns hold "^": they read a fresh string
            if m and m.end() and norm[end + m.end() :].strip():
                end += m.end()
                break
        else:
            break
    closing = None
    for tail in (rx["filler_tail"], _CLOSING_ZH):
        if (m := tail.search(norm, end)) and norm[end : m.start()].strip():
            closing = m.span()
            break
    return ((0, end) if end else None), closing


_LEAD_MEASURE = re.compile(r"^\s*(?:一个|一段|一条|一部|一支)\s*(?=\S)")
_MID_VIDEO_ZH = re.compile(
    r"^\s*(?P<m>(?:一个|一段|一条|一部|一支)\s*)?[^,，。;；:：\s]{2,}?"
    r"(?P<noun>的(?:视频|影片|短片|小视频|短视频))(?=\s*[,，。;；])"
)


def strip_filler(prompt: str, action: str) -> str:
    """`prompt` without the request wording around the scene ("make me a video of ...", "please")."""
    rx = _filler_rx()
    keys = ["prompt_key", "prompt_key_late", "filler_interjection", "filler_tail", "filler_polite"]
    if action in ("create", "storyboard"):
        keys += ["filler_head", "filler_measure_zh", "filler_head_zh", "filler_tail_zh", "filler_signoff"]
    elif action in ("animate", "remix", "blend", "loop", "recut"):
        keys += (
            ["filler_edit", "filler_remix"]
            if action == "remix"
            else ["filler_animate", "filler_edit"]
            if action == "animate"
            else ["filler_edit"]
        )
    asked = False  # request wording cut from the front: a closing "?" was part of it ("can you make ...?")
    for _ in range(4):
        before = prompt
        scan = Scan(prompt)
        for key in keys:
            if key.endswith("_zh") and not scan.cjk:
                continue
            m = rx[key].search(scan.norm)
            if m and m.end() > m.start():
                asked = asked or key in ("filler_head", "filler_polite", "filler_head_zh")
                scan.cut(*m.span())
                if key == "filler_tail_zh" and (lead := _LEAD_MEASURE.match(scan.norm)):
                    scan.cut(*lead.span())  # "一个日落视频" -> "日落": the measure word counted the video
                rest = tidy(scan.rest("\x00"))
                if not rest and key != "filler_tail":
                    # "make a video" alone is a request with no scene: keep the words, the caller decides
                    return "" if action == "create" else rest
                prompt = rest
                break
        if prompt == before:
            break
    if asked and action == "create" and (mid := _MID_VIDEO_ZH.match(Scan(prompt).norm)):
        # "(我想要)一个火车进站的视频，有汽笛声最好": the video noun of the asked clip, before more of the scene
        scan = Scan(prompt)
        if mid.group("m"):
            scan.cut(*mid.span("m"))
        scan.cut(*mid.span("noun"))
        prompt = tidy(scan.rest("\x00"))
    if asked:
        prompt = re.sub(r"\s*[?？]+$", "", prompt)
        if Scan(prompt).cjk:  # "可以帮我做个猫咪跳舞吗": the question word closed the request, not the scene
            prompt = re.sub(
                r"(?<=[^\s吗呢])\s*的?(?:可以吗|行吗|好吗|好不好|可不可以|行不行|吗|呢|呗|(?<![酒网贴水氧书茶陶懂道白])吧)\s*[?？]*$",
                "",
                prompt,
            )
    if re.fullmatch(r"[\s!-/:-@\[-`{-~，。？！、；：…]*", prompt):
        prompt = ""  # only punctuation left ("can you make it loop?" -> "?")
    m = re.fullmatch(r"\s*([\"“”'‘’「『])(.+)([\"“”'‘’」』])\s*", prompt)
    if m and m.group(2).count('"') == 0:
        prompt = m.group(2).strip()
    # "**a neon tiger**", "_a cat_", "`a dog`": markdown around the whole prompt
    m = re.fullmatch(r"\s*(\*\*|__|\*|_|`|~~)(?!\s)(.+?)(?<!\s)\1\s*", prompt)
    if m and m.group(1) not in m.group(2):
        prompt = m.group(2)
    return prompt


#: Chinese closing words that approve or hand the request over ("…就好", "…发我一下"), not of the scene
_CLOSING_ZH = re.compile(
    r"[\s,，。]*(?:就好了?|就行了?|就可以了?|即可|就够了|就ok了?|发我一下|发一下|发给我|发我|谢谢了?|谢啦|多谢|你懂吧|你懂的|懂吧|你知道吧|你明白吧)[\s,，。!！~]*$"
)


#: what an edit's prompt holds when it asks politely and nothing else ("幫我" left by "幫我整長啲")
_ONLY_POLITE = re.compile(r"[\s,，]*(?:(?:帮我|帮忙|请|麻烦你?|给我|拜托|please|pls|plz|kindly)[\s,，!！]*)+")


def _frame_only(clause: str) -> bool:
    """Whether a clause is only request wording ("给我做个的就好", "can you make one"), for around.py."""
    scan = Scan(clause)
    if scan.cjk and (m := _CLOSING_ZH.search(scan.norm)):
        scan.cut(*m.span())
        clause = re.sub(r"的\s*$", "", tidy(scan.rest("")))
    return bool(clause.strip()) and not strip_filler(clause, "create")


def finish_prompt(prompt: str, action: str, bot_names: Sequence[str]) -> str:
    """Request wording, mentions and commands that reached the edges once parameters were cut go too
    ("10s @ReelBot make a cat" -> "a cat"), until nothing changes. Returns the final prompt."""
    for _ in range(4):
        before = prompt
        prompt = tidy(strip_mentions(prompt, bot_names))
        if action == "create":  # asides, a request passed on, what the clip is for (around.py)
            prompt = tidy(drop_around(prompt, _frame_only))
        prompt = drop_trailing_mood(strip_filler(prompt, action))
        if re.search(r"(?<![.。\s])[.。]$", prompt) and not re.search(r"[.。!?！？]\s+\S", prompt):
            prompt = prompt[:-1]  # one sentence's full stop: "a hot air balloon festival at dawn."
        closing = Scan(prompt)
        if closing.cjk and (m := _CLOSING_ZH.search(closing.norm)) and (m.start() > 0 or action != "create"):
            closing.cut(*m.span())
            prompt = tidy(closing.rest(""))
        if cm := command_at_start(prompt):
            prompt = tidy(prompt[cm.end() :])
        if prompt == before:
            break
    prompt = re.sub(
        r"^of\s+(?=(?:a|an|the|some|my|our|two|three)\s)", "", prompt, flags=re.I
    )  # "I need 2 variations, of a ..."
    if action in ("recut", "loop") and _ONLY_POLITE.fullmatch(Scan(prompt).norm):
        prompt = ""
    return prompt


def strength_words(prompt: str) -> float | None:
    """A remix strength that the prompt's wording implies ("slightly" 0.35, "completely" 0.85), or None."""
    s = Scan(prompt).norm
    if re.search(
        r"\b(?:slightly|subtle|subtly|a (?:little|bit|touch)|lightly|gently|barely)\b|轻微|稍微|一点点", s
    ):
        return 0.35
    if re.search(r"\b(?:completely|totally|entirely|drastically|radically|wildly)\b|完全|彻底|大改", s):
        return 0.85
    return None
