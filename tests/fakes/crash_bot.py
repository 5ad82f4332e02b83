"""A bot process for crash tests: submits one job, then dies where it is told to (or waits to be killed).

Usage: python -m tests.fakes.crash_bot DATA_DIR [TEXT] [--die=MOMENT]. Without --die it prints
{"job": id} once the job is running (its render never finishes) and waits for a SIGKILL. With
--die=in-unit-of-work it SIGKILLs itself inside the submit's transaction, after the hold was written and
before the job row is; with --die=after-commit right after that transaction committed, before the queue
admitted the job. Both print {"job": id, ...} first, with what the transaction held at that moment.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Any

from bot.core import Core
from bot.replies import Context
from bot.settings import Settings
from engine.jobs import Job, JobStore
from engine.queue import JobQueue
from tests.fakes.engines import FakeEngine


def _die(report: dict[str, Any]) -> None:
    print(json.dumps(report), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


def die_in_unit_of_work() -> None:
    """Make the job row insert kill the process; the hold of the same transaction is already written."""

    def tx_add(self: JobStore, conn: sqlite3.Connection, job: Job) -> None:
        held = conn.execute("SELECT COUNT(*) FROM holds WHERE job_id = ?", (job.id,)).fetchone()[0]
        _die({"job": job.id, "hold_written": bool(held), "in_transaction": conn.in_transaction})

    JobStore.tx_add = tx_add  # type: ignore[method-assign]


def die_after_commit() -> None:
    """Make the queue's admission kill the process: the hold and the job row have committed."""

    async def admit(self: JobQueue, job: Job) -> None:
        _die({"job": job.id, "committed": True})

    JobQueue.admit = admit  # type: ignore[method-assign]


async def main(data_dir: Path, text: str) -> None:
    engine = FakeEngine(steps=10, real_video=False)
    engine.gate = threading.Event()  # never set: the render hangs until the process dies
    core = await Core.open(Settings(data_dir=data_dir, _env_file=None), engine)  # type: ignore[call-arg]
    await core.start()
    running = await core.jobs.of_owner("telegram:1", "queued", "running")
    if running:
        job_id = running[0].id
    else:
        reply = await core.handle_text(Context(user="telegram:1", origin={"platform": "none"}), text)
        job_id = reply.job_id or ""
    await asyncio.to_thread(engine.started.wait, 30)
    print(json.dumps({"job": job_id}), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--die=")]
    moments = {"in-unit-of-work": die_in_unit_of_work, "after-commit": die_after_commit}
    for flag in sys.argv[1:]:
        if flag.startswith("--die="):
            moments[flag.removeprefix("--die=")]()
    asyncio.run(main(Path(args[0]), args[1] if len(args) > 1 else "a cat 5s"))
