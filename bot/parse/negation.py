"""Clauses that only set or refuse parameters around a few light words: "not vertical", "hd not needed",
"no need for hd", "don't loop it", "720 is fine", "just one version", "不要循环", "横的就好", "用720做".

A negator refuses what follows it only when everything it refuses is a parameter (read by params.py on the
clause alone), so "no stop sign" stays a prompt; the refused value is blocked for the rest of the message
and the negator leaves the prompt with it. Must not read parameters that stand without such words.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from bot.parse.clauses import UNIT, alt, c
from bot.parse.errors import ParseError
from bot.parse.found import Found, check_seconds, check_variations
from bot.parse.numbers import CN_NUM, DEC, EN_NUM, number
from bot.parse.params import take_params
from bot.parse.prompt import tidy
from bot.parse.scan import Scan
from bot.parse.words import (
    APPROVAL_AFTER,
    APPROVAL_AFTER_CONTRACTED,
    APPROVAL_AFTER_ZH,
    APPROVAL_BEFORE,
    APPROVAL_BEFORE_ZH,
    BARE_COUNTS,
    CORRECTION_CLAUSES,
    CORRECTIONS,
    FOREIGN_SECOND_UNITS,
    GENERIC_CHOICES,
    GENERIC_CHOICES_ZH,
    INTERJECTIONS,
    INTERJECTIONS_LOOSE,
    NEGATED_NAMES,
    NEGATION_FILLERS,
    NEGATION_FILLERS_ZH,
    NEGATORS,
    NEGATORS_AFTER,
    NEGATORS_AFTER_ZH,
    NEGATORS_ZH,
    POLITE_WORDS,
)
from reel.contract import VARIATIONS

#: Clauses longer than this are scenes, not a parameter with a few words around it.
MAX_CLAUSE_CHARS = 60

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CLAUSE_SPLIT = re.compile(
    rf"[,;|\n、()\[\]!?。！？…]+|[.]{{2,}}|[.](?=\s|$)|\s[—–-]+\s|[—–]+|[:：](?=\s|[{_CJK}]|$)|(?<=[{_CJK}])\s+(?=[{_CJK}])"
)


@dataclass(frozen=True)
class _Affixes:
    before: re.Pattern[str]  # negator or approval words opening the clause
    after: re.Pattern[str]  # negator or approval words closing it
    name: re.Pattern[str]  # a parameter name a negator can refuse as a whole
    generic: re.Pattern[str]  # a choice that names no value ("normal", "普通的")
    count: re.Pattern[str]  # a bare count ("one", "just two")


@functools.cache
def _affixes() -> _Affixes:
    en_w = r"(?![a-z0-9'])"
    neg = alt(NEGATORS)
    fill = alt(NEGATION_FILLERS)
    zh_neg = alt(NEGATORS_ZH)
    zh_fill = alt(NEGATION_FILLERS_ZH)
    # "720p is enough *for WhatsApp*": what the clip is for may close an approval
    purpose = r"(?:\s+for\s+(?:(?:my|the|a|an|our|your|this|that)\s+)?[a-z][a-z0-9'’-]*(?:\s+[a-z][a-z0-9'’-]*){0,2})?"
    # group "word" ends where the negator or approval word ends, before its light words
    before = c(
        rf"^(?:(?:also|and|but|so|please|pls|no|nah|nope|hmm+|um+|uh+|oh|er+|{alt(INTERJECTIONS)})[\s,]+){{0,3}}(?:(?:i|we|you|u)\s+)?(?P<word>(?P<neg>{neg}){en_w}|(?P<fix>{alt(CORRECTIONS)}){en_w}"
        rf"|{alt(APPROVAL_BEFORE)}{en_w})"
        rf"(?:\s+{fill}{en_w})*\s*"
        rf"|^(?:也|就|都|还是|可以|但|而且)?(?P<zword>(?P<zneg>{zh_neg})|{alt(APPROVAL_BEFORE_ZH)})(?:{zh_fill})?"
    )
    after = c(
        rf"\s*(?:(?<![a-z0-9']){alt(NEGATORS_AFTER)}(?P<neg>){en_w}{purpose}"
        rf"|(?<![a-z0-9']){alt((*APPROVAL_AFTER, *POLITE_WORDS))}{en_w}{purpose}|{alt(APPROVAL_AFTER_CONTRACTED)}{en_w}{purpose})$"
        rf"|(?:的话)?(?:{alt(NEGATORS_AFTER_ZH)})(?P<zneg>)$|{alt(APPROVAL_AFTER_ZH)}$"
    )
    name = c(rf"(?:(?:a|an|the|any)\s+)?{alt(NEGATED_NAMES)}(?:\s+(?:at\s+all|please|pls))?")
    generic = c(rf"(?:{alt(GENERIC_CHOICES)}|{alt(GENERIC_CHOICES_ZH)})(?:\s+(?:one|version|settings?))?")
    count = c(rf"(?:(?:just|only)\s+)?(?P<n>{alt(BARE_COUNTS)})(?:\s+(?:of\s+them|is|will|would))?")
    return _Affixes(before, after, name, generic, count)


_LEFTOVER = re.compile(
    r"(?:\b(?:it|mode|the|a|an|one|please|pls|format|setting|option|just|only|simply)\b|的|了|吧|啦|呀|啊|哦|嘛|喔|\s)*"
)


def read_params(scan: Scan, start: int, end: int, *, refusing: bool = False) -> Found | None:
    """The parameters norm[start:end] holds when it is nothing but parameters, else None. `refusing`: the
    piece is refused, so a value out of range in it is no error ("not 3 versions": nothing to set, the
    words go; an empty Found)."""
    text = scan.original(start, end)
    if not text.strip():
        return None
    if refusing and _UNMADE.fullmatch(text.lower()):
        return Found()  # "not 4k": a resolution the bot does not make, refused: nothing to set, the words go
    sub = Scan(text)
    found = Found()
    try:
        take_params(sub, found)
    except ParseError as exc:
        low = text.lower()  # the user's text: the failed match may be cut from the view already
        at = low.find(exc.detail.lower()) if refusing and exc.detail else -1
        if at < 0:
            raise
        rest = tidy(low[:at] + " " + low[at + len(exc.detail) :])
        return Found() if _LEFTOVER.fullmatch(rest) else None
    rest = tidy(sub.rest(" "))
    if any(len(values) > 1 for values in found.offered.values()):
        return None  # "横屏要竖屏": two values of one parameter are no plain setting (nor refusal)
    if found.values and _LEFTOVER.fullmatch(rest.lower()):
        return found
    return None


def take_clause_params(scan: Scan, found: Found) -> None:
    """Read every clause of `scan` that is parameters plus negator or approval words, cut it, and record
    what it sets (into `found`) or refuses (`found.refuse`)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in [*CLAUSE_SPLIT.finditer(scan.norm), None]:
        end = m.start() if m else len(scan.norm)
        spans.append((pos, end))
        if m:
            pos = m.end()
    for start, end in spans:
        _clause(scan, found, start, end)


