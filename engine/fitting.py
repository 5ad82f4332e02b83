"""Fitting a frame to an exact output size: scale to cover (aspect kept), then crop the centre.

Pure pixel geometry on uint8 RGB arrays; PyAV's scaler does the resampling. No files, no models.
"""

from __future__ import annotations

import numpy as np


def cover_size(src_w: int, src_h: int, width: int, height: int) -> tuple[int, int]:
    """Smallest aspect-preserving size of src that covers width x height."""
    scale = max(width / src_w, height / src_h)
    return max(width, round(src_w * scale)), max(height, round(src_h * scale))


def center_crop(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """The width x height middle of `frame` (a view, no copy); `frame` must be at least that large."""
    h, w = frame.shape[:2]
    y, x = (h - height) // 2, (w - width) // 2
    return frame[y : y + height, x : x + width]


def fit_frame(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """Scale an RGB frame to cover width x height (aspect kept) and crop the centre. Exact size out."""
    h, w = frame.shape[:2]
    if (w, h) == (width, height):
        return frame
    sw, sh = cover_size(w, h, width, height)
    if (sw, sh) != (w, h):
        import av

        src = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format="rgb24")
        interpolation = "AREA" if sw < w else "BICUBIC"
        frame = src.to_ndarray(format="rgb24", width=sw, height=sh, interpolation=interpolation)
    return center_crop(frame, width, height)
