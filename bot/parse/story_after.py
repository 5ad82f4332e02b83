"""Time marks written in brackets after their card's text: "sunrise (0s), then the market opens (4s), finally
lanterns at night (9s)", 先是日出（0秒），然后是集市开张（4秒），最后是晚上的灯笼（9秒）, "1) a plane is folded (0s)\\n2) it
flies (3s)". When every bracketed time of a message closes its clause, in time order from 0, the message is
written as one card a line with its time first ("0s: sunrise"); the words before the first card's clause
(a label and its colon) stay a line of their own, and the joins and openers that tied the clauses
("then", "finally", 先是, 然后是) go.

Pure text rules over one message, read before story_marks.py, which reads the lines written here. A
bracketed time before its text ("[0s] sunrise [4s] a lizard", "Shot 1 (0s): ...") is not this module's.
"""

from __future__ import annotations

import re

from bot.parse.numbers import CLOCK, CN_NUM, number

_N = rf"(?:[0-9]{{1,2}}(?:\.[0-9]+)?|{CN_NUM})"
_UNIT = r"(?:seconds?|secs?|sec|s|秒钟|秒鐘|秒)"
#: a bracketed time: "(0s)", "（4秒）", "[0:05]", "(3-6s)", "（0到4秒）"; or "at 4s"
_MARK = re.compile(
    rf"[(（\[【]\s*(?:at\s+|@\s*|from\s+|第|在|从|從)?(?:(?P<clock>{CLOCK})|(?P<n>{_N})\s*(?:{_UNIT}\s*)?(?:-|–|~|to|到|至)\s*(?P<e>{_N})\s*{_UNIT}"
    rf"|(?P<n2>{_N})\s*{_UNIT})\s*[)）\]】]"
    # "sunrise at 0s, the market opens at 4s": a time after "at" with its unit, where it closes the clause
    r"|(?<=\s)(?:at|@)\s*(?P<n3>[0-9]{1,2}(?:\.[0-9]+)?)\s*(?:seconds?|secs?|s)(?![a-z0-9])",
    re.I,
)
#: what may follow a mark that closes its clause: a stop, the end, or the join to the next card
_CLOSES = re.compile(
    r"\s*(?:$|[,，。.;；、!！?？\n]|(?:(?:and\s+)?then|and|next|finally|lastly|after\s+that)(?![a-z])"
    r"|然后|然後|接着|接著|最后|最後|之后|之後|再|→|->|[/|>])",
    re.I,
)
#: words that tie a card to the one before, or open the first: they go with the marks
_TIES = re.compile(
    r"^(?:[\s,，。.;；、/|]+|(?:→|->|>)\s*|[-*•·]\s*|[0-9]{1,2}[.)、]\s*|(?:and\s+then|then|and|next(?!\s+(?:to|door)\b)|after\s+that|"
    r"afterwards|finally|lastly|in\s+the\s+end|first\s+of\s+all|first(?:ly)?(?=\s*[,，:：])|to\s+start(?:\s+with)?|"
    r"at\s+first)(?![a-z])[\s,，]*"
    r"|(?:首先|一开始|一開始|开头|開頭|然后|然後|接着|接著|接下来|接下來|最后|最後|之后|之後)(?:是|为|為)?|先是|再是)",
    re.I,
)
#: where the words before the first card end: a colon or a dash between spaces ("my idea: sunrise (0s), ...")
_PREFACE_END = re.compile(r"[:：\n]|\s[-—–]\s|[—–]")


def _when(m: re.Match[str]) -> tuple[float, str] | None:
    """The start of a mark in seconds and how it is written on a card line ("0s", "3-6s")."""
    if m.group("clock"):
        at = number(m.group("clock"))
        return (at, f"{at:g}s") if at is not None else None
    at = number(m.group("n") or m.group("n2") or m.group("n3"))
    if at is None:
        return None
    if m.group("e"):
        end = number(m.group("e"))
        return (at, f"{at:g}-{end:g}s") if end is not None and end > at else None
    return at, f"{at:g}s"


def _card(text: str) -> str:
    """A card's text without the ties around it."""
    for _ in range(4):
        text = _TIES.sub("", text, count=1)
    return re.sub(r"[\s,，、;；:：]+$", "", text).strip()


def marks_after(text: str) -> str:
    """`text` as one card a line when its bracketed times (two or more, in time order from 0) each close a
    card's clause ("at 4s" closing one counts too); `text` as it is otherwise."""
    marks = [m for m in _MARK.finditer(text) if m.group("n3") is None or _CLOSES.match(text, m.end())]
    if len(marks) < 2:
        return text
    times = [_when(m) for m in marks]
    if any(t is None for t in times) or not all(_CLOSES.match(text, m.end()) for m in marks):
        return text
    at = [t[0] for t in times if t is not None]
    if at[0] != 0 or any(b <= a for a, b in zip(at, at[1:], strict=False)):
        return text
    first = 0
    for p in _PREFACE_END.finditer(text, 0, marks[0].start()):
        first = p.end()
    preface = text[:first]
    if preface.strip() and not re.search(r"[^\W_]", text[first : marks[0].start()]):
        preface, first = "", 0  # "sunrise: golden (0s)": the colon is the card's own
    lines, start = [], first
    for m, t in zip(marks, times, strict=True):
        card = _card(text[start : m.start()])
        if t is None or not re.search(r"[^\W_]", card):
            return text
        lines.append(f"{t[1]}: {card}")
        start = m.end()
    rest = re.sub(r"^[\s,，。.;；、!！]+", "", text[start:]).strip()
    head = re.sub(r"[\s:：\-–—]+$", "", preface).strip()
    return "\n".join(([head] if head else []) + lines + ([rest] if rest else []))
