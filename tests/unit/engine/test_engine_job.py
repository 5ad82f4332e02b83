"""The typed engine job (engine/spec.py): its JSON form round-trips, unknown keys and wrong types are refused
(never dropped), and the engine's bounds and dispatch table come from reel/contract.py. No model."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from engine.checks import check_job
from engine.planners import PLANNERS
from engine.spec import Clip, EngineInputError, EngineJob
from reel.contract import FPS, GENERATIVE_ACTIONS, MAX_SECONDS, MIN_SECONDS


def full_job() -> EngineJob:
    """A job with every field away from its default."""
    return EngineJob(
        job_id="j-1", action="storyboard", prompt="a fox", width=854, height=480, seconds=7, fps=30, seed=42,
        variations=2, negative="blurry", watermark=False, loop=True, cards=[{"at": 0, "prompt": "snow"}],
        images=[Path("in/a.png")], videos=[Path("in/b.mp4"), Path("in/c.mp4")], trim_start=0.5, trim_end=3.0,
        extend=True, strength=0.4, out_dir=Path("out/clips"), metadata={"generator": "Reelbot"},
        max_bytes=10_000_000, steps=6, out_name="fox", audio=False,
    )  # fmt: skip


def bad_job_detail(data: Any) -> str:
    with pytest.raises(EngineInputError) as info:
        EngineJob.from_dict(data)
    assert info.value.code == "bad_job"
    return info.value.detail


def test_every_field_round_trips_through_json() -> None:
    job = full_job()
    assert {f.name for f in fields(EngineJob)} == set(job.to_dict())
    defaults = EngineJob(job.job_id, job.action, job.prompt, job.width, job.height, job.seconds)
    required = {"job_id", "action", "prompt", "width", "height", "seconds"}
    assert all(
        getattr(job, f.name) != getattr(defaults, f.name) for f in fields(EngineJob) if f.name not in required
    )
    text = json.dumps(job.to_dict())  # JSON-ready: no Path objects left
    assert EngineJob.from_dict(json.loads(text)) == job


def test_defaults_fill_absent_optional_keys() -> None:
    job = EngineJob.from_dict({"job_id": "j", "action": "create", "prompt": "p", "width": 64, "height": 64,
                               "seconds": 1, "out_dir": "data/x"})  # fmt: skip
    assert (job.fps, job.variations, job.watermark, job.audio) == (FPS, 1, True, True)
    assert job == EngineJob("j", "create", "p", 64, 64, 1, out_dir=Path("data/x"))


def test_the_core_spec_of_today_is_accepted() -> None:
    # the dict bot/core.py stores in a job row (before `audio` travelled): every key is known
    spec = {
        "job_id": "j", "action": "recut", "prompt": "p", "width": 854, "height": 480, "seconds": 5, "fps": 24,
        "seed": 3, "variations": 1, "negative": None, "watermark": True, "loop": False, "cards": [],
        "images": [], "videos": ["data/clips/a.mp4"], "trim_start": 1, "trim_end": 2.5, "extend": False,
        "strength": None, "out_dir": "data/clips", "metadata": {"generator": "Reelbot", "job_id": "j"},
        "max_bytes": None,
    }  # fmt: skip
    job = EngineJob.from_dict(spec)
    assert job.videos == [Path("data/clips/a.mp4")]
    assert job.trim_start == 1.0 and isinstance(job.trim_start, float)
    assert job.audio is True


def test_unknown_keys_are_refused_by_name() -> None:
    data = full_job().to_dict() | {"colour": "red", "sound": False}
    assert "colour" in bad_job_detail(data) and "sound" in bad_job_detail(data)


def test_missing_required_keys_are_refused_by_name() -> None:
    data = full_job().to_dict()
    del data["width"], data["prompt"]
    detail = bad_job_detail(data)
    assert "width" in detail and "prompt" in detail


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("width", "854"),
        ("width", 854.0),
        ("seconds", True),  # a bool is not an int here
        ("seed", "7"),
        ("watermark", 1),
        ("audio", "false"),
        ("trim_start", "1.5"),
        ("trim_end", float("nan")),
        ("prompt", None),
        ("negative", 3),
        ("images", "a.png"),
        ("videos", [None]),
        ("videos", [""]),
        ("cards", [["at", 0]]),
        ("metadata", {"seed": 3}),
        ("out_dir", None),
        ("max_bytes", 1.5),
    ],
)
def test_wrong_types_are_refused_by_name(key: str, value: Any) -> None:
    data = full_job().to_dict() | {key: value}
    assert bad_job_detail(data).startswith(f"{key} must be")


def test_a_job_that_is_not_an_object_is_refused() -> None:
    assert "JSON object" in bad_job_detail(["job_id", "j"])


def test_clip_json_says_whether_it_has_sound() -> None:
    clip = Clip(paths=[Path("a.mp4")], posters=[Path("a.jpg")], frames=24, fps=24, width=64, height=64,
                seconds=1.0, wall_s=0.5, model="tiny")  # fmt: skip
    assert clip.to_dict()["audio"] is False
    assert replace(clip, audio=True).to_dict()["audio"] is True


def test_the_dispatch_table_covers_exactly_the_generative_actions() -> None:
    assert set(PLANNERS) == set(GENERATIVE_ACTIONS)
    assert all(callable(planner) for planner in PLANNERS.values())


@pytest.mark.parametrize("action", ["balance", "help", "_create", "__init__"])
def test_other_actions_are_unsupported(action: str) -> None:
    with pytest.raises(EngineInputError) as info:
        check_job(EngineJob("j", action, "p", 64, 64, 1))
    assert info.value.code == "unsupported_action"


def test_length_bounds_are_the_contract_s() -> None:
    check_job(EngineJob("j", "create", "p", 64, 64, MIN_SECONDS))
    check_job(EngineJob("j", "create", "p", 64, 64, MAX_SECONDS))
    for seconds in (MIN_SECONDS - 1, MAX_SECONDS + 1):
        with pytest.raises(EngineInputError) as info:
            check_job(EngineJob("j", "create", "p", 64, 64, seconds))
        assert info.value.code == "bad_length"
