"""Issue 10 §1 on the tiny models (LTX-2 and the LTX-Video draft build): each test failed before its fix.

Variations with a condition past frame 0, the remix strength, the two-stage 1080p recipe, the image a photo
becomes before it conditions the model, the trained step schedules and the prompt window."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.decoder import load_image, probe_video
from engine.fitting import fit_frame
from engine.presets import LTXV_REFINE_SIGMAS, LTXV_SIGMAS
from engine.spec import EngineJob
from tests.unit.engine.sample_media import SIDE, Recorder

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
]

MakeJob = Callable[..., EngineJob]


def run(engine: Any, job: EngineJob, recorder: Recorder | None = None) -> Any:
    rec = recorder or Recorder()
    return engine.run(job, rec.progress, rec.cancelled)


class PipeSpy:
    """Records the keyword arguments of every pipeline call and the timestep of every denoising step."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.calls: list[dict[str, Any]] = []
        self.timesteps: list[float] = []

    def __enter__(self) -> PipeSpy:
        pipe = self.engine.pipe
        self._cls = cls = type(pipe)
        self._real = real = cls.__call__
        spy = self

        def call(self_: Any, *args: Any, **kwargs: Any) -> Any:
            if self_ is pipe:
                spy.calls.append(dict(kwargs))
                user = kwargs.get("callback_on_step_end")

                def record(p: Any, step: int, t: Any, kw: dict[str, Any]) -> Any:
                    spy.timesteps.append(float(t))
                    return user(p, step, t, kw) if user else {}

                kwargs["callback_on_step_end"] = record
            return real(self_, *args, **kwargs)

        cls.__call__ = call  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        self._cls.__call__ = self._real  # type: ignore[method-assign]


def distilled(draft_engine: Any) -> Any:
    """The draft engine with LTX-Video 0.9.8 distilled's trained schedules (the tiny build has none)."""
    from engine.video_engine import DiffusersEngine

    preset = replace(draft_engine.preset, sigmas=LTXV_SIGMAS, renoise_sigmas=LTXV_REFINE_SIGMAS)
    return DiffusersEngine(draft_engine.pipe, preset, upsampler=draft_engine.upsampler)


# ------------------------------------------------------------------------------------ 1. keyframes + variations


@pytest.mark.parametrize(
    "action",
    ["blend", "loop", "animate-loop"],
)
def test_variations_with_a_condition_past_frame_0_render_on_the_draft_tier(
    draft_engine: Any, make_job: MakeJob, source_clip: Path, second_clip: Path, photo: Path, action: str
) -> None:
    # LTXConditionPipeline encodes conditions at batch 1: two variations of a blend or loop crashed with
    # "Sizes of tensors must match" before they were rendered one per call
    inputs = {
        "blend": {"action": "blend", "videos": [source_clip, second_clip]},
        "loop": {"action": "loop", "videos": [source_clip]},
        "animate-loop": {"action": "animate", "images": [photo], "loop": True},
    }[action]
    clip = run(draft_engine, make_job(variations=2, seconds=2, **inputs))
    assert len(clip.paths) == 2
    assert all(probe_video(p).frames == 48 for p in clip.paths)


def test_variations_with_keyframes_share_a_batch_on_ltx2(
    engine: Any, make_job: MakeJob, source_clip: Path, second_clip: Path
) -> None:
    # LTX2ConditionPipeline expands keyframe tokens across the batch: one call for both variations
    rec = Recorder()
    clip = run(
        engine, make_job("blend", videos=[source_clip, second_clip], seconds=2, variations=2, steps=2), rec
    )
    assert len(clip.paths) == 2
    assert len(rec.calls) == 2 + 2  # one batch of 2 steps, then two files


# ------------------------------------------------------------------------------------ 4. remix strength


@pytest.mark.parametrize("strength", [0.3, 0.6, 0.9])
def test_remix_starts_at_the_sigma_its_strength_asks_for(
    draft_engine: Any, make_job: MakeJob, source_clip: Path, strength: float
) -> None:
    # with the 8 distilled timesteps, strength 0.5-0.9 all started at t >= 975 (2.5 % of the source kept)
    eng = distilled(draft_engine)
    with PipeSpy(eng) as spy:
        run(eng, make_job("remix", videos=[source_clip], strength=strength, steps=8, seconds=1))
    assert spy.timesteps[0] == pytest.approx(strength * 1000, abs=1)
    assert all(t < strength * 1000 for t in spy.timesteps[1:])


