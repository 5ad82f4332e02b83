"""The one Request model every adapter produces and the core consumes.

Owns the contract JSON of shared/DESIGN.md (`to_dict` emits exactly those keys). Knows nothing of
platforms, prices or the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from reel.contract import (
    ACTIONS,
    ASPECTS,
    CONTRACT_KEYS,
    DEFAULT_SECONDS,
    FPS,
    GENERATIVE_ACTIONS,
    MAX_SECONDS,
    MIN_SECONDS,
    MODES,
    OUTPUT_SIZES,
    RESOLUTIONS,
    VARIATIONS,
)

Action = Literal[
    "create", "animate", "remix", "blend", "recut", "loop", "storyboard",
    "balance", "plans", "help", "feed", "cancel",
]
__all__ = [
    "ACTIONS", "ASPECTS", "CONTRACT_KEYS", "DEFAULT_SECONDS", "FPS", "GENERATIVE_ACTIONS", "MAX_SECONDS",
    "MIN_SECONDS", "MODES", "OUTPUT_SIZES", "RESOLUTIONS", "VARIATIONS", "Action", "Card", "Request",
]


@dataclass
class Card:
    """One storyboard card: a prompt that starts at `at` seconds."""

    at: float
    prompt: str

    def to_dict(self) -> dict[str, Any]:
        at: float | int = int(self.at) if float(self.at).is_integer() else self.at
        return {"at": at, "prompt": self.prompt}


@dataclass
class Request:
    """A parsed user request. Contract fields first; edit details after (not part of the JSON)."""

    action: str = "create"
    prompt: str = ""
    seconds: int = DEFAULT_SECONDS
    resolution: str = "480p"
    aspect: str = "16:9"
    variations: int = 1
    mode: str = "fast"
    seed: int | None = None
    loop: bool = False
    negative: str | None = None
    cards: list[Card] = field(default_factory=list)
    #: sound with the clip where the model makes it ("mute" / "no sound" / "静音" turn it off)
    audio: bool = True
    # Edit details (recut): a trim range in seconds of the source clip, or an extension.
    trim_start: float | None = None
    trim_end: float | None = None
    extend: bool = False
    # Remix strength 0..1 (how far the clip is re-noised); None = engine default.
    strength: float | None = None
    # What the parser recognised as options but could not use (unknown `--flags`), to tell the user.
    # Not part of the contract JSON nor of the stored job.
    ignored: list[str] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        """The exact output (width, height) for this request's resolution and aspect."""
        return OUTPUT_SIZES[(self.resolution, self.aspect)]

    @property
    def is_generative(self) -> bool:
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
        d.update(trim_start=self.trim_start, trim_end=self.trim_end, extend=self.extend,
                 strength=self.strength)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Request:
        """Build from `to_dict` / `to_storage` output. Unknown keys are ignored."""
        cards = [Card(at=float(c["at"]), prompt=str(c["prompt"])) for c in d.get("cards") or []]
        known = {k: d[k] for k in (
            "action", "prompt", "seconds", "resolution", "aspect", "variations", "mode", "seed",
            "loop", "negative", "audio", "trim_start", "trim_end", "extend", "strength") if k in d}
        return cls(cards=cards, **known)
