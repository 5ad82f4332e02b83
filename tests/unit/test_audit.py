"""`reelbot admin audit`: the books recomputed from the ledger rows, open holds paired with their jobs;
exit 0 on clean books, 1 on a tampered balance or an open hold whose job is final or missing."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from billing.ledger import Ledger
from billing.plans import PlanBook
from bot.audit import audit
from engine.jobs import DONE, FAILED, RUNNING, Job, JobStore
from reel.db import Database

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"ledger_balanced", "open_holds", "jobs", "accounts", "mismatches"}


def reelbot(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELBOT_")}
    env.update(PYTHONPATH=str(ROOT), REELBOT_DATA_DIR=str(data_dir))
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
        timeout=60,
    )


def out(p: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(p.stdout.strip().splitlines()[-1])


def job(job_id: str, user: str, price: int = 25) -> Job:
    return Job(id=job_id, owner=user, account=user, action="create", request={}, spec={}, price=price)


async def make_books(path: Path) -> None:
    """A small clean history: a delivered job, a job still running, a top-up, a failed job refunded."""
    async with await Database.open(path) as db:
        ledger = await Ledger.open(db, PlanBook.load())
        jobs = await JobStore.open(db)

        def submit(conn: sqlite3.Connection, j: Job) -> None:
            ledger.tx_hold(conn, j.owner, j.id, j.price)
            jobs.tx_add(conn, j)

        for j in (job("done1", "telegram:1"), job("run1", "telegram:1"), job("fail1", "discord:2", 60)):
            await db.transaction(submit, j)
            await jobs.start(j.id)
        await jobs.transition("done1", [RUNNING], DONE)
        await ledger.capture("done1")
        await jobs.transition("fail1", [RUNNING], FAILED, error="engine_error")
        await ledger.refund("fail1", "engine_error")
        await ledger.grant("discord:2", 40, "grant:test:1")


def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    asyncio.run(make_books(d / "reelbot.db"))
    return d


def test_clean_books_exit_0(tmp_path: Path) -> None:
    d = data_dir(tmp_path)
    p = reelbot("admin", "audit", data_dir=d)
    assert p.returncode == 0, p.stdout + p.stderr
    report = out(p)
    assert set(report) == KEYS
    assert report["ledger_balanced"] is True and report["mismatches"] == []
    assert report["jobs"] == {"queued": 0, "running": 1, "done": 1, "failed": 1, "cancelled": 0}
    assert [(h["job_id"], h["amount"], h["job_state"]) for h in report["open_holds"]] == [
        ("run1", 25, "running")
    ]
    accounts = sorted(report["accounts"], key=lambda a: a["users"])
    assert accounts == [
        {"users": ["discord:2"], "plan": "free", "allowance": 100, "topup": 40, "held": 0},
        {"users": ["telegram:1"], "plan": "free", "allowance": 50, "topup": 0, "held": 25},
    ]


def test_tampered_balance_exit_1_and_listed(tmp_path: Path) -> None:
    d = data_dir(tmp_path)
    raw = sqlite3.connect(d / "reelbot.db")
    with raw:  # someone edits a balance behind the ledger's back
        raw.execute(
            "UPDATE accounts SET topup = topup + 500 WHERE id ="
            " (SELECT account FROM identities WHERE user = 'discord:2')"
        )
    raw.close()
    p = reelbot("admin", "audit", data_dir=d)
    assert p.returncode == 1
    report = out(p)
    assert report["ledger_balanced"] is False
    assert [(m["kind"], m["users"], m["stored"], m["recomputed"]) for m in report["mismatches"]] == [
        ("topup", ["discord:2"], 540, 40)
    ]


def test_open_hold_of_a_final_job_exit_1(tmp_path: Path) -> None:
    d = data_dir(tmp_path)
    raw = sqlite3.connect(d / "reelbot.db")
    with raw:  # the job finished, but its capture never happened
        raw.execute("UPDATE jobs SET state = 'done' WHERE id = 'run1'")
    raw.close()
    p = reelbot("admin", "audit", data_dir=d)
    assert p.returncode == 1
    report = out(p)
    assert report["ledger_balanced"] is True  # the books add up; the hold is what is wrong
    assert [(m["kind"], m["job_id"], m["job_state"]) for m in report["mismatches"]] == [
        ("hold_of_final_job", "run1", "done")
    ]


async def test_open_hold_without_a_job_is_a_mismatch(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "old.db") as db:
        ledger = await Ledger.open(db, PlanBook.load())
        await JobStore.open(db)
        await ledger.hold("telegram:1", "orphan", 25)  # as a database from before the unit of work could
        report = await audit(db)
    assert report["ledger_balanced"] is True
    assert [(m["kind"], m["job_id"], m["job_state"]) for m in report["mismatches"]] == [
        ("hold_without_job", "orphan", None)
    ]
    assert report["open_holds"][0]["job_state"] is None


def test_audit_of_an_empty_data_dir_is_clean(tmp_path: Path) -> None:
    p = reelbot("admin", "audit", data_dir=tmp_path / "fresh")
    assert p.returncode == 0
    assert out(p) == {
        "ledger_balanced": True,
        "open_holds": [],
        "accounts": [],
        "mismatches": [],
        "jobs": {"queued": 0, "running": 0, "done": 0, "failed": 0, "cancelled": 0},
    }
