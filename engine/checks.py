"""The checks an EngineJob must pass before the engine spends any work on it: action, lengths, sizes, counts,
inputs present, storyboard cards. The contract's bounds come from reel/contract.py.

Pure functions over the job's fields: no files are opened and no model is touched here (the decoders
check the files themselves when the passes read them).
"""

from __future__ import annotations

import math
from types import MappingProxyType
from typing import Final

from engine.presets import Preset
from engine.spec import EngineInputError, EngineJob
from reel.contract import GENERATIVE_ACTIONS, MAX_SECONDS, MIN_SECONDS, VARIATIONS

MAX_PROMPT_CHARS: Final = 2000
MAX_SIDE: Final = 4096
MAX_FPS: Final = 60
MAX_VARIATIONS: Final = max(VARIATIONS)
MAX_CARDS: Final = 24
MAX_STEPS: Final = 100

#: (images, videos) each action needs at least; the others need none
NEEDED_INPUTS: Final = MappingProxyType(
    {"animate": (1, 0), "remix": (0, 1), "blend": (0, 2), "recut": (0, 1), "loop": (0, 1)}
)


def check_job(job: EngineJob, preset: Preset | None = None) -> None:
    """Reject a job the engine cannot render, before any work; with `preset`, also what that model cannot
    do (e.g. extend on a family without continuation). Returns None; raises EngineInputError with a stable
    code (unsupported_action, prompt_too_long, bad_size, bad_length, bad_variations, bad_steps,
    bad_strength, missing_input, bad_cards)."""
    if job.action not in GENERATIVE_ACTIONS:
        raise EngineInputError("unsupported_action", f"unknown action {job.action!r}")
    if len(job.prompt) > MAX_PROMPT_CHARS:
        raise EngineInputError("prompt_too_long", f"{len(job.prompt)} > {MAX_PROMPT_CHARS} characters")
    if job.negative is not None and len(job.negative) > MAX_PROMPT_CHARS:
        raise EngineInputError("prompt_too_long", "negative prompt")
    if not (2 <= job.width <= MAX_SIDE and 2 <= job.height <= MAX_SIDE) or job.width % 2 or job.height % 2:
        raise EngineInputError("bad_size", f"{job.width}x{job.height}: even sides up to {MAX_SIDE}")
    if not (MIN_SECONDS <= job.seconds <= MAX_SECONDS) or not (1 <= job.fps <= MAX_FPS):
        raise EngineInputError(
            "bad_length", f"{job.seconds} s at {job.fps} fps (seconds {MIN_SECONDS}..{MAX_SECONDS})"
        )
    if not (1 <= job.variations <= MAX_VARIATIONS):
        raise EngineInputError("bad_variations", f"{job.variations}")
    if job.steps is not None and not (1 <= job.steps <= MAX_STEPS):
        raise EngineInputError("bad_steps", f"{job.steps}")
    if job.strength is not None and not (0.0 < job.strength <= 1.0):
        raise EngineInputError("bad_strength", f"{job.strength}")
    images, videos = NEEDED_INPUTS.get(job.action, (0, 0))
    if len(job.images) < images or len(job.videos) < videos:
        raise EngineInputError("missing_input", f"{job.action} needs {images} image(s) and {videos} video(s)")
    if job.action == "storyboard":
        check_cards(job)
    if preset is not None:
        op = "extend" if job.action == "recut" and job.extend else job.action
        if not preset.supports(op):
            raise EngineInputError("unsupported_action", f"{preset.name} cannot {op}")
        check_length(job, preset)


def check_length(job: EngineJob, preset: Preset) -> None:
    """A model that cannot continue a clip renders each one in a single pass: refuse a longer one before any
    pass runs (not after the first). Returns None; raises EngineInputError("too_long_for_model")."""
    if job.action == "recut" or preset.supports("extend"):
        return
    frames = preset.valid_frames(preset.native_frames(job.seconds))
    if frames > preset.max_frames:
        longest = (preset.max_frames - 1) // preset.fps
        raise EngineInputError(
            "too_long_for_model", f"{preset.name} makes clips of up to {longest} s ({job.seconds} s asked)"
        )


def check_cards(job: EngineJob) -> None:
    """Storyboard cards: at most MAX_CARDS, each with a time inside the clip and a prompt of allowed length.
    Returns None; raises EngineInputError (bad_cards, prompt_too_long)."""
    if len(job.cards) > MAX_CARDS:
        raise EngineInputError("bad_cards", f"{len(job.cards)} cards > {MAX_CARDS}")
    for card in job.cards:
        try:
            at = float(card["at"])
        except (KeyError, TypeError, ValueError):
            raise EngineInputError("bad_cards", f"card without a time: {card!r}"[:200]) from None
        if not (0.0 <= at < job.seconds) or not math.isfinite(at):
            raise EngineInputError("bad_cards", f"card at {at:g} s outside 0..{job.seconds} s")
        if len(str(card.get("prompt") or "")) > MAX_PROMPT_CHARS:
            raise EngineInputError("prompt_too_long", "storyboard card")
