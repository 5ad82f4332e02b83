"""The submit's unit of work through the core: the credit hold and the job row commit together or not at
all, and a full queue refuses before anything is written (so there is no refund path for it)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.core import Context, Core
from bot.settings import Settings
from engine.jobs import Job, JobStore
from tests.fakes.engines import FakeEngine


async def open_core(tmp_path: Path, **settings: object) -> Core:
    """A core whose queue is not started: submitted jobs stay queued."""
    s = Settings(data_dir=tmp_path / "data", _env_file=None, **settings)  # type: ignore[arg-type]
    return await Core.open(s, FakeEngine(steps=1, real_video=False))


def ctx(user: str = "telegram:1") -> Context:
    return Context(user=user, origin={"platform": "none"})


async def hold_rows(core: Core) -> list[str]:
    return [r.job_id or "" for r in await core.ledger.history("telegram:1") if r.kind == "hold"]


async def test_a_full_queue_refuses_before_writing(tmp_path: Path) -> None:
    core = await open_core(tmp_path, max_queue=1)
    try:
        first = await core.handle_text(ctx(), "a fox 5s")
        assert first.kind == "queued"
        full = await core.handle_text(ctx(), "a cat 5s")
        assert full.kind == "error" and full.job_id is None
        assert [j.id for j in await core.jobs.of_owner("telegram:1")] == [first.job_id]
        assert await hold_rows(core) == [first.job_id]  # no hold, and so no refund row either
        bal = await core.ledger.balance("telegram:1")
        assert (bal.available, bal.held) == (75, 25)
    finally:
        await core.close()


async def test_submits_in_flight_count_against_the_queue(tmp_path: Path) -> None:
    core = await open_core(tmp_path, max_queue=1)
    try:
        replies = await asyncio.gather(
            core.handle_text(ctx(), "a fox 5s"), core.handle_text(ctx(), "a cat 5s")
        )
        assert sorted(r.kind for r in replies) == ["error", "queued"]
        assert len(await core.jobs.of_owner("telegram:1")) == 1 and len(await hold_rows(core)) == 1
        assert core.queue.queued_count() == 1
    finally:
        await core.close()


async def test_a_hold_that_fails_writes_no_job(tmp_path: Path) -> None:
    core = await open_core(tmp_path)
    try:
        # five requests read the same balance (100) before any holds: the fifth hold finds 0 left
        replies = await asyncio.gather(*(core.handle_text(ctx(), f"a fox number {n} 5s") for n in range(5)))
        queued = [r.job_id for r in replies if r.kind == "queued"]
        assert len(queued) == 4 and [r.kind for r in replies].count("error") == 1
        assert sorted(j.id for j in await core.jobs.of_owner("telegram:1")) == sorted(queued)
        assert sorted(h.job_id for h in await core.ledger.open_holds()) == sorted(queued)
        assert core.queue.queued_count() == 4
    finally:
        await core.close()


async def test_a_job_row_that_fails_takes_its_hold_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = await open_core(tmp_path)

    def broken_insert(self: JobStore, conn: sqlite3.Connection, job: Job) -> None:
        conn.execute("INSERT INTO jobs (id) VALUES (NULL)")  # a constraint fails after the hold was written

    try:
        monkeypatch.setattr(JobStore, "tx_add", broken_insert)
        reply = await core.handle_text(ctx(), "a fox 5s")
        assert reply.kind == "error"
        assert await core.ledger.open_holds() == [] and await hold_rows(core) == []
        assert await core.jobs.of_owner("telegram:1") == []
        assert (await core.ledger.balance("telegram:1")).available == 100
        monkeypatch.undo()
        assert (await core.handle_text(ctx(), "a fox 5s")).kind == "queued"  # its queue place was given back
        assert core.queue.queued_count() == 1
    finally:
        await core.close()


async def test_a_caller_cancelled_mid_commit_still_gets_its_job_in_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = await open_core(tmp_path)
    inside, release = threading.Event(), threading.Event()
    real_insert = JobStore.tx_add

    def slow_insert(self: JobStore, conn: sqlite3.Connection, job: Job) -> None:
        inside.set()
        release.wait(10)  # on the database thread: the commit waits while the caller is cancelled
        real_insert(self, conn, job)

    try:
        monkeypatch.setattr(JobStore, "tx_add", slow_insert)
        task = asyncio.ensure_future(core.handle_text(ctx(), "a fox 5s"))
        assert await asyncio.to_thread(inside.wait, 10)
        task.cancel()  # e.g. a web client that hung up
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await task
        for _ in range(500):
            if core.queue.queued_count():
                break
            await asyncio.sleep(0.01)
        [job] = await core.jobs.of_owner("telegram:1")
        assert core.queue.get(job.id) is not None  # in line now, not only after a restart
        assert [h.job_id for h in await core.ledger.open_holds()] == [job.id]
    finally:
        release.set()
        await core.close()