def test_ltx2_remix_starts_at_the_sigma_its_strength_asks_for(
    engine: Any, make_job: MakeJob, source_clip: Path
) -> None:
    with PipeSpy(engine) as spy:
        run(engine, make_job("remix", videos=[source_clip], strength=0.5, steps=8, seconds=1))
    (call,) = spy.calls
    assert call["sigmas"][0] == pytest.approx(0.5) and call["noise_scale"] == pytest.approx(0.5)
    assert call["latents"] is not None


# ------------------------------------------------------------------------------------ 5. two-stage 1080p


def test_1080p_on_ltx2_is_rendered_in_two_stages(engine: Any, make_job: MakeJob) -> None:
    # 1080p was one pass at the 480p-class render size, bicubic-upscaled by the encoder
    rec = Recorder()
    with PipeSpy(engine) as spy:
        clip = run(engine, make_job(width=1920, height=1080, steps=2), rec)
    info = probe_video(clip.paths[0])
    assert (info.width, info.height, info.frames) == (1920, 1080, 24)
    assert [(c["width"], c["height"]) for c in spy.calls] == [(960, 544), (1920, 1088)]
    stage2 = spy.calls[1]
    assert stage2["sigmas"] == list(engine.preset.stage2_sigmas) and stage2["latents"] is not None
    assert stage2["latents"].shape[-2:] == (34, 60)  # the upsampled stage-1 latents
    assert stage2["audio_latents"] is not None  # the sound is carried into the refining stage
    assert len(rec.calls) == 2 + 3 + 1  # stage-1 steps, the three refining steps, the file


def test_1080p_on_the_draft_tier_is_rendered_in_two_stages(draft_engine: Any, make_job: MakeJob) -> None:
    with PipeSpy(draft_engine) as spy:
        clip = run(draft_engine, make_job(width=1080, height=1920, steps=2))
    info = probe_video(clip.paths[0])
    assert (info.width, info.height, info.frames) == (1080, 1920, 24)
    assert [(c["width"], c["height"]) for c in spy.calls] == [(544, 960), (1088, 1920)]
    assert spy.timesteps[-len(LTXV_REFINE_SIGMAS) :] == pytest.approx([s * 1000 for s in LTXV_REFINE_SIGMAS])


def test_720p_on_the_draft_tier_stays_one_stage(draft_engine: Any, make_job: MakeJob) -> None:
    with PipeSpy(draft_engine) as spy:
        run(draft_engine, make_job(width=1280, height=720, steps=1))
    assert len(spy.calls) == 1


# ------------------------------------------------------------------------------------ 7. the image condition


def test_animate_conditions_on_a_softened_compressed_photo(
    draft_engine: Any, make_job: MakeJob, photo: Path
) -> None:
    # the photo went in crisp; LTX-Video was trained on compressed frames (its own i2v code blurs and
    # H.264-compresses the image at CRF ~29)
    with PipeSpy(draft_engine) as spy:
        run(draft_engine, make_job("animate", images=[photo], steps=1))
    (condition,) = spy.calls[0]["conditions"]
    given = np.asarray(condition.image, dtype=np.float32)
    crisp = fit_frame(load_image(photo), SIDE, SIDE).astype(np.float32)
    assert given.shape == crisp.shape
    assert np.abs(given - crisp).mean() > 5  # changed ...
    high = lambda x: np.abs(np.diff(x, axis=1)).mean()  # noqa: E731
    assert high(given) < 0.8 * high(crisp)  # ... by losing fine detail, as compression does


def test_ltx2_image_conditions_carry_the_models_crf(engine: Any, make_job: MakeJob, photo: Path) -> None:
    with PipeSpy(engine) as spy:
        run(engine, make_job("animate", images=[photo], steps=1))
    (condition,) = spy.calls[0]["conditions"]
    assert condition.crf == engine.preset.image_crf == 18  # LTX-2.5 was trained at CRF 18
    assert condition.index == 0