def _clause(scan: Scan, found: Found, start: int, end: int) -> None:
    norm = scan.norm
    while start < end and norm[start].isspace():
        start += 1
    while end > start and norm[end - 1].isspace():
        end -= 1
    if end <= start or end - start > MAX_CLAUSE_CHARS:
        return
    text = norm[start:end]
    # a bare number correcting the length or count before it: "2 versions, wait no, 4", "not 5 seconds, make it 8"
    candidates = [text] if _AFTER_CORRECTION.search(norm, max(0, start - 40), start) else []
    if candidates and (lm := re.fullmatch(rf"{_LIGHT}+(?P<n>{DEC}|{EN_NUM})", text)):
        candidates.append(lm.group("n"))  # "..., no wait, ok fine 6"
    if mm := _MAKE_IT_NUMBER.fullmatch(text):
        candidates.append(mm.group("n") or mm.group("n2"))
    for bare in candidates:
        if (fixed := _bare_correction(scan, found, start, bare, True)) is not None:
            _replace_earlier(found, fixed[0], fixed[1], scan, start)
            found.set(*fixed)
            scan.cut(start, end)
            return
    if end - start < 2:
        return
    aff = _affixes()
    head = aff.before.match(text)
    if head is not None and head.end() == 0:
        head = None
    tail = aff.after.search(text, head.end() if head else 0)
    if tail is not None and tail.end() == tail.start():
        tail = None
    if head is None and tail is None:
        return  # no negator or approval words: params.py reads the clause as it is
    if head is not None and head.group("fix") is not None and _NEGATOR_NEXT.match(text, head.end()):
        # "loop it. actually no loop": the correction word goes, the refusal after it speaks for itself
        scan.cut(start, start + head.end())
        _clause(scan, found, start + head.end(), end)
        return
    negated = bool(
        (head and (head.group("neg") is not None or head.group("zneg") is not None))
        or (tail and (tail.group("neg") is not None or tail.group("zneg") is not None))
    )
    # where the parameters may start (after the light words, or right after the negator) and end (before
    # the closing words, or at the clause end: "竖的" is itself a parameter word)
    starts = [start]
    if head is not None:
        word_end = head.end("word") if head.group("word") is not None else head.end("zword")
        starts = list(dict.fromkeys((start + head.end(), start + word_end)))
    ends = list(dict.fromkeys((start + tail.start(), end))) if tail is not None else [end]
    for core_start in starts:
        while core_start < end and norm[core_start].isspace():
            core_start += 1
        for core_end in ends:
            if core_end <= core_start:
                continue
            if negated and (nm := aff.name.fullmatch(norm[core_start:core_end].strip())):
                key = re.sub(r"^(?:a|an|the|any)\s+|\s+(?:at\s+all|please|pls)$", "", nm.group())
                setting = NEGATED_NAMES.get(key)
                if setting is not None:
                    _name_setting(found, setting)
                scan.cut(start, end)
                return
            core = norm[core_start:core_end].strip()
            if not negated and aff.generic.fullmatch(core):
                scan.cut(start, end)  # "普通的就行", "normal is fine": the default, said in words
                return
            fix = head is not None and head.group("fix") is not None
            if not negated and (corrected := _bare_correction(scan, found, start, core, fix)) is not None:
                # "not 10 seconds, just 5", "4 versions — actually 2": a bare number takes the unit of the
                # value it corrects, and replaces it
                _replace_earlier(found, corrected[0], corrected[1], scan, start)
                found.set(*corrected)
                scan.cut(start, end)
                return
            if cm := aff.count.fullmatch(core):
                n = BARE_COUNTS[re.sub(r"\s+", " ", cm.group("n"))]
                if not negated or n > 1:  # "one's fine"; "not four": four versions refused
                    if negated:
                        found.refuse("variations", n)
                    else:
                        found.set("variations", n)
                    scan.cut(start, end)
                    return
            values = read_params(scan, core_start, core_end, refusing=negated)
            if values is not None and fix and not negated:
                for key, value in values.values.items():
                    if isinstance(value, bool):
                        found.refuse(key, not value)  # "loop it. actually no loop": the correction holds
            if values is not None:
                apply_values(found, values, negated, scan, start)
                scan.cut(start, end)
                return

    if negated and head is not None:
        # "not in 1080 just 720 is fine", "不要循环也不要竖屏": the negator refuses the parameters right after
        # it; the rest of the clause is read on its own, and after "or" / "和" / "、" it is refused too
        core_start = starts[0]
        for b in range(end, core_start, -1):
            if b < len(norm) and _inside_word(norm, b):
                continue
            if _refuse(scan, found, core_start, b):
                scan.cut(start, b)
                while (cm := _CHAIN.match(norm, b, end)) and cm.end() > b:
                    if _affixes().before.match(norm[cm.end() : end]):
                        scan.cut(b, cm.end())  # "不要循环还有不要声音": the next negator speaks for itself
                        b = cm.end()
                        break
                    for b2 in range(end, cm.end(), -1):
                        if (b2 >= len(norm) or not _inside_word(norm, b2)) and _refuse(
                            scan, found, cm.end(), b2
                        ):
                            scan.cut(b, b2)
                            b = b2
                            break
                    else:
                        break
                _clause(scan, found, b, end)
                return


