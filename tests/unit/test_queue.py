"""The in-process queue: lanes, fair share, plan caps, cancel, position/ETA, restart recovery."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from engine.backends import Seat
from engine.jobs import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Job, JobStore, new_job_id
from engine.queue import JobEvent, JobQueue, QueueFull
from reel.db import Database
from tests.fakes.engines import FakeEngine


def make_job(account: str, tmp: Path, *, lane: str = "fast", max_running: int = 1, prompt: str = "p") -> Job:
    jid = new_job_id()
    spec = {
        "job_id": jid,
        "action": "create",
        "prompt": prompt,
        "width": 64,
        "height": 64,
        "seconds": 1,
        "out_dir": str(tmp / "clips"),
    }
    return Job(
        id=jid,
        owner=account,
        account=account,
        action="create",
        request={"prompt": prompt},
        spec=spec,
        price=10,
        lane=lane,
        max_running=max_running,
        origin={"platform": "test"},
    )


class Harness:
    def __init__(self, store: JobStore, engine: FakeEngine, workers: int = 1) -> None:
        self.events: list[JobEvent] = []
        self.engine = engine
        self.queue = JobQueue(store, engine, on_event=self._on, workers=workers, max_queued=50)
        self.store = store

    async def _on(self, ev: JobEvent) -> None:
        self.events.append(ev)

    def kinds(self, job_id: str) -> list[str]:
        return [e.kind for e in self.events if e.job.id == job_id]

    async def wait_final(self, job_id: str, timeout: float = 10) -> Job:
        async def poll() -> Job:
            while True:
                job = await self.store.get(job_id)
                if job and job.final and job.state in self.kinds(job_id):
                    return job
                await asyncio.sleep(0.01)

        return await asyncio.wait_for(poll(), timeout)


@pytest.fixture
async def store(tmp_path: Path):
    db = await Database.open(tmp_path / "jobs.db")
    yield await JobStore.open(db)
    await db.close()


async def test_fair_share_round_robin_between_accounts(store: JobStore, tmp_path: Path) -> None:
    engine = FakeEngine(steps=1, real_video=False)
    engine.gate = threading.Event()
    h = Harness(store, engine)
    heavy = [make_job("discord:heavy", tmp_path) for _ in range(10)]
    light = make_job("telegram:light", tmp_path)
    for j in heavy:
        await h.queue.enqueue(j)
    await h.queue.enqueue(light)
    # one heavy job will be running; the light user's job must come right after it, not after nine more
    await h.queue.start()
    await asyncio.to_thread(engine.started.wait, 5)
    assert h.queue.position(light.id) == 0
    assert h.queue.position(heavy[1].id) == 1
    engine.gate.set()
    for j in [*heavy, light]:
        await h.wait_final(j.id)
    order = [j.job_id for j in engine.ran]
    assert order[0] == heavy[0].id
    assert order[1] == light.id
    assert order[2:] == [j.id for j in heavy[1:]]
    await h.queue.stop()


async def test_fast_lane_before_relaxed(store: JobStore, tmp_path: Path) -> None:
    engine = FakeEngine(steps=1, real_video=False)
    h = Harness(store, engine)
    relaxed = make_job("web:a", tmp_path, lane="relaxed")
    fast = [make_job("web:b", tmp_path), make_job("web:c", tmp_path)]
    await h.queue.enqueue(relaxed)
    for j in fast:
        await h.queue.enqueue(j)
    assert h.queue.position(relaxed.id) == 2
    assert h.queue.position(fast[0].id) == 0
    await h.queue.start()
    await h.wait_final(relaxed.id)
    assert [j.job_id for j in engine.ran] == [fast[0].id, fast[1].id, relaxed.id]
    await h.queue.stop()


async def test_plan_cap_limits_jobs_at_once(store: JobStore, tmp_path: Path) -> None:
    engine = FakeEngine(steps=1, real_video=False)
    engine.gate = threading.Event()
    h = Harness(store, engine, workers=3)
    a1, a2 = make_job("web:a", tmp_path, max_running=1), make_job("web:a", tmp_path, max_running=1)
    b1 = make_job("web:b", tmp_path, max_running=2)
    b2 = make_job("web:b", tmp_path, max_running=2)
    for j in (a1, a2, b1, b2):
        await h.queue.enqueue(j)
    await h.queue.start()
    for _ in range(200):
        if h.queue.running_count() == 3:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    running = {j.id for j in (a1, a2, b1, b2) if (await store.get(j.id)).state == RUNNING}
    # three workers, but account a may only run one job at once
    assert running == {a1.id, b1.id, b2.id}
    assert (await store.get(a2.id)).state == QUEUED
    engine.gate.set()
    for j in (a1, a2, b1, b2):
        assert (await h.wait_final(j.id)).state == DONE
    await h.queue.stop()


async def test_cancel_queued_and_running(store: JobStore, tmp_path: Path) -> None:
    engine = FakeEngine(steps=1000, step_s=0.01, real_video=False)
    h = Harness(store, engine)
    running, queued = make_job("web:a", tmp_path), make_job("web:b", tmp_path)
    await h.queue.enqueue(running)
    await h.queue.enqueue(queued)
    await h.queue.start()
    await asyncio.to_thread(engine.started.wait, 5)
    assert await h.queue.cancel(queued.id) == "cancelled"
    assert (await store.get(queued.id)).state == CANCELLED
    assert await h.queue.cancel(running.id) == "cancelling"
    job = await h.wait_final(running.id, timeout=2)  # 1000 steps x 10 ms would take 10 s
    assert job.state == CANCELLED
    assert "cancelled" in h.kinds(running.id) and "cancelled" in h.kinds(queued.id)
    assert await h.queue.cancel(running.id) == "final"
    assert await h.queue.cancel("000000000000") == "unknown"
    # the worker is free again
    nxt = make_job("web:c", tmp_path)
    engine.steps = 1
    await h.queue.enqueue(nxt)
    assert (await h.wait_final(nxt.id)).state == DONE
    await h.queue.stop()


async def test_progress_events_and_eta(store: JobStore, tmp_path: Path) -> None:
    engine = FakeEngine(steps=4, real_video=False)
    h = Harness(store, engine)
    job = make_job("web:a", tmp_path)
    await h.queue.enqueue(job)
    assert h.queue.eta(job.id) is not None and h.queue.eta(job.id) > 0
    await h.queue.start()
    done = await h.wait_final(job.id)
    await asyncio.sleep(0.05)
    fractions = [e.fraction for e in h.events if e.job.id == job.id and e.kind == "progress"]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) == 4
    assert h.kinds(job.id)[0] == "started" and h.kinds(job.id)[-1] == "done"
    assert done.result and Path(done.result["path"]).exists()
    await h.queue.stop()


async def test_engine_errors_fail_the_job(store: JobStore, tmp_path: Path) -> None:
    engine = FakeEngine(steps=1, real_video=False)
    engine.fail_codes = {"bad": "image_corrupt", "boom": "crash"}
    h = Harness(store, engine)
    bad, boom = make_job("web:a", tmp_path, prompt="bad"), make_job("web:b", tmp_path, prompt="boom")
    await h.queue.enqueue(bad)
    await h.queue.enqueue(boom)
    await h.queue.start()
    assert (await h.wait_final(bad.id)).error == "input:image_corrupt"
    assert (await h.wait_final(boom.id)).error == "engine_error"
    assert h.kinds(boom.id)[-1] == "failed"
    await h.queue.stop()


async def test_queue_full(store: JobStore, tmp_path: Path) -> None:
    h = Harness(store, FakeEngine(real_video=False))
    h.queue._max_queued = 2
    await h.queue.enqueue(make_job("web:a", tmp_path))
    await h.queue.enqueue(make_job("web:a", tmp_path))
    extra = make_job("web:a", tmp_path)
    with pytest.raises(QueueFull):
        await h.queue.enqueue(extra)
    assert await store.get(extra.id) is None


async def test_recovery_requeues_retries_and_gives_up(store: JobStore, tmp_path: Path) -> None:
    queued = make_job("web:a", tmp_path)
    fresh_running = make_job("web:b", tmp_path)
    tried_running = make_job("web:c", tmp_path)
    for j in (queued, fresh_running, tried_running):
        await store.add(j)
    await store.start(fresh_running.id)  # attempts = 1: the crash happened on the first try
    await store.start(tried_running.id)
    await store.transition(tried_running.id, [RUNNING], QUEUED)
    await store.start(tried_running.id)  # attempts = 2: already retried once
    engine = FakeEngine(steps=1, real_video=False)
    h = Harness(store, engine)
    given_up = await h.queue.start()
    assert [j.id for j in given_up] == [tried_running.id]
    assert (await store.get(tried_running.id)).state == FAILED
    assert (await store.get(tried_running.id)).error == "interrupted"
    assert (await h.wait_final(queued.id)).state == DONE
    retried = await h.wait_final(fresh_running.id)
    assert retried.state == DONE and retried.attempts == 2
    await h.queue.stop()


async def test_cancel_between_pick_and_start_is_honoured(store: JobStore, tmp_path: Path) -> None:
    engine = FakeEngine(steps=1, real_video=False)
    h = Harness(store, engine)
    job = make_job("web:a", tmp_path)
    await h.queue.enqueue(job)
    picked = h.queue._pick()  # what a worker does, up to the moment before its start write
    assert picked is not None and picked.id == job.id
    h.queue._cancel_flags[job.id] = threading.Event()
    assert h.queue.position(job.id) is None  # no KeyError while it is being taken
    assert await h.queue.cancel(job.id) == "cancelling"
    await h.queue._run_one(Seat("0"), picked)
    assert (await store.get(job.id)).state == CANCELLED
    assert engine.ran == [] and h.kinds(job.id) == ["cancelled"]


async def test_member_cancel_survives_a_shutdown(store: JobStore, tmp_path: Path) -> None:
    engine = FakeEngine(steps=1, real_video=False)
    engine.gate = threading.Event()  # the render hangs
    h = Harness(store, engine)
    job = make_job("web:a", tmp_path)
    await h.queue.enqueue(job)
    await h.queue.start()
    await asyncio.to_thread(engine.started.wait, 5)
    assert await h.queue.cancel(job.id) == "cancelling"
    await h.queue.stop()  # the bot stops before the engine reached its next step check
    again = Harness(store, FakeEngine(steps=1, real_video=False))
    await again.queue.start()
    assert (await store.get(job.id)).state == CANCELLED
    assert again.engine.ran == []
    await again.queue.stop()
