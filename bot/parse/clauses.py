"""Regex pieces every pattern module shares: ASCII word edges that CJK does not block, where a clause
starts and ends, the seconds unit, and `alt` to turn a word list from words.py into an alternation.

Patterns only; no word here means anything by itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from bot.parse.words import POLITE_WORDS

L: Final = r"(?<![a-z0-9_])"  # ASCII word boundaries: CJK next to "10s" must not block a match
R: Final = r"(?![a-z0-9_])"
SEP: Final = r"[,;|\n、()\[\]]"
# a sentence stop ends a clause too ("A dragon. Vertical. 10 seconds."), when a space or the end follows it
# "#vertical #10s" and "**vertical**": hashtags and markdown marks bound a clause as well, and so do a dash
# between spaces ("silent please — snow on a lake") and a colon before a space ("vertical pls: a girl")
SEG_START: Final = rf"(?:^|(?<={SEP})|(?<=^[:：])|(?<=[.!?] )|(?<=。)|(?<=[#*_~])|(?<=\s[—–-])|(?<=[—–]))"
SEG_END: Final = rf"(?=[*_~]*\s*(?:$|{SEP}|[.!?。]+(?:\s|$)|#|[—–]|\s-\s|:\s))"
UNIT: Final = r"(?:seconds?|secs?|secnds?|seonds?|s)"


def alt(words: Iterable[str]) -> str:
    """A non-capturing alternation of `words`, longest first; a space in a word matches any run of
    spaces and an apostrophe is optional ("don't" = "dont")."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        p = re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]?")
        parts.append(p)
    return "(?:" + "|".join(parts) + ")"


def stretched(words: Iterable[str]) -> str:
    """Like `alt`, but each letter may be drawn out, as chat does ("okk", "sooo", "yoooo", "plsss")."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        parts.append(
            "".join(r"\s+" if ch == " " else re.escape(ch) + ("+" if ch.isalpha() else "") for ch in w)
        )
    return "(?:" + "|".join(parts) + ")"


def drawn_out(words: Iterable[str]) -> str:
    """Single words with at least one letter drawn out ("sooo", "wellll", "okk"): an interjection then, where
    the word itself may be a scene's ("so many", "well water")."""
    parts = []
    for w in sorted({w for w in words if w.isalpha()}, key=len, reverse=True):
        for i in range(len(w)):
            parts.append("".join(re.escape(ch) + ("{2,}" if j == i else "+") for j, ch in enumerate(w)))
    return "(?:" + "|".join(parts) + ")"


def seg(words: str) -> str:
    """`words` standing alone between separators (", vertical," or the whole text)."""
    return rf"{SEG_START}\s*(?:{words})(?:\s+{alt(POLITE_WORDS)})?\s*{SEG_END}"


def zseg(words: str) -> str:
    """Chinese `words` standing alone: Chinese has no spaces inside a phrase, so a space separates too."""
    return rf"(?:^|(?<=[\s,;|、()\[\]#:]))(?:{words})(?=\s*(?:$|[\s,;|、()\[\]#:]))"


def c(pattern: str) -> re.Pattern[str]:
    """Compile `pattern` (a short name keeps the pattern tables readable)."""
    return re.compile(pattern)
