"""What the parser has found so far (`Found`: values with where they came from) and the range checks
every value passes through before it is kept.

The bounds come from reel/contract.py; the checks raise ParseError, they never clamp.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from bot.parse.errors import MAX_SEED, ParseError
from bot.parse.numbers import whole
from reel.contract import ASPECTS, MAX_SECONDS, MIN_SECONDS, VARIATIONS

FLAG_PRIORITY: Final = 2
WORD_PRIORITY: Final = 1


@dataclass
class Found:
    """Parameters found so far, with where they came from (a --flag beats words)."""

    values: dict[str, Any] = field(default_factory=dict)
    priority: dict[str, int] = field(default_factory=dict)
    negatives: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    edit: str | None = None  # "recut" when trim/extend words were found
    #: parameters the message refused ("not vertical"): words may not set them to that value
    refused: set[tuple[str, Any]] = field(default_factory=set)
    #: every value offered for each key, kept or not ("横屏要竖屏" offers two aspects)
    offered: dict[str, set[Any]] = field(default_factory=dict)
    #: where an approving clause set a key ("..., 720p is enough"): values written before it are replaced
    approved_at: dict[str, int] = field(default_factory=dict)

    def set(self, key: str, value: Any, priority: int = WORD_PRIORITY) -> None:
        """Keep `value` for `key` unless a higher-priority source set it already; a refused value is
        dropped (a --flag still wins: it is explicit)."""
        self.offered.setdefault(key, set()).add(value)
        if priority < FLAG_PRIORITY and (key, value) in self.refused:
            return
        if priority >= self.priority.get(key, 0):
            self.values[key] = value
            self.priority[key] = priority

    def refuse(self, key: str, value: Any) -> None:
        """The message refused `value` for `key` ("not vertical"): words may not set it from now on, and a
        word that set it already is undone. Booleans flip ("no loop" = loop off)."""
        self.refused.add((key, value))
        if self.values.get(key) == value and self.priority.get(key, 0) < FLAG_PRIORITY:
            del self.values[key]
            del self.priority[key]
        if isinstance(value, bool):
            self.set(key, not value)

    def get(self, key: str, default: Any = None) -> Any:
        """The value found for `key`, or `default`."""
        return self.values.get(key, default)


def check_seconds(x: float | None, detail: str) -> int:
    """A length in whole seconds within the contract bounds; raises ParseError("bad_seconds")."""
    if x is None or x != x:
        raise ParseError("bad_seconds", detail)
    n = whole(x) if x >= 0 else -1
    if not MIN_SECONDS <= n <= MAX_SECONDS:
        raise ParseError("bad_seconds", detail)
    return n


def check_variations(x: float | None, detail: str) -> int:
    """A variation count the contract allows; raises ParseError("bad_variations")."""
    if x is None or not float(x).is_integer() or int(x) not in VARIATIONS:
        raise ParseError("bad_variations", detail)
    return int(x)


def check_seed(s: str, detail: str) -> int | None:
    """A seed 0..MAX_SEED, or None for -1 ("random"); raises ParseError("bad_seed")."""
    s = s.strip()
    if not re.fullmatch(r"-?[0-9]{1,12}", s):
        raise ParseError("bad_seed", detail)
    n = int(s)
    if n == -1:
        return None
    if not 0 <= n <= MAX_SEED:
        raise ParseError("bad_seed", detail)
    return n


def aspect_value(a: str, b: str, detail: str, strict: bool) -> str | None:
    """ "9", "16" -> "9:16" when the contract has it; otherwise None, or ParseError("bad_aspect") when
    `strict` (the user named it as an aspect ratio)."""
    value = f"{int(a)}:{int(b)}"
    if value in ASPECTS:
        return value
    if strict:
        raise ParseError("bad_aspect", detail)
    return None
