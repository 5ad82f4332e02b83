"""Numbers as people write them: digits, mm:ss, English number words and Chinese numerals, plus the regex
pieces that match them. Returns numbers; must not decide what a number is for.

cn2an loads lazily, only when a Chinese numeral has to be read.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from typing import Any, Final

from bot.parse.words import CN_DIGITS, EN_NUMBERS

EN_NUMBER_VALUES: Final[dict[str, int]] = {w: i for i, w in enumerate(EN_NUMBERS)}
#: One English number word.
EN_NUM: Final = "(?:" + "|".join(sorted(EN_NUMBERS, key=len, reverse=True)) + ")"
# Bounded repeats keep every pattern linear on a 4,000-character run of digits or numerals.
CN_NUM: Final = f"[{CN_DIGITS}]{{1,8}}"
DEC: Final = r"[0-9]{1,30}(?:\.[0-9]{1,9})?"
CLOCK: Final = r"[0-9]{1,2}:[0-9]{2}(?:\.[0-9]+)?"
#: Stand-in for numbers too large to matter (a 3,000-digit "seconds" value is just out of range).
HUGE: Final = 1e12


@functools.cache
def _cn2an() -> Callable[[str, str], Any]:
    import cn2an  # lazy: 100+ ms to import, only Chinese numerals need it

    fn: Callable[[str, str], Any] = cn2an.cn2an
    return fn


def number(s: str) -> float | None:
    """Digits, English number words, mm:ss, or Chinese numerals -> a number; None if it is not one."""
    s = s.strip()
    if not s:
        return None
    neg = s.startswith("-")
    s = s.lstrip("-").strip()
    value: float | None = None
    if re.fullmatch(CLOCK, s):
        mm, ss = s.split(":", 1)
        value = int(mm) * 60 + float(ss)
    elif re.fullmatch(DEC, s):
        value = HUGE if len(s.split(".")[0]) > 9 else float(s)
    elif s in EN_NUMBER_VALUES:
        value = float(EN_NUMBER_VALUES[s])
    elif re.fullmatch(CN_NUM, s):
        s = re.sub(r"^廿", "二十", re.sub(r"^卅", "三十", s))  # "廿秒", "卅秒": 20 and 30 written short
        try:
            value = float(_cn2an()(s, "smart"))
        except Exception:  # cn2an raises several types on malformed numerals; they are just not numbers
            return None
    if value is None:
        return None
    return -value if neg else value


def whole(x: float) -> int:
    """`x` rounded half up (5.5 s -> 6 s)."""
    return int(math.floor(x + 0.5)) if x < HUGE else int(HUGE)