def test_prepare_image_keeps_a_smooth_picture_close() -> None:
    from engine.conditioning import prepare_image

    y, x = np.mgrid[0:96, 0:128]
    frame = np.stack([x * 2, y * 2, (x + y)], axis=-1).clip(0, 255).astype(np.uint8)
    frame[40:60, 50:80] = 230  # an edge
    out = prepare_image(frame, crf=29, blur=0.5)
    assert out.shape == frame.shape and out.dtype == np.uint8
    diff = np.abs(out.astype(np.float32) - frame).mean()
    assert 0.05 < diff < 6
    assert np.array_equal(prepare_image(frame, crf=0, blur=0.0), frame)


# ------------------------------------------------------------------------------------ 9. schedules, prompts


def test_fewer_steps_use_the_trained_timesteps(draft_engine: Any, make_job: MakeJob) -> None:
    # any step count but 8 fell back to the pipeline's default schedule, never trained for the distilled model
    eng = distilled(draft_engine)
    with PipeSpy(eng) as spy:
        run(eng, make_job(steps=4))
    assert len(spy.timesteps) == 4
    assert set(round(t, 2) for t in spy.timesteps) <= {round(s * 1000, 2) for s in LTXV_SIGMAS}


def test_a_prompt_past_the_text_window_is_logged(
    engine: Any, make_job: MakeJob, caplog: pytest.LogCaptureFixture
) -> None:
    # prompts were cut at the window without a word
    long = " ".join(["a cat walking on the beach at sunset"] * 40)
    with caplog.at_level(logging.WARNING, logger="engine.conditioning"):
        run(engine, make_job(prompt=long, steps=1))
    assert any("ignores the rest" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="engine.conditioning"):
        run(engine, make_job(prompt="a cat", steps=1))
    assert not any("ignores the rest" in r.getMessage() for r in caplog.records)


# ------------------------------------------------------------------------------------ 8. long clips


def test_a_long_clip_on_ltx2_is_one_pass(engine: Any, make_job: MakeJob) -> None:
    # clips past 257 frames were chained passes, each re-encoding the last 17 decoded frames of the one
    # before (colour and detail drift); LTX-2 renders up to 20 s in one pass
    with PipeSpy(engine) as spy:
        clip = run(engine, make_job(seconds=12, steps=1, width=256, height=256))
    assert probe_video(clip.paths[0]).frames == 288
    assert len(spy.calls) == 1 and spy.calls[0]["num_frames"] == 289 and "conditions" not in spy.calls[0]


def test_a_storyboard_on_ltx2_is_one_pass_with_its_cards_at_their_times(
    engine: Any, make_job: MakeJob, photo: Path
) -> None:
    # a storyboard was one chained pass per card, each re-encoding the last decoded frames of the one
    # before; on LTX-2 its cards are one timed prompt of one pass, with the photo on frame 0
    from tests.unit.engine.test_engine_audio import assert_sound_clip

    cards = [
        {"at": 0, "prompt": "a dog."},
        {"at": 1, "prompt": "a car at night"},
        {"at": 1.5, "prompt": "rain"},
    ]
    with PipeSpy(engine) as spy:
        clip = run(engine, make_job("storyboard", seconds=2, cards=cards, images=[photo], steps=1))
    assert_sound_clip(clip.paths[0], 48)
    (call,) = spy.calls
    assert call["num_frames"] == 49
    assert call["prompt"] == (
        "From 0.0 s to 1.0 s: a dog. From 1.0 s to 1.5 s: a car at night. From 1.5 s to 2.0 s: rain."
    )
    (condition,) = call["conditions"]
    assert condition.index == 0


def test_storyboard_cards_start_on_the_frame_of_their_time() -> None:
    from engine.conditioning import storyboard_prompt
    from engine.planners import card_marks

    cards = [{"at": 2.5, "prompt": "a sprout"}, {"at": 1.04, "prompt": ""}, {"at": 99, "prompt": "a tree"}]
    marks = card_marks(cards, "a seed", 24, 96)
    # 1.04 s is frame 25 (round(24.96)); 2.5 s frame 60; a card past the end starts on the last frame
    assert marks == [(0, "a seed"), (25, "a seed"), (60, "a sprout"), (95, "a tree")]
    assert storyboard_prompt(marks, 96, 24).startswith("From 0.0 s to 1.0 s: a seed. From 1.0 s to 2.5 s:")
    assert card_marks([{"at": 0, "prompt": "x"}, {"at": 0, "prompt": "y"}], "p", 24, 48) == [(0, "y")]
    assert storyboard_prompt([(0, "only this")], 48, 24) == "only this"
