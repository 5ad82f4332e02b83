"""Issue 10 item 8 on the draft tier: long clips and storyboards are one latent sequence in sliding windows
(LTXI2VLongMultiPromptPipeline), never passes chained through decoded frames. The window plan (pure), then the
tiny LTX-Video build end to end, checked on the written MP4 with PyAV."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.decoder import probe_video
from engine.spec import EngineJob
from engine.windows import SHORT_OVERLAP, latent_index, plan_windows, split
from tests.unit.engine.sample_media import SIDE, Recorder, decode

MakeJob = Callable[..., EngineJob]
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

CARDS = [
    {"at": 0, "prompt": "a dog"},
    {"at": 1, "prompt": "a car at night"},
    {"at": 1.5, "prompt": "rain"},
]

# ------------------------------------------------------------------------------------------ the window plan


def covered(latent: int, spans: list[tuple[int, int]]) -> bool:
    return spans[0][0] == 0 and spans[-1][1] == latent and all(a < b for a, b in spans)


def test_one_long_prompt_is_windows_of_one_pass_each() -> None:
    w = plan_windows([(0, "a cat")], 480, 257, 8)  # 20 s at 24 fps
    assert (w.frames, w.latent) == (481, 61)
    assert w.tile == 33 and w.overlap == 3  # 257 frames a window, 24 shared
    assert w.spans() == [(0, 33), (30, 61)]
    assert w.prompts == ("a cat", "a cat")


@pytest.mark.parametrize(
    ("marks", "total"),
    [
        ([(0, "a"), (24, "b"), (36, "c")], 48),  # the cards of CARDS over 2 s
        ([(0, "a"), (48, "b"), (96, "c")], 144),  # three 2 s cards
        ([(0, "a"), (10, "b"), (200, "c"), (201, "d"), (470, "e")], 480),  # uneven, one under a latent frame
        ([(0, "a"), (120, "b")], 480),  # a short opening card, a long clip
    ],
)
def test_every_card_has_a_window_in_time_order(marks: list[tuple[int, str]], total: int) -> None:
    w = plan_windows(marks, total, 257, 8)
    assert w.frames >= total and (w.frames - 1) % 8 == 0
    assert covered(w.latent, w.spans())
    assert w.tile <= 33 and w.overlap in (SHORT_OVERLAP, 3)  # 2 shared frames would add a frame per window
    assert len(w.prompts) == len(w.spans())
    starts = [latent_index(at, 8) for at, _ in marks]
    ends = starts[1:] + [w.latent]
    wanted = [text for (_, text), a, b in zip(marks, starts, ends, strict=True) if b > a]
    order = [p for i, p in enumerate(w.prompts) if i == 0 or w.prompts[i - 1] != p]
    assert order == wanted  # each card with a latent frame of its own, once, in order
    assert w.prompts[0] == marks[0][1]


def test_cards_take_the_windows_over_their_time() -> None:
    w = plan_windows([(0, "a"), (48, "b"), (96, "c")], 144, 257, 8)
    for (a, b), prompt in zip(w.spans(), w.prompts, strict=True):
        middle = (a + b) / 2
        card = "a" if middle < latent_index(48, 8) else "b" if middle < latent_index(96, 8) else "c"
        assert prompt == card


def test_split_matches_the_pipelines() -> None:
    from diffusers.pipelines.ltx.pipeline_ltx_i2v_long_multi_prompt import split_into_temporal_windows

    for latent, tile, overlap in [(7, 3, 1), (61, 33, 3), (13, 5, 3), (4, 4, 3), (19, 9, 3)]:
        assert split(latent, tile, overlap) == split_into_temporal_windows(latent, tile, overlap, 8)


# ------------------------------------------------------------------------------------------ the draft tier


@dataclass
class Spy:
    """What the draft engine's pipelines and VAE were asked to do during a job."""

    long_calls: list[dict[str, Any]] = field(default_factory=list)
    condition_calls: int = 0
    encoded: list[tuple[int, ...]] = field(default_factory=list)  # input shape of each VAE encode


@contextmanager
def spying(engine: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Spy]:
    from diffusers import LTXConditionPipeline, LTXI2VLongMultiPromptPipeline

    spy = Spy()
    vae = engine.pipe.vae
    real_long, real_cond, real_encode = (
        LTXI2VLongMultiPromptPipeline.__call__,
        LTXConditionPipeline.__call__,
        type(vae).encode,
    )

    def long_call(self: Any, *args: Any, **kwargs: Any) -> Any:
        assert self.transformer is engine.pipe.transformer and self.vae is vae  # the same weights, no copy
        spy.long_calls.append(dict(kwargs))
        return real_long(self, *args, **kwargs)

    def cond_call(self: Any, *args: Any, **kwargs: Any) -> Any:
        spy.condition_calls += 1
        return real_cond(self, *args, **kwargs)

    def encode(self: Any, x: Any, *args: Any, **kwargs: Any) -> Any:
        if self is vae:
            spy.encoded.append(tuple(x.shape))
        return real_encode(self, x, *args, **kwargs)

    monkeypatch.setattr(LTXI2VLongMultiPromptPipeline, "__call__", long_call)
    monkeypatch.setattr(LTXConditionPipeline, "__call__", cond_call)
    monkeypatch.setattr(type(vae), "encode", encode)
    yield spy


