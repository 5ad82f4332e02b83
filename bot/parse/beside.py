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
_JOINER = re.compile(r"(?<![a-z0-9_-])(?:and|&|plus)(?![a-z0-9_-])")
_FILLER_RUN = re.compile(
    r"(?<![a-z0-9_'-])(?:(?:and|&|plus|also|like|um+|uh+|er+|erm|maybe|around|about|roughly|approximately|then)\s+)*"
    r"(?:like|around|about|roughly|approximately|maybe|um+|uh+|uhm+|er+|erm+)\s"
)
#: a hesitation before a cut setting goes whatever stands before it ("fireworks over a lake um <landscape>")
_HESITATION = re.compile(r"um+|uh+|uhm+|er+|erm+")
_JOINER_ZH = re.compile(r"同埋|还有|加上|以及|并且|而且|和|跟|与|及|同|加")
_JOINER_RIGHT = re.compile(r"(?:and|&|plus)(?![a-z0-9_-])")
_JOINER_LEFT = re.compile(r"(?<![a-z0-9_-])(?:and|&|plus)$")


def loose_word(word: str) -> tuple[str, Any] | None:
    """(field, value) of an ambiguous parameter word ("square", "loop", "relaxed"), for a clause that holds
    nothing but parameters and request wording; None for any other word."""
    return _BESIDE_WORDS.get(word)


def _beside_cut(scan: Scan, start: int, end: int) -> bool:
    """Whether norm[start:end] sits in a run of parameters: a cut on one side (across spaces) and a cut
    or the edge of the text or clause on the other ("a fox 10s portrait", "portrait 10s: a fox")."""
    norm, cutn = scan.norm, scan.cutn

    def side(i: int, step: int, joined: bool = True) -> tuple[bool, bool]:
        was_cut = False
        while 0 <= i < len(norm) and norm[i].isspace():
            was_cut = was_cut or bool(cutn[i])
            i += step
        edge = not 0 <= i < len(norm) or norm[i] in _EDGE_CHARS or (step < 0 and norm[i] == ":")
        if not was_cut and joined and 0 <= i < len(norm):
            # "1080p and square and 10 seconds": a joining word between two parameters keeps the run
            j = _JOINER_RIGHT.match(norm, i) if step > 0 else _JOINER_LEFT.search(norm, 0, i + 1)
            if j is not None:
                nxt = j.end() if step > 0 else j.start() - 1
                if 0 <= nxt < len(norm) and norm[nxt].isspace():
                    was_cut = side(nxt, step, joined=False)[0]
        return was_cut, edge

    left_cut, left_edge = side(start - 1, -1)
    right_cut, right_edge = side(end, 1)
    if any(word.isdigit() for word in norm[start:end].split()):
        return left_cut or right_cut  # "a beach 1080 vertical 3 sec": a bare resolution beside any parameter
    return (left_cut and (right_cut or right_edge)) or (right_cut and left_edge)


def cut_joiners(scan: Scan) -> None:
    """Cut "and" / "&" / "plus" that joins cut parameters ("<1080p> and <square>") or closes the text before
    them ("a cat and <10 seconds>"): the joining word was part of the run of settings. Runs once on the whole
    message after every parameter is read (never on a piece negation.py reads: "不要循环还有不要声音")."""
    norm, cutn = scan.norm, scan.cutn
    for m in list(_FILLER_RUN.finditer(norm)):
        # "<vertical> and like <seven seconds>": light words between cut settings (or a joining one after
        # the scene: "a cat and like <10 seconds>") go with them
        j = m.end()
        if j >= len(norm) or not cutn[j]:
            continue
        i = m.start() - 1
        left_cut = False
        while i >= 0 and norm[i].isspace():
            left_cut = left_cut or bool(cutn[i])
            i -= 1
        if i >= 0 and (left_cut or _JOINER.search(m.group()) or _HESITATION.fullmatch(m.group().split()[-1])):
            scan.cut(m.start(), m.end())
    for m in list(_JOINER.finditer(norm)):
        i, left_cut = m.start() - 1, False
        while i >= 0 and norm[i].isspace():
            left_cut = left_cut or bool(cutn[i])
            i -= 1
        j, right_cut = m.end(), False
        while j < len(norm) and norm[j].isspace():
            right_cut = right_cut or bool(cutn[j])
            j += 1
        closes = j >= len(norm) or norm[j] in _EDGE_CHARS or norm[j] in ".!?。"
        if right_cut and (left_cut or closes) and i >= 0:
            scan.cut(m.start(), m.end())
    for m in list(_JOINER_ZH.finditer(norm)):
        # "整成<方形>同埋<高清>": a Chinese joining word between two cut settings
        if 0 < m.start() and m.end() < len(norm) and cutn[m.start() - 1] and cutn[m.end()]:
            scan.cut(m.start(), m.end())


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
