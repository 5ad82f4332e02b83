"""Rendered footage: frames (uint8 RGB, (N, H, W, 3)) at a frame rate, with the sound the model made for them
(float32 (channels, samples) at a sample rate) when it makes sound.

Cutting, joining and resampling keep the two in step, so planners never handle sound by hand. No model and
no files here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from engine import audio as au
from engine import frames as fr


@dataclass
class Footage:
    """Frames and, where the model made sound, the audio that plays with them (same start, same length)."""

    frames: np.ndarray
    fps: float
    audio: np.ndarray | None = None
    rate: int = au.OUTPUT_RATE

    def __len__(self) -> int:
        return len(self.frames)

    @property
    def seconds(self) -> float:
        return len(self.frames) / self.fps

    def sample(self, frame: int) -> int:
        """The audio sample at which frame `frame` starts."""
        return round(frame / self.fps * self.rate)

    def cut(self, start: int | None = None, stop: int | None = None) -> Footage:
        """Frames start..stop (Python slice rules) with the audio under them."""
        first, last, _ = slice(start, stop).indices(len(self.frames))
        last = max(first, last)
        audio = None if self.audio is None else self.audio[:, self.sample(first) : self.sample(last)]
        return replace(self, frames=self.frames[first:last], audio=audio)

    def with_frames(self, frames: np.ndarray) -> Footage:
        """The same sound under new frames of the same count (an eased seam, a fade)."""
        if len(frames) != len(self.frames):
            raise ValueError("with_frames keeps the frame count")
        return replace(self, frames=frames)

    def silent(self) -> Footage:
        return replace(self, audio=None)

    def at_fps(self, fps: float, count: int | None = None) -> Footage:
        """The footage shown at `fps` (`count` frames: default the same duration); the sound is cut or padded
        to the new length, never stretched."""
        count = round(len(self.frames) * fps / self.fps) if count is None else count
        frames = self.frames if fps == self.fps and count == len(self.frames) else _retime(self, fps, count)
        audio = None if self.audio is None else au.fit(self.audio, round(count / fps * self.rate))
        return Footage(frames, fps, audio, self.rate)


def _retime(f: Footage, fps: float, count: int) -> np.ndarray:
    if fps == f.fps:
        return fr.resample(f.frames, f.fps, fps, count)
    return fr.interpolate(f.frames, f.fps, fps, count)


def join(parts: Sequence[Footage]) -> Footage:
    """Parts played one after another (same fps and frame size). The sound is joined with a short crossfade
    at each seam so no click marks the cut; a silent part among sounding ones is silence."""
    if not parts:
        raise ValueError("nothing to join")
    fps, rate = parts[0].fps, parts[0].rate
    frames = np.concatenate([p.frames for p in parts])
    if all(p.audio is None for p in parts):
        return Footage(frames, fps, None, rate)
    channels = next(p.audio.shape[0] for p in parts if p.audio is not None)
    tracks = [p.audio if p.audio is not None else au.silence(channels, p.sample(len(p))) for p in parts]
    audio = au.join(tracks, au.SEAM_SAMPLES)
    return Footage(frames, fps, au.fit(audio, round(len(frames) / fps * rate)), rate)
