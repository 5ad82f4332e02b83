"""What the member says around the scene in clauses of their own: an aside about themselves or whom the clip is
for before the request ("我儿子很喜欢恐龙，可以帮他生成一段…", "my daughter loves owls, could you make a video of
..."), a request they pass on ("my kid asked for a video of ..."), a lead before ':' that ends in a request
("网太慢了，给我做个<480p>的就好：..."), a marker that opens the scene after a request and its settings ("...？内容是
...", "the scene is: ..."), and after the scene a closing question ("could you make that?", "可以吗") or what the
clip is for ("It's for my daughter's geography project.", "是给孩子的班级用的").

Works on the prompt string once parameters are cut (prompt.py calls it before the request wording goes);
must not read parameters. Never empties a prompt: a clause goes only when a scene is left.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from bot.parse.clauses import alt, c
from bot.parse.scan import Scan
from bot.parse.words import (
    ASIDE_WORDS_ZH,
    CONTENT_MARKERS,
    CONTENT_MARKERS_ZH,
    GREETINGS,
    INTERJECTIONS,
    MAKE_VERBS,
    PEOPLE_OF_MEMBER,
    PEOPLE_OF_MEMBER_ZH,
    SITUATION,
    SITUATION_ZH,
    VIDEO_NOUNS,
)

#: clause ends in the matching view (NFKC: full-width marks read as ASCII ones)
_CLAUSE_END = re.compile(r"[,;:!?。、]+|[.](?=\s|$)|\s[—–-]+\s|(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_E = r"(?![a-z0-9'’])"
_MEASURE_ZH = r"(?:一个|一段|一条|一部|一支|个|段|条|部|支)"
_VERB_ZH = r"(?:生成|制作|创作|做|拍|弄|整|搞|画|来|出)"
#: a pronoun that points back at the clause before ("... of *it* in autumn", "…一段*它*醒来的")
_BACK = re.compile(r"\s*(?:(?:it|this|that|them|him|her|these|those)(?![a-z0-9'’])|它|他|她|这|那)")
_ADJ = r"(?:(?:short|quick|little|small|cool|nice|fun|cute|funny|simple|brief)\s+)*"


@functools.cache
def _rx() -> dict[str, re.Pattern[str]]:
    video = rf"(?:{alt(VIDEO_NOUNS)})s?"
    people = rf"(?:{alt(PEOPLE_OF_MEMBER)})"
    people_zh = alt(PEOPLE_OF_MEMBER_ZH)
    whose = rf"(?:my|our)\s+(?:(?:little|youngest|oldest|eldest|[0-9]+\s*(?:yo|-?year-?old))\s+)*{people}"
    obj = r"(?:me|us|him|her|them|my\s+[a-z'’]+|our\s+[a-z'’]+)"
    return {
        # "my daughter loves owls", "I'm a teacher", "我儿子很喜欢恐龙": the member, or whom the clip is for
        "aside": c(
            rf"^(?:(?:so|and|but|also|btw|ok|okay|well|hi|hey)[\s,]+)*(?:(?:i|we)(?:['’](?:m|re|ve|d))?|im|{whose}"
            rf"(?:['’]s)?|(?:my|our)\s+(?:{alt(SITUATION)}))\s+[a-z]"
            rf"|^(?:{alt((*GREETINGS, *INTERJECTIONS))})$"
        ),
        "aside_zh": c(rf"^(?:我们?|咱们|我家|本人|因为)(?:的|家的?)?(?:{people_zh})?|^(?:{people_zh})"),
        "aside_word_zh": c(alt(ASIDE_WORDS_ZH)),
        "situation_zh": c(alt(SITUATION_ZH)),
        # a later clause that opens with a request of its own scene ("could you make a video of ...")
        "ask": c(
            r"^(?:so\s+)?(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+|kindly\s+)?|please\s+|pls\s+)?"
            rf"(?:{alt(MAKE_VERBS)}|do)\s+(?:{obj}\s+)?(?:a|an|one|some)\s+{_ADJ}{video}\s+"
            rf"(?:of|showing|with|about|where|featuring){_E}"
        ),
        "ask_zh": c(
            r"^(?:请问|请|麻烦您?|麻烦你|能不能|能否|可不可以|可以|能|帮我们?|帮他|帮她|帮它|帮忙|替我|替他|替她|给我|我想要?|想要?|我要)*"
            rf"(?:{_VERB_ZH}){_MEASURE_ZH}"
        ),
        # "can you make one", "let's do this one": a request that names no scene, before a colon
        "frame": c(
            r"^(?:(?:so|ok|okay|then|and)\s+)?(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+)?|please\s+|pls\s+|"
            r"let['’]?s\s+|i\s+(?:want|need)\s+you\s+to\s+)?(?:make|do|create|generate|render|give)\s+(?:(?:me|us)\s+)?"
            r"(?:one|this|that|it|something|this\s+one)(?:\s+for\s+(?:me|us|him|her|them))?(?:\s+(?:please|pls|plz))?\s*[?!.]*$"
        ),
        # "my kid asked for a video of", "someone wants a clip of": a request passed on
        "passed_on": c(
            rf"^(?:(?:so|ok|okay|hi|hey|well)[\s,]+)*(?:{whose}|someone|somebody|a\s+friend|a\s+client|i\s+was|we\s+were|"
            r"i['’]?ve\s+been|we['’]?ve\s+been)\s+(?:(?:just|really|has|have|keeps|kept|is|was|been|always)\s+)*"
            r"(?:asked|asking|wants|wanted|would\s+like|requested|begged|begging|is\s+dying\s+for|dying\s+for)\s+"
            r"(?:(?:me|us)\s+)?(?:for\s+|to\s+(?:see|have|get|watch)\s+|to\s+make\s+(?:(?:him|her|them)\s+)?)?"
            rf"(?:a|an|one|some)\s+{_ADJ}{video}\s+(?:of|showing|with|about|where|featuring){_E}\s*"
        ),
        "passed_on_zh": c(
            rf"^(?:我们?|我家)的?(?:{people_zh})(?:一直|很|特别|非常|老是|总是)?(?:想要|想看|要|吵着要|让我做|叫我做|点名要)"
            rf"{_MEASURE_ZH}?"
        ),
        # "could you make that?", "is that possible?", "可以吗": a question closing the request
        "closing": c(
            rf"^(?:so\s+|and\s+)?(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+|maybe\s+)?"
            r"(?:make|do|create|generate|render|whip\s+up|put\s+together|manage)\s+"
            rf"(?:that|it|this|one|that\s+one|something\s+like\s+that)(?:\s+for\s+{obj})?"
            r"|(?:is|would)\s+(?:that|it|this)\s+(?:be\s+)?(?:possible|doable|ok|okay|alright)"
            r"|(?:can|could)\s+(?:you|u)(?:\s+do\s+it)?|possible|doable"
            r"|if\s+(?:that['’]?s|that\s+is|it['’]?s|it\s+is|this\s+is)\s+(?:alright|all\s+right|ok|okay|fine|possible|not\s+too\s+much)"
            r"|(?:many\s+|big\s+)?thanks\s+from\s+[a-z'’]+(?:\s+[a-z'’]+)?"
            # "..., can you make that into a video?", "... — make a video of that": the request after its scene
            r"|(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+)?)?(?:(?:make|turn|do|render|animate)\s+"
            rf"(?:that|this|it)\s+(?:into|as)\s+(?:a|an)\s+{_ADJ}{video}|(?:make|create|generate|render|do)\s+(?:(?:me|us)\s+)?"
            rf"(?:a|an)\s+{_ADJ}{video}\s+(?:of|from|out\s+of|with)\s+(?:that|this|it)|make\s+it\s+(?:into\s+)?(?:a|an)\s+{video}))"
            r"(?:\s+(?:please|pls|plz|for\s+me|thanks|thank\s+you|at\s+all))*\s*[?!.]*$"
        ),
        "closing_zh": c(
            r"^(?=.*(?:可以|能|行|做|生成|弄|整|搞|拍|变))(?:请问)?(?:这个|那个|这样)?(?:可以|能|能不能|可不可以|行不行|可以不|行)?"
            r"(?:帮(?:我们?|他|她|它|忙))?(?:做成|生成|做|弄成|整成|变成|拍成|弄|整|搞|做到|实现)?(?:一个|一段|一条|个|段|条)?"
            r"(?:视频|影片|短片|片|动画)?(?:一下|出来)?(?:吗|呢|吧|不)?[?!]*$"
        ),
        # "..., my daughter would love it": how whom the clip is for will take it, after an asked scene
        "for_whom": c(
            rf"^so\s+(?:that\s+)?(?:{whose}|he|she|they|i|we|everyone|the\s+(?:kids|children|students|class|audience))\s+"
            r"(?:can|could|will|would)\s+(?:see|hear|watch|learn|enjoy|understand)(?![a-z])[^,;:!?]{0,40}$"
            rf"|^(?:and\s+|so\s+)?(?:{whose}|he|she|they)\s+(?:would\s+be\s+over\s+the\s+moon|"
            r"(?:would|will|is\s+going\s+to|is\s+gonna)\s+(?:love|like|adore|enjoy)|"
            r"loves?\s+(?:it|this|that|these|them)|is\s+turning|just\s+turned|turns\s+[0-9a-z]+|is\s+obsessed|"
            r"is\s+crazy\s+about|asked\s+for\s+(?:it|this|one)|would\s+be\s+(?:so\s+)?happy|will\s+be\s+(?:so\s+)?happy)"
        ),
        "asked_head": c(
            r"^(?:(?:hi|hey|hello)[\s,]+)?(?:(?:can|could|would|will)\s+(?:you|u)|please|pls|kindly|make|create|generate|"
            r"render|i['’]?d\s+(?:love|like)|i\s+(?:want|need|would\s+like)|can\s+i\s+(?:get|have))(?![a-z])"
            r"|^(?:请|麻烦|帮|给我|我想|我要|可以|能)"
        ),
        # "It's for my daughter's geography project.", "we'll show it at the wedding": what the clip is for
        "purpose": c(
            r"^(?:(?:and|but|so|oh|btw)\s+)?(?:(?:it['’]?s|its|it\s+is|this\s+is|that['’]?s|that\s+is|these\s+are|they['’]?re|they\s+are|it['’]?ll\s+be|"
            r"it\s+will\s+be|this\s+will\s+be|it['’]?s\s+going\s+to\s+be|the\s+(?:video|clip)\s+is)\s+"
            r"(?:(?:just|mainly|only|all|actually|basically|meant|intended|supposed\s+to\s+be)\s+)*"
            r"(?:for|to\s+be\s+(?:used|shown|played|posted|shared)\s+(?:for|at|in|on|with)|going\s+(?:on|in|into))"
            r"|for(?=\s+(?:my|our)\s)|(?:i|we)(?:['’]ll|\s+will|['’]m\s+going\s+to|\s+am\s+going\s+to|['’]re\s+going\s+to|\s+are\s+going\s+to|"
            r"['’]m\s+gonna|\s+want\s+to|\s+wanna|\s+need\s+to|\s+plan\s+to|['’]d\s+like\s+to|\s+would\s+like\s+to)\s+"
            r"(?:use|show|play|post|share|put|send|present|upload)\s+(?:it|this|them|the\s+(?:video|clip))"
            r"|(?:i|we)\s+need\s+(?:it|this|one)\s+(?:for|by))"
            r"\s+(?:(?:my|our|his|her|their|a|an|the)\s+)?[a-z0-9'’-]+(?:\s+[a-z0-9'’-]+){0,7}\s*[.!:]*$"
        ),
        "purpose_zh": c(
            r"^(?:这是|这个是|是|主要是|我是|我想|我要|想|要)?(?:给|为了?|帮|替)[^,;:!?。]{1,14}?"
            r"(?:用的?|看的?|准备的?|做的?|放的?|播的?|的作业|的礼物)(?:啊|呀|哦|吧|哈|啦|的)?[!.。:]*$"
        ),
        "marker": c(
            rf"(?:^|(?<=[,;:!?。.]))\s*(?:(?:{alt(CONTENT_MARKERS)})\s*:|(?:{alt(m for m in CONTENT_MARKERS if m.endswith(' is'))})"
            rf"{_E}|(?:{alt(CONTENT_MARKERS_ZH)})\s*:|(?:{alt(m for m in CONTENT_MARKERS_ZH if m[-1] in '是为')}))\s*"
        ),
        # what before such a marker shows it was a request ("做个小视频", "could it be square?")
        "asked": c(
            rf"视频|影片|片|{_VERB_ZH}{_MEASURE_ZH}|请问|能不能|可以|帮|\?|(?<![a-z]){video}{_E}|"
            rf"(?<![a-z])(?:make|create|generate|want|need|would\s+like|can\s+you|could\s+you){_E}"
        ),
    }


def _clauses(norm: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _CLAUSE_END.finditer(norm):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(norm)))
    return [(a, b) for a, b in spans if norm[a:b].strip()]


def about_member(text: str) -> bool:
    """Whether a clause speaks about the member or whom the clip is for ("my nephew loves trains", "我儿子很喜欢恐龙",
    "my wifi is terrible"), or only greets."""
    rx = _rx()
    if rx["aside"].match(text):
        return True
    return bool(rx["aside_zh"].match(text) and rx["aside_word_zh"].search(text))


def _head(norm: str, frame_only: Callable[[str], bool]) -> int:
    """Where the scene starts once what is said before it is cut (0: nothing to cut)."""
    rx = _rx()
    for m in rx["marker"].finditer(norm):
        if m.start() > 0 and m.end() < len(norm) and rx["asked"].search(norm[: m.start()]):
            return m.end()  # "..., 请问能不能做成<正方形>？内容是...": what follows the marker is the scene
    first = re.match(r"[^.!?:。]+[.!?:。]+\s*(?=\S)", norm)
    if first and (
        rx["purpose"].match(first.group().strip()) or rx["purpose_zh"].match(first.group().strip())
    ):
        return first.end()  # "I need it for a school project. A tornado ...": what it is for comes first
    if passed := rx["passed_on"].match(norm) or rx["passed_on_zh"].match(norm):
        return passed.end()
    clauses = _clauses(norm)
    # "网很慢哈哈，给我做个<480p>的就好：...": a lead ending in a request without a scene ends at the colon
    colon = re.search(r":", norm)
    if colon is not None and norm[colon.end() :].strip():
        lead = [(a, b) for a, b in clauses if b <= colon.start()]
        last = norm[lead[-1][0] : lead[-1][1]].strip() if lead else ""
        if len(lead) >= 2 and (rx["frame"].match(last) or frame_only(last)):
            rest = [norm[a:b].strip() for a, b in lead[:-1]]
            if all(about_member(t) or frame_only(t) or rx["situation_zh"].search(t) for t in rest):
                return colon.end()
    # "我儿子很喜欢恐龙，可以帮他生成一段…": asides before a clause that asks for its own scene
    for i, (a, b) in enumerate(clauses):
        text = norm[a:b].strip()
        if i > 0 and (ask := rx["ask"].match(text) or rx["ask_zh"].match(text)):
            if _BACK.match(text[ask.end() :]):
                break  # "I walk through a forest, could you make a video of it in autumn": it is the scene
            if all(about_member(norm[x:y].strip()) for x, y in clauses[:i]):
                return a
            break
        if not about_member(text):
            break
    return 0


def _tail(norm: str, start: int) -> int:
    """Where the scene ends once a closing question and what the clip is for are cut (len: nothing cut)."""
    rx = _rx()
    clauses = [(a, b) for a, b in _clauses(norm) if a >= start]
    end = len(norm)
    # "could you make a clip of kids flying kites? my class is doing a unit on wind": after an asked scene,
    # a sentence about the member is an aside too
    asked = bool(clauses) and bool(rx["asked_head"].match(norm[clauses[0][0] : clauses[0][1]].strip()))
    while len(clauses) >= 2:
        a, b = clauses[-1]
        text = norm[a:b].strip()
        sentence = re.search(r"[.!?。]\s*$", norm[:a])
        if not any(rx[k].match(text) for k in ("closing", "closing_zh", "purpose", "purpose_zh")) and not (
            (asked and sentence and about_member(text)) or rx["for_whom"].match(text)
        ):
            break
        end = clauses[-2][1]
        clauses.pop()
    return end


def drop_around(prompt: str, frame_only: Callable[[str], bool]) -> str:
    """`prompt` without what the member says around the scene (see the module's docstring); `frame_only`
    tells whether a clause is only request wording. Cut spans come back as spaces for the caller's tidy."""
    scan = Scan(prompt)
    norm = scan.norm
    start = _head(norm, frame_only)
    end = _tail(norm, start)
    if start >= end or not norm[start:end].strip(" ,;:!?。.、-—–"):
        return prompt
    scan.cut(end, len(norm))
    scan.cut(0, start)
    return scan.rest(" ")
