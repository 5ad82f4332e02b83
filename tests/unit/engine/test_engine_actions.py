"""Every action through DiffusersEngine on the tiny model, checked on the written file with PyAV: frames,
fps, size, duration, watermark, loop seam, exact trims, determinism, progress, cancel, bad input."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.decoder import probe_video
from engine.encoder import read_container_metadata
from engine.spec import EngineCancelled, EngineInputError, EngineJob
from engine.watermark import Watermark
from tests.unit.engine.sample_media import SIDE, Recorder, bar_index, decode

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
]

MakeJob = Callable[..., EngineJob]


def run(engine: Any, job: EngineJob, recorder: Recorder | None = None) -> Any:
    rec = recorder or Recorder()
    return engine.run(job, rec.progress, rec.cancelled)


def assert_clip(path: Path, frames: int, width: int = SIDE, height: int = SIDE, fps: int = 24) -> np.ndarray:
    info = probe_video(path)
    assert (info.width, info.height) == (width, height)
    assert info.fps == fps
    assert info.frames == frames
    assert info.seconds == pytest.approx(frames / fps, abs=1e-3)
    decoded = decode(path)
    assert decoded.shape == (frames, height, width, 3)
    return decoded


#: mean |difference| between a frame and its copy after one more H.264 generation, on the tiny model's
#: noise-like frames (unrelated frames differ by ~25)
REENCODED = 8.0


def mean_step(video: np.ndarray) -> float:
    return float(np.median(np.abs(np.diff(video.astype(np.float32), axis=0)).mean(axis=(1, 2, 3))))


def seam(video: np.ndarray) -> float:
    return float(np.abs(video[-1].astype(np.float32) - video[0]).mean())


def assert_loops_without_a_still(video: np.ndarray) -> None:
    """Issue 10 item 6: a loop is closed by a bridge rendered into the clip's opening, not by fading the
    last frames into a still of frame 0. Playing last -> first is then one ordinary step (no cut), and the
    frames before it are still moving: none of the last four is a near-copy of frame 0 (the old 12-frame
    crossfade made them 70-90 % frame 0, seams a quarter of a step)."""
    step = mean_step(video)
    assert seam(video) < 1.25 * step
    for k in range(2, 6):
        assert np.abs(video[-k].astype(np.float32) - video[0]).mean() > 0.5 * step


# ------------------------------------------------------------------------------------------ create


def test_create_480p_5s_is_exact(engine: Any, make_job: MakeJob) -> None:
    queue_meta = {"generator": "Reelbot", "job_id": "queue-1"}  # what the queue passes along
    clip = run(engine, make_job(width=854, height=480, seconds=5, metadata=queue_meta))
    assert (clip.frames, clip.fps, clip.width, clip.height, clip.seconds) == (120, 24, 854, 480, 5.0)
    assert_clip(clip.paths[0], 120, 854, 480)
    assert clip.posters[0].is_file() and clip.posters[0].suffix == ".jpg"
    meta = read_container_metadata(clip.paths[0])
    assert meta["generator"] == "Reelbot" and meta["reelbot_model"] == "tiny"
    assert meta["reelbot_job"] == clip.paths[0].stem and meta["reelbot_seed"] == "7"
    assert meta["job_id"] == "queue-1" and meta["reelbot_action"] == "create"
    assert clip.to_dict()["path"] == str(clip.paths[0])


@pytest.mark.parametrize(("width", "height"), [(480, 854), (1280, 720)])
def test_create_other_sizes_are_exact(engine: Any, make_job: MakeJob, width: int, height: int) -> None:
    clip = run(engine, make_job(width=width, height=height, steps=1))
    assert_clip(clip.paths[0], 24, width, height)


def test_progress_is_reported_per_step_and_increases(engine: Any, make_job: MakeJob) -> None:
    rec = Recorder()
    run(engine, make_job(steps=3), rec)
    fractions = [f for f, _ in rec.calls]
    assert len(fractions) == 3 + 1  # three denoising steps, then the encoded file
    assert all(b > a for a, b in zip(fractions, fractions[1:], strict=False))
    assert fractions[-1] == 1.0 and all(eta is not None and eta >= 0 for _, eta in rec.calls)


def test_same_seed_same_frames_other_seed_other_frames(engine: Any, make_job: MakeJob) -> None:
    a = decode(run(engine, make_job(seed=21)).paths[0])
    b = decode(run(engine, make_job(seed=21)).paths[0])
    c = decode(run(engine, make_job(seed=22)).paths[0])
    assert np.array_equal(a, b)
    assert np.abs(a.astype(int) - c).mean() > 5


def test_watermark_only_when_asked(engine: Any, make_job: MakeJob) -> None:
    plain = decode(run(engine, make_job(seed=5, watermark=False)).paths[0]).astype(np.int16)
    marked = decode(run(engine, make_job(seed=5, watermark=True)).paths[0]).astype(np.int16)
    x, y, w, h = Watermark(SIDE, SIDE).box
    corner = np.abs(marked[:, y : y + h, x : x + w] - plain[:, y : y + h, x : x + w]).mean(axis=(1, 2, 3))
    far = np.abs(marked[:, : SIDE // 2, : SIDE // 2] - plain[:, : SIDE // 2, : SIDE // 2]).mean(
        axis=(1, 2, 3)
    )
    assert (corner > 30).all()  # the label is in every frame
    assert (corner > 4 * far).all()  # elsewhere only the encoder's noise on noise-like content differs


def test_watermark_leaves_the_rest_of_the_frame_alone(engine: Any, make_job: MakeJob, bar_clip: Path) -> None:
    # On clean content (a trim: no model) the frames outside the label are the same with and without it.
    cut = {"videos": [bar_clip], "trim_start": 0.0, "trim_end": 1.0}
    plain = decode(run(engine, make_job("recut", watermark=False, **cut)).paths[0]).astype(np.int16)
    marked = decode(run(engine, make_job("recut", watermark=True, **cut)).paths[0]).astype(np.int16)
    x, y, w, h = Watermark(SIDE, SIDE).box
    assert (
        np.abs(marked[:, y : y + h, x : x + w] - plain[:, y : y + h, x : x + w]).mean(axis=(1, 2, 3)) > 30
    ).all()
    assert np.abs(marked[:, : y - 16] - plain[:, : y - 16]).mean() < 0.5


def test_variations_render_in_one_batch(engine: Any, make_job: MakeJob) -> None:
    rec = Recorder()
    clip = run(engine, make_job(variations=2, steps=2), rec)
    assert len(clip.paths) == len(clip.posters) == 2
    assert clip.paths[1].name.endswith("-2.mp4")
    a, b = (assert_clip(p, 24) for p in clip.paths)
    assert np.abs(a.astype(int) - b).mean() > 5
    assert len(rec.calls) == 2 + 2  # one batch of 2 steps, then two files


def test_create_loop_is_closed_by_a_bridge(engine: Any, make_job: MakeJob) -> None:
    calls: list[Any] = []
    real = engine.renderer.render

    def spy(p: Any, seeds: list[int], on_step: Any) -> Any:
        calls.append(p)
        return real(p, seeds, on_step)

    engine.renderer.render = spy
    try:
        plain = decode(run(engine, make_job(seconds=2, seed=9)).paths[0])
        calls.clear()
        looped = decode(run(engine, make_job(seconds=2, seed=9, loop=True)).paths[0])
    finally:
        del engine.renderer.render
    assert len(looped) == 48
    assert_loops_without_a_still(looped)
    assert np.abs(looped[:20].astype(np.int16) - plain[:20]).mean() < REENCODED  # the clip's opening, as made
    # the clip, then a bridge conditioned on the frames before the cut (at 0) and the clip's opening (at its end)
    assert len(calls) == 2 and calls[0].conditions == []
    assert [c.index > 0 for c in calls[1].conditions] == [False, True]


# ------------------------------------------------------------------------------------------ edits


def test_animate_from_an_image(engine: Any, make_job: MakeJob, photo: Path) -> None:
    clip = run(engine, make_job("animate", images=[photo]))
    assert_clip(clip.paths[0], 24)


def test_animate_loop(engine: Any, make_job: MakeJob, photo: Path) -> None:
    video = assert_clip(run(engine, make_job("animate", images=[photo], loop=True, seconds=2)).paths[0], 48)
    assert_loops_without_a_still(video)


def test_remix_renoises_the_source(engine: Any, make_job: MakeJob, source_clip: Path) -> None:
    rec = Recorder()
    clip = run(engine, make_job("remix", videos=[source_clip], strength=0.5, steps=4, seconds=2), rec)
    assert_clip(clip.paths[0], 48)
    assert len(rec.calls) == 2 + 1  # int(4 * 0.5) denoising steps


def test_blend_starts_with_a_and_ends_with_b(
    engine: Any, make_job: MakeJob, source_clip: Path, second_clip: Path
) -> None:
    video = assert_clip(
        run(engine, make_job("blend", videos=[source_clip, second_clip], seconds=2)).paths[0], 48
    )
    a, b = decode(source_clip).astype(np.int16), decode(second_clip).astype(np.int16)
    c = 17  # context frames anchored at each end
    assert np.abs(video[0] - a[len(a) - c]).mean() < REENCODED  # A's tail, pixel for pixel
    assert np.abs(video[-1] - b[c - 2]).mean() < REENCODED  # B's head (the render's last frame is cut)


def test_recut_trim_is_exact_and_skips_the_model(engine: Any, make_job: MakeJob, bar_clip: Path) -> None:
    rec = Recorder()
    clip = run(engine, make_job("recut", videos=[bar_clip], trim_start=1.0, trim_end=2.5, seconds=5), rec)
    assert (clip.frames, clip.seconds) == (36, 1.5)
    video = assert_clip(clip.paths[0], 36)
    assert [bar_index(f, 6) for f in video] == list(range(24, 60))
    assert [f for f, _ in rec.calls] == [1.0]  # no denoising step


def test_recut_trim_outside_the_clip_is_refused(engine: Any, make_job: MakeJob, bar_clip: Path) -> None:
    with pytest.raises(EngineInputError) as info:
        run(engine, make_job("recut", videos=[bar_clip], trim_start=2.0, trim_end=9.0))
    assert info.value.code == "bad_trim"


def test_recut_extend_keeps_the_clip_and_continues_it(
    engine: Any, make_job: MakeJob, source_clip: Path
) -> None:
    clip = run(engine, make_job("recut", videos=[source_clip], extend=True, seconds=3))
    video = assert_clip(clip.paths[0], 72)
    source = decode(source_clip).astype(np.int16)
    assert np.abs(video[:48] - source).mean() < REENCODED  # the original two seconds, unchanged
    with pytest.raises(EngineInputError) as info:
        run(engine, make_job("recut", videos=[source_clip], extend=True, seconds=2))
    assert info.value.code == "bad_extend"


def test_loop_closes_the_clip(engine: Any, make_job: MakeJob, source_clip: Path) -> None:
    video = assert_clip(run(engine, make_job("loop", videos=[source_clip], seconds=2)).paths[0], 48)
    assert_loops_without_a_still(video)
    source = decode(source_clip).astype(np.int16)
    assert np.abs(video[:20] - source[:20]).mean() < REENCODED  # the opening is kept


STORYBOARD = [
    {"at": 0, "prompt": "a dog"},
    {"at": 1, "prompt": "a car at night"},
    {"at": 1.5, "prompt": "rain"},
]


def test_storyboard_on_ltx2_renders_one_pass(engine: Any, make_job: MakeJob) -> None:
    rec = Recorder()
    clip = run(engine, make_job("storyboard", seconds=2, cards=STORYBOARD, steps=2), rec)
    assert_clip(clip.paths[0], 48)
    assert len(rec.calls) == 2 + 1  # one pass of 2 steps, then the file


def test_storyboard_on_the_draft_tier_renders_one_window_per_card(
    draft_engine: Any, make_job: MakeJob
) -> None:
    rec = Recorder()
    clip = run(draft_engine, make_job("storyboard", seconds=2, cards=STORYBOARD, steps=2), rec)
    assert_clip(clip.paths[0], 48)
    assert len(rec.calls) == 3 * 2 + 1


def test_long_clip_is_rendered_as_chained_passes(engine: Any, make_job: MakeJob) -> None:
    from dataclasses import replace

    short = replace(engine.preset, max_frames=33)  # force segments: 2 s needs 49 frames
    original = engine.preset
    engine.preset = short
    try:
        rec = Recorder()
        clip = run(engine, make_job(seconds=2, steps=1), rec)
    finally:
        engine.preset = original
    assert_clip(clip.paths[0], 48)
    assert len(rec.calls) == 2 + 1  # 33 frames, then 17 of context + 16 new


def test_size_cap_is_met(engine: Any, make_job: MakeJob) -> None:
    clip = run(engine, make_job(seconds=2, max_bytes=120_000))
    assert clip.paths[0].stat().st_size <= 120_000
    assert_clip(clip.paths[0], 48)


# ------------------------------------------------------------------------------------------ cancel


def test_cancel_stops_within_a_step_and_the_next_job_runs(engine: Any, make_job: MakeJob) -> None:
    forward_calls: list[int] = []
    hook = engine.pipe.transformer.register_forward_hook(lambda *args: forward_calls.append(1))
    rec = Recorder(cancel_after=1)  # the flag turns on once step 1 is reported
    try:
        with pytest.raises(EngineCancelled):
            engine.run(make_job(steps=6), rec.progress, rec.cancelled)
    finally:
        hook.remove()
    assert len(rec.calls) == 1  # nothing reported after the flag
    assert len(forward_calls) == 2  # step 2 was running when the flag turned on; steps 3-6 never ran
    assert engine.pipe._interrupt is False
    assert_clip(run(engine, make_job(steps=2)).paths[0], 24)


def test_cancel_before_start_does_no_work(engine: Any, make_job: MakeJob, out_dir: Path) -> None:
    with pytest.raises(EngineCancelled):
        engine.run(make_job(), lambda f, e: None, lambda: True)
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_error_inside_a_step_leaves_the_engine_usable(engine: Any, make_job: MakeJob) -> None:
    def explode(fraction: float, eta: float | None) -> None:
        raise RuntimeError("progress sink failed")

    with pytest.raises(RuntimeError):
        engine.run(make_job(), explode, lambda: False)
    assert_clip(run(engine, make_job()).paths[0], 24)


def test_two_threads_share_one_engine(engine: Any, make_job: MakeJob) -> None:
    clips: list[Any] = []
    errors: list[BaseException] = []

    def worker(seed: int) -> None:
        try:
            clips.append(run(engine, make_job(seed=seed, steps=1, width=256, height=256)))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(s,)) for s in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(clips) == 2
    for clip in clips:
        assert_clip(clip.paths[0], 24, 256, 256)


# ------------------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"prompt": "x" * 10_000}, "prompt_too_long"),
        ({"action": "dance"}, "unsupported_action"),
        ({"action": "animate"}, "missing_input"),
        ({"action": "blend", "videos": [Path("a.mp4")]}, "missing_input"),
        ({"width": 855}, "bad_size"),
        ({"seconds": 0}, "bad_length"),
        ({"variations": 50}, "bad_variations"),
        ({"action": "storyboard", "cards": [{"at": 99, "prompt": "late"}]}, "bad_cards"),
        ({"action": "storyboard", "cards": [{"prompt": "when?"}]}, "bad_cards"),
    ],
)
def test_bad_jobs_are_refused_before_any_work(
    engine: Any, make_job: MakeJob, changes: dict[str, Any], code: str
) -> None:
    rec = Recorder()
    with pytest.raises(EngineInputError) as info:
        run(engine, make_job(**changes), rec)
    assert info.value.code == code
    assert rec.calls == []


def test_bad_files_are_refused(
    engine: Any, make_job: MakeJob, tmp_path: Path, bomb_png: Path, two_hour_clip: Path
) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    text = tmp_path / "notes.mp4"
    text.write_text("just some text\n" * 50)
    cases = [
        (make_job("animate", images=[broken]), "image_corrupt"),
        (make_job("animate", images=[bomb_png]), "image_too_large"),
        (make_job("remix", videos=[text]), "not_a_video"),
        (make_job("remix", videos=[two_hour_clip]), "video_too_long"),
        (make_job("loop", videos=[tmp_path / "missing.mp4"]), "missing_input"),
    ]
    for job, code in cases:
        rec = Recorder()
        with pytest.raises(EngineInputError) as info:
            run(engine, job, rec)
        assert info.value.code == code, job.action
        assert rec.calls == []
    assert_clip(run(engine, make_job()).paths[0], 24)  # and the engine still works


def test_the_engine_leaves_the_threads_floating_point_state_as_it_found_it(
    engine: Any, make_job: Any
) -> None:
    """The engine flushes denormals while it works (random weights are full of them), and only then: left
    on, every later float in this thread would lose its subnormals (hypothesis refuses to run at all)."""
    tiny = float("5e-324")  # the smallest subnormal double; read as zero while denormals are flushed
    assert tiny * 1.0 > 0
    run(engine, make_job())
    assert tiny * 1.0 > 0
