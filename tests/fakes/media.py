"""Media files for tests, made with PyAV directly (never through the code under test)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np


def write_clip(path: Path, frames: np.ndarray, fps: int = 24) -> Path:
    """Encode frames as a plain H.264 MP4 (not through the code under test)."""
    import av

    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", options={"movflags": "+faststart"}) as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = frames.shape[2], frames.shape[1], "yuv420p"
        stream.time_base = Fraction(1, fps)
        stream.options = {"crf": "12", "preset": "ultrafast"}
        for i, pixels in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path
