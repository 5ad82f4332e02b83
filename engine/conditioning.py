"""Preparing what the model is conditioned on the way it was trained: a photo is blurred slightly and
H.264-compressed before it becomes a condition (video models learn from compressed frames; a crisp photo
reads to them as a still and gives a static clip), a storyboard's cards become one timed prompt, and prompts
are counted against the text encoder's window.

Pure pre-processing: no pipeline is called here.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

log = logging.getLogger(__name__)


def prepare_image(frame: np.ndarray, crf: int, blur: float) -> np.ndarray:
    """`frame` (uint8 RGB) blurred by a Gaussian of radius `blur` px, then H.264 round-tripped at `crf`
    (0 = not compressed), at its own size. Returns a new uint8 array."""
    out = np.ascontiguousarray(frame)
    if blur > 0:
        from PIL import Image, ImageFilter

        out = np.asarray(Image.fromarray(out, "RGB").filter(ImageFilter.GaussianBlur(blur)), dtype=np.uint8)
    if crf > 0:
        from diffusers.pipelines.ltx2.utils import apply_image_conditioning_crf

        h, w = out.shape[:2]
        even = apply_image_conditioning_crf(np.ascontiguousarray(out), crf)
        if even.shape[:2] != (h, w):  # H.264 wants even sides: keep the odd row / column as it was
            padded = out.copy()
            padded[: even.shape[0], : even.shape[1]] = even
            even = padded
        out = even
    return np.ascontiguousarray(out, dtype=np.uint8)


def warn_if_truncated(tokenizer: Any, prompt: str, limit: int, job: str = "") -> int:
    """Count `prompt`'s tokens; log a warning when the text encoder will only see the first `limit`.
    Returns the count (0 when there is no tokenizer to ask)."""
    if tokenizer is None or not prompt:
        return 0
    try:
        count = len(tokenizer(prompt, add_special_tokens=True).input_ids)
    except Exception:  # a tokenizer that cannot count is no reason to fail the render
        return 0
    if count > limit:
        log.warning(
            "job %s: the prompt is %d tokens; the model reads the first %d and ignores the rest",
            job or "?",
            count,
            limit,
        )
    return count


def storyboard_prompt(marks: list[tuple[int, str]], total: int, fps: int) -> str:
    """One prompt telling what happens when, in time order, for a model that follows a chronological
    description within one pass (LTX-2 is trained on such captions): `marks` are (first frame, prompt) of
    each card (engine/planners.py card_marks), `total` the clip's frames at `fps`. Each card is stated with
    the times of its own frames, e.g. "From 0.0 s to 1.0 s: a dog. From 1.0 s to 2.0 s: rain."; a single card
    is its prompt as it is."""
    if len(marks) == 1:
        return marks[0][1]
    parts = []
    for i, (start, text) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else total
        parts.append(f"From {start / fps:.1f} s to {end / fps:.1f} s: {text.strip().rstrip('.')}.")
    return " ".join(parts)
