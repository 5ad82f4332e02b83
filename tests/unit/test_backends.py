"""The job queue over a Backend that is not this process (engine/backends.py), with a scripted backend:
seats that accept only some jobs, runs lost with and without using an attempt, jobs no seat will take,
runs that outlive a stopping queue and are followed by the next one, and results fenced by dispatch."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from engine.backends import Backend, JobLost, RunHooks, Seat
from engine.jobs import DONE, FAILED, QUEUED, RUNNING, Job, JobStore
from engine.outcomes import MAX_SLIPS
from engine.queue import MAX_ATTEMPTS, JobEvent, JobQueue
from engine.spec import Clip
from reel.db import Database
from tests.unit.test_queue import make_job


class Scripted(Backend):
    """Seats by name; each run waits until the test settles it with `finish(job_id, outcome)`."""

    keeps_running: ClassVar[bool] = True
    tick_s: ClassVar[float | None] = 0.05

    def __init__(self, seats: dict[str, Any], refuse: dict[str, str] | None = None) -> None:
        self.accepts = seats  # seat name -> accept(job) or None
        self.busy: dict[str, str] = {}
        self.refuse = refuse or {}
        self.outcomes: dict[str, asyncio.Future[Any]] = {}
        self.runs: list[tuple[str, str, str | None]] = []  # (job, seat, dispatch)
        self.resumable: dict[str, str] = {}  # job id -> seat that still runs it
        self.counter = 0

    def free_seats(self) -> Iterator[Seat]:
        for name, accept in self.accepts.items():
            if name not in self.busy:
                yield Seat(name, accept=accept)

    def take(self, seat: Seat, job: Job) -> None:
        self.counter += 1
        seat.dispatch = f"{job.id}.{seat.key}.{self.counter}"
        self.busy[seat.key] = job.id

    def release(self, seat: Seat) -> None:
        self.busy.pop(seat.key, None)

    def _future(self, job_id: str) -> asyncio.Future[Any]:
        fut = self.outcomes.get(job_id)
        if fut is None or fut.done():
            fut = self.outcomes[job_id] = asyncio.get_running_loop().create_future()
        return fut

    async def run(self, seat: Seat, job: Job, cancel: threading.Event, hooks: RunHooks) -> Clip:
        self.runs.append((job.id, seat.key, seat.dispatch))
        fut = self._future(job.id)
        await hooks.started()
        outcome = await fut
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def finish(self, job_id: str, outcome: Any) -> None:
        self._future(job_id).set_result(outcome)

    async def resume(self, job: Job) -> Seat | None:
        key = self.resumable.get(job.id)
        if key is None:
            return None
        self.busy[key] = job.id
        return Seat(key, dispatch=job.dispatch, resumed=True)

    def refusal(self, job: Job) -> str | None:
        return self.refuse.get(job.spec["prompt"])


def clip(tmp: Path) -> Clip:
    return Clip(
        paths=[tmp / "c.mp4"],
        posters=[tmp / "c.jpg"],
        frames=24,
        fps=24,
        width=64,
        height=64,
        seconds=1.0,
        wall_s=0.1,
        model="scripted",
    )


class Rig:
    def __init__(self, store: JobStore, backend: Scripted) -> None:
        self.store, self.backend = store, backend
        self.events: list[JobEvent] = []
        self.queue = JobQueue(store, backend, on_event=self._on)

    async def _on(self, ev: JobEvent) -> None:
        self.events.append(ev)

    def kinds(self, job_id: str) -> list[str]:
        return [e.kind for e in self.events if e.job.id == job_id]

    async def until(self, predicate: Any, timeout: float = 5) -> None:
        async def poll() -> None:
            while True:
                if predicate():
                    return
                await asyncio.sleep(0.005)

        await asyncio.wait_for(poll(), timeout)

    async def running(self, job_id: str, nth: int = 1) -> None:
        await self.until(lambda: sum(1 for r in self.backend.runs if r[0] == job_id) >= nth)

    async def final(self, job_id: str) -> Job:
        await self.until(lambda: any(k in ("done", "failed", "cancelled") for k in self.kinds(job_id)))
        job = await self.store.get(job_id)
        assert job is not None
        return job


@pytest.fixture
async def store(tmp_path: Path):
    db = await Database.open(tmp_path / "jobs.db")
    yield await JobStore.open(db)
    await db.close()


async def test_seats_take_only_the_jobs_they_accept(store: JobStore, tmp_path: Path) -> None:
    rig = Rig(store, Scripted({"anim": lambda j: j.spec["prompt"] == "animate me", "any": None}))
    await rig.queue.start()
    plain, special = make_job("web:a", tmp_path), make_job("web:b", tmp_path, prompt="animate me")
    await rig.queue.enqueue(plain)
    await rig.queue.enqueue(special)
    await rig.running(plain.id)
    await rig.running(special.id)
    assert {(j, s) for j, s, _ in rig.backend.runs} == {(plain.id, "any"), (special.id, "anim")}
    stored = await store.get(special.id)
    assert stored is not None and stored.dispatch is not None and stored.dispatch.startswith(special.id)
    for job in (plain, special):
        rig.backend.finish(job.id, clip(tmp_path))
        assert (await rig.final(job.id)).state == DONE
    await rig.queue.stop()


async def test_a_lost_run_is_retried_first_in_line_once_then_given_up(
    store: JobStore, tmp_path: Path
) -> None:
    rig = Rig(store, Scripted({"s": None}))
    await rig.queue.start()
    job, later = make_job("web:a", tmp_path, max_running=5), make_job("web:a", tmp_path, max_running=5)
    await rig.queue.enqueue(job)
    await rig.running(job.id)
    await rig.queue.enqueue(later)
    rig.backend.finish(job.id, JobLost("worker gone"))
    await rig.running(job.id, 2)  # back first in its account's line: before `later`
    assert [r[0] for r in rig.backend.runs] == [job.id, job.id]
    assert (await store.get(job.id)).attempts == 2
    rig.backend.finish(job.id, JobLost("worker gone again"))
    failed = await rig.final(job.id)
    assert (
        failed.state == FAILED
        and failed.error == "interrupted"
        and rig.kinds(job.id) == ["started", "started", "failed"]
    )
    await rig.running(later.id)
    rig.backend.finish(later.id, clip(tmp_path))
    await rig.final(later.id)
    await rig.queue.stop()


async def test_a_run_that_never_started_uses_no_attempt(store: JobStore, tmp_path: Path) -> None:
    rig = Rig(store, Scripted({"s": None}))
    await rig.queue.start()
    job = make_job("web:a", tmp_path)
    await rig.queue.enqueue(job)
    for n in range(1, 4):  # lost in transit three times: never given up for it
        await rig.running(job.id, n)
        rig.backend.finish(job.id, JobLost("never arrived", counted=False))
    await rig.running(job.id, 4)
    assert (await store.get(job.id)).attempts == 1
    rig.backend.finish(job.id, clip(tmp_path))
    done = await rig.final(job.id)
    assert done.state == DONE and done.attempts == 1
    assert len({d for _, _, d in rig.backend.runs}) == 4  # every try had a dispatch of its own
    await rig.queue.stop()


async def test_a_job_that_never_reaches_a_worker_is_given_up_in_the_end(
    store: JobStore, tmp_path: Path
) -> None:
    rig = Rig(store, Scripted({"s": None}))
    await rig.queue.start()
    job = make_job("web:a", tmp_path)
    await rig.queue.enqueue(job)
    n = 0
    await rig.running(job.id, 1)
    while "failed" not in rig.kinds(job.id):
        n += 1
        rig.backend.finish(job.id, JobLost("never arrived", counted=False))
        await rig.until(
            lambda n=n: (
                "failed" in rig.kinds(job.id) or sum(1 for r in rig.backend.runs if r[0] == job.id) > n
            )
        )
    failed = await rig.final(job.id)
    assert failed.error == "interrupted" and n == MAX_SLIPS + MAX_ATTEMPTS
    await rig.queue.stop()


async def test_a_job_no_seat_will_take_fails_with_the_backends_code(store: JobStore, tmp_path: Path) -> None:
    rig = Rig(store, Scripted({"s": lambda j: False}, refuse={"huge": "no_worker"}))
    await rig.queue.start()
    job = make_job("web:a", tmp_path, prompt="huge")
    await rig.queue.enqueue(job)
    failed = await rig.final(job.id)
    assert failed.state == FAILED and failed.error == "no_worker" and rig.kinds(job.id) == ["failed"]
    assert rig.backend.runs == [] and rig.queue.queued_count() == 0
    await rig.queue.stop()


async def test_runs_outlive_a_stopping_queue_and_the_next_one_follows_them(
    store: JobStore, tmp_path: Path
) -> None:
    backend = Scripted({"s": None})
    rig = Rig(store, backend)
    await rig.queue.start()
    job = make_job("web:a", tmp_path)
    await rig.queue.enqueue(job)
    await rig.running(job.id)
    await rig.queue.stop()
    left = await store.get(job.id)
    assert left is not None and left.state == RUNNING and left.dispatch is not None
    # the next process: the backend says the run is still alive on seat "s"
    after = Scripted({"s": None})
    after.resumable[job.id] = "s"
    again = Rig(store, after)
    await again.queue.start()
    await again.running(job.id)
    assert after.runs[0][2] == left.dispatch  # the same dispatch, not a new one
    after.finish(job.id, clip(tmp_path))
    done = await again.final(job.id)
    assert done.state == DONE and done.attempts == 1
    assert again.kinds(job.id) == ["done"]  # the member saw it start before the restart
    await again.queue.stop()


async def test_a_run_the_next_process_cannot_follow_is_retried(store: JobStore, tmp_path: Path) -> None:
    rig = Rig(store, Scripted({"s": None}))
    await rig.queue.start()
    job = make_job("web:a", tmp_path)
    await rig.queue.enqueue(job)
    await rig.running(job.id)
    await rig.queue.stop()
    again = Rig(store, Scripted({"s": None}))  # nothing to resume: its worker is gone
    await again.queue.start()
    await again.running(job.id)
    row = await store.get(job.id)
    assert row is not None and row.attempts == 2 and row.dispatch == again.backend.runs[0][2]
    again.backend.finish(job.id, clip(tmp_path))
    assert (await again.final(job.id)).state == DONE
    await again.queue.stop()


async def test_a_finish_names_its_dispatch(store: JobStore, tmp_path: Path) -> None:
    job = make_job("web:a", tmp_path)
    await store.add(job)
    assert await store.start(job.id, "d1")
    assert not await store.transition(job.id, [RUNNING], DONE, dispatch_is="d0")  # a stale dispatch
    assert (await store.get(job.id)).state == RUNNING
    assert await store.transition(job.id, [RUNNING], QUEUED, dispatch_is="d1", dispatch=None)
    assert await store.start(job.id, "d2")
    assert await store.transition(job.id, [RUNNING], DONE, dispatch_is="d2")
