"""Ledger throughput: hold + capture pairs per second with 1, 10 and 100 concurrent users.

Run standalone: `.venv/bin/python bench/ledger.py`. Uses a temporary SQLite file (WAL, the same settings
as production). Prints a table, then as its very last line one JSON object of the headline figures.
One "op" is a complete hold followed by its capture (two transactions, two ledger rows). The "unit of
work" rows do what a submit does instead: the hold and the job row in one transaction, then the capture.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from billing.ledger import Ledger  # noqa: E402
from billing.plans import PlanBook  # noqa: E402
from engine.jobs import Job, JobStore  # noqa: E402
from reel.db import Database  # noqa: E402

#: Concurrent users per run, and the hold+capture pairs each run does in total (split over its users).
USER_COUNTS = (1, 10, 100)
OPS_PER_RUN = 4000
PRICE = 25


async def _measure(users: int, ops_total: int, *, with_job: bool = False) -> dict[str, float]:
    """One run on a fresh database: `users` coroutines each loop hold -> capture (`with_job`: the hold and
    its job row in one transaction, as the core submits, then the capture)."""
    per_user = max(1, ops_total // users)
    with tempfile.TemporaryDirectory(prefix="reelbot-bench-") as tmp:
        plans = PlanBook.load()
        db = await Database.open(Path(tmp) / "ledger.db")
        ledger = await Ledger.open(db, plans)
        jobs = await JobStore.open(db)

        def hold_and_add(conn: Any, user: str, job: Job) -> None:
            ledger.tx_hold(conn, user, job.id, job.price)
            jobs.tx_add(conn, job)

        try:
            ids = [f"bench:{n}" for n in range(users)]
            for n, user in enumerate(ids):  # set-up, not timed: enough credits for every hold
                await ledger.grant(user, PRICE * per_user, f"bench-grant:{n}")

            latencies: list[float] = []

            async def user_loop(user: str) -> None:
                for i in range(per_user):
                    job = f"{user}:{i}"
                    started = time.perf_counter()
                    if with_job:
                        row = Job(
                            id=job,
                            owner=user,
                            account=user,
                            action="create",
                            request={},
                            spec={},
                            price=PRICE,
                        )
                        await db.transaction(hold_and_add, user, row)
                    else:
                        await ledger.hold(user, job, PRICE)
                    await ledger.capture(job)
                    latencies.append(time.perf_counter() - started)

            started = time.perf_counter()
            await asyncio.gather(*(user_loop(u) for u in ids))
            wall = time.perf_counter() - started

            for user in ids:  # sanity, not timed: every credit went where it should
                balance = await ledger.balance(user)
                if balance.held != 0 or balance.available != plans.default.credits_per_month:
                    raise SystemExit(f"bench: {user} ended with {balance}")
        finally:
            await db.close()
    latencies.sort()
    ops = per_user * users
    return {
        "ops": ops,
        "wall_s": wall,
        "ops_per_s": ops / wall,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def ledger_figures() -> dict[str, float]:
    """Run every ledger scenario, print its table, return {"ops_per_s_<users>": ..., "uow_ops_per_s_100": ...}."""
    print(
        f"Ledger throughput, one op = hold + capture (Python {platform.python_version()},"
        f" {platform.machine()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')})"
    )
    print(f"{'scenario':<14} {'users':>6} {'ops':>6} {'wall s':>8} {'ops/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    figures: dict[str, float] = {}
    runs = [("hold", users, False) for users in USER_COUNTS] + [("unit of work", USER_COUNTS[-1], True)]
    for name, users, with_job in runs:
        r = asyncio.run(_measure(users, OPS_PER_RUN, with_job=with_job))
        print(
            f"{name:<14} {users:>6} {int(r['ops']):>6} {r['wall_s']:>8.2f} {r['ops_per_s']:>9.0f}"
            f" {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f}"
        )
        figures[f"{'uow_' if with_job else ''}ops_per_s_{users}"] = round(r["ops_per_s"], 1)
    print()
    return figures


class _InstantEngine:
    """A ClipEngine that renders nothing: it records when each job reached it."""

    name = "instant"

    def __init__(self) -> None:
        self.started: dict[str, float] = {}
        self.finished: dict[str, float] = {}

    def run(self, job: Any, on_progress: Any, cancelled: Any) -> Any:
        from engine.spec import Clip

        self.started[job.job_id] = time.perf_counter()
        clip = Clip(
            paths=[Path("/dev/null")],
            posters=[],
            frames=0,
            fps=24,
            width=job.width,
            height=job.height,
            seconds=0.0,
            wall_s=0.0,
            model=self.name,
        )
        self.finished[job.job_id] = time.perf_counter()
        return clip


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] * 1000


async def _dispatch(idle_jobs: int, burst_jobs: int, accounts: int) -> dict[str, list[float]]:
    from engine.jobs import Job, JobStore, new_job_id
    from engine.queue import JobEvent, JobQueue
    from reel.db import Database

    with tempfile.TemporaryDirectory(prefix="reelbot-bench-") as tmp:
        db = await Database.open(Path(tmp) / "jobs.db")
        store = await JobStore.open(db)
        engine = _InstantEngine()
        done: dict[str, asyncio.Event] = {}

        async def on_event(ev: JobEvent) -> None:
            if ev.kind == "done" and ev.job.id in done:
                done[ev.job.id].set()

        queue = JobQueue(store, engine, on_event=on_event, workers=1, max_queued=burst_jobs + 10)
        await queue.start()

        def job(account: str) -> Job:
            jid = new_job_id()
            spec = {
                "job_id": jid,
                "action": "create",
                "prompt": "bench",
                "width": 854,
                "height": 480,
                "seconds": 5,
                "out_dir": tmp,
            }
            return Job(
                id=jid,
                owner=account,
                account=account,
                action="create",
                request={},
                spec=spec,
                price=25,
                max_running=5,
            )

        idle: list[float] = []
        for i in range(idle_jobs):  # one job at a time into an idle queue: enqueue -> engine.run
            j = job(f"bench:{i % accounts}")
            done[j.id] = asyncio.Event()
            t0 = time.perf_counter()
            await queue.enqueue(j)
            await done[j.id].wait()
            idle.append(engine.started[j.id] - t0)
        burst = [job(f"bench:{i % accounts}") for i in range(burst_jobs)]
        for j in burst:
            done[j.id] = asyncio.Event()
            await queue.enqueue(j)
        await asyncio.gather(*(done[j.id].wait() for j in burst))
        order = sorted(burst, key=lambda j: engine.started[j.id])
        gaps = [engine.started[b.id] - engine.finished[a.id] for a, b in zip(order, order[1:], strict=False)]
        await queue.stop()
        await db.close()
        return {"idle": idle, "gap": gaps}


def dispatch_figures() -> dict[str, float]:
    """Queue dispatch latency: enqueue -> engine start into an idle queue, and the gap between one job's
    end and the next job's start when 50 accounts keep the queue full."""
    r = asyncio.run(_dispatch(idle_jobs=300, burst_jobs=1000, accounts=50))
    print("Queue dispatch (in-process queue, 1 worker, SQLite job table)")
    print(f"{'scenario':<34} {'jobs':>6} {'p50 ms':>8} {'p99 ms':>8}")
    print(
        f"{'enqueue -> engine start (idle)':<34} {len(r['idle']):>6} {_pct(r['idle'], 0.5):>8.2f}"
        f" {_pct(r['idle'], 0.99):>8.2f}"
    )
    print(
        f"{'job end -> next start (busy)':<34} {len(r['gap']) + 1:>6} {_pct(r['gap'], 0.5):>8.2f}"
        f" {_pct(r['gap'], 0.99):>8.2f}"
    )
    print()
    return {
        "dispatch_p50_ms": round(_pct(r["idle"], 0.5), 2),
        "dispatch_p99_ms": round(_pct(r["idle"], 0.99), 2),
        "handoff_p50_ms": round(_pct(r["gap"], 0.5), 2),
        "handoff_p99_ms": round(_pct(r["gap"], 0.99), 2),
    }


def main() -> None:
    figures: dict[str, float] = {}
    figures.update(ledger_figures())
    figures.update(dispatch_figures())
    print(json.dumps(figures))  # must stay the very last line of output


if __name__ == "__main__":
    main()
