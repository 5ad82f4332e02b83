"""Values a later one corrects across clauses: a value, a clause of only correction words, maybe a short
aside about the member, and another value of the same parameter ("十秒，不对，十五秒", "种子 100 不不不 种子
200", "要兩個版本，唔係，四個", "1080p 不对 我是免费用户 还是480p吧", "vertical, no wait, square"). The last value
holds; the draft, the correction words and the aside go.

Runs before the storyboard is looked for, so two lengths with a correction between them are no timeline.
A correction with a bare number after it ("10 seconds, actually 6") is negation.py's; one inside a clause
("9:16 no wait 16:9") is corrections.py's. Must not read a clause that holds anything but these.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import alt, c
from bot.parse.errors import ParseError
from bot.parse.found import Found, check_seed, check_variations
from bot.parse.negation import CLAUSE_SPLIT, read_params, take_clause_params
from bot.parse.numbers import CN_NUM, DEC, EN_NUM, number
from bot.parse.params import take_params
from bot.parse.scan import Scan
from bot.parse.words import CORRECTION_CLAUSES, DRAFT_ASIDE_WORDS, DRAFT_ASIDE_ZH, DRAFT_LEAD_WORDS

#: An aside between a correction and its value is short ("我是免费用户", "I'm on the free plan").
MAX_ASIDE_CHARS = 30


@functools.cache
def _rx() -> dict[str, re.Pattern[str]]:
    fix = rf"(?:(?:{alt(CORRECTION_CLAUSES)})(?![a-z0-9'’])|不{{2,}})"
    return {
        "only": c(rf"(?:{fix}[\s,.…!?？！。、-]*)+"),
        "lead": c(rf"(?:{fix}[\s,.…!?？！。、-]*)*"),
        # "1080p 不对": correction words closing a clause after a value
        "trailing": c(rf"(?P<head>.*?\S)[\s,，.…]+(?P<fix>(?:{fix}[\s,.…!?？！。、-]*)+)$"),
        # "算了两个吧", "不对八秒": Chinese correction words opening the clause of the value that holds (not
        # 不是: "横屏，不是竖屏" refuses)
        "zlead": c(rf"(?P<fix>(?:{alt(DRAFT_LEAD_WORDS)})(?![a-z0-9'’])[\s,，…]*)(?P<rest>\S.*)"),
        # "make four", "give me 4": a bare count asked for, a draft when a count corrects it
        "bare_ask": c(
            rf"(?:(?:make|do|give\s+me|gimme|get\s+me|i\s+want|want|i\s+need|need|let['’]?s\s+do|render)\s+)"
            rf"(?P<n>{DEC}|{EN_NUM})"
        ),
        "bare": c(rf"(?:(?:just|only|maybe|make\s+it|make\s+that)\s+)?(?:{DEC}|{EN_NUM}|{CN_NUM})(?:\s*个)?"),
        "aside": c(rf"(?<![a-z0-9'’])(?:{alt(DRAFT_ASIDE_WORDS)})(?![a-z0-9'’])|{alt(DRAFT_ASIDE_ZH)}"),
    }


def take_drafts(scan: Scan, found: Found) -> None:
    """Cut each corrected draft of `scan` (see the module docstring), with its correction words; record the
    value that holds in `found` and refuse the draft."""
    rx = _rx()
    spans = _spans(scan)
    for i, (a, b) in enumerate(spans):
        if i == 0 or not rx["only"].fullmatch(scan.norm[a:b]):
            continue
        pa, pb = spans[i - 1]
        draft = _values(scan, pa, pb)
        bad_key = (
            None
            if draft.values or _rx()["bare_ask"].fullmatch(scan.norm[pa:pb])
            else _out_of_range(scan, pa, pb)
        )
        bad = bad_key is not None
        if (
            bad_key is not None
        ):  # "要三个…算了两个吧": a draft out of range a later value corrects is no error
            draft = Found(values={bad_key: _OUT_OF_RANGE})
        if not draft.values and not _rx()["bare_ask"].fullmatch(scan.norm[pa:pb]):
            continue
        asides: list[tuple[int, int]] = []
        fixed: Found | None = None
        for na, nb in spans[i + 1 : i + 4]:  # "no, wait, I'm on the free plan, 720p"
            values = _values(scan, na, nb)
            if values.values:
                fixed = values
                break
            if _bare_seed(scan, draft, na, nb):
                break  # "seed 7, wait, i mean 8": the value, not an aside about the member
            aside = nb - na <= MAX_ASIDE_CHARS and rx["aside"].search(scan.norm[na:nb])
            if not aside and not rx["only"].fullmatch(scan.norm[na:nb]):
                break
            asides.append((na, nb))
        if fixed is not None and not bad:
            draft = _bare_draft(scan, draft, fixed, pa, pb)
        after = spans[i + 1 + len(asides)] if i + 1 + len(asides) < len(spans) else None
        bare_fixed = False  # the value that holds is a bare number ("43", "four"): set and cut below
        seed = _bare_seed(scan, draft, *after) if fixed is None and after is not None else None
        if seed is not None:
            fixed, bare_fixed = Found(values={"seed": seed[0]}), True
        if fixed is None and after is not None and (counts := _bare_counts(scan, pa, pb, *after)) is not None:
            (draft, fixed), bare_fixed = counts, True  # "give me two, no wait, four": both count clips
        if fixed is None:
            runs = [(a, b), *asides]
            if after and len(runs) > 1 and all(rx["only"].fullmatch(scan.norm[x:y]) for x, y in runs):
                if rx["bare"].fullmatch(scan.norm[after[0] : after[1]]):
                    for x, y in runs[:-1]:  # "4 versions. hmm, no, just 2": negation.py reads "no, just 2"
                        scan.cut(x, y)
            continue
        common = [k for k in draft.values if k in fixed.values and draft.values[k] != fixed.values[k]]
        if not common:
            continue
        for key in common:
            if draft.values[key] is not _OUT_OF_RANGE:
                found.refuse(key, draft.values[key])
        asked = _rx()["bare_ask"].fullmatch(scan.norm[pa:pb]) is not None  # "make four"
        if set(draft.values) <= set(common) and (
            asked or read_params(scan, pa, pb, refusing=bad) is not None
        ):
            scan.cut(pa, pb)
        elif bad:
            continue  # the draft stays: its error is the member's to see
        scan.cut(a, b)
        for sa, sb in asides:
            scan.cut(sa, sb)
        na, nb = spans[i + 1 + len(asides)]
        if bare_fixed:
            # "種子 42，不對，43", "give me two, no wait, four": the bare number holds
            for key, value in fixed.values.items():
                found.set(key, value)
            scan.cut(na, nb)
        elif (pure := read_params(scan, na, nb)) is not None and set(pure.values) <= set(common):
            for key, value in pure.values.items():
                found.set(key, value)
            scan.cut(na, nb)


def _spans(scan: Scan) -> list[tuple[int, int]]:
    """The message's clauses (without their spaces), with correction words closing one split off."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in [*CLAUSE_SPLIT.finditer(scan.norm), None]:
        end = m.start() if m else len(scan.norm)
        text = scan.norm[pos:end]
        a = pos + len(text) - len(text.lstrip())
        b = pos + len(text.rstrip())
        if b > a:
            only = _rx()["only"].fullmatch(scan.norm, a, b)
            if only is None and (t := _rx()["trailing"].fullmatch(scan.norm, a, b)) is not None:
                out.append((a, t.end("head")))
                out.append((t.start("fix"), b))
            elif only is None and (t := _rx()["zlead"].fullmatch(scan.norm, a, b)) is not None:
                out.append((a, t.end("fix")))  # "算了两个吧": the correction opens the clause of its value
                out.append((t.start("rest"), b))
            else:
                out.append((a, b))
        if m:
            pos = m.end()
    return out


