"""Negative prompts said in words: a clause that opens with "avoid" ("avoid blur", "避免模糊") refuses what
follows it; "no ..." / "without ..." ("no watermark-ish text", "without text", "不要水印") only when what
follows is a flaw of the picture (ARTEFACTS). Cuts the clause into Found.negatives.

"no people", "a world without words" and "a man trying to avoid a bus" stay scenes: only a flaw is refused
after "no", and "avoid" counts only opening a clause. Must not read any other parameter.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import alt, c
from bot.parse.found import Found
from bot.parse.leave_out import take_leave_out
from bot.parse.negation import CLAUSE_SPLIT, read_params
from bot.parse.prompt import tidy
from bot.parse.scan import Scan
from bot.parse.words import (
    ARTEFACT_AFTER,
    ARTEFACT_BEFORE,
    ARTEFACTS,
    ARTEFACTS_IN_SCENES,
    ARTEFACTS_ZH,
    AVOID_VERBS,
    AVOID_ZH,
    FLAW_NEGATORS,
    FLAW_NEGATORS_ZH,
    FLAW_VERBS_ZH,
)

#: What "avoid" refuses is short: a longer clause is a scene ("avoid the puddles on the way to ...").
MAX_AVOID_CHARS = 60

_W = r"(?![a-z0-9'’])"
_B = r"(?<![a-z0-9'’])"
_JOIN = r"(?:\s*(?:,|/|&|\bor\b|\band\b|\bnor\b|\bplus\b)\s*(?:any\s+|no\s+)?)"


def _flaws(words: tuple[str, ...]) -> str:
    """One or more flaws joined by "or" / "and" / ",", each with its light words ("any weird text"); flaws may
    describe each other ("watermark-ish text", "blurry grainy footage")."""
    before = rf"(?:(?:{alt(ARTEFACT_BEFORE)})\s+)*"
    flaw = rf"(?:{alt(words)})(?:-?ish|-like|-looking|y)?{_W}"
    return rf"{before}{flaw}(?:(?:[\s-]+|{_JOIN}){before}{flaw})*(?:\s+(?:{alt(ARTEFACT_AFTER)}){_W})*"


@functools.cache
def _rx() -> dict[str, re.Pattern[str]]:
    polite = r"(?:\s+(?:please|pls|plz|thanks|thx))*"
    strong = tuple(a for a in ARTEFACTS if a not in ARTEFACTS_IN_SCENES)
    zh_flaws = (
        rf"(?:任何)?(?:{alt(ARTEFACTS_ZH)})(?:(?:和|或|、|或者|跟|也不要|也别)(?:{alt(ARTEFACTS_ZH)}))*"
    )
    return {
        "avoid": c(
            rf"^(?:(?:and|but|also|please|pls|just)\s+)*(?:{alt(AVOID_VERBS)}){_W}\s+(?P<x>.+?){polite}$"
            rf"|^(?:请|要|尽量)*(?:{alt(AVOID_ZH)})(?:{alt(FLAW_VERBS_ZH)})?(?P<zx>.+?)$"
        ),
        "flaw": c(
            rf"^(?:(?:and|but|also|please|pls|just|oh)\s+)*(?:{alt(FLAW_NEGATORS)}){_W}\s*(?P<x>{_flaws(ARTEFACTS)}){polite}$"
            rf"|^(?:请|也|而且|并且)?(?:{alt(FLAW_NEGATORS_ZH)})(?:{alt(FLAW_VERBS_ZH)})?(?P<zx>{zh_flaws})(?:的|吧|了|哦)*$"
        ),
        # "a lake at dawn without blur": only a flaw no scene asks for, at the clause end
        "inner": c(rf"{_B}(?:without|with\s+no|and\s+no|but\s+no)\s+(?P<x>{_flaws(strong)}){polite}$"),
        "flaw_only": c(rf"{_flaws(ARTEFACTS)}|(?:{alt(ARTEFACTS_ZH)})+"),
        "free": c(rf"{_B}(?P<x>{alt(strong)})[\s-]free{_W}"),
        "split": c(rf"{_JOIN}|和|或者|或|、|跟|也不要|也别"),
        "det": c(r"^(?:(?:any|the|some|all|任何)\s*)+"),
        "end": c(
            r"(?:\s+(?:at\s+all|whatsoever|anywhere|please|pls|plz|thanks|thx|on\s+it|on\s+screen"
            r"|in\s+the\s+(?:corner|frame|video|clip)))+$"
        ),
    }


_AVOID_COLON = re.compile(r"(?:避免|尽量避免|请避免)\s*[:：]\s*(?P<x>[^,;，；。\n]+)")


def take_avoid(scan: Scan, found: Found) -> None:
    """Cut every clause of `scan` that asks to avoid something (see the module docstring) into
    `found.negatives`; a flaw refused mid-clause ("... without blur", "a blur-free shot") goes alone."""
    rx = _rx()
    for cm in list(_AVOID_COLON.finditer(scan.norm)):
        _keep(
            scan, found, cm.start("x"), cm.end("x")
        )  # "避免：水印、变形": what follows the colon is avoided
        scan.cut(cm.start(), cm.end())
    refused: list[int] = []  # where a refused flaw was cut
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in [*CLAUSE_SPLIT.finditer(scan.norm), None]:
        spans.append((pos, m.start() if m else len(scan.norm)))
        if m:
            pos = m.end()
    for start, end in spans:
        text = scan.norm[start:end]
        lead = len(text) - len(text.lstrip())
        body = text.strip()
        if not body:
            continue
        a = start + lead
        m = rx["avoid"].fullmatch(body) or rx["flaw"].fullmatch(body)
        if m is not None:
            group = "x" if m.group("x") is not None else "zx"
            if m.re is rx["avoid"] and len(body) > MAX_AVOID_CHARS:
                continue  # a scene that happens to open with "avoid"
            if m.re is rx["avoid"] and _refuses_a_setting(m.group(group)):
                continue  # "avoid vertical": a refused parameter (negation.py)
            _keep(scan, found, a + m.start(group), a + m.end(group))
            scan.cut(a, a + len(body))
            refused.append(a)
            continue
        m = rx["inner"].search(body) or rx["free"].search(body)
        if m is not None and m.start() > 0:  # something else in the clause is the scene
            _keep(scan, found, a + m.start("x"), a + m.end("x"))
            scan.cut(a + m.start(), a + m.end())
    take_leave_out(scan, found, refused)  # "..., no people please", "but no rain", "不要出现游客"


def _refuses_a_setting(text: str) -> bool:
    """Whether what "avoid" refuses is nothing but parameters ("vertical", "竖屏") and no flaw ("low
    quality" is both: a flaw)."""
    if _rx()["flaw_only"].fullmatch(text.strip()):
        return False
    view = Scan(text)
    return read_params(view, 0, len(view.norm)) is not None


def _keep(scan: Scan, found: Found, start: int, end: int) -> None:
    """Add each refused thing of norm[start:end] ("any logos or text" -> "logos", "text") to the negatives,
    in the user's own words."""
    rx = _rx()
    pos = start
    for m in [*rx["split"].finditer(scan.norm, start, end), None]:
        piece_end = m.start() if m else end
        piece = scan.norm[pos:piece_end]
        a = pos + ((d.end()) if (d := rx["det"].search(piece)) else 0)
        b = pos + ((e.start()) if (e := rx["end"].search(piece)) else len(piece))
        if text := tidy(scan.original(a, b)):
            found.negatives.append(text)
        if m:
            pos = m.end()
