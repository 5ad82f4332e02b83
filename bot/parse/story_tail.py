"""What closes a storyboard after its last card: sentences that only set parameters or thank ("...。方形。",
"竖屏，谢谢。", "Total 18 seconds, HD", "12 seconds in total, please.", "thank you!!", "Thank you po"). Their
parameters are read; they are no part of the last card's text.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import L, R, alt
from bot.parse.found import Found
from bot.parse.keyed import take_keyed
from bot.parse.negation import take_clause_params
from bot.parse.params import take_params
from bot.parse.scan import Scan
from bot.parse.words import COMFORT_CLAUSES, COMFORT_CLAUSES_ZH, STORY_TAIL_WORDS, STORY_TAIL_ZH

_SAYS = re.compile(r"[^\W_]")
#: the last sentence of a text: after a stop ("." before a space, "。", "!", a new line)
_LAST_SENTENCE = re.compile(r"(?:[.!?](?=\s)|[。！？!?\n;；])[\s.。!！?？]*(?P<s>[^.。!！?？\n;；]*?)[\s.。!！?？~]*$")
#: a sentence that opens with a time and a colon is a card ("5s: silent"), never a closing one
_CARD_MARK = re.compile(r"^\s*(?:at\s+|第)?[0-9零一二两三四五六七八九十]+\s*(?:s|secs?|seconds?|秒钟?)?\s*[:：\-–—]")
#: the last words after a comma or space, for a thank-you only ("第十秒牵着手 谢谢")
_LAST_WORDS = re.compile(r"[\s,，、]+(?P<s>[^\s,，、]+(?:\s+[^\s,，、]+){0,3})[\s.。!！?？~]*$")


@functools.cache
def _tail_words() -> re.Pattern[str]:
    en = alt((*STORY_TAIL_WORDS, *COMFORT_CLAUSES))
    zh = alt((*STORY_TAIL_ZH, *COMFORT_CLAUSES_ZH))
    return re.compile(rf"{L}{en}{R}|{zh}", re.I)


def _thanks_only(text: str) -> bool:
    """Whether `text` holds only closing words (thanks, please, "in total")."""
    return not _SAYS.search(_tail_words().sub(" ", Scan(text).norm))


def _params_only(text: str, found: Found) -> bool:
    """Whether `text` holds only parameters and closing words; its parameters are read into `found` when it
    does."""
    scan = Scan(text)
    scratch = Found()
    take_keyed(scan, scratch)
    take_clause_params(scan, scratch)
    take_params(scan, scratch)
    if not _thanks_only(scan.rest(" ")):
        return False
    scan = Scan(text)
    take_keyed(scan, found)
    take_clause_params(scan, found)
    take_params(scan, found)
    return True


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
        w = _LAST_WORDS.search(body)
        if w and _SAYS.search(body[: w.start()]) and _thanks_only(w.group("s")):
            body = body[: w.start()].rstrip()
            continue
        break
    return body
