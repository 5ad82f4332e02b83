"""What closes a storyboard after its last card: sentences that only set parameters or thank ("...。方形。",
"竖屏，谢谢。", "Total 18 seconds, HD", "12 seconds in total, please.", "thank you!!", "Thank you po"), whose
parameters are read and which are no part of the last card's text; and the length the storyboard ends at.
"""

from __future__ import annotations

import functools
import math
import re

from bot.parse.clauses import L, R, alt
from bot.parse.errors import ParseError
from bot.parse.found import Found
from bot.parse.keyed import take_keyed
from bot.parse.negation import take_clause_params
from bot.parse.params import take_params
from bot.parse.scan import Scan
from bot.parse.words import (
    COMFORT_CLAUSES,
    COMFORT_CLAUSES_ZH,
    STORY_TAIL_WORDS,
    STORY_TAIL_ZH,
    STORY_THANKS,
    STORY_THANKS_ZH,
)
from reel.contract import MAX_SECONDS, MIN_SECONDS

_SAYS = re.compile(r"[^\W_]")
#: the last sentence of a text: after a stop ("." before a space, "。", "!", a new line)
_LAST_SENTENCE = re.compile(
    r"(?:[.!?](?=\s)|[。！？!?\n;；])[\s.。!！?？]*(?P<s>[^.。!！?？\n;；]*?)[\s.。!！?？~]*$"
)
#: a sentence that opens with a time and a colon is a card ("5s: silent"), never a closing one ("9:16 pls" is)
_CARD_MARK = re.compile(
    r"^\s*(?:at\s+|第)?[0-9零一二两三四五六七八九十]+\s*(?:s|secs?|seconds?|秒钟?)?\s*[:：\-–—](?!\s*[0-9])"
)
#: the last k words after a comma (or a space next to Chinese), for a thank-you only ("第十秒牵着手 谢谢", "...,
#: thanks!"); "the crowd cheers" keeps its verb
_LAST_WORDS = [
    re.compile(
        rf"(?:\s*[,，、]|(?<=[\u3000-\u9fff])\s|\s(?=[\u3000-\u9fff]))[\s,，、]*(?P<s>(?:[^\s,，、]+[\s,，、]*){{{k}}}?)[\s.。!！?？~]*$"
    )
    for k in (1, 2, 3)
]


@functools.cache
def _closing_words(glue: bool) -> re.Pattern[str]:
    """Thanks (and with `glue`, the words that stand with parameters: "in total", "the video") as a pattern."""
    en = [*STORY_THANKS, *COMFORT_CLAUSES, *(STORY_TAIL_WORDS if glue else ())]
    zh = [*STORY_THANKS_ZH, *COMFORT_CLAUSES_ZH, *(STORY_TAIL_ZH if glue else ())]
    return re.compile(rf"{L}{alt(en)}{R}|{alt(zh)}", re.I)


def _thanks_only(text: str, *, glue: bool = False) -> bool:
    """Whether `text` holds only thanks (with `glue`, closing words too: "in total, please")."""
    return not _SAYS.search(_closing_words(glue).sub(" ", Scan(text).norm))


def _params_only(text: str, found: Found) -> bool:
    """Whether `text` holds only parameters and closing words; its parameters are read into `found` when it
    does."""
    scan = Scan(text)
    scratch = Found()
    try:
        take_keyed(scan, scratch)
        take_clause_params(scan, scratch)
        take_params(scan, scratch)
    except ParseError:
        return False  # "0s a dog": a card time out of range as a length; the cards decide
    if not _thanks_only(scan.rest(" "), glue=True):
        return False
    scan = Scan(text)
    take_keyed(scan, found)
    take_clause_params(scan, found)
    take_params(scan, found)
    return True


#: a question closing the last card that asks whether the plan will do ("..., 咁樣分三段得唔得", "..., 这样分可以吗",
#: "... — does that work?", "..., is this split ok?"): the member asks about the cards, it is no card text
_CLOSING_ASK = re.compile(
    r"(?:[,，、;；.。!！—–]|\s[-–—]|(?<=[\u3400-\u9fff])\s)\s*(?P<q>"
    r"(?:(?:咁樣|噉樣|咁|噉|這樣|这样|這麼|这么|如此|這個|这个|呢個|咁分|这样分|這樣分)[^,，。.?？!！]{0,10}?)?"
    r"(?:得唔得|得冇|可唔可以|ok唔ok|好唔好|啱唔啱|可以吗|可以嗎|可以不|可以么|可不可以|行吗|行嗎|行不行|好吗|好嗎|"
    r"得吗|得嗎|ok吗|ok嗎|没问题吧|沒問題吧|冇問題吧|对吗|對嗎|合理吗|合理嗎)[呀啊吖嗎吗呢㗎啦嘛]*[?？!！~]*"
    r"|(?:(?:so\s+|and\s+)?(?:does|would|will|can|could)\s+(?:that|this|it)\s+work(?:\s+for\s+you)?"
    r"|(?:is|would)\s+(?:that|this|it)(?:\s+(?:split|timing|plan|breakdown))?\s+(?:be\s+)?"
    r"(?:ok|okay|fine|alright|all\s+right|possible|doable|good)"
    r"|(?:(?:that|this)\s+)?(?:sounds?|looks?)\s+(?:good|ok|okay|right)"
    r"|(?:can|could)\s+(?:you|u)\s+do\s+(?:that|this|it)(?:\s+split)?)\s*[?!.]*"
    r"|(?:ok|okay|possible|doable)\s*\?+)\s*$",
    re.I,
)


def drop_closing_ask(text: str) -> str:
    """`text` without a question after it that asks whether the storyboard will do ("夕阳落山，这样分三段可以吗",
    "the dog sleeps - does that work?"); the text as it is when nothing else is said before it."""
    m = _CLOSING_ASK.search(text)
    if m and _SAYS.search(text[: m.start()]):
        return text[: m.start()].rstrip(" ,，、;；.。-–—")
    return text


def drop_thanks(text: str) -> str:
    """`text` without the thanks that close it after a comma (or next to Chinese): "a swan lands, thanks"."""
    words = [w for rx in _LAST_WORDS if (w := rx.search(text)) and _thanks_only(w.group("s"))]
    if words and _SAYS.search(text[: words[-1].start()]):
        return text[: words[-1].start()].rstrip(" ,，、")
    return text


def take_tail(body: str, found: Found) -> str:
    """`body` without the closing sentences after its last card, their parameters read into `found`; the
    body as it is when nothing closes it."""
    for _ in range(4):
        m = _LAST_SENTENCE.search(body)
        if (
            m
            and m.group("s").strip()
            and not _CARD_MARK.match(m.group("s"))
            and _SAYS.search(body[: m.start()])
            and _params_only(m.group("s"), found)
        ):
            body = body[: m.start()].rstrip()
            continue
        if (shorter := drop_thanks(body)) != body:
            body = shorter
            continue
        break
    return body


def set_length(found: Found, last: float, until: float | None) -> None:
    """The storyboard's length into `found`: the one said, which must pass the last card (at `last`); else where
    the last card's range ends (`until`: "6-10s" ends at 10); else 5 s after the last card."""
    if "seconds" in found.values:
        if found.values["seconds"] <= last:
            raise ParseError(
                "bad_seconds", f"{found.values['seconds']}s is too short for a card at {last:g}s"
            )
        return
    end = until if until is not None and until > last else last + 5
    found.set("seconds", min(MAX_SECONDS, max(MIN_SECONDS, math.ceil(end))), 0)