# what carries a refusal on to the next parameter ("no loop *or* sound", "不要循环*和*竖屏"); "and" does not:
# "not vertical and 10 seconds" asks for the 10 seconds
_CHAIN = re.compile(r"\s*(?:,\s*)?(?:(?:or|nor)(?![a-z0-9'])\s*(?:any\s+)?|[和或跟与及、]|或者|以及|还有)\s*")
_ASCII_WORD = re.compile(r"[a-z0-9']")
_CJK_CHAR = re.compile(f"[{_CJK}]")


def _inside_word(norm: str, b: int) -> bool:
    """Whether position `b` is no place to end a refusal: inside an English word or number, or between two
    Chinese characters where no connector or negator follows ("不要循环|也不要竖屏", "不要循环|和竖屏")."""
    if _ASCII_WORD.match(norm[b - 1]) and _ASCII_WORD.match(norm[b]):
        return True
    if _CJK_CHAR.match(norm[b - 1]) and _CJK_CHAR.match(norm[b]):
        chain = _CHAIN.match(norm, b)
        return not (chain and chain.end() > b) and not _affixes().before.match(norm[b : b + 12])
    return False


def _name_setting(found: Found, setting: tuple[str, object]) -> None:
    """What refusing a parameter by name sets ("no loop": loop off); a yes/no one is refused for the rest of
    the message too, so a later "loop it?" does not undo it."""
    key, value = setting
    if isinstance(value, bool):
        found.refuse(key, not value)
    else:
        found.set(key, value)