def assert_mp4(path: Path, frames: int, width: int, height: int) -> np.ndarray:
    info = probe_video(path)
    assert (info.width, info.height, info.fps, info.frames) == (width, height, 24, frames)
    assert info.seconds == pytest.approx(frames / 24, abs=1e-3)
    video = decode(path)
    assert video.shape == (frames, height, width, 3)
    return video


def run(engine: Any, job: EngineJob, rec: Recorder) -> Any:
    return engine.run(job, rec.progress, rec.cancelled)


@pytest.mark.slow
def test_a_draft_storyboard_is_one_latent_sequence_with_a_window_per_card(
    draft_engine: Any, make_job: MakeJob, monkeypatch: pytest.MonkeyPatch
) -> None:
    # it was one LTXConditionPipeline pass per card, each VAE-encoding the last 17 decoded frames of the one
    # before (colour and detail drift); now one long-pipeline call per variation, no encode at all
    rec = Recorder()
    with spying(draft_engine, monkeypatch) as spy:
        clip = run(draft_engine, make_job("storyboard", seconds=2, cards=CARDS, steps=2, variations=2), rec)
    assert spy.condition_calls == 0 and spy.encoded == []
    assert len(spy.long_calls) == 2
    first, second = spy.long_calls
    assert [s["text"] for s in first["prompt_segments"]] == ["a dog", "a car at night", "rain"]
    assert first["num_frames"] == 49 and first["temporal_overlap"] % 8 == 0
    assert first["seed"] != second["seed"]  # one seed per variation
    assert len(rec.calls) == 2 * 3 * 2 + 2  # 2 variations x 3 windows x 2 steps, then two files
    a, b = (assert_mp4(p, 48, SIDE, SIDE) for p in clip.paths)
    assert np.abs(a.astype(np.float32) - b).mean() > 1.0  # the two variations differ


@pytest.mark.slow
def test_a_draft_animate_past_one_pass_keeps_the_photo_as_its_only_encoded_frame(
    draft_engine: Any, make_job: MakeJob, monkeypatch: pytest.MonkeyPatch, photo: Path
) -> None:
    # 12 s is 289 frames, past the 257 of one pass: it was two passes, the second conditioned on the first's
    # decoded tail; now two windows of one latent sequence, the photo the one image ever encoded
    rec = Recorder()
    with spying(draft_engine, monkeypatch) as spy:
        clip = run(
            draft_engine, make_job("animate", images=[photo], seconds=12, steps=1, width=256, height=160), rec
        )
    (call,) = spy.long_calls
    assert spy.condition_calls == 0
    assert spy.encoded == [(1, 3, 1, 160, 256)]  # the photo, once (one frame), never decoded frames
    assert call["num_frames"] == 289 and call["cond_image"].size == (256, 160)
    assert [s["text"] for s in call["prompt_segments"]] == [call["prompt"]] * 2
    assert len(rec.calls) == 2 * 1 + 1  # two windows of one step, then the file
    assert_mp4(clip.paths[0], 288, 256, 160)


@pytest.mark.slow
def test_a_draft_create_past_a_short_pass_is_windows_of_that_pass(
    draft_engine: Any, make_job: MakeJob, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine.video_engine import DiffusersEngine

    short = DiffusersEngine(draft_engine.pipe, replace(draft_engine.preset, max_frames=33))
    rec = Recorder()
    with spying(draft_engine, monkeypatch) as spy:
        clip = run(short, make_job(seconds=3, steps=1), rec)
    (call,) = spy.long_calls
    assert spy.encoded == [] and spy.condition_calls == 0
    assert (call["temporal_tile_size"] // 8 - 1) * 8 + 1 <= 33  # a window is at most one pass (33 frames)
    windows = len(call["prompt_segments"])
    assert windows > 1 and len(rec.calls) == windows + 1
    assert_mp4(clip.paths[0], 72, SIDE, SIDE)


@pytest.mark.slow
def test_draft_windows_in_two_stages_are_upsampled_latents(
    draft_engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a large draft-tier storyboard: the windows at half size, the whole latent sequence upsampled x2
    from engine.passes import Passes, Segment, Work
    from engine.progress import Progress

    job = EngineJob(job_id="two", action="storyboard", prompt="a cat", width=256, height=192, seconds=1)
    w = Work(job, [5], 256, 192, 1, Progress(lambda f, e: None, lambda: False), two_stage=True)
    passes = Passes(draft_engine.renderer, draft_engine.preset, max_batch=1)
    with spying(draft_engine, monkeypatch) as spy:
        (clip,) = passes.generate(w, [Segment("a cat", 12), Segment("a dog", 12)])
    (call,) = spy.long_calls
    assert (call["width"], call["height"]) == (128, 96)
    assert clip.frames.shape == (24, 192, 256, 3) and spy.encoded == []
