"""The narrow interface between the job queue and whatever renders clips.

`ClipEngine.run(job, on_progress, cancelled) -> Clip` is the one call the queue makes. The real diffusers
engine and the fake engines in tests both implement it. `EngineJob.to_dict` / `from_dict` are the job's
stored JSON form (strict: unknown keys and wrong types are refused). Plain data only; no torch import here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Protocol

from reel.contract import FPS

#: on_progress(fraction 0..1, eta_seconds or None)
ProgressFn = Callable[[float, float | None], None]
#: cancelled() -> True once the job should stop (checked at every denoising step)
CancelledFn = Callable[[], bool]


@dataclass
class EngineJob:
    """What to render. Sizes are the exact output sizes; the engine picks its own render sizes."""

    job_id: str
    action: str  # one of reel.contract.GENERATIVE_ACTIONS
    prompt: str
    width: int
    height: int
    seconds: int
    fps: int = FPS
    seed: int | None = None
    variations: int = 1
    negative: str | None = None
    watermark: bool = True
    loop: bool = False
    #: storyboard cards: [{"at": seconds, "prompt": str}]
    cards: list[dict[str, Any]] = field(default_factory=list)
    #: animate: one image path; remix/loop/recut: one video path; blend: two video paths
    images: list[Path] = field(default_factory=list)
    videos: list[Path] = field(default_factory=list)
    #: recut: trim range in seconds of the source, or extend=True to continue the clip
    trim_start: float | None = None
    trim_end: float | None = None
    extend: bool = False
    #: remix: how far the source is re-noised (0..1); None = engine default
    strength: float | None = None
    #: where the clip files go (created if missing)
    out_dir: Path = Path("data/clips")
    #: provenance written into the file's metadata
    metadata: dict[str, str] = field(default_factory=dict)
    #: encode so each file fits this many bytes (Discord 10 MB, Telegram 50 MB); None = no cap
    max_bytes: int | None = None
    #: denoising steps; None = the model preset's default
    steps: int | None = None
    #: file name stem in out_dir (variations add -2, -3, ...); None = job_id
    out_name: str | None = None
    #: sound with the clip where the model makes it (the Request's `audio`): False writes no sound track
    audio: bool = True

    def to_dict(self) -> dict[str, Any]:
        """The job as JSON-ready data (every field; paths as strings). `from_dict` reads it back equal."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["cards"] = [dict(card) for card in self.cards]
        out["images"] = [str(p) for p in self.images]
        out["videos"] = [str(p) for p in self.videos]
        out["out_dir"] = str(self.out_dir)
        out["metadata"] = dict(self.metadata)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EngineJob:
        """The job `data` describes (what `to_dict` wrote, or the same keys by hand; absent optional keys
        take their defaults). Returns the EngineJob. Raises EngineInputError("bad_job") naming the key for
        an unknown key, a missing required key or a value of the wrong type; it never drops or guesses."""
        if not isinstance(data, Mapping):
            raise EngineInputError("bad_job", f"a job is a JSON object, not {type(data).__name__}")
        unknown = sorted(set(data) - set(_FIELD_KINDS))
        if unknown:
            raise EngineInputError("bad_job", f"unknown keys: {', '.join(map(str, unknown))}")
        missing = [name for name in _REQUIRED if name not in data]
        if missing:
            raise EngineInputError("bad_job", f"missing keys: {', '.join(missing)}")
        return cls(**{name: _convert(name, _FIELD_KINDS[name], value) for name, value in data.items()})


@dataclass
class Clip:
    """A rendered result: one file per variation, with its poster frame."""

    paths: list[Path]
    posters: list[Path]
    frames: int
    fps: int
    width: int
    height: int
    seconds: float
    wall_s: float
    model: str
    #: the seed of the first variation (variation i used seed + i); None when not applicable
    seed: int | None = None
    #: whether the files carry a sound track
    audio: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The clip as JSON-ready data: `path` is the first variation's file (what `reelbot generate`
        prints and the job row stores)."""
        return {
            "path": str(self.paths[0]),
            "paths": [str(p) for p in self.paths],
            "posters": [str(p) for p in self.posters],
            "frames": self.frames,
            "fps": self.fps,
            "width": self.width,
            "height": self.height,
            "seconds": self.seconds,
            "wall_s": round(self.wall_s, 3),
            "model": self.model,
            "seed": self.seed,
            "audio": self.audio,
        }


class EngineCancelled(Exception):
    """Raised by `run` when `cancelled()` turned true; the partial work is discarded."""


class EngineInputError(ValueError):
    """Raised for unusable inputs (corrupt image, non-video file, too large, too long).

    `code` is a stable key the bot's message table translates: e.g. `image_corrupt`, `image_too_large`,
    `video_corrupt`, `video_too_long`, `prompt_too_long`, `bad_size`, `missing_input`.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


class ClipEngine(Protocol):
    """Anything that renders an EngineJob into a Clip. `run` is blocking (called in a worker thread)."""

    name: str

    def run(self, job: EngineJob, on_progress: ProgressFn, cancelled: CancelledFn) -> Clip: ...


# --------------------------------------------------------------------------------------------- job JSON

#: the kind of value each EngineJob field holds in its JSON form
_FIELD_KINDS: dict[str, str] = {
    "job_id": "str",
    "action": "str",
    "prompt": "str",
    "width": "int",
    "height": "int",
    "seconds": "int",
    "fps": "int",
    "seed": "int?",
    "variations": "int",
    "negative": "str?",
    "watermark": "bool",
    "loop": "bool",
    "cards": "cards",
    "images": "paths",
    "videos": "paths",
    "trim_start": "float?",
    "trim_end": "float?",
    "extend": "bool",
    "strength": "float?",
    "out_dir": "path",
    "metadata": "metadata",
    "max_bytes": "int?",
    "steps": "int?",
    "out_name": "str?",
    "audio": "bool",
}
_REQUIRED = ("job_id", "action", "prompt", "width", "height", "seconds")


def _convert(name: str, kind: str, value: Any) -> Any:
    """`value` as field `name` holds it; raises EngineInputError("bad_job") when it is not of `kind`."""
    optional = kind.endswith("?")
    base = kind.rstrip("?")
    if value is None and optional:
        return None
    if base == "str" and isinstance(value, str):
        return value
    if base == "bool" and isinstance(value, bool):
        return value
    if base == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if (
        base == "float"
        and isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    ):
        return float(value)
    if base == "path" and isinstance(value, str | Path) and str(value):
        return Path(value)
    if (
        base == "paths"
        and isinstance(value, list)
        and all(isinstance(p, str | Path) and str(p) for p in value)
    ):
        return [Path(p) for p in value]
    if base == "cards" and isinstance(value, list) and all(isinstance(c, dict) for c in value):
        return [dict(c) for c in value]
    if (
        base == "metadata"
        and isinstance(value, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    ):
        return dict(value)
    wanted = _KIND_NAMES[base] + (" or null" if optional else "")
    raise EngineInputError("bad_job", f"{name} must be {wanted}, not {repr(value)[:80]}")


_KIND_NAMES = {
    "str": "a string",
    "bool": "true or false",
    "int": "an integer",
    "float": "a finite number",
    "path": "a non-empty path",
    "paths": "a list of non-empty paths",
    "cards": "a list of objects",
    "metadata": "an object of strings",
}
