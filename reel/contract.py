"""The public request contract of shared/DESIGN.md, as constants: actions, resolutions, aspects, exact
output sizes, frame rate, length bounds. bot/, billing/ and engine/ read these; none keeps its own copy.
Pure data: no imports beyond the standard library.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

#: Every action a Request may carry, in the order DESIGN.md lists them.
ACTIONS: Final[tuple[str, ...]] = (
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
)
#: Actions that make a clip (and therefore cost credits).
GENERATIVE_ACTIONS: Final[frozenset[str]] = frozenset(
    {"create", "animate", "remix", "blend", "recut", "loop", "storyboard"}
)
#: Actions that change an existing clip (the clip replied to, or an attached video).
EDIT_ACTIONS: Final[frozenset[str]] = frozenset({"remix", "loop", "recut"})

#: Resolutions from smallest to largest; a plan's max_resolution allows itself and everything before it.
RESOLUTIONS: Final[tuple[str, ...]] = ("480p", "720p", "1080p")
ASPECTS: Final[tuple[str, ...]] = ("16:9", "1:1", "9:16")
VARIATIONS: Final[tuple[int, ...]] = (1, 2, 4)
MODES: Final[tuple[str, ...]] = ("fast", "relaxed")
MIN_SECONDS: Final = 1
MAX_SECONDS: Final = 20
DEFAULT_SECONDS: Final = 5
DEFAULT_RESOLUTION: Final = "480p"
DEFAULT_ASPECT: Final = "16:9"
FPS: Final = 24
SEED_MAX: Final = 2**31 - 1

#: Exact output sizes (width, height) per (resolution, aspect).
OUTPUT_SIZES: Final = MappingProxyType(
    {
        ("480p", "16:9"): (854, 480),
        ("480p", "1:1"): (480, 480),
        ("480p", "9:16"): (480, 854),
        ("720p", "16:9"): (1280, 720),
        ("720p", "1:1"): (720, 720),
        ("720p", "9:16"): (720, 1280),
        ("1080p", "16:9"): (1920, 1080),
        ("1080p", "1:1"): (1080, 1080),
        ("1080p", "9:16"): (1080, 1920),
    }
)

#: The keys of the Request JSON (`reelbot parse`), all always present, in this order.
CONTRACT_KEYS: Final[tuple[str, ...]] = (
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
    "cards",
    "audio",
)