def _refuse(scan: Scan, found: Found, a: int, b: int) -> bool:
    """Refuse what norm[a:b] names, when it is nothing but parameters or a parameter name; whether it was."""
    aff = _affixes()
    if nm := aff.name.fullmatch(scan.norm[a:b].strip()):
        key = re.sub(r"^(?:a|an|the|any)\s+|\s+(?:at\s+all|please|pls)$", "", nm.group())
        setting = NEGATED_NAMES.get(key)
        if setting is not None:
            _name_setting(found, setting)
        return True
    values = read_params(scan, a, b, refusing=True)
    if values is None:
        return False
    apply_values(found, values, True)
    return True


def apply_values(found: Found, values: Found, negated: bool, scan: Scan | None = None, at: int = 0) -> None:
    """Set (or, `negated`, refuse) what a clause read; an approved length or count replaces the earlier one
    the message wrote before position `at` of `scan` ("10 seconds ... just 5 is fine")."""
    for key, value in values.values.items():
        if negated:
            found.refuse(key, value)
        else:
            _replace_earlier(found, key, value, scan, at)
            found.set(key, value)
            if scan is not None and at > 0:
                found.approved_at[key] = at
    if not negated:
        found.negatives.extend(values.negatives)


_UNMADE = re.compile(r"\s*(?:in\s+|at\s+)?(?:4k|8k|2k|uhd|ultra[\s-]*hd|2160p?|1440p?|4320p?)\s*")
# a clause right after a correction clause ("..., wait no, 4")
_AFTER_CORRECTION = re.compile(rf"(?<![a-z0-9'’])(?:{alt(CORRECTION_CLAUSES)})[\s,，.:;；!！—–-]+$")
_NEGATOR_NEXT = re.compile(r"\s*(?:no|not|don['’]?t|dont|without|never)(?![a-z0-9'])")
# "make it 8", "change it to 12": a bare number set on what the message wrote before, also after correction
# words ("actually nah make it 6", "nah just 6")
_FIX_WORDS = rf"(?:(?:{alt((*CORRECTIONS, *CORRECTION_CLAUSES, *INTERJECTIONS))})(?![a-z0-9'’])[\s,.…!]*)"
_LIGHT = rf"(?:(?:{alt((*INTERJECTIONS_LOOSE, 'fine', 'then', 'let me see', 'lemme see'))})(?![a-z0-9'’])[\s,.…!]*)"
_MAKE_IT_NUMBER = re.compile(
    rf"{_FIX_WORDS}*(?:make|change|set|do)\s+(?:it|that|this)\s+(?:to\s+|into\s+)?(?P<n>{DEC}|{EN_NUM})"
    # "no ok 4", "nah fine, 4": light words beside the correction words
    rf"|{_LIGHT}*{_FIX_WORDS}(?:{_FIX_WORDS}|{_LIGHT})*(?:(?:just|only)\s+)?(?P<n2>{DEC}|{EN_NUM})"
)
_BARE_NUMBER = re.compile(rf"{DEC}|{EN_NUM}|{CN_NUM}")
# a value written with its unit: a length ("10 seconds", "10s", "十秒") or a count of versions
WITH_UNIT = re.compile(
    rf"(?<![a-z0-9.])(?:(?P<s>{DEC}|{EN_NUM}|{CN_NUM})\s*-?\s*(?:{UNIT}(?![a-z])|秒|(?:{alt(FOREIGN_SECOND_UNITS)})(?![a-z]))"
    rf"|(?P<v>{DEC}|{EN_NUM}|{CN_NUM})\s*(?:versions?|variations?|variants?|takes|个版本|版本)(?![a-z]))"
)


