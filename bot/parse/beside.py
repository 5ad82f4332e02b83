"""Ambiguous parameter words ("portrait", "square", "loop", "relaxed") inside a run of other parameters
("a fox in snow 10s portrait", "square loop of a coin"), and `loose_word`, their values for a clause that
holds nothing but parameters and request wording. Must not read words that stand alone: params.py does.
"""

from __future__ import annotations

import re
from typing import Any

from bot.parse.clauses import alt
from bot.parse.found import Found
from bot.parse.scan import Scan
from bot.parse.words import ASPECT_WORDS, VIDEO_NOUNS

_BESIDE_WORDS: dict[str, tuple[str, Any]] = {
    **{w: ("aspect", a) for w, a in ASPECT_WORDS.items() if w not in ("tall", "wide")},
    **dict.fromkeys(("loop", "looping", "looped", "seamless"), ("loop", True)),
    **dict.fromkeys(("relax", "relaxed"), ("mode", "relaxed")),
    **dict.fromkeys(("fast", "quick", "rush", "asap"), ("mode", "fast")),  # "... 20 seconds 1080p FAST"
    **{
        n: ("resolution", n + "p") for n in ("480", "720", "1080")
    },  # "... black sand beach 1080 vertical 3 sec"
    **dict.fromkeys(("正方形", "方形"), ("aspect", "1:1")),
}
#: The Chinese ones ("方形"), for text without spaces.
LOOSE_WORDS_ZH: tuple[str, ...] = tuple(w for w in _BESIDE_WORDS if not w.isascii())
_BESIDE_WORD = r"(?<![a-z0-9_-])(?:" + "|".join(_BESIDE_WORDS) + r")(?![a-z0-9_-])"
_BESIDE = re.compile(rf"{_BESIDE_WORD}(?:[^\S\n]+{_BESIDE_WORD})*")
# "square loop of a coin", "seamless vertical clip of ...": two or more such words opening a clause before
# "of" or a video noun describe the clip, not the scene
_BESIDE_OPENING = re.compile(
    rf"(?:^|(?<=[,;|\n、(\[]))\s*(?:(?:an?|one)\s+)?(?P<run>{_BESIDE_WORD}(?:[^\S\n]+{_BESIDE_WORD})+)"
    rf"(?=\s+(?:of|showing|where|{alt(VIDEO_NOUNS)}s?)(?![a-z0-9_-]))"
)
_EDGE_CHARS = frozenset(",;|\n、()[]")


def loose_word(word: str) -> tuple[str, Any] | None:
    """(field, value) of an ambiguous parameter word ("square", "loop", "relaxed"), for a clause that holds
    nothing but parameters and request wording; None for any other word."""
    return _BESIDE_WORDS.get(word)


def _beside_cut(scan: Scan, start: int, end: int) -> bool:
    """Whether norm[start:end] sits in a run of parameters: a cut on one side (across spaces) and a cut
    or the edge of the text or clause on the other ("a fox 10s portrait", "portrait 10s: a fox")."""
    norm, cutn = scan.norm, scan.cutn

    def side(i: int, step: int) -> tuple[bool, bool]:
        was_cut = False
        while 0 <= i < len(norm) and norm[i].isspace():
            was_cut = was_cut or bool(cutn[i])
            i += step
        edge = not 0 <= i < len(norm) or norm[i] in _EDGE_CHARS or (step < 0 and norm[i] == ":")
        return was_cut, edge

    left_cut, left_edge = side(start - 1, -1)
    right_cut, right_edge = side(end, 1)
    if any(word.isdigit() for word in norm[start:end].split()):
        return left_cut or right_cut  # "a beach 1080 vertical 3 sec": a bare resolution beside any parameter
    return (left_cut and (right_cut or right_edge)) or (right_cut and left_edge)


def take_beside_params(scan: Scan, found: Found) -> None:
    """Ambiguous parameter words ("portrait", "square", "loop", "relaxed") that need context elsewhere
    also count inside a run of other parameters: "a fox in snow 10s portrait" (but "Times Square 10s")."""
    for run in scan.take(_BESIDE, lambda m: _beside_cut(scan, m.start(), m.end())):
        for word in run.group().split():
            key, value = _BESIDE_WORDS[word]
            found.set(key, value)
    for m in list(_BESIDE_OPENING.finditer(scan.norm)):
        for word in m.group("run").split():
            key, value = _BESIDE_WORDS[word]
            found.set(key, value)
        scan.cut(m.start("run"), m.end("run"))
