"""The narrow interface between the job queue and whatever renders clips.

`ClipEngine.run(job, on_progress, cancelled) -> Clip` is the one call the queue makes. The real diffusers
engine and the fake engines in tests both implement it. Plain data only; no torch import here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

#: on_progress(fraction 0..1, eta_seconds or None)
ProgressFn = Callable[[float, float | None], None]
#: cancelled() -> True once the job should stop (checked at every denoising step)
CancelledFn = Callable[[], bool]


@dataclass
class EngineJob:
    """What to render. Sizes are the exact output sizes; the engine picks its own render sizes."""

    job_id: str
    action: str  # create | animate | remix | blend | recut | loop | storyboard
    prompt: str
    width: int
    height: int
    seconds: int
    fps: int = 24
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

    def to_dict(self) -> dict[str, Any]:
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
