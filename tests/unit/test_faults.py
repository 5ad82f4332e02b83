"""Faults: the engine crashing or running out of memory, a full disk, a database another process keeps
locked. Each ends with the job failed and refunded (or nothing charged at all), a clear word to the member,
and the bot healthy for the next request."""

from __future__ import annotations

import asyncio
import errno
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core import Core
from bot.messages import render
from bot.replies import Context, Notice
from bot.settings import Settings
from engine.jobs import DONE, FAILED
from engine.spec import CancelledFn, Clip, EngineJob, ProgressFn
from tests.fakes.engines import FakeEngine


class FaultyEngine(FakeEngine):
    """Raises the exception named by the job's prompt, once; renders normally otherwise."""

    def __init__(self) -> None:
        super().__init__(steps=1, real_video=False)
        self.faults: dict[str, BaseException] = {}

    def run(self, job: EngineJob, on_progress: ProgressFn, cancelled: CancelledFn) -> Clip:
        fault = self.faults.pop(job.prompt, None)
        if fault is not None:
            raise fault
        return super().run(job, on_progress, cancelled)


class OutOfMemoryError(RuntimeError):
    """What torch.cuda raises (matched by name: the bot side imports no torch)."""


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[tuple[Core, FaultyEngine, list[Notice]]]:
    engine = FaultyEngine()
    core = await Core.open(Settings(data_dir=tmp_path / "data", _env_file=None), engine)  # type: ignore[call-arg]
    notices: list[Notice] = []

    async def on(n: Notice) -> None:
        notices.append(n)

    core.subscribe("test", on)
    await core.start()
    yield core, engine, notices
    await core.close()


def ctx() -> Context:
    return Context(user="telegram:1", origin={"platform": "test", "chat_id": "1"})


async def ended(core: Core, notices: list[Notice], job_id: str) -> Notice:
    for _ in range(500):
        final = [n for n in notices if n.job_id == job_id and n.kind in ("done", "failed")]
        if final:
            return final[0]
        await asyncio.sleep(0.01)
    raise AssertionError(f"job {job_id} did not end")


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        (
            RuntimeError("engine exploded"),
            "Something went wrong while rendering. Your 25 credits were refunded.",
        ),
        (OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB"), "The render ran out of memory"),
        (MemoryError(), "The render ran out of memory"),
        (OSError(errno.ENOSPC, "No space left on device"), "no room left to save clips"),
    ],
)
async def test_an_engine_fault_fails_and_refunds_the_job_and_the_next_job_runs(
    setup: tuple[Core, FaultyEngine, list[Notice]], fault: BaseException, says: str
) -> None:
    core, engine, notices = setup
    engine.faults["a doomed fox"] = fault
    doomed = await core.handle_text(ctx(), "a doomed fox 5s")
    told = await ended(core, notices, doomed.job_id)
    assert told.kind == "failed" and says in render(told.reply)
    assert "refunded" in render(told.reply)
    assert (await core.jobs.get(doomed.job_id)).state == FAILED
    balance = await core.ledger.balance("telegram:1")
    assert (balance.available, balance.held) == (100, 0)
    fine = await core.handle_text(ctx(), "a happy fox 5s")  # the worker is healthy
    assert (await ended(core, notices, fine.job_id)).kind == "done"
    assert (await core.jobs.get(fine.job_id)).state == DONE
    assert (await core.ledger.balance("telegram:1")).available == 75


async def test_a_database_locked_by_another_process_refuses_the_request_and_charges_nothing(
    setup: tuple[Core, FaultyEngine, list[Notice]], monkeypatch: pytest.MonkeyPatch
) -> None:
    core, _, _ = setup
    real = core.db.transaction

    async def locked(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(fn, "__name__", "") == "tx_hold_and_add":
            raise sqlite3.OperationalError("database is locked")
        return await real(fn, *args, **kwargs)

    monkeypatch.setattr(core.db, "transaction", locked)
    reply = await core.handle_text(ctx(), "a fox 5s")
    assert reply.key == "busy" and "nothing was charged" in render(reply)
    assert await core.jobs.of_owner("telegram:1") == [] and core.queue.queued_count() == 0
    monkeypatch.setattr(core.db, "transaction", real)
    assert (await core.handle_text(ctx(), "a fox 5s")).kind == "queued"


async def test_a_real_lock_held_by_another_connection_is_waited_out_or_refused(tmp_path: Path) -> None:
    from reel.db import Database

    path = tmp_path / "busy.db"
    async with await Database.open(path, busy_timeout_ms=50) as db:
        await db.run(lambda conn: conn.execute("CREATE TABLE t (x INTEGER)"))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            with pytest.raises(sqlite3.OperationalError) as refused:
                await db.transaction(lambda conn: conn.execute("INSERT INTO t VALUES (1)"))
        finally:
            other.execute("ROLLBACK")
            other.close()
        from bot.errors import error_reply

        assert error_reply(refused.value).key == "busy"
        await db.transaction(lambda conn: conn.execute("INSERT INTO t VALUES (2)"))  # free again: it works


async def test_a_full_disk_while_saving_an_upload_is_a_clear_refusal(
    setup: tuple[Core, FaultyEngine, list[Notice]],
) -> None:
    from bot.replies import Attachment

    core, _, _ = setup

    async def fetch(dest: Path) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    reply = await core.handle_message(
        ctx(), "animate 5s", [Attachment("image", "p.png", "image/png", 100, fetch)]
    )
    assert reply is not None and reply.key == "bad_attachment"
    assert (await core.ledger.balance("telegram:1")).held == 0
