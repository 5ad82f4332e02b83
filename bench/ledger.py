"""Ledger throughput: hold + capture pairs per second with 1, 10 and 100 concurrent users.

Run standalone: `.venv/bin/python bench/ledger.py`. Uses a temporary SQLite file (WAL, the same settings
as production). Prints a table, then as its very last line one JSON object of the headline figures.
One "op" is a complete hold followed by its capture (two transactions, two ledger rows).
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from billing.ledger import Ledger  # noqa: E402
from billing.plans import PlanBook  # noqa: E402

#: Concurrent users per run, and the hold+capture pairs each run does in total (split over its users).
USER_COUNTS = (1, 10, 100)
OPS_PER_RUN = 4000
PRICE = 25


async def _measure(users: int, ops_total: int) -> dict[str, float]:
    """One run on a fresh database: `users` coroutines each loop hold -> capture."""
    per_user = max(1, ops_total // users)
    with tempfile.TemporaryDirectory(prefix="reelbot-bench-") as tmp:
        plans = PlanBook.load()
        ledger = await Ledger.open(Path(tmp) / "ledger.db", plans)
        try:
            ids = [f"bench:{n}" for n in range(users)]
            for n, user in enumerate(ids):  # set-up, not timed: enough credits for every hold
                await ledger.grant(user, PRICE * per_user, f"bench-grant:{n}")

            latencies: list[float] = []

            async def user_loop(user: str) -> None:
                for i in range(per_user):
                    job = f"{user}:{i}"
                    started = time.perf_counter()
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
            await ledger.close()
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
    """Run every ledger scenario, print its table, return {"ops_per_s_<users>": ...}."""
    print(
        f"Ledger throughput, one op = hold + capture (Python {platform.python_version()},"
        f" {platform.machine()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')})"
    )
    print(f"{'users':>6} {'ops':>6} {'wall s':>8} {'ops/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    figures: dict[str, float] = {}
    for users in USER_COUNTS:
        r = asyncio.run(_measure(users, OPS_PER_RUN))
        print(
            f"{users:>6} {int(r['ops']):>6} {r['wall_s']:>8.2f} {r['ops_per_s']:>9.0f}"
            f" {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f}"
        )
        figures[f"ops_per_s_{users}"] = round(r["ops_per_s"], 1)
    print()
    return figures


def main() -> None:
    figures: dict[str, float] = {}
    figures.update(ledger_figures())
    # --- queue dispatch latency: add it here -------------------------------------------------------
    # A `dispatch_figures() -> dict[str, float]` that prints its own table and returns
    # {"dispatch_p50_ms": ..., "dispatch_p99_ms": ...}:  figures.update(dispatch_figures())
    print(json.dumps(figures))  # must stay the very last line of output


if __name__ == "__main__":
    main()