def _values(scan: Scan, a: int, b: int) -> Found:
    """What params.py reads in norm[a:b] alone, whatever else the clause holds (nothing on an error); an
    approved value too ("兩個就夠", "just 2 is fine", "一个就行")."""
    found = Found()
    try:
        take_params(Scan(scan.original(a, b)), found)
        if not found.values:
            sub = Scan(scan.original(a, b))
            take_clause_params(sub, found)
    except ParseError:
        return Found()
    return found


#: the value of a draft out of range ("三个" versions): corrected, it goes; it is never set
_OUT_OF_RANGE = object()
_ERROR_KEYS = {
    "bad_variations": "variations",
    "bad_seconds": "seconds",
    "bad_resolution": "resolution",
    "bad_aspect": "aspect",
    "bad_seed": "seed",
}


def _out_of_range(scan: Scan, a: int, b: int) -> str | None:
    """The parameter norm[a:b] writes out of range ("三个" versions, "20 versions"), or None."""
    try:
        take_params(Scan(scan.original(a, b)), Found())
    except ParseError as exc:
        return _ERROR_KEYS.get(exc.code)
    return None


def _bare_draft(scan: Scan, draft: Found, fixed: Found, a: int, b: int) -> Found:
    """`draft`, or the count or length a bare asked number in norm[a:b] is when the value that corrects it
    is one ("make four, no, two's enough": four versions refused)."""
    m = _rx()["bare_ask"].fullmatch(scan.norm[a:b])
    keys = [k for k in fixed.values if k in ("variations", "seconds")]
    if draft.values or m is None or len(keys) != 1 or (n := number(m.group("n"))) is None:
        return draft
    return Found(values={keys[0]: int(n) if float(n).is_integer() else n})


def _bare_counts(scan: Scan, a: int, b: int, na: int, nb: int) -> tuple[Found, Found] | None:
    """(draft, fixed) when norm[a:b] asks for a bare count ("give me two") and norm[na:nb] is a bare number
    the contract allows as one ("four"): both are counts of clips; else None."""
    m = _rx()["bare_ask"].fullmatch(scan.norm[a:b])
    if m is None or not _rx()["bare"].fullmatch(scan.norm[na:nb]):
        return None
    old = number(m.group("n"))
    new = number(re.sub(r"^(?:just|only|maybe|make\s+it|make\s+that)\s+|\s*个$", "", scan.norm[na:nb]))
    try:
        return (
            Found(values={"variations": check_variations(old, "")}),
            Found(values={"variations": check_variations(new, "")}),
        )
    except ParseError:
        return None


def _bare_seed(scan: Scan, draft: Found, a: int, b: int) -> tuple[int | None] | None:
    """(seed,) when norm[a:b] is a bare number correcting a draft that set only a seed ("seed 42, no wait,
    43", "種子 42，不對，43"); else None."""
    text = scan.norm[a:b]
    text = text[_rx()["lead"].match(text).end() :]  # type: ignore[union-attr]  # "i mean 8": always matches
    if set(draft.values) != {"seed"} or not _rx()["bare"].fullmatch(text):
        return None
    n = number(re.sub(r"^(?:just|only|maybe|make\s+it|make\s+that)\s+|\s*个$", "", text))
    if n is None or not float(n).is_integer():
        return None
    try:
        return (check_seed(str(int(n)), scan.norm[a:b]),)
    except ParseError:
        return None
