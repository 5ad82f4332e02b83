"""Arithmetic on sound tracks (float32 arrays (channels, samples) in -1..1): exact lengths, joins without
clicks, a loop's seam, sample-rate conversion.

No model and no files here: the renderer hands tracks in, the encoder writes them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

#: the rate and layout every clip's AAC track is written at (what players and chat apps expect)
OUTPUT_RATE: Final = 48_000
OUTPUT_CHANNELS: Final = 2
#: a join between two tracks is a crossfade this long: long enough that no click marks it, short enough that
#: picture and sound stay in step (5 ms)
SEAM_SAMPLES: Final = OUTPUT_RATE // 200
#: a loop's sound ends by crossfading into its own opening over this long
LOOP_SECONDS: Final = 0.12


def silence(channels: int, samples: int) -> np.ndarray:
    return np.zeros((channels, max(0, samples)), dtype=np.float32)


def fit(track: np.ndarray, samples: int) -> np.ndarray:
    """Exactly `samples` long: cut, or padded with silence."""
    have = track.shape[1]
    if have >= samples:
        return track[:, :samples]
    return np.concatenate([track, silence(track.shape[0], samples - have)], axis=1)


def as_channels(track: np.ndarray, channels: int = OUTPUT_CHANNELS) -> np.ndarray:
    """Mono duplicated to stereo, extra channels dropped."""
    track = np.atleast_2d(np.asarray(track, dtype=np.float32))
    if track.shape[0] == channels:
        return track
    if track.shape[0] == 1:
        return np.repeat(track, channels, axis=0)
    return track[:channels]


def join(tracks: Sequence[np.ndarray], overlap: int = SEAM_SAMPLES) -> np.ndarray:
    """Tracks one after another, each seam an equal-power crossfade of `overlap` samples (shorter where a
    track is shorter)."""
    out = tracks[0]
    for nxt in tracks[1:]:
        k = min(overlap, out.shape[1], nxt.shape[1])
        if k == 0:
            out = np.concatenate([out, nxt], axis=1)
            continue
        t = np.linspace(0.0, np.pi / 2, k, dtype=np.float32)
        mixed = out[:, -k:] * np.cos(t) + nxt[:, :k] * np.sin(t)
        out = np.concatenate([out[:, :-k], mixed, nxt[:, k:]], axis=1)
    return out.astype(np.float32, copy=False)


def close_loop(track: np.ndarray, samples: int, rate: int = OUTPUT_RATE) -> np.ndarray:
    """A `samples`-long track whose end runs on into its start when played in a loop.

    `track` should run past `samples` (the model's sound under the frames after the cut): its opening is
    crossfaded with what follows the cut, so the sample after the last one is the first one, and both
    seams are continuous. With nothing past the cut the opening is crossfaded with the end instead.
    """
    body = fit(track, samples)
    k = min(round(LOOP_SECONDS * rate), samples // 2)
    if k == 0:
        return body
    extra = track[:, samples : samples + k]
    if extra.shape[1] < k:  # no sound past the cut: fade the end into the opening instead
        extra = np.concatenate([extra, body[:, samples - k + extra.shape[1] :]], axis=1)[:, :k]
    t = np.linspace(0.0, np.pi / 2, k, dtype=np.float32)
    out = body.copy()
    out[:, :k] = body[:, :k] * np.sin(t) + extra * np.cos(t)
    return out


def resample(track: np.ndarray, rate: int, to_rate: int = OUTPUT_RATE) -> np.ndarray:
    """`track` at `to_rate` (linear interpolation, preceded by a box low-pass when shrinking)."""
    if rate == to_rate or track.shape[1] == 0:
        return track.astype(np.float32, copy=False)
    count = round(track.shape[1] * to_rate / rate)
    if to_rate < rate:  # average the samples that fold into one, so high notes do not alias
        width = max(1, round(rate / to_rate))
        kernel = np.ones(width, dtype=np.float32) / width
        track = np.stack([np.convolve(ch, kernel, mode="same") for ch in track])
    src = np.arange(track.shape[1], dtype=np.float64)
    pos = np.arange(count, dtype=np.float64) * rate / to_rate
    return np.stack([np.interp(pos, src, ch) for ch in track]).astype(np.float32)
