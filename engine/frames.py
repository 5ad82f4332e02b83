"""Arithmetic on rendered frames (uint8 RGB arrays, shape (N, H, W, 3)): frame-rate resampling, loop seams,
and joining a continuation onto the frames it was conditioned on.

No model and no files here: these run after the pipeline and before the encoder.
"""

from __future__ import annotations

import numpy as np


def resample(frames: np.ndarray, src_fps: float, dst_fps: float, count: int) -> np.ndarray:
    """`count` frames at dst_fps showing what is on screen at each time (nearest earlier source frame).

    Same rates: the first `count` frames (the last one repeated if the source is short)."""
    if len(frames) == 0:
        raise ValueError("no frames to resample")
    times = np.arange(count) / dst_fps
    index = np.floor(times * src_fps + 1e-6).astype(np.int64)
    return frames[np.clip(index, 0, len(frames) - 1)]


def interpolate(frames: np.ndarray, src_fps: float, dst_fps: float, count: int) -> np.ndarray:
    """`count` frames at dst_fps, each blended from the two source frames around its time (linear in time).

    Converting 16 fps to 24 fps this way moves things a little every frame instead of holding every other
    frame twice (the judder of `resample`); frames that fall on a source frame are that frame exactly."""
    if len(frames) == 0:
        raise ValueError("no frames to interpolate")
    pos = np.arange(count) * (src_fps / dst_fps)
    out = np.empty((count, *frames.shape[1:]), dtype=np.uint8)
    last = len(frames) - 1
    for i, p in enumerate(pos):
        lo = min(int(np.floor(p + 1e-6)), last)
        w = min(max(p - lo, 0.0), 1.0) if lo < last else 0.0
        if w < 1e-3:
            out[i] = frames[lo]
        else:
            out[i] = _to_u8(frames[lo].astype(np.float32) * (1.0 - w) + frames[lo + 1].astype(np.float32) * w)
    return out


def pad_to(frames: np.ndarray, count: int) -> np.ndarray:
    """The first `count` frames; a short clip holds its last frame."""
    if len(frames) >= count:
        return frames[:count]
    tail = np.repeat(frames[-1:], count - len(frames), axis=0)
    return np.concatenate([frames, tail])


def close_loop(frames: np.ndarray, fade: int) -> np.ndarray:
    """Make the clip loop: the last `fade` frames blend progressively toward the first frame, so playing
    last -> first is a smaller step than an ordinary frame-to-frame step."""
    return fade_to(frames, frames[0], fade)


def fade_to(frames: np.ndarray, target: np.ndarray, fade: int) -> np.ndarray:
    """Blend the last `fade` frames progressively toward `target` (the frame that will follow them).

    The weight reaches fade / (fade + 1) on the last frame, not 1, so `target` is not shown twice. A model
    that honoured an end condition already ends near `target`, and then this changes almost nothing.
    """
    n = len(frames)
    fade = max(0, min(fade, n - 1))
    if fade == 0:
        return frames
    out = frames.copy()
    goal = target.astype(np.float32)
    for j in range(fade):
        w = (j + 1) / (fade + 1)
        i = n - fade + j
        out[i] = _to_u8(frames[i].astype(np.float32) * (1.0 - w) + goal * w)
    return out


def ease_seam(new: np.ndarray, target: np.ndarray, rendered: np.ndarray, frames: int) -> np.ndarray:
    """Remove a jump where `new` frames follow a frame the model only approximated.

    `target` is the real frame the continuation must follow (e.g. the source clip's last frame) and
    `rendered` the model's version of it; the difference is added to the first `frames` new frames,
    fading to nothing, so the cut is invisible and later frames are untouched.
    """
    frames = max(0, min(frames, len(new)))
    if frames == 0:
        return new
    delta = target.astype(np.float32) - rendered.astype(np.float32)
    out = new.copy()
    for j in range(frames):
        w = 1.0 - (j + 1) / (frames + 1)
        out[j] = _to_u8(new[j].astype(np.float32) + delta * w)
    return out


def ease_into(before: np.ndarray, target: np.ndarray, rendered: np.ndarray, frames: int) -> np.ndarray:
    """Mirror of `ease_seam` for frames that lead up to an anchored frame: the last `frames` of `before`
    take on more and more of the difference between the anchor and its rendered version."""
    frames = max(0, min(frames, len(before)))
    if frames == 0:
        return before
    delta = target.astype(np.float32) - rendered.astype(np.float32)
    out = before.copy()
    n = len(before)
    for j in range(frames):
        w = (j + 1) / (frames + 1)
        i = n - frames + j
        out[i] = _to_u8(before[i].astype(np.float32) + delta * w)
    return out


def _to_u8(x: np.ndarray) -> np.ndarray:
    return np.clip(x + 0.5, 0, 255).astype(np.uint8)
