"""The parser's limits and its one error type, `ParseError`, with the stable codes the message table uses.

Owns nothing else: no matching here, so every other parse module may import it.
"""

from __future__ import annotations

from typing import Any, Final

from reel.contract import SEED_MAX

MAX_PROMPT_CHARS: Final = 2000
#: Messages longer than this (after cleaning) are refused before any matching, which bounds the work.
MAX_INPUT_CHARS: Final = 2 * MAX_PROMPT_CHARS
MAX_SEED: Final = SEED_MAX
MAX_CARDS: Final = 20

PARSE_ERROR_CODES: Final[tuple[str, ...]] = (
    "empty",
    "too_long",
    "bad_seconds",
    "bad_resolution",
    "bad_aspect",
    "bad_variations",
    "bad_seed",
    "bad_mode",
    "bad_storyboard",
    "bad_flag_value",
)


class ParseError(ValueError):
    """A message that cannot become a Request. `code` is one of PARSE_ERROR_CODES (stable, for the
    message table); `detail` is the offending text; `params` feeds the message template."""

    def __init__(self, code: str, detail: str = "", **params: Any) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.params: dict[str, Any] = {"detail": detail or code, **params}
