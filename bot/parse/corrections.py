"""Refusals and corrections inside a clause: "landscape not portrait", "square instead of vertical",
"6 seconds rather than 10", "横屏不要竖屏" (a value, then the one it replaces), "a robot dancing but not 10
seconds" (a scene, a joining word, refused settings) and "9:16 no wait 16:9" (a value, a correction word,
the value that replaces it). Cuts what it reads from a Scan into Found.

Runs before negation.py, which reads refusals that open a clause; must not read a clause whose refused part
holds anything but parameters ("a house that is not square" stays a scene).
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import alt, c
from bot.parse.errors import ParseError
from bot.parse.found import Found, check_seconds, check_seed, check_variations
from bot.parse.negation import CLAUSE_SPLIT, MAX_CLAUSE_CHARS, WITH_UNIT, apply_values, read_params
from bot.parse.numbers import DEC, EN_NUM, number
from bot.parse.params import take_params
from bot.parse.scan import Scan
from bot.parse.words import INNER_CORRECTIONS, INNER_JOINS, INNER_NEGATORS, INNER_NEGATORS_ZH

#: A scene before a refused setting may be long ("a robot dancing in the rain but not 10 seconds").
MAX_SCENE_CHARS = 300


@functools.cache
def _fix() -> re.Pattern[str]:
    words = alt(INNER_CORRECTIONS)
    # "竖屏……算了还是横屏吧": Chinese corrections need no spaces around them
    zh = r"[\s,，…]*(?:算了|哦不|不对|不不|呃不|啊不)(?:还是|改成|换成|就)?[\s,，]*(?=\S)"
    # "种子123 改成456", "seed 12 change it to 40": a change-verb with the value that replaces the one before
    change = (
        r"[\s,，]*(?:改成|改为|改做|换成|转成|变成|调成|调到|改到)[\s]*(?=\S)"
        r"|[\s,]+(?:change|switch|set)\s+(?:it\s+|that\s+)?to\s+(?=\S)"
    )
    return c(rf"[\s,]+(?:{words})(?:[\s,]+(?:{words}))*[\s,]+(?=\S)|{zh}|{change}")


_OPENER = re.compile(r"\s*(?:(?:no|nah|nope|oh|oops|and|but|so|also|please|pls|wait)[\s,]*)+")
_BARE = re.compile(rf"\s*(?:{DEC}|{EN_NUM})\s*")


def _read(scan: Scan, a: int, b: int, like: Found | None, *, refusing: bool = False) -> Found | None:
    """The parameters of norm[a:b] (see negation.read_params); a bare number there takes the unit of the
    one length or count in `like` ("6 seconds rather than *10*")."""
    found = read_params(scan, a, b, refusing=refusing)
    if found is not None or like is None or not _BARE.fullmatch(scan.norm[a:b]):
        return found
    keys = [k for k in like.values if k in ("seconds", "variations", "seed")]
    if len(keys) != 1:
        return None
    n = number(scan.norm[a:b])
    try:
        if keys[0] == "seed":  # "seed 42 no wait 43"
            if n is None or not float(n).is_integer():
                return None
            return Found(values={"seed": check_seed(str(int(n)), "")})
        value = check_seconds(n, "") if keys[0] == "seconds" else check_variations(n, "")
    except ParseError:
        return Found() if refusing else None
    return Found(values={keys[0]: value})


@functools.cache
def _inner() -> re.Pattern[str]:
    return c(
        rf"(?P<join>\s+(?:{alt(INNER_JOINS)}))?\s+(?P<neg>{alt(INNER_NEGATORS)})\s+(?=\S)"
        rf"|(?P<zneg>{alt(INNER_NEGATORS_ZH)})(?=\S)"
    )


def take_corrections(scan: Scan, found: Found) -> None:
    """Read every clause of `scan` that refuses a setting after what it corrects: set what comes before the
    refusal when that too is a setting, refuse what follows it, and cut both; after a scene, only a refusal
    joined by "but" / "and" (or ending the clause) goes, and the scene stays."""
    _drop_drafts(scan)
    pos = 0
    for m in [*CLAUSE_SPLIT.finditer(scan.norm), None]:
        end = m.start() if m else len(scan.norm)
        _clause(scan, found, pos, end)
        if m:
            pos = m.end()


def _drop_drafts(scan: Scan) -> None:
    """A length or count out of range that a later valid one of the same kind corrects ("3 versions? no, 2
    versions") is a draft, not an error: it goes."""
    seen: list[tuple[str, bool, int, int]] = []  # (key, valid, start, end)
    for m in WITH_UNIT.finditer(scan.norm):
        if re.fullmatch(r"[0-9]*0s", m.group().strip()):
            continue  # "1970s", "the 80s": decades, not lengths
        key = "seconds" if m.group("s") else "variations"
        n = number(m.group("s") or m.group("v"))
        try:
            check_seconds(n, "") if key == "seconds" else check_variations(n, "")
            valid = True
        except ParseError:
            valid = False
        seen.append((key, valid, m.start(), m.end()))
    for i, (key, valid, a, b) in enumerate(seen):
        if not valid and any(k == key and ok for k, ok, _, _ in seen[i + 1 :]):
            scan.cut(a, b)


def _clause(scan: Scan, found: Found, start: int, end: int) -> None:
    norm = scan.norm
    while start < end and norm[start].isspace():
        start += 1
    while end > start and norm[end - 1].isspace():
        end -= 1
    if end - start < 4 or end - start > MAX_SCENE_CHARS:
        return
    for m in _fix().finditer(norm, start, end):
        before = read_params(scan, start, m.start(), refusing=True)
        like = before if before is not None else _partial(scan, start, m.start())
        if (after := _read(scan, m.end(), end, like)) is None or not after.values:
            continue
        if before is None:  # "a sailboat 9:16 no wait 16:9": the value before the correction is refused
            before = Found()
            take_params(Scan(scan.original(start, m.start())), before)
            if not set(after.values) & set(before.values):
                continue
            before = Found(values={k: v for k, v in before.values.items() if k in after.values})
            scan.cut(m.start(), end)
        else:
            scan.cut(start, end)
        # "10 detik, i mean 10 seconds": the same value said again is no refusal
        before = Found(values={k: v for k, v in before.values.items() if after.values.get(k) != v})
        apply_values(found, before, True)
        apply_values(found, after, False)
        return
    for m in _inner().finditer(norm, start, end):
        if m.start() == start or _OPENER.fullmatch(norm[start : m.start()]):
            continue  # a refusal that opens the clause ("no, not 1080p") is negation.py's
        before = read_params(scan, start, m.start())
        refused = _read(scan, m.end(), end, before, refusing=True)
        if refused is None:
            continue
        if before is None and _BARE.fullmatch(norm[start : m.start()]):
            before = _read(scan, start, m.start(), refused)  # "8 not 10 seconds": the 8 takes the unit
        if before is not None and end - start <= MAX_CLAUSE_CHARS and _same_keys(before, refused):
            apply_values(found, before, False)  # "landscape not portrait": one parameter, said twice
            apply_values(found, refused, True)
            scan.cut(start, end)
            return
        if before is None and (m.group("join") or _read_anyway(scan, start, end, m.end())):
            # "a robot dancing but not 10 seconds", "a lighthouse at dusk not in 1080p": the scene stays
            apply_values(found, refused, True)
            scan.cut(m.start(), end)
            return


def _partial(scan: Scan, a: int, b: int) -> Found:
    """What params.py reads in norm[a:b] beside a scene ("a cat seed 42" before "no wait 43")."""
    found = Found()
    try:
        take_params(Scan(scan.original(a, b)), found)
    except ParseError:
        return Found()
    return found


def _read_anyway(scan: Scan, start: int, end: int, at: int) -> bool:
    """Whether params.py reads norm[at:end] as parameters within the whole clause norm[start:end] too (so
    not "square" in "a house that is not square", an ambiguous word that counts only in context)."""
    sub = Scan(scan.original(start, end))
    take_params(sub, Found())
    offset = scan.idx[start]
    return all(
        sub.removed[i - offset] or scan.text[i].isspace() for i in range(scan.idx[at], scan.idx[end - 1] + 1)
    )


def _same_keys(a: Found, b: Found) -> bool:
    return bool(a.values) and (not b.values or set(a.values) == set(b.values))
