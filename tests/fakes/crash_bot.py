"""A bot process for crash tests: it dies (SIGKILL of itself) at the moment it is told to.

Two ways to run it:

- `python -m tests.fakes.crash_bot DATA_DIR [TEXT] [--die=MOMENT]`: a core with no channel submits one job.
  Without --die it prints {"job": id} once the job is running (its render never finishes) and waits for a
  SIGKILL. --die=in-unit-of-work SIGKILLs inside the submit's transaction, after the hold was written and
  before the job row is; --die=after-commit right after that transaction committed, before the queue
  admitted the job. Both print {"job": id, ...} first, with what the transaction held at that moment.
- `python -m tests.fakes.crash_bot DATA_DIR --telegram=API_URL --die=MOMENT`: `reelbot run`'s wiring (the
  Telegram channel against a fake Bot API at API_URL, a fake engine), dying at MOMENT of a job's life:
  after-hold, in-unit-of-work, after-commit, queued (answered, never started), mid-run, clip-written,
  after-capture (the clip post recorded and paid for), loop-mid-run (a loop job, e.g. from a reaction,
  mid-run); `none`: never (the test kills it from outside, e.g. from the fake Bot API during an upload).
  It prints {"died": MOMENT, ...} just before dying. --log=LEVEL sets the log level (default WARNING).
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

from billing.ledger import Ledger
from bot.core import Core
from bot.delivery import Delivery
from bot.posting import Posting
from bot.replies import Context, PostRef
from bot.settings import Settings
from engine.jobs import Job, JobStore
from engine.queue import JobQueue
from engine.spec import CancelledFn, Clip, EngineJob, ProgressFn
from tests.fakes.engines import FakeEngine

TOKEN = "123456:TEST-TOKEN"


def _die(report: dict[str, Any]) -> None:
    print(json.dumps(report), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


def die_in_unit_of_work() -> None:
    """Make the job row insert kill the process; the hold of the same transaction is already written."""

    def tx_add(self: JobStore, conn: sqlite3.Connection, job: Job) -> None:
        held = conn.execute("SELECT COUNT(*) FROM holds WHERE job_id = ?", (job.id,)).fetchone()[0]
        _die(
            {
                "job": job.id,
                "died": "in-unit-of-work",
                "hold_written": bool(held),
                "in_transaction": conn.in_transaction,
            }
        )

    JobStore.tx_add = tx_add  # type: ignore[method-assign]


def die_after_hold() -> None:
    """Kill the process right after the hold is written, inside the submit's transaction."""
    hold = Ledger.tx_hold

    def tx_hold(self: Ledger, conn: sqlite3.Connection, user: str, job_id: str, amount: int) -> Any:
        hold(self, conn, user, job_id, amount)
        _die({"job": job_id, "died": "after-hold", "in_transaction": conn.in_transaction})

    Ledger.tx_hold = tx_hold  # type: ignore[method-assign]


def die_after_commit() -> None:
    """Make the queue's admission kill the process: the hold and the job row have committed."""

    async def admit(self: JobQueue, job: Job) -> None:
        _die({"job": job.id, "died": "after-commit", "committed": True})

    JobQueue.admit = admit  # type: ignore[method-assign]


def die_queued() -> None:
    """No worker ever starts a job; die once the member has the job's 'queued' answer."""

    async def start(self: JobStore, job_id: str) -> bool:
        await asyncio.Event().wait()
        return False

    posted = Delivery.status_posted

    async def status_posted(self: Delivery, job_id: str, post: PostRef | None) -> None:
        await posted(self, job_id, post)
        _die({"job": job_id, "died": "queued"})

    JobStore.start = start  # type: ignore[method-assign]
    Delivery.status_posted = status_posted  # type: ignore[method-assign]


def die_after_capture() -> None:
    """Die once the clip's first post is recorded and its hold captured (before the status post goes)."""
    posted = Posting.clip_posted

    async def clip_posted(self: Posting, job_id: str, post: PostRef) -> None:
        await posted(self, job_id, post)
        _die({"job": job_id, "died": "after-capture"})

    Posting.clip_posted = clip_posted  # type: ignore[method-assign]


class DyingEngine(FakeEngine):
    """A FakeEngine that kills the process mid-run (`mid-run`, or `loop-mid-run` for loop jobs only), or
    once its clip files are written (`clip-written`)."""

    def __init__(self, moment: str) -> None:
        super().__init__(steps=4, step_s=0.02, real_video=True)
        self.moment = moment

    def run(self, job: EngineJob, on_progress: ProgressFn, cancelled: CancelledFn) -> Clip:
        dies_mid = self.moment == "mid-run" or (self.moment == "loop-mid-run" and job.action == "loop")

        def progress(fraction: float, eta_s: float | None) -> None:
            on_progress(fraction, eta_s)
            if dies_mid and fraction >= 0.5:
                _die({"job": job.job_id, "died": self.moment})

        clip = super().run(job, progress, cancelled)
        if self.moment == "clip-written":
            _die({"job": job.job_id, "died": "clip-written", "files": [str(p) for p in clip.paths]})
        return clip


MOMENTS = {
    "in-unit-of-work": die_in_unit_of_work,
    "after-commit": die_after_commit,
    "after-hold": die_after_hold,
    "queued": die_queued,
    "after-capture": die_after_capture,
}


def telegram_settings(data_dir: Path, api_url: str, log_level: str = "WARNING") -> Settings:
    """The settings the crash bot (and the test's restart of it) runs with."""
    return Settings(
        data_dir=data_dir,
        _env_file=None,
        telegram_token=TOKEN,  # type: ignore[call-arg]
        telegram_api_url=api_url,
        web_enabled=False,
        log_level=log_level,
    )


async def run_telegram(data_dir: Path, api_url: str, moment: str, log_level: str = "WARNING") -> int:
    from bot.app import run

    return await run(telegram_settings(data_dir, api_url, log_level), engine=DyingEngine(moment))


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
    flags = dict(a.removeprefix("--").split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    moment = flags.get("die", "")
    if moment in MOMENTS:
        MOMENTS[moment]()
    if "telegram" in flags:
        sys.exit(
            asyncio.run(run_telegram(Path(args[0]), flags["telegram"], moment, flags.get("log", "WARNING")))
        )
    asyncio.run(main(Path(args[0]), args[1] if len(args) > 1 else "a cat 5s"))
