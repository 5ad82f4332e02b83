"""Load: simulated members sending requests through the whole core (Core.handle_message: limits, parser,
moderation, price, the hold and the job row in one transaction, the queue, the delivery rule) with an
engine that returns at once, and a channel that takes every notice.

Run standalone: `.venv/bin/python bench/load.py [--members 1000] [--requests 10] [--over-s 10]`. Each member
has its own chat and sends its requests at random moments over `--over-s` seconds. Measured: the time from
a request to its first reply (the queued answer), p50/p95/p99/max. Checked afterwards: no job lost (every
queued answer's job ended, its clip delivered once), none duplicated (one job per request, one delivery per
job), the ledger balanced (`reelbot admin audit`'s check: no mismatch, no open hold). Prints a table, then
as its very last line one JSON object with p99_first_reply_ms, lost, duplicated, ledger_balanced.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.audit import audit  # noqa: E402
from bot.core import Core  # noqa: E402
from bot.replies import Context, Notice  # noqa: E402
from bot.settings import Settings  # noqa: E402
from engine.spec import CancelledFn, Clip, EngineJob, ProgressFn  # noqa: E402

GOAL_P99_MS = 100.0


class InstantEngine:
    """Writes a few bytes and returns: the load is on the bot, not on rendering."""

    name = "instant"

    def run(self, job: EngineJob, on_progress: ProgressFn, cancelled: CancelledFn) -> Clip:
        job.out_dir.mkdir(parents=True, exist_ok=True)
        path = job.out_dir / f"{job.job_id}.mp4"
        path.write_bytes(b"\0\0\0\x18ftypmp42 bench clip")
        on_progress(1.0, 0.0)
        return Clip(
            paths=[path],
            posters=[],
            frames=job.seconds * job.fps,
            fps=job.fps,
            width=job.width,
            height=job.height,
            seconds=float(job.seconds),
            wall_s=0.0,
            model=self.name,
        )


class Channel:
    """Takes every notice; counts the clips it was handed."""

    def __init__(self) -> None:
        self.delivered: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()

    async def on(self, notice: Notice) -> None:
        if notice.kind == "done":
            self.delivered[notice.job_id] += 1
        elif notice.kind in ("failed", "cancelled"):
            self.failed[notice.job_id] += 1


async def member(
    core: Core,
    index: int,
    requests: int,
    over_s: float,
    latencies: list[float],
    queued: dict[str, str],
    refused: Counter[str],
) -> None:
    rng = random.Random(index)
    moments = sorted(rng.uniform(0, over_s) for _ in range(requests))
    start = time.monotonic()
    user = f"web:m{index}"
    for n, at in enumerate(moments):
        await asyncio.sleep(max(0.0, start + at - time.monotonic()))
        prompt = f"member {index} clip {n} of a lighthouse at dusk 5s"
        ctx = Context(
            user=user,
            lang="en",
            display_name=user,
            origin={"platform": "bench", "chat_id": f"c{index}", "message_id": str(n)},
        )
        t0 = time.perf_counter()
        reply = await core.handle_message(ctx, prompt)
        latencies.append((time.perf_counter() - t0) * 1000)
        if reply is not None and reply.job_id and reply.kind == "queued":
            queued[reply.job_id] = prompt
        else:
            refused[reply.key if reply is not None else "silent"] += 1


async def run(members: int, requests: int, over_s: float, workers: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="reelbot-load-") as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            _env_file=None,
            workers=workers,  # type: ignore[call-arg]
            max_queue=members * requests + 10,
            web_enabled=False,
            moderation_image_classifier="off",
            moderation_text_classifier="off",
        )
        core = await Core.open(settings, InstantEngine())
        channel = Channel()
        core.subscribe("bench", channel.on)
        await core.start()
        for i in range(members):  # enough credits for every request (a free plan holds four)
            await core.ledger.grant(f"web:m{i}", 25 * requests, f"bench:{i}")
        latencies: list[float] = []
        queued: dict[str, str] = {}
        refused: Counter[str] = Counter()
        t0 = time.perf_counter()
        await asyncio.gather(
            *(member(core, i, requests, over_s, latencies, queued, refused) for i in range(members))
        )
        sent_s = time.perf_counter() - t0
        for _ in range(2400):  # at most 2 minutes for the queue to drain and every clip to be handed over
            busy = core.queue.queued_count() or core.queue.running_count()
            if not busy and len(channel.delivered) + len(channel.failed) >= len(queued):
                break
            await asyncio.sleep(0.05)
        drained_s = time.perf_counter() - t0
        books = await audit(core.db)
        jobs = await core.jobs.in_states("queued", "running", "done", "failed", "cancelled")
        await core.close()
    per_prompt = Counter(j.request.get("prompt") for j in jobs)
    lost = sum(1 for job_id in queued if channel.delivered[job_id] == 0 and channel.failed[job_id] == 0)
    duplicated = sum(n - 1 for n in per_prompt.values() if n > 1) + sum(
        n - 1 for n in channel.delivered.values() if n > 1
    )
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {
        "members": members,
        "requests": members * requests,
        "queued": len(queued),
        "refused": dict(refused),
        "sent_s": round(sent_s, 2),
        "drained_s": round(drained_s, 2),
        "p50_first_reply_ms": round(pct(50), 2),
        "p95_first_reply_ms": round(pct(95), 2),
        "p99_first_reply_ms": round(pct(99), 2),
        "max_first_reply_ms": round(ordered[-1], 2),
        "mean_first_reply_ms": round(statistics.fmean(ordered), 2),
        "lost": lost,
        "duplicated": duplicated,
        "ledger_balanced": bool(
            books["ledger_balanced"] and not books["mismatches"] and not books["open_holds"]
        ),
        "open_holds": len(books["open_holds"]),
        "failed_jobs": sum(1 for j in jobs if j.state == "failed"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--members", type=int, default=1000)
    ap.add_argument(
        "--requests", type=int, default=10, help="per member (at most 10: the per-account queue cap)"
    )
    ap.add_argument(
        "--over-s", type=float, default=60.0, help="seconds over which each member's requests arrive"
    )
    ap.add_argument("--workers", type=int, default=4)
    ns = ap.parse_args()
    r = asyncio.run(run(ns.members, ns.requests, ns.over_s, ns.workers))
    print(
        f"Load through the core: {r['members']} members x {ns.requests} requests over {ns.over_s:.0f} s "
        f"({platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()})"
    )
    print(
        f"{'requests':>10} {'queued':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'lost':>5} {'dup':>4} {'balanced':>9} {'drained s':>10}"
    )
    print(
        f"{r['requests']:>10} {r['queued']:>8} {r['p50_first_reply_ms']:>8} {r['p95_first_reply_ms']:>8} "
        f"{r['p99_first_reply_ms']:>8} {r['max_first_reply_ms']:>8} {r['lost']:>5} {r['duplicated']:>4} "
        f"{str(r['ledger_balanced']):>9} {r['drained_s']:>10}"
    )
    if r["refused"]:
        print(f"refused: {r['refused']}")
    goal = "met" if r["p99_first_reply_ms"] < GOAL_P99_MS else "not met"
    print(f"goal p99 first reply < {GOAL_P99_MS:.0f} ms: {goal}")
    print(
        json.dumps(
            {
                k: r[k]
                for k in (
                    "p99_first_reply_ms",
                    "lost",
                    "duplicated",
                    "ledger_balanced",
                    "p50_first_reply_ms",
                    "requests",
                    "queued",
                    "drained_s",
                )
            }
        )
    )


if __name__ == "__main__":
    main()
