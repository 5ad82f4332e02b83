"""The one Request model every adapter produces and the core consumes, and the one place it is validated.

Owns the contract JSON of shared/DESIGN.md (`to_dict` emits exactly those keys); every range and choice
comes from reel/contract.py. Knows nothing of platforms, prices or the engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from reel.contract import (
    ACTIONS,
    ASPECTS,
    CONTRACT_KEYS,
    DEFAULT_ASPECT,
    DEFAULT_RESOLUTION,
    DEFAULT_SECONDS,
    FPS,
    GENERATIVE_ACTIONS,
    MAX_SECONDS,
    MIN_SECONDS,
    MODES,
    OUTPUT_SIZES,
    RESOLUTIONS,
    SEED_MAX,
    VARIATIONS,
)

Action = Literal[
    "create",
    "animate",
    "remix",
    "blend",
    "recut",
    "loop",
    "storyboard",
    "balance",
    "plans",
    "help",
    "feed",
    "cancel",
]
__all__ = [
    "ACTIONS",
    "ASPECTS",
    "CONTRACT_KEYS",
    "DEFAULT_SECONDS",
    "FPS",
    "GENERATIVE_ACTIONS",
    "MAX_SECONDS",
    "MIN_SECONDS",
    "MODES",
    "OUTPUT_SIZES",
    "RESOLUTIONS",
    "VARIATIONS",
    "Action",
    "Card",
    "InvalidRequest",
    "Request",
]

#: How far into a source clip a trim may point, in seconds (either sign); longer is not a clip we made.
MAX_TRIM_SECONDS = 3600.0


class InvalidRequest(ValueError):
    """A Request field outside the contract. `field` names it; `value` is what it held."""

    def __init__(self, field_name: str, value: Any, allowed: str) -> None:
        super().__init__(f"Request.{field_name} = {value!r}: must be {allowed}")
        self.field = field_name
        self.value = value


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_number(x: Any) -> bool:
    return (isinstance(x, (int, float)) and not isinstance(x, bool)) and math.isfinite(x)


@dataclass
class Card:
    """One storyboard card: a prompt that starts at `at` seconds (0 <= at < MAX_SECONDS)."""

    at: float
    prompt: str

    def to_dict(self) -> dict[str, Any]:
        """{"at": seconds (an int when whole), "prompt": text}."""
        at: float | int = int(self.at) if float(self.at).is_integer() else self.at
        return {"at": at, "prompt": self.prompt}


@dataclass
class Request:
    """A parsed user request. Contract fields first; edit details after (not part of the JSON).

    Every field is checked on construction (`dataclasses.replace` included) and by `validate()`, which
    whoever changes fields in place calls when done; an out-of-range value raises InvalidRequest.

    Not part of the contract JSON nor of the stored job (`to_dict` / `to_storage` leave them out):

    * `ignored`: what the parser recognised as options but could not use (unknown `--flags`), to tell the
      user.
    * `about_bot`: the text still parses as a clip to make, but it is mostly about the bot itself (a
      question about credits, plans, the queue or the feed in words the parser does not know, or another
      bot command). The core asks for a one-tap confirm before it charges for such a request.
    """

    action: str = "create"
    prompt: str = ""
    seconds: int = DEFAULT_SECONDS
    resolution: str = DEFAULT_RESOLUTION
    aspect: str = DEFAULT_ASPECT
    variations: int = 1
    mode: str = "fast"
    seed: int | None = None
    loop: bool = False
    negative: str | None = None
    cards: list[Card] = field(default_factory=list)
    #: sound with the clip where the model makes it ("mute" / "no sound" / "静音" turn it off)
    audio: bool = True
    # Edit details (recut): a trim range in seconds of the source clip (negative: from its end), or an
    # extension: `seconds` to add, or with `trim_end` set, the target length (both equal then).
    trim_start: float | None = None
    trim_end: float | None = None
    extend: bool = False
    # Remix strength 0..1 (how far the clip is re-noised); None = engine default.
    strength: float | None = None
    ignored: list[str] = field(default_factory=list)
    about_bot: bool = False

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Check every field against reel/contract.py. Raises InvalidRequest naming the first bad one."""
        if self.action not in ACTIONS:
            raise InvalidRequest("action", self.action, f"one of {', '.join(ACTIONS)}")
        if not isinstance(self.prompt, str):
            raise InvalidRequest("prompt", self.prompt, "text")
        if not _is_int(self.seconds) or not MIN_SECONDS <= self.seconds <= MAX_SECONDS:
            raise InvalidRequest("seconds", self.seconds, f"a whole number {MIN_SECONDS}..{MAX_SECONDS}")
        if self.resolution not in RESOLUTIONS:
            raise InvalidRequest("resolution", self.resolution, f"one of {', '.join(RESOLUTIONS)}")
        if self.aspect not in ASPECTS:
            raise InvalidRequest("aspect", self.aspect, f"one of {', '.join(ASPECTS)}")
        if not _is_int(self.variations) or self.variations not in VARIATIONS:
            raise InvalidRequest("variations", self.variations, f"one of {', '.join(map(str, VARIATIONS))}")
        if self.mode not in MODES:
            raise InvalidRequest("mode", self.mode, f"one of {', '.join(MODES)}")
        if self.seed is not None and (not _is_int(self.seed) or not 0 <= self.seed <= SEED_MAX):
            raise InvalidRequest("seed", self.seed, f"null or a whole number 0..{SEED_MAX}")
        for name in ("loop", "audio", "extend", "about_bot"):
            if not isinstance(getattr(self, name), bool):
                raise InvalidRequest(name, getattr(self, name), "true or false")
        if self.negative is not None and not isinstance(self.negative, str):
            raise InvalidRequest("negative", self.negative, "null or text")
        if not isinstance(self.cards, list):
            raise InvalidRequest("cards", self.cards, "a list of cards")
        for card in self.cards:
            if not isinstance(card, Card) or not isinstance(card.prompt, str):
                raise InvalidRequest("cards", card, "cards with a text prompt")
            if not _is_number(card.at) or not 0 <= card.at < MAX_SECONDS:
                raise InvalidRequest("cards", card.at, f"card times 0 <= at < {MAX_SECONDS}")
        for name in ("trim_start", "trim_end"):
            x = getattr(self, name)
            if x is not None and (not _is_number(x) or abs(x) > MAX_TRIM_SECONDS):
                raise InvalidRequest(name, x, f"null or seconds within ±{MAX_TRIM_SECONDS:g}")
        if self.strength is not None and (not _is_number(self.strength) or not 0.0 <= self.strength <= 1.0):
            raise InvalidRequest("strength", self.strength, "null or a number 0..1")

    @property
    def size(self) -> tuple[int, int]:
        """The exact output (width, height) for this request's resolution and aspect."""
        return OUTPUT_SIZES[(self.resolution, self.aspect)]

    @property
    def is_generative(self) -> bool:
        """Whether this request makes a clip (and so costs credits)."""
        return self.action in GENERATIVE_ACTIONS

    def to_dict(self) -> dict[str, Any]:
        """The contract JSON form (shared/DESIGN.md): exactly the contract keys."""
        return {
            "action": self.action,
            "prompt": self.prompt,
            "seconds": self.seconds,
            "resolution": self.resolution,
            "aspect": self.aspect,
            "variations": self.variations,
            "mode": self.mode,
            "seed": self.seed,
            "loop": self.loop,
            "negative": self.negative,
            "cards": [c.to_dict() for c in self.cards],
            "audio": self.audio,
        }

    def to_storage(self) -> dict[str, Any]:
        """Everything, for the job row (contract keys plus edit details)."""
        d = self.to_dict()
        d.update(
            trim_start=self.trim_start, trim_end=self.trim_end, extend=self.extend, strength=self.strength
        )
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Request:
        """Build from `to_dict` / `to_storage` output (anything either writes comes back equal). Unknown
        keys are ignored; missing ones take their defaults. Raises InvalidRequest for a value out of range."""
        raw_cards = d.get("cards") or []
        if not isinstance(raw_cards, list):
            raise InvalidRequest("cards", raw_cards, "a list of cards")
        cards = []
        for c in raw_cards:
            if not isinstance(c, dict) or "at" not in c or "prompt" not in c or not _is_number(c["at"]):
                raise InvalidRequest("cards", c, 'cards like {"at": 0, "prompt": "..."}')
            cards.append(Card(at=float(c["at"]), prompt=str(c["prompt"])))
        known = {
            k: d[k]
            for k in (
                "action",
                "prompt",
                "seconds",
                "resolution",
                "aspect",
                "variations",
                "mode",
                "seed",
                "loop",
                "negative",
                "audio",
                "trim_start",
                "trim_end",
                "extend",
                "strength",
            )
            if k in d
        }
        return cls(cards=cards, **known)
