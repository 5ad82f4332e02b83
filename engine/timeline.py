"""What a planned job hands the writer: per variation, a timeline of rendered frame arrays and spans cut
straight from a source file, played in order.

Data only; spans are read when the encoder pulls frames, so a trim never holds the source in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.decoder import read_frames


@dataclass
class Span:
    """Frames cut straight from a source file at encode time (exact, no model, no copy in memory)."""

    path: Path
    start: float
    end: float | None

    def frames(self, fps: int) -> Iterator[np.ndarray]:
        """The span's frames at `fps` (see decoder.read_frames)."""
        return read_frames(self.path, fps=fps, start=self.start, end=self.end)


@dataclass
class Timeline:
    """One variation's output: arrays (render size, output fps) and source spans, played in order."""

    chunks: list[np.ndarray | Span]

    def frames(self, fps: int) -> Iterator[np.ndarray]:
        """Every frame of the timeline in order, spans decoded at `fps`."""
        for chunk in self.chunks:
            if isinstance(chunk, Span):
                yield from chunk.frames(fps)
            else:
                yield from chunk

    def source(self, fps: int) -> Callable[[], Iterator[np.ndarray]]:
        """A re-iterable frame source for the encoder (it may need a second pass to meet a size cap)."""

        def frames() -> Iterator[np.ndarray]:
            return self.frames(fps)

        return frames
