"""What a planned job hands the writer: per variation, a timeline of rendered footage (frames with the sound
the model made) and spans cut straight from a source file (picture and sound), played in order.

Data only; spans are read when the encoder pulls frames, so a trim never holds the source in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine import audio as au
from engine.decoder import probe_video, read_audio, read_frames
from engine.footage import Footage


@dataclass
class Span:
    """Frames (and sound) cut straight from a source file at encode time (exact, no model, no copy in
    memory). `end` None runs to the end of the file."""

    path: Path
    start: float
    end: float | None

    def frames(self, fps: int) -> Iterator[np.ndarray]:
        """The span's frames at `fps` (see decoder.read_frames)."""
        return read_frames(self.path, fps=fps, start=self.start, end=self.end)

    def count(self, fps: int) -> int:
        end = self.end if self.end is not None else probe_video(self.path).seconds
        return max(0, round((end - self.start) * fps))

    def sound(self, fps: int) -> np.ndarray | None:
        """The span's sound at 48 kHz, exactly as long as its frames; None when the file has none."""
        track = read_audio(self.path, start=self.start, end=self.end, rate=au.OUTPUT_RATE)
        return None if track is None else au.fit(track, round(self.count(fps) / fps * au.OUTPUT_RATE))


@dataclass
class Timeline:
    """One variation's output: footage (render size, output fps) and source spans, played in order.
    `loop_audio` makes the sound's end run on into its start (a loop's sound loops too)."""

    chunks: list[Footage | Span]
    loop_audio: bool = False
    #: sound past the end of the last chunk (what the model made under the frames after a loop's cut)
    tail_audio: np.ndarray | None = field(default=None, repr=False)

    def frames(self, fps: int) -> Iterator[np.ndarray]:
        """Every frame of the timeline in order, spans decoded at `fps`."""
        for chunk in self.chunks:
            if isinstance(chunk, Span):
                yield from chunk.frames(fps)
            else:
                yield from chunk.frames

    def source(self, fps: int) -> Callable[[], Iterator[np.ndarray]]:
        """A re-iterable frame source for the encoder (it may need a second pass to meet a size cap)."""

        def frames() -> Iterator[np.ndarray]:
            return self.frames(fps)

        return frames

    def sound(self, fps: int, frame_count: int) -> np.ndarray | None:
        """The sound under `frame_count` frames at `fps` (48 kHz stereo, exact length): each chunk's own
        sound, silence under chunks that have none, joined without clicks; None when no chunk has sound."""
        tracks: list[np.ndarray | None] = []
        lengths: list[int] = []
        for chunk in self.chunks:
            if isinstance(chunk, Span):
                tracks.append(chunk.sound(fps))
                lengths.append(round(chunk.count(fps) / fps * au.OUTPUT_RATE))
            else:
                track = None
                if chunk.audio is not None:
                    track = au.as_channels(au.resample(chunk.audio, chunk.rate))
                tracks.append(track)
                lengths.append(round(len(chunk) / chunk.fps * au.OUTPUT_RATE))
        if all(t is None for t in tracks):
            return None
        parts = [
            au.fit(t, n) if t is not None else au.silence(au.OUTPUT_CHANNELS, n)
            for t, n in zip(tracks, lengths, strict=True)
        ]
        samples = round(frame_count / fps * au.OUTPUT_RATE)
        if self.tail_audio is not None:
            parts.append(au.as_channels(self.tail_audio))
        track = au.join(parts)
        if self.loop_audio:
            return au.close_loop(track, samples)
        return au.fit(track, samples)
