"""Sliding windows for a clip denoised as ONE latent sequence (LTX-Video's LTXI2VLongMultiPromptPipeline): how
many latent frames each window holds, how many it shares with the window before, and which card's prompt it
is denoised under. Arithmetic only (no torch, no pipeline); engine/ltx_renderer.py runs the windows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

#: latent frames a window shares with the one before it when cards are long enough (the pipeline's own
#: default, 24 pixel frames): the new window is conditioned on them and cross-faded over them in latent space
LONG_OVERLAP: Final = 3
#: ... and when a card is shorter than that. The pipeline keeps the clip's latent length with 1 or >= 3 shared
#: frames only (with 2 every window adds one frame too many), so this is 1, not 2.
SHORT_OVERLAP: Final = 1


@dataclass(frozen=True)
class Windows:
    """The window plan of one render: `frames` pixel frames (valid for the model) as `latent` latent frames,
    in windows of `tile` latent frames that share `overlap` with the previous one, window i under prompts[i]."""

    frames: int
    latent: int
    tile: int
    overlap: int
    prompts: tuple[str, ...]

    def spans(self) -> list[tuple[int, int]]:
        """Latent (start, end) of each window, as the pipeline splits the sequence."""
        return split(self.latent, self.tile, self.overlap)

    def segments(self) -> list[dict[str, Any]]:
        """The pipeline's `prompt_segments`: one entry per window."""
        return [{"start_window": i, "end_window": i, "text": t} for i, t in enumerate(self.prompts)]


def latent_index(frame: int, step: int) -> int:
    """The latent frame that holds pixel frame `frame` (frame 0 alone in latent 0, then `step` per latent)."""
    return 0 if frame <= 0 else (frame - 1) // step + 1


def split(latent: int, tile: int, overlap: int) -> list[tuple[int, int]]:
    """Windows of `tile` latent frames every tile - overlap frames, the last one cut at `latent` (the same
    split as diffusers' split_into_temporal_windows)."""
    stride = max(tile - overlap, 1)
    spans, start = [], 0
    while True:
        end = min(start + tile, latent)
        spans.append((start, end))
        if end == latent:
            return spans
        start += stride


def plan_windows(marks: list[tuple[int, str]], total: int, max_frames: int, step: int) -> Windows:
    """Windows for `total` new frames whose prompts change at `marks` ((first pixel frame, prompt), in time
    order, the first at 0). A window is at most one pass (`max_frames`) long and, where cards are shorter, no
    longer than the shortest card plus the overlap, so every card gets a window of its own: each window takes
    the card at its middle, and a card no middle falls in takes the nearest window of a card that has more
    than one. A card shorter than one latent frame (`step` pixel frames) has no window of its own."""
    frames = math.ceil(max(0, total - 1) / step) * step + 1
    latent = latent_index(frames - 1, step) + 1
    most = latent_index(max_frames - 1, step) + 1  # latent frames of one pass
    starts = [latent_index(at, step) for at, _ in marks]
    ends = starts[1:] + [latent]
    lengths = [b - a for a, b in zip(starts, ends, strict=True)]
    positive = [n for n in lengths if n > 0]
    if len(marks) == 1 or not positive:
        overlap, stride = LONG_OVERLAP, max(1, most - LONG_OVERLAP)
    else:
        shortest = min(positive)
        overlap = LONG_OVERLAP if shortest >= LONG_OVERLAP and most > LONG_OVERLAP + 1 else SHORT_OVERLAP
        stride = max(1, min(shortest, most - overlap))
    tile = min(stride + overlap, latent)
    spans = split(latent, tile, overlap)
    middles = [(a + b) / 2 for a, b in spans]
    owner = [_card_at(starts, m) for m in middles]
    for card, (a, b) in enumerate(zip(starts, ends, strict=True)):
        if b <= a or card in owner:
            continue
        mid = (a + b) / 2
        spare = [i for i, c in enumerate(owner) if owner.count(c) > 1]
        if spare:
            owner[min(spare, key=lambda i: abs(middles[i] - mid))] = card
    return Windows(frames, latent, tile, overlap, tuple(marks[c][1] for c in owner))


def _card_at(starts: list[int], latent: float) -> int:
    """The last card starting at or before `latent`."""
    card = 0
    for i, s in enumerate(starts):
        if s <= latent:
            card = i
    return card
