"""The remote worker pool's scaling: jobs per minute with 1, 2, 4 and 8 workers, dispatch overhead per job,
and how much of the time a saturated worker renders.

Run standalone: `.venv/bin/python bench/scale.py` (needs `redis-server` on PATH; takes about two minutes).
It starts a throwaway redis-server on 127.0.0.1, the real bot-side queue and RemotePool (job table and
ledger in a temporary SQLite file), and `tests/fakes/pool_worker.py` processes: the real RemoteWorker and
streaQ with an engine that sleeps 0.6 s per step for 8 steps, the published LTX-2 distilled figure on an
H100 (8 steps at ~0.6 s each for a 5 s clip). Prints a table, then as its very last line one JSON object
of the headline figures (`efficiency_8`, `dispatch_p99_ms`, `duty_cycle`, ...).

- jobs/min: N workers, JOBS_PER_WORKER x N jobs queued at once; the jobs' rendering span (first engine
  start to last engine end, on the workers' clocks) over the jobs done. efficiency_N = rate_N / (N rate_1).
- dispatch overhead: a job admitted to the queue while a worker is idle, until the worker's engine starts
  on it (the scheduler's pick, the job-table write, the streaQ publish, the worker's read). p50 / p99.
- duty cycle: in the 8-worker run, each worker's engine time over its span from first start to last end
  (the gaps between its jobs are what dispatch costs at saturation); the mean over the workers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.pool_rig import Bot, Workers  # noqa: E402
from tests.fakes.redis_server import RedisServer, available  # noqa: E402

STEPS = 8
STEP_S = 0.6
FIGURE = "LTX-2 distilled, 8 steps at ~0.6 s per step on an H100 (published)"
WORKER_COUNTS = (1, 2, 4, 8)
JOBS_PER_WORKER = 3
LATENCY_SAMPLES = 30


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def throughput(tmp: Path, redis: RedisServer, n: int, jobs_per_worker: int) -> dict[str, Any]:
    """Queue n x jobs_per_worker jobs into a pool of n idle workers; rates and per-worker duty cycles."""
    queue = f"bench{n}{secrets.token_hex(2)}"
    run_dir = tmp / queue
    run_dir.mkdir()
    workers = Workers(redis.url, queue, run_dir)
    bot = await Bot.open(run_dir, redis.url, queue)
    try:
        for i in range(n):
            workers.start(f"w{i}", steps=STEPS, step_s=STEP_S)
        await bot.wait_workers(n, timeout=120)
        jobs = [
            await bot.submit(f"web:user{i}", max_running=jobs_per_worker * n)
            for i in range(jobs_per_worker * n)
        ]
        for job in jobs:
            done = await bot.wait_final(job.id, timeout=60 + 10 * jobs_per_worker * STEPS * STEP_S)
            if done.state != "done":
                raise RuntimeError(f"job {job.id} ended {done.state} ({done.error})")
        ends = [r for r in workers.runs() if r["event"] == "end" and r["outcome"] == "done"]
        span = max(r["at"] for r in ends) - min(r["start"] for r in ends)
        duty = []
        for wid in {r["worker"] for r in ends}:
            mine = [r for r in ends if r["worker"] == wid]
            busy = sum(r["at"] - r["start"] for r in mine)
            duty.append(busy / (max(r["at"] for r in mine) - min(r["start"] for r in mine)))
        gaps = []
        for wid in {r["worker"] for r in ends}:
            mine = sorted((r for r in ends if r["worker"] == wid), key=lambda r: r["start"])
            gaps += [b["start"] - a["at"] for a, b in zip(mine, mine[1:], strict=False)]
        return {
            "workers": n,
            "jobs": len(ends),
            "span_s": span,
            "jobs_per_min": len(ends) / span * 60,
            "duty_cycle": statistics.mean(duty),
            "duty_min": min(duty),
            "handoff_gaps_s": gaps,
            "workers_used": len({r["worker"] for r in ends}),
        }
    finally:
        await bot.close()
        workers.stop_all()


async def dispatch_latency(tmp: Path, redis: RedisServer, samples: int) -> list[float]:
    """Seconds from a job's admission (its unit of work committed) to its worker's engine start, each job
    sent while some worker is idle."""
    queue = f"lat{secrets.token_hex(2)}"
    run_dir = tmp / queue
    run_dir.mkdir()
    workers = Workers(redis.url, queue, run_dir)
    bot = await Bot.open(run_dir, redis.url, queue)
    try:
        n = 8
        for i in range(n):
            workers.start(f"w{i}", steps=STEPS, step_s=STEP_S)
        await bot.wait_workers(n, timeout=120)
        latencies = []
        for i in range(samples):
            job = await bot.submit(f"web:lat{i}", max_running=samples)
            admitted = time.time()  # the row is committed and the job in line; the dispatcher runs next
            await bot.wait_for(
                lambda job=job: any(r["job"] == job.id and r["event"] == "start" for r in workers.runs()),
                30,
                "the job's start",
            )
            start = next(r["at"] for r in workers.runs() if r["job"] == job.id and r["event"] == "start")
            latencies.append(start - admitted)
            await asyncio.sleep(STEPS * STEP_S / n * 1.3)  # keep a worker idle for the next one
        return latencies
    finally:
        await bot.close()
        workers.stop_all()


async def main_async(ns: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="reelbot-scale-") as d, RedisServer(Path(d) / "redis") as redis:
        tmp = Path(d)
        runs = {}
        for n in WORKER_COUNTS:
            runs[n] = await throughput(tmp, redis, n, ns.jobs_per_worker)
            print(f"  {n} worker(s): {runs[n]['jobs']} jobs in {runs[n]['span_s']:.1f} s", file=sys.stderr)
        latencies = await dispatch_latency(tmp, redis, ns.samples)
    base = runs[1]["jobs_per_min"]
    eff = {n: runs[n]["jobs_per_min"] / (n * base) for n in WORKER_COUNTS}
    gaps = runs[8]["handoff_gaps_s"]
    print(
        f"\nbench/scale.py, {date.today().isoformat()}, {platform.machine()} {os.cpu_count()} CPU(s), "
        f"Python {platform.python_version()}; fake engine {STEPS} x {STEP_S} s ({FIGURE})\n"
    )
    print("| workers | jobs | span s | jobs/min | efficiency | duty cycle (mean / min) |")
    print("|---|---|---|---|---|---|")
    for n in WORKER_COUNTS:
        r = runs[n]
        print(
            f"| {n} | {r['jobs']} | {r['span_s']:.2f} | {r['jobs_per_min']:.2f} | {eff[n]:.3f} | "
            f"{r['duty_cycle'] * 100:.2f} % / {r['duty_min'] * 100:.2f} % |"
        )
    print()
    print("| dispatch | p50 ms | p99 ms | max ms | samples |")
    print("|---|---|---|---|---|")
    ms = [x * 1000 for x in latencies]
    print(
        f"| admitted -> engine start, idle worker | {percentile(ms, 0.5):.1f} | {percentile(ms, 0.99):.1f} | "
        f"{max(ms):.1f} | {len(ms)} |"
    )
    gms = [x * 1000 for x in gaps]
    if gms:
        print(
            f"| previous end -> next start, same worker, 8 workers saturated | {percentile(gms, 0.5):.1f} | "
            f"{percentile(gms, 0.99):.1f} | {max(gms):.1f} | {len(gms)} |"
        )
    return {
        "efficiency_8": round(eff[8], 4),
        "dispatch_p99_ms": round(percentile(ms, 0.99), 2),
        "duty_cycle": round(runs[8]["duty_cycle"], 4),
        "dispatch_p50_ms": round(percentile(ms, 0.5), 2),
        "handoff_p99_ms": round(percentile(gms, 0.99), 2) if gms else None,
        "duty_cycle_min_8": round(runs[8]["duty_min"], 4),
        **{f"jobs_per_min_{n}": round(runs[n]["jobs_per_min"], 2) for n in WORKER_COUNTS},
        **{f"efficiency_{n}": round(eff[n], 4) for n in WORKER_COUNTS},
        "step_s": STEP_S,
        "steps": STEPS,
        "engine_figure": FIGURE,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jobs-per-worker", type=int, default=JOBS_PER_WORKER)
    p.add_argument("--samples", type=int, default=LATENCY_SAMPLES, help="dispatch latency samples")
    ns = p.parse_args(argv)
    if not available():
        print("bench/scale.py needs redis-server on PATH (apt-get install redis-server)", file=sys.stderr)
        print(json.dumps({"error": "no_redis_server"}))
        return 2
    figures = asyncio.run(main_async(ns))
    print()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