@functools.lru_cache(maxsize=64)
def _values_written(text: str) -> tuple[tuple[int, str, float], ...]:
    """Every length or count `text` writes with its unit: (end in the user's text, key, value), in order."""
    view = Scan(text)
    out = []
    for m in WITH_UNIT.finditer(view.norm):
        value = number(m.group("s") or m.group("v"))
        if value is not None:
            out.append((view.idx[m.end() - 1] + 1, "seconds" if m.group("s") else "variations", value))
    return tuple(out)


def _earlier(scan: Scan | None, at: int) -> tuple[str, float] | None:
    """The last length or count the user wrote before position `at` of `scan`'s matching view: (key, value)."""
    if scan is None or at <= 0 or not scan.idx:
        return None
    limit = scan.idx[min(at, len(scan.idx) - 1)]
    written = _values_written(scan.text)
    i = bisect.bisect_right([end for end, _, _ in written], limit)
    return (written[i - 1][1], written[i - 1][2]) if i else None


def _bare_correction(scan: Scan, found: Found, at: int, core: str, fix: bool) -> tuple[str, int] | None:
    """(key, value) when `core` is a bare number correcting a length or count written before position `at`
    ("..., just 5" after "10 seconds"), within the contract's range; else None. After a length that was
    not refused, a number that is also a version count corrects it only with a correction word ("10
    seconds, one's fine" is one version; "10 seconds, actually 2" is 2 seconds)."""
    core = re.sub(r"^(?:just|only|maybe)\s+|\s+(?:actually|then|instead)$", "", core)  # "actually just 2"
    if not _BARE_NUMBER.fullmatch(core) or (earlier := _earlier(scan, at)) is None:
        return None
    n = number(core)
    key = earlier[0]
    old = int(earlier[1]) if float(earlier[1]).is_integer() else earlier[1]
    if key == "seconds" and not fix and (key, old) not in found.refused and n in VARIATIONS:
        return None
    try:
        value = check_seconds(n, core) if key == "seconds" else check_variations(n, core)
    except ParseError:
        return None  # out of range: not a correction of that value
    return key, value


def _replace_earlier(found: Found, key: str, value: object, scan: Scan | None, at: int) -> None:
    """An approval after another value of the same key ("10 seconds, no — just 5 is fine") replaces it."""
    earlier = _earlier(scan, at)
    if earlier is None or earlier[0] != key or key not in ("seconds", "variations"):
        return
    old = int(earlier[1]) if float(earlier[1]).is_integer() else earlier[1]
    if old != value:
        found.refuse(key, old)
