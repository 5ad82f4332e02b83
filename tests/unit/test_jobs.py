"""engine.jobs: job states as an enum with one transition table, explicit cancel / delete columns, and an
old job table (error overloaded with "cancel_requested" / "deleted") upgraded in place."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from engine.jobs import (
    CANCELLED,
    DONE,
    FAILED,
    FINAL_STATES,
    QUEUED,
    RUNNING,
    TRANSITIONS,
    IllegalTransition,
    Job,
    JobState,
    JobStore,
    check_transition,
)
from engine.queue import JobEvent, JobQueue
from reel.db import Database
from tests.fakes.engines import FakeEngine

#: The job table as the first release made it (no cancel_requested, no deleted_at).
OLD_TABLE = """CREATE TABLE jobs (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, account TEXT NOT NULL, action TEXT NOT NULL,
    request TEXT NOT NULL, spec TEXT NOT NULL, price INTEGER NOT NULL, lane TEXT NOT NULL,
    max_running INTEGER NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    progress REAL NOT NULL DEFAULT 0, created_at REAL NOT NULL, started_at REAL, finished_at REAL,
    result TEXT, error TEXT, origin TEXT NOT NULL, parent TEXT, public INTEGER NOT NULL DEFAULT 1)"""


def job(job_id: str, tmp: Path) -> Job:
    spec = {
        "job_id": job_id,
        "action": "create",
        "prompt": "p",
        "width": 64,
        "height": 64,
        "seconds": 1,
        "out_dir": str(tmp / "clips"),
    }
    return Job(id=job_id, owner="web:a", account="web:a", action="create", request={}, spec=spec, price=10)


def test_the_transition_table() -> None:
    assert set(TRANSITIONS) == set(JobState)
    assert all(not TRANSITIONS[s] for s in FINAL_STATES)
    assert TRANSITIONS[QUEUED] == {RUNNING, CANCELLED}
    assert TRANSITIONS[RUNNING] == {QUEUED, DONE, FAILED, CANCELLED}
    check_transition("running", "done")
    for bad in [(QUEUED, DONE), (QUEUED, FAILED), (DONE, DONE), (DONE, RUNNING), (CANCELLED, QUEUED)]:
        with pytest.raises(IllegalTransition):
            check_transition(*bad)
    with pytest.raises(ValueError):
        check_transition("running", "exploded")


async def test_transition_enforces_the_table_and_skips_a_job_elsewhere(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "j.db") as db:
        store = await JobStore.open(db)
        await store.add(job("a", tmp_path))
        with pytest.raises(IllegalTransition):
            await store.transition("a", [QUEUED], DONE)  # never rendered: cannot be done
        assert (await store.get("a")).state is QUEUED
        assert await store.start("a")
        assert await store.transition("a", [RUNNING], DONE, result={"path": "x"})
        assert not await store.transition("a", [RUNNING], FAILED)  # finished already: a no-op
        done = await store.get("a")
        assert done.state is DONE and isinstance(done.state, JobState) and done.result == {"path": "x"}
        with pytest.raises(ValueError):
            await store.transition("a", [RUNNING], FAILED, colour="red")


async def test_cancel_and_delete_are_columns_not_error_codes(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "j.db") as db:
        store = await JobStore.open(db)
        for jid in ("run", "fin"):
            await store.add(job(jid, tmp_path))
            await store.start(jid)
        await store.request_cancel("run")
        running = await store.get("run")
        assert running.cancel_requested and running.error is None and running.state is RUNNING
        await store.transition("fin", [RUNNING], DONE)
        assert not await store.mark_deleted("run")  # only a finished clip can be deleted
        assert await store.mark_deleted("fin")
        assert not await store.mark_deleted("fin")
        deleted = await store.get("fin")
        assert deleted.deleted and deleted.error is None and not deleted.public and deleted.state is DONE
        assert await store.recent_public() == []


async def test_an_old_job_table_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    raw = sqlite3.connect(path)
    with raw:
        raw.execute(OLD_TABLE)
        row = "INSERT INTO jobs VALUES (?, 'web:a', 'web:a', 'create', '{}', ?, 10, 'fast', 1, ?, 1, 0, ?, 1, ?, NULL, ?, '{}', NULL, ?)"
        spec = '{"job_id": "x", "action": "create", "prompt": "p", "width": 64, "height": 64, "seconds": 1}'
        raw.execute(row, ("cancelme", spec, "running", 1.0, None, "cancel_requested", 1))
        raw.execute(row, ("gone", spec, "done", 2.0, 5.0, "deleted", 0))
        raw.execute(row, ("broke", spec, "failed", 3.0, 6.0, "engine_error", 1))
    raw.close()
    async with await Database.open(path) as db:
        store = await JobStore.open(db)
        cancel, gone, broke = [await store.get(j) for j in ("cancelme", "gone", "broke")]
        assert (cancel.cancel_requested, cancel.error, cancel.deleted) == (True, None, False)
        assert (gone.deleted_at, gone.error, gone.cancel_requested) == (5.0, None, False)
        assert (broke.error, broke.deleted, broke.cancel_requested) == ("engine_error", False, False)
        await JobStore.open(db)  # opening again changes nothing
        assert (await store.get("broke")).error == "engine_error"
        # the moved cancel mark still works: a restart cancels the job instead of retrying it
        events: list[JobEvent] = []

        async def on_event(ev: JobEvent) -> None:
            events.append(ev)

        engine = FakeEngine(steps=1, real_video=False)
        engine.gate = threading.Event()
        queue = JobQueue(store, engine, on_event=on_event)
        await queue.start()
        await queue.stop()
        assert (await store.get("cancelme")).state is CANCELLED
        assert [e.kind for e in events] == ["cancelled"] and engine.ran == []
