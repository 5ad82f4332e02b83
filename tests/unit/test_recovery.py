"""Kill the bot process (SIGKILL) mid-job, and inside / right after the submit's unit of work, then start
again: the job is retried once, then refunded; a hold and its job row exist together or not at all; no
hold outlives its job and the balance always equals the ledger."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.core import Core
from bot.settings import Settings
from engine.jobs import DONE, FAILED
from tests.fakes.engines import FakeEngine

ROOT = Path(__file__).resolve().parents[2]


def crash_mid_job(data_dir: Path) -> str:
    """Run the crash bot until its job is rendering, then SIGKILL it. Returns the job id."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.crash_bot", str(data_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        job_id = json.loads(line)["job"]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    return job_id


def crash_in_submit(data_dir: Path, moment: str) -> dict[str, object]:
    """Run the crash bot until it SIGKILLs itself at `moment` of its submit. Returns what it reported."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.crash_bot", str(data_dir), f"--die={moment}"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert proc.stdout is not None
        report: dict[str, object] = json.loads(proc.stdout.readline())
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL  # it died where it was told to, not of an error
    return report


async def open_core(data_dir: Path, engine: FakeEngine) -> Core:
    core = await Core.open(Settings(data_dir=data_dir, _env_file=None), engine)  # type: ignore[call-arg]
    await core.start()
    return core


async def wait_final(core: Core, job_id: str) -> str:
    for _ in range(1000):
        job = await core.jobs.get(job_id)
        if job and job.final and not await core.ledger.open_holds():
            return job.state
        await asyncio.sleep(0.01)
    raise AssertionError("job did not finish")


async def test_killed_mid_job_is_retried_once_and_charged_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    job_id = await asyncio.to_thread(crash_mid_job, data)
    engine = FakeEngine(steps=1, real_video=False)
    core = await open_core(data, engine)
    try:
        assert await wait_final(core, job_id) == DONE
        job = await core.jobs.get(job_id)
        assert job.attempts == 2
        assert [j.job_id for j in engine.ran] == [job_id]
        bal = await core.ledger.balance("telegram:1")
        assert bal.available == 75 and bal.held == 0
        assert await core.ledger.recompute("telegram:1") == (75, 0)
    finally:
        await core.close()


async def test_killed_twice_is_refunded(tmp_path: Path) -> None:
    data = tmp_path / "data"
    job_id = await asyncio.to_thread(crash_mid_job, data)
    again = await asyncio.to_thread(crash_mid_job, data)  # the restart retries it, and dies again
    assert again == job_id
    engine = FakeEngine(steps=1, real_video=False)
    core = await open_core(data, engine)
    try:
        assert await wait_final(core, job_id) == FAILED
        job = await core.jobs.get(job_id)
        assert job.error == "interrupted" and engine.ran == []
        bal = await core.ledger.balance("telegram:1")
        assert bal.available == 100 and bal.held == 0
        assert await core.ledger.open_holds() == []
    finally:
        await core.close()


async def test_killed_between_hold_and_job_row_leaves_neither(tmp_path: Path) -> None:
    data = tmp_path / "data"
    report = await asyncio.to_thread(crash_in_submit, data, "in-unit-of-work")
    # the hold was written, inside the transaction that was still open when the process died
    assert report["hold_written"] is True and report["in_transaction"] is True
    job_id = str(report["job"])
    engine = FakeEngine(steps=1, real_video=False)
    core = await open_core(data, engine)
    try:
        assert await core.jobs.get(job_id) is None
        assert await core.ledger.open_holds() == []
        assert not [r for r in await core.ledger.history("telegram:1") if r.job_id == job_id]
        bal = await core.ledger.balance("telegram:1")
        assert (bal.available, bal.held) == (100, 0)
        assert await core.ledger.recompute("telegram:1") == (100, 0)
        assert (await core.ledger.books()).balanced
        assert engine.ran == []
    finally:
        await core.close()


async def test_killed_right_after_the_commit_keeps_both_and_runs_the_job(tmp_path: Path) -> None:
    data = tmp_path / "data"
    report = await asyncio.to_thread(crash_in_submit, data, "after-commit")
    assert report["committed"] is True
    job_id = str(report["job"])
    engine = FakeEngine(steps=1, real_video=False)
    core = await open_core(data, engine)
    try:
        assert await wait_final(core, job_id) == DONE  # recovery found it queued and ran it
        assert [j.job_id for j in engine.ran] == [job_id]
        job = await core.jobs.get(job_id)
        assert job.attempts == 1
        bal = await core.ledger.balance("telegram:1")
        assert (bal.available, bal.held) == (75, 0)  # held in the dead process, captured by this one
        assert await core.ledger.recompute("telegram:1") == (75, 0)
        kinds = [r.kind for r in await core.ledger.history("telegram:1") if r.job_id == job_id]
        assert sorted(kinds) == ["capture", "hold"]
        assert (await core.ledger.books()).balanced
    finally:
        await core.close()
