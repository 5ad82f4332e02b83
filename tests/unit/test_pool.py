"""The pool's bookkeeping (engine/pool.py) and what travels through Redis (engine/remote_wire.py): heartbeats,
capability, seats and prefetch, lost dispatches, the JSON serializer, payloads and results as bytes."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path

import pytest

from engine.pool import TRANSIT_S, Dispatched, Pool, WorkerInfo, max_pixels_of, refusal
from engine.remote_wire import (
    RemoteError,
    decode_clip,
    decode_job,
    dumps,
    encode_clip,
    encode_job,
    loads,
    new_task_id,
    split_task_id,
)
from engine.remote_worker import _Turns
from engine.spec import Clip, EngineInputError, EngineJob

ALL = frozenset({"create", "animate", "remix", "blend", "recut", "loop", "storyboard", "extend"})


def info(wid: str, beat: int = 1, **kw: object) -> WorkerInfo:
    values: dict[str, object] = {
        "id": wid,
        "preset": "p",
        "operations": ALL,
        "max_pixels": max_pixels_of("1080p"),
        "seats": 2,
        "beat": beat,
        "ttl_s": 3.0,
    }
    values.update(kw)
    return WorkerInfo(**values)  # type: ignore[arg-type]


def test_worker_info_round_trips_through_json() -> None:
    one = info("w1", holds=("a.w1.1",), finished=("b.w1.2",), gpu="H100", gpu_memory_gb=80.0, pid=7)
    assert WorkerInfo.from_dict(loads(dumps(one.to_dict()))) == one
    with pytest.raises(KeyError):
        WorkerInfo.from_dict({"id": "w"})


def test_refusal_names_what_a_worker_cannot_run() -> None:
    t2v = info("t2v", operations=frozenset({"create", "recut"}), max_pixels=max_pixels_of("480p"))
    assert refusal(t2v, {"action": "create", "width": 854, "height": 480}) is None
    assert refusal(t2v, {"action": "create", "width": 480, "height": 854}) is None
    assert refusal(t2v, {"action": "animate", "width": 480, "height": 480}) == "unsupported_action"
    assert (
        refusal(t2v, {"action": "recut", "extend": True, "width": 480, "height": 480}) == "unsupported_action"
    )
    assert refusal(t2v, {"action": "create", "width": 1280, "height": 720}) == "too_large"
    with pytest.raises(ValueError):
        max_pixels_of("4k")


def test_seats_idle_first_then_a_prefetch_seat_near_the_end_of_a_run() -> None:
    pool = Pool()
    pool.beat(info("busy"), now=0.0)
    pool.beat(info("idle"), now=1.0)
    pool.assign("busy", Dispatched("j1.busy.1", "j1", 0.0))
    assert [(m.info.id, pre) for m, pre in pool.seats()] == [("idle", False)]
    pool.members["busy"].progress = 0.8
    assert [(m.info.id, pre) for m, pre in pool.seats()] == [("idle", False), ("busy", True)]
    pool.assign("busy", Dispatched("j2.busy.2", "j2", 0.0))
    assert [m.info.id for m, _ in pool.seats()] == ["idle"]  # both of its seats are taken
    pool.settle("j1.busy.1", now=5.0)
    assert pool.members["busy"].progress == 0.0  # the run it holds next starts from 0


def test_a_prefetch_seat_takes_fast_jobs_and_relaxed_ones_wait_behind_a_waiting_fast_one() -> None:
    pool = Pool()
    pool.beat(info("a"), now=0.0)
    pool.beat(info("b"), now=0.0)
    a, b = pool.members["a"], pool.members["b"]
    spec = {"action": "create", "width": 64, "height": 64}
    assert pool.accepts(a, spec, "j", "relaxed", prefetch=False)
    assert not pool.accepts(a, spec, "j", "relaxed", prefetch=True)
    pool.assign("a", Dispatched("x.a.1", "x", 0.0))
    pool.assign("a", Dispatched("y.a.2", "y", 0.0))  # a fast job waits its turn on a
    assert not pool.accepts(b, spec, "j", "relaxed", prefetch=False)
    assert pool.accepts(b, spec, "j", "fast", prefetch=False)


def test_a_refused_job_is_not_offered_to_that_worker_again_and_placeable_says_who_can() -> None:
    pool = Pool()
    assert pool.placeable({"action": "create", "width": 64, "height": 64}, "j") is None  # nobody yet
    pool.beat(info("small", max_pixels=max_pixels_of("480p")), now=0.0)
    pool.beat(info("big"), now=0.0)
    spec = {"action": "create", "width": 1920, "height": 1080}
    assert pool.placeable(spec, "j") is True
    pool.refused("j", "big")
    assert pool.was_refused("j") and not pool.accepts(pool.members["big"], spec, "j", "fast", False)
    assert pool.placeable(spec, "j") is False
    pool.forget(["j"])
    assert pool.placeable(spec, "j") is True


def test_silent_workers_expire_and_unheld_dispatches_are_found() -> None:
    pool = Pool()
    pool.beat(info("w", beat=1), now=0.0)
    pool.assign("w", Dispatched("j.w.1", "j", published_at=0.0))
    pool.beat(info("w", beat=2), now=1.0)
    assert pool.unheld(1.0, since=0.0) == []  # too early to tell
    pool.beat(info("w", beat=3), now=TRANSIT_S + 1.0)
    assert [d.task_id for d in pool.unheld(TRANSIT_S + 1.0, since=0.0)] == ["j.w.1"]
    pool.beat(info("w", beat=4, finished=("j.w.1",)), now=TRANSIT_S + 1.5)
    assert pool.unheld(TRANSIT_S + 1.5, since=0.0) == []  # it finished it: the result is there to take
    assert pool.expire(now=TRANSIT_S + 4.0) == []
    pool.beat(info("w", beat=4), now=100.0)  # the same beat again: no news from the worker
    gone = pool.expire(now=TRANSIT_S + 5.0)
    assert [m.info.id for m in gone] == ["w"] and pool.members == {}


def test_dispatch_ids_name_their_job_and_worker() -> None:
    tid = new_task_id("abc123", "box-gpu0-9f")
    assert split_task_id(tid) == ("abc123", "box-gpu0-9f")
    for bad in ("abc", "a.b", "a..c", "a.b.c.d"):
        with pytest.raises(ValueError):
            split_task_id(bad)


def test_the_serializer_is_json_and_keeps_exceptions_as_values() -> None:
    data = {"s": False, "r": ValueError("boom"), "a": ("x", 1)}
    raw = dumps(data)
    assert isinstance(raw, str) and "boom" in raw
    back = loads(raw)
    assert (
        isinstance(back["r"], RemoteError) and back["r"].kind == "ValueError" and back["r"].message == "boom"
    )
    assert back["a"] == ["x", 1]
    assert loads(dumps(back))["r"].kind == "ValueError"
    with pytest.raises(TypeError):
        dumps({"x": object()})


def test_a_payload_carries_its_input_files_and_a_result_its_clip(tmp_path: Path) -> None:
    src = tmp_path / "bot"
    src.mkdir()
    (src / "cat.png").write_bytes(b"png bytes")
    job = EngineJob(
        job_id="j1",
        action="animate",
        prompt="p",
        width=64,
        height=64,
        seconds=1,
        images=[src / "cat.png"],
        out_dir=src / "clips",
    )
    payload = loads(dumps(encode_job(job, seq=5)))
    assert payload["seq"] == 5 and payload["job"]["images"] == ["i0-cat.png"]
    got = decode_job(payload, tmp_path / "worker")
    assert got.images[0].read_bytes() == b"png bytes" and got.out_dir == tmp_path / "worker" / "out"
    assert got.images[0].parent == tmp_path / "worker" / "in"

    out = got.out_dir
    out.mkdir(parents=True)
    (out / "j1.mp4").write_bytes(b"mp4")
    (out / "j1.jpg").write_bytes(b"jpg")
    clip = Clip(
        paths=[out / "j1.mp4"],
        posters=[out / "j1.jpg"],
        frames=24,
        fps=24,
        width=64,
        height=64,
        seconds=1.0,
        wall_s=0.5,
        model="fake",
        seed=3,
    )
    result = loads(dumps(encode_clip(clip)))
    back = decode_clip(result, src / "clips")
    assert back.paths == [src / "clips" / "j1.mp4"] and back.paths[0].read_bytes() == b"mp4"
    assert back.posters[0].read_bytes() == b"jpg" and back.seed == 3 and back.frames == 24


@pytest.mark.parametrize("name", ["../evil.png", "/etc/passwd", "a/b.png", "..", ""])
def test_payload_and_result_file_names_cannot_leave_their_folder(tmp_path: Path, name: str) -> None:
    payload = {
        "job": {
            "job_id": "j",
            "action": "animate",
            "prompt": "p",
            "width": 64,
            "height": 64,
            "seconds": 1,
            "images": [name],
        },
        "files": {name: base64.b64encode(b"x").decode()},
    }
    with pytest.raises(EngineInputError) as err:
        decode_job(payload, tmp_path)
    assert err.value.code == "bad_job"
    result = {"outcome": "done", "clip": {"paths": [name], "posters": []}, "files": {name: "eA=="}}
    with pytest.raises(ValueError):
        decode_clip(result, tmp_path / "out")


def test_a_payload_with_unknown_job_keys_is_a_bad_job(tmp_path: Path) -> None:
    with pytest.raises(EngineInputError) as err:
        decode_job(
            {
                "job": {
                    "job_id": "j",
                    "action": "create",
                    "prompt": "p",
                    "width": 2,
                    "height": 2,
                    "seconds": 1,
                    "colour": "red",
                }
            },
            tmp_path,
        )
    assert err.value.code == "bad_job"


async def test_the_engine_takes_runs_in_dispatch_order_one_at_a_time() -> None:
    turns = _Turns()
    order: list[int] = []
    inside = 0

    async def run(seq: int, delay: float) -> None:
        nonlocal inside
        await asyncio.sleep(delay)
        async with turns.turn(seq):
            inside += 1
            assert inside == 1
            order.append(seq)
            await asyncio.sleep(0.01)
            inside -= 1

    first = asyncio.create_task(run(1, 0))
    await asyncio.sleep(0.001)
    cancelled = asyncio.create_task(run(2, 0))
    late = [asyncio.create_task(run(s, 0.002)) for s in (4, 3)]
    await asyncio.sleep(0.003)
    cancelled.cancel()  # a run aborted while waiting its turn gives it up
    await asyncio.gather(first, *late, cancelled, return_exceptions=True)
    assert order == [1, 3, 4]


async def test_a_pool_whose_redis_cannot_be_reached_says_so() -> None:
    from engine.remote_dispatch import RemotePool
    from tests.fakes.redis_server import free_port

    pool = RemotePool(f"redis://:sekrit@127.0.0.1:{free_port()}/0")
    with pytest.raises(ConnectionError, match="cannot reach the queue's Redis") as err:
        await pool.open(lambda: None)
    assert "sekrit" not in str(err.value) and "***@127.0.0.1" in str(err.value)
    await pool.close()


def test_the_worker_command_needs_a_queue_url_and_lists_its_options(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELBOT_")}
    env.update(PYTHONPATH=str(root), REELBOT_DATA_DIR=str(tmp_path / "d"))
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "worker"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert run.returncode == 2 and "REELBOT_QUEUE_URL" in run.stdout
    helped = subprocess.run(
        [sys.executable, "-m", "bot.cli", "worker", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    for option in ("--gpu", "--model", "--max-resolution", "--prefetch"):
        assert option in helped.stdout
