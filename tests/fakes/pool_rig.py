"""The bot side of a scale test, and its worker processes.

`Bot`: a job table, a ledger and the real JobQueue on the real RemotePool, settling credits on the
queue's events the way the core does (hold with the job row in one unit of work, capture on done, refund
on failed / cancelled). `Workers`: tests/fakes/pool_worker.py processes to start, SIGKILL and count runs of.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from billing.ledger import Ledger
from billing.plans import PlanBook
from engine.jobs import Job, JobStore, new_job_id
from engine.queue import JobEvent, JobQueue
from engine.remote_dispatch import RemotePool
from reel.db import Database

ROOT = Path(__file__).resolve().parents[2]


class Workers:
    """Worker processes on one queue; every render they do lands in `record` (see pool_worker.py)."""

    def __init__(self, url: str, queue: str, tmp: Path) -> None:
        self.url, self.queue, self.tmp = url, queue, tmp
        self.record = tmp / "runs.jsonl"
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, worker_id: str, **options: Any) -> None:
        args = [
            sys.executable,
            "-m",
            "tests.fakes.pool_worker",
            "--url",
            self.url,
            "--queue",
            self.queue,
            "--id",
            worker_id,
            "--record",
            str(self.record),
        ]
        for key, value in options.items():
            args += [f"--{key.replace('_', '-')}", str(value)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        log = (self.tmp / f"{worker_id}.log").open("ab")
        self.procs[worker_id] = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=log)

    def kill(self, worker_id: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs[worker_id]
        proc.send_signal(sig)
        proc.wait(15)

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait(15)

    def runs(self) -> list[dict[str, Any]]:
        """Every start / end line the workers wrote, in order."""
        if not self.record.exists():
            return []
        return [json.loads(line) for line in self.record.read_text().splitlines() if line.strip()]

    def finished_runs(self, job_id: str) -> list[dict[str, Any]]:
        return [
            r for r in self.runs() if r["job"] == job_id and r["event"] == "end" and r["outcome"] == "done"
        ]

    def log_tail(self, worker_id: str, lines: int = 30) -> str:
        path = self.tmp / f"{worker_id}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


class Bot:
    """One bot process's queue and books. Build with `await Bot.open(...)`; `close()` stops it (remote
    runs go on, like a bot that restarts)."""

    def __init__(self, db: Database, ledger: Ledger, store: JobStore, pool: RemotePool, tmp: Path) -> None:
        self.db, self.ledger, self.store, self.pool, self.tmp = db, ledger, store, pool, tmp
        self.events: list[JobEvent] = []
        self.event_times: list[tuple[float, JobEvent]] = []
        self.settled: list[tuple[str, str]] = []  # (job id, kind) of final events whose handling is over
        self.queue = JobQueue(store, pool, on_event=self._on_event, max_queued=500)

    @classmethod
    async def open(cls, tmp: Path, url: str, queue: str, *, start: bool = True, **pool_options: Any) -> Bot:
        db = await Database.open(tmp / "bot" / "reelbot.db")
        ledger = await Ledger.open(db, PlanBook.load(None))
        store = await JobStore.open(db)
        pool_options.setdefault("watch_s", 0.1)
        bot = cls(db, ledger, store, RemotePool(url, queue=queue, **pool_options), tmp)
        if start:
            await bot.queue.start()
        return bot

    async def close(self) -> None:
        await self.queue.stop()
        await self.db.close()

    async def _on_event(self, ev: JobEvent) -> None:
        self.events.append(ev)
        self.event_times.append((time.time(), ev))
        try:
            if ev.kind == "done":
                await self.ledger.capture(ev.job.id)
            elif ev.kind in ("failed", "cancelled"):
                await self.ledger.refund(ev.job.id, ev.job.error or ev.kind)
        finally:  # `events` has it before its credits move: wait_final waits for this instead
            self.settled.append((ev.job.id, ev.kind))

    async def submit(
        self,
        account: str,
        *,
        lane: str = "fast",
        max_running: int = 1,
        price: int = 10,
        action: str = "create",
        width: int = 64,
        height: int = 64,
        prompt: str = "p",
        **spec: Any,
    ) -> Job:
        """A paid job of `account` (granted credits on first use), hold and row in one unit of work."""
        await self.ledger.grant(account, 10_000, f"grant:test:{account}")
        jid = new_job_id()
        spec = {
            "job_id": jid,
            "action": action,
            "prompt": prompt,
            "width": width,
            "height": height,
            "seconds": 1,
            "out_dir": str(self.tmp / "bot" / "clips"),
            **spec,
        }
        job = Job(
            id=jid,
            owner=account,
            account=account,
            action=action,
            request={"prompt": prompt},
            spec=spec,
            price=price,
            lane=lane,
            max_running=max_running,
            origin={"platform": "test"},
        )

        def hold_and_add(conn: sqlite3.Connection) -> None:
            self.ledger.tx_hold(conn, account, jid, price)
            self.store.tx_add(conn, job)

        await self.queue.enqueue_with(job, lambda: self.db.transaction(hold_and_add))
        return job

    def kinds(self, job_id: str) -> list[str]:
        return [e.kind for e in self.events if e.job.id == job_id]

    def started_order(self) -> list[str]:
        return [e.job.id for e in self.events if e.kind == "started"]

    async def wait_final(self, job_id: str, timeout: float = 20) -> Job:
        """The job once final in the table and its final event was handled (credits settled)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = await self.store.get(job_id)
            if job and job.final and (job_id, job.state.value) in self.settled:
                return job
            await asyncio.sleep(0.02)
        raise TimeoutError(f"job {job_id} not final: {await self.store.get(job_id)}")

    async def wait_for(self, predicate: Any, timeout: float = 20, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            await asyncio.sleep(0.02)
        raise TimeoutError(f"timed out waiting for {what}; pool: {self.queue.pool()}")

    async def wait_workers(self, n: int, timeout: float = 30) -> None:
        await self.wait_for(lambda: len(self.queue.pool()) >= n, timeout, f"{n} workers")

    async def movements(self, job_id: str) -> list[str]:
        """The ledger keys written for `job_id` (hold, then capture or refund)."""
        rows = await self.db.run(
            lambda c: c.execute("SELECT key FROM ledger WHERE job_id = ? ORDER BY id", (job_id,)).fetchall()
        )
        return [r[0].split(":")[0] for r in rows]

    async def balanced(self) -> bool:
        books = await self.ledger.books()
        return books.balanced
