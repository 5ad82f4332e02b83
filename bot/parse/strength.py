"""How much a remix changes its clip, written as words ("strength 0.7", "strength: 25%", "强度0.6"), and frame
rates, which set nothing ("24fps": clips are made at the contract's rate; the words go and the member is told).
Cuts what it reads from a Scan into Found; must not read any other parameter.
"""

from __future__ import annotations

import functools
import re

from bot.parse.clauses import L, R, c
from bot.parse.errors import ParseError
from bot.parse.found import Found
from bot.parse.scan import Scan

_FPS = re.compile(r"(?<![a-z0-9])[0-9]{2,3}\s*(?:fps|frames?\s+per\s+second|帧|帧每秒)(?![a-z0-9])")


@functools.cache
def _strength_rx() -> re.Pattern[str]:
    return c(
        rf"{L}(?:(?:remix|denoise|edit)\s+)?strength\s*(?:[:=]|of|at|is)?\s*(?P<n>[0-9]{{1,3}}(?:\.[0-9]+)?|\.[0-9]+)\s*(?P<pc>%)?{R}"
        r"|(?:重绘|变化|修改)?(?:强度|力度)\s*(?:[:=]|为|是|调到|设为)?\s*(?P<n2>[0-9]{1,3}(?:\.[0-9]+)?)\s*(?P<pc2>%)?"
    )


def take_strength(scan: Scan, found: Found) -> None:
    """Cut remix strengths (0..1, or a percentage) and frame rates from `scan`; a strength above 1 without "%"
    is read as a percentage ("strength 70"). Raises ParseError("bad_flag_value") for one out of range."""

    def strength(m: re.Match[str]) -> bool:
        x = float(m.group("n") or m.group("n2"))
        x = x / 100 if (m.group("pc") or m.group("pc2") or x > 1) else x
        if not 0.0 <= x <= 1.0:
            raise ParseError("bad_flag_value", m.group(0).strip())
        found.set("strength", round(x, 3))
        return True

    scan.take(_strength_rx(), strength)
    found.ignored.extend(m.group().strip() for m in scan.take(_FPS))
