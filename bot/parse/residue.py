"""Clauses that held parameters and are left with only request wording once those were cut: "a cat, make it
<vertical>", "做<宽屏的>：...", "rain, make sure there's <sound>", a settings lead before ':' or '—', and
clauses that only ask for patience ("if you can", "辛苦了"). Cuts them whole from a Scan.

Runs after params.py; reads no parameter itself except the ambiguous words ("square", "loop") that stand in
such a clause. Never empties a message: a clause goes only when something else is left as the scene.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from bot.parse.beside import LOOSE_WORDS_ZH, loose_word
from bot.parse.clauses import alt, c
from bot.parse.found import Found
from bot.parse.scan import Scan
from bot.parse.words import (
    COMFORT_CLAUSES,
    COMFORT_CLAUSES_ZH,
    CORRECTION_CLAUSES,
    RESIDUE_VERBS,
    RESIDUE_WORDS,
    RESIDUE_ZH,
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# clause ends; a lead (settings before the scene) ends at a colon or a dash
_CLAUSE_SPLIT = re.compile(
    rf"[,;|\n、()\[\]!?。！？，；]+|[.](?=\s|$)|\s[—–-]+\s|[—–]+|[:：](?=\s|[{_CJK}]|$)|(?<=[{_CJK}])\s+(?=[{_CJK}])"
)
_LEAD_END = re.compile(rf"\s[—–-]+\s|[—–]+|[:：](?=\s|[{_CJK}]|$)")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_LOOSE_ZH = re.compile(alt(LOOSE_WORDS_ZH))
_PUNCT = re.compile(r"[\W_]+")


@functools.cache
def _rx() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(residue words, Chinese residue words, a whole comfort clause, a request verb)."""
    en = c(rf"(?<![a-z0-9'’]){alt(RESIDUE_WORDS)}(?![a-z0-9'’])")
    zh = c(alt(RESIDUE_ZH))
    comfort = c(rf"(?:{alt(COMFORT_CLAUSES)}|{alt(COMFORT_CLAUSES_ZH)})(?:\s+(?:please|pls|bot|lol))?")
    verb = c(rf"(?<![a-z0-9'’]){alt(RESIDUE_VERBS)}(?![a-z0-9'’])")
    return en, zh, comfort, verb


@functools.cache
def _correction() -> re.Pattern[str]:
    return c(rf"(?:{alt(CORRECTION_CLAUSES)})(?:[\s,]+(?:{alt(CORRECTION_CLAUSES)}))*")


def _loose(text: str) -> list[tuple[str, Any]] | None:
    """The ambiguous parameter words of `text` when every other word is request wording, else None."""
    en, zh, _, _ = _rx()
    values: list[tuple[str, Any]] = []
    for m in _LOOSE_ZH.finditer(text):  # Chinese has no spaces: its ambiguous words are found first
        if (value := loose_word(m.group())) is not None:
            values.append(value)
    rest = zh.sub(" ", en.sub(" ", _LOOSE_ZH.sub(" ", text)))
    for word in _WORD.findall(rest):
        value = loose_word(word)
        if value is None:
            return None
        values.append(value)
    if _PUNCT.sub("", _WORD.sub("", rest)):
        return None  # other characters: Chinese words, emoji
    return values


def _spans(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _CLAUSE_SPLIT.finditer(norm, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    return [(a, b) for a, b in spans if norm[a:b].strip()]


def cut_residue(scan: Scan, found: Found) -> None:
    """Cut every clause of `scan` that held a parameter (or asks only for patience) and says nothing else,
    setting the ambiguous parameter words it holds; a lead before ':' / '—' goes whole when all of it is
    such clauses. Nothing is cut when it would leave no scene."""
    norm = scan.norm
    _, _, comfort, verb = _rx()
    lead_end: int | None = None
    if (m := _LEAD_END.search(norm)) is not None and norm[m.end() :].strip():
        lead_end = m.start()
    clauses = _spans(norm, 0, len(norm))
    cut: list[tuple[int, int, list[tuple[str, Any]]]] = []
    for i, (a, b) in enumerate(clauses):
        text = norm[a:b].strip()
        if comfort.fullmatch(text):
            cut.append((a, b, []))
            continue
        upto = clauses[i + 1][1] if i + 1 < len(clauses) else len(norm)
        if _correction().fullmatch(text) and any(scan.cutn[b:upto]):
            cut.append((a, b, []))  # "十秒，不对，八秒": the correction of a setting goes with it
            continue
        values = _loose(text)
        if values is None:
            continue
        # a parameter was cut from it, or it asks for an ambiguous one in so many words ("make it square")
        if any(scan.cutn[a:b]) or (values and verb.search(text)):
            cut.append((a, b, values))
    if lead_end is not None:
        lead = [(a, b) for a, b in clauses if b <= lead_end]
        lead_cut = {(a, b) for a, b, _ in cut}
        if any(scan.cutn[:lead_end]) and all(
            (a, b) in lead_cut or _loose(norm[a:b].strip()) is not None for a, b in lead
        ):
            for a, b in lead:
                if (a, b) not in lead_cut:
                    cut.append((a, b, _loose(norm[a:b].strip()) or []))
    kept = [(a, b) for a, b in clauses if (a, b) not in {(x, y) for x, y, _ in cut}]
    if not cut or not kept:
        return  # nothing to cut, or nothing would be left to make
    for a, b, values in cut:
        for key, value in values:
            found.set(key, value)
        scan.cut(a, b)
