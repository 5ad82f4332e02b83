"""Helpers for the engine tests: small media builders and readers (no model involved), and a recorder
for on_progress / cancelled."""

from __future__ import annotations

from pathlib import Path

import numpy as np

SIDE = 480  # 480x480 renders at its own size (a multiple of 32): frames come back uncropped


class Recorder:
    """on_progress / cancelled pair that records calls and can cancel after `cancel_after` reports."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.calls: list[tuple[float, float | None]] = []
        self.cancel_after = cancel_after
        self.asked = 0

    def progress(self, fraction: float, eta: float | None) -> None:
        self.calls.append((fraction, eta))

    def cancelled(self) -> bool:
        self.asked += 1
        return self.cancel_after is not None and len(self.calls) >= self.cancel_after


def decode(path: Path) -> np.ndarray:
    """All frames of a video file as (N, H, W, 3) uint8, exactly as stored (no resampling)."""
    import av

    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


def bar_frames(count: int, width: int, height: int, step: int = 7) -> np.ndarray:
    """Frame i shows a white vertical bar at x = step * i on grey: its index survives H.264."""
    frames = np.full((count, height, width, 3), 40, dtype=np.uint8)
    for i in range(count):
        frames[i, :, step * i : step * i + 6] = 255
    return frames


def bar_index(frame: np.ndarray, step: int = 7) -> int:
    """The frame index a `bar_frames` frame shows (from the centre of its bright columns)."""
    cols = frame[:, :, 0].mean(axis=0)
    bright = np.flatnonzero(cols > (cols.max() + cols.min()) / 2)
    return round((bright.mean() - 2.5) / step)
