"""Edits that name a part of the clip and say how long it is in the clause beside: "cut off the intro, the
first second is just black", "lose the outro, it's 2 seconds of credits", "the first 2 seconds are blank, cut
the intro", "把片头剪掉，前一秒是黑屏". The part is the clip's start or its end; the length is how much goes.

Patterns only; edits.py reads the matches (a start's length is `trim_start`, an end's is `trim_end` from the
end). Each alternative ends in an empty group named S… (the start) or E… (the end); the length is the first
group named n… that matched ("the first second", "第一秒": none, one second).
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import UNIT, L, R, alt
from bot.parse.numbers import CLOCK, CN_NUM, DEC, EN_NUM
from bot.parse.words import (
    CLIP_FIRST,
    CLIP_INTRO,
    CLIP_INTRO_ZH,
    CLIP_LAST,
    CLIP_OUTRO,
    CLIP_OUTRO_ZH,
    CLIP_PART_ADJECTIVES,
    CUT_VERBS,
    CUT_VERBS_ZH,
    EDIT_OBJECTS,
)

_T = rf"(?:{CLOCK}|{DEC}|{EN_NUM}|half(?:\s+a)?|(?:a\s+)?couple(?:\s+of)?)"
_ZN = rf"(?:{DEC}|{CN_NUM})"
#: a length that is the whole clip's, not the part's ("cut the intro, 10 seconds total")
_NOT_PART = r"(?!\s+(?:total|in\s+total|overall|altogether|clip|video|vid|longer|shorter|max|tops)(?![a-z]))"


def _en(part: str, which: str, n: str, mark: str) -> str:
    """A cut verb, the named `part`, and its length in the next clause; or that length first and a cut verb
    after it ("the first 2 seconds are blank, cut the intro")."""
    cut = alt(CUT_VERBS)
    adj = rf"(?:(?:{alt(CLIP_PART_ADJECTIVES)})\s+)?"
    named = (
        rf"(?:(?:the|that|this|its|my|our)\s+)?{adj}{part}{R}(?:\s+(?:of|in|on)\s+{alt(EDIT_OBJECTS)}{R})?"
    )
    gap = r"\s*(?:[,;:—–(]|\.\s|\s-\s|\s)\s*(?:(?:since|because|as|cause|cos|coz|cuz|bc|coz)\s+)?"
    whose = rf"(?:the\s+)?(?:very\s+)?(?:{which})\s+(?:(?P<{n}1>{_T})\s*{UNIT}{R}|(?:seconds?|secs?){R})"
    amount = (
        r"(?:(?:it|that|which|this)(?:['’]?s|\s+is|\s+was)\s+)?(?:(?:only|just|about|around|like|roughly|maybe|~)\s+)*"
        rf"(?:(?P<{n}2>{_T})\s*{UNIT}{R}{_NOT_PART}|an?\s+second{R})(?:\s+long)?"
    )
    said = r"(?:\s+(?:of\s+[a-z'’]+(?:\s+[a-z'’]+){0,2}|(?:is|are|was|were)\s+[a-z'’ ]{1,30}?)(?=\s*(?:$|[,.;!?])))?"
    back = rf"(?:the\s+)?(?:very\s+)?(?:{which})\s+(?:(?P<{n}3>{_T})\s*{UNIT}{R}|(?:seconds?|secs?){R})"
    then_cut = (
        r"\s+(?:is|are|was|were)\s+[^,.;!?]{1,30}?\s*(?:[,;]|\.\s|\s-\s|\s)\s*"
        r"(?:(?:so|just|please|pls|plz|can\s+you|could\s+you|and|then)\s+)*"
        rf"(?:{cut})\s+(?:off\s+|out\s+)?(?:{named}|it|that|them|those){R}"
    )

    # "the intro is 2 seconds of black, cut it", "the opening is just black for a second, can you trim it"
    def lasts(k: int) -> str:
        return rf"(?:(?P<{n}{k}>{_T})\s*{UNIT}{R}|an?\s+second{R})"

    is_long = (
        rf"{L}{named}\s+(?:is|was|lasts|runs)\s+(?:(?:just|only|about|like|around|roughly)\s+)*"
        rf"(?:{lasts(4)}|(?:[a-z'’]+\s+){{1,2}}for\s+{lasts(5)})"
        r"[^,.;!?]{0,30}?\s*(?:[,;]|\.\s|\s-\s|\s)\s*(?:(?:so|just|please|pls|plz|can\s+you|could\s+you|and|then)\s+)*"
        rf"(?:{cut})\s+(?:off\s+|out\s+)?(?:it|that|them|those){R}"
    )
    return (
        rf"{L}(?:{cut})\s+(?:off\s+|out\s+|away\s+)?{named}{gap}(?:{whose}|{amount}){said}(?:\s*\))?(?P<{mark}1>)"
        rf"|{L}{back}{then_cut}(?P<{mark}2>)|{is_long}(?P<{mark}3>)"
    )


def _zh(part: str, which: str, n: str, mark: str) -> str:
    """The Chinese of `_en`: 把片头剪掉，前一秒是黑屏 / 前两秒都是黑的，剪掉."""
    zcut = alt(CUT_VERBS_ZH)
    named = rf"(?:把)?(?:{part})(?:的部分|那段|部分)?(?:给)?{zcut}|{zcut}(?:{part})(?:的部分|那段|部分)?"

    def length(k: int) -> str:
        return rf"(?:(?:{part})的?)?(?:{which})(?P<{n}{k}>{_ZN})\s*秒钟?(?!就|的视频|长|总)"

    said = r"(?:(?:都|全|全部|基本)?(?:是|就是|只是)[^，,。！!？?；;]{0,12})?"
    return (
        rf"(?:{named})(?:一下)?(?:吧|啦|了|呀|啊|哦)?\s*[，,。;；]\s*(?:因为|它|那里|那段)?{length(1)}{said}(?P<{mark}1>)"
        rf"|{length(2)}(?:都|全|全部|基本)?(?:是|就是|只是)[^，,。！!？?]{{1,12}}[，,。]\s*(?:所以|就|那就)?"
        rf"(?:把(?:它|这段|那段)?)?(?:给)?(?:{zcut}(?:{part})?|(?:{part})(?:给)?{zcut})(?P<{mark}2>)"
    )


@functools.cache
def named_cut_rx() -> dict[str, re.Pattern[str]]:
    """The patterns, by edits.py's names ("named_cut", "named_cut_zh")."""
    intro, outro = rf"(?:{alt(CLIP_INTRO)})", rf"(?:{alt(CLIP_OUTRO)})"
    zintro, zoutro = alt(CLIP_INTRO_ZH), alt(CLIP_OUTRO_ZH)
    zfirst = r"前面?|头|最前面?的?|第(?=一秒)"
    zlast = r"最?后面?|尾|最后的?"
    return {
        "named_cut": re.compile(
            _en(intro, alt(CLIP_FIRST), "na", "S") + "|" + _en(outro, alt(CLIP_LAST), "nb", "E")
        ),
        "named_cut_zh": re.compile(_zh(zintro, zfirst, "na", "S") + "|" + _zh(zoutro, zlast, "nb", "E")),
    }


def named_cut(m: re.Match[str]) -> tuple[bool, str | None]:
    """(whether the part is the clip's start, its length as written: None for "the first second")."""
    g = m.groupdict()
    start = any(k.startswith("S") and v is not None for k, v in g.items())
    n = next((v for k, v in g.items() if k.startswith("n") and v), None)
    return start, n
