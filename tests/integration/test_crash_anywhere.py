"""Crash anywhere: a real bot process (`reelbot run`'s wiring, the Telegram channel against the fake Bot API,
a fake engine) is SIGKILLed at each step of a job's life, then started again (in this process). After the
restart has settled: the books balance (`reelbot admin audit` finds no mismatch), every hold is captured or
refunded, no clip is posted twice, no job is lost, and the member has been told what happened."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.app import run
from bot.audit import audit_file
from tests.fakes.crash_bot import TOKEN, telegram_settings
from tests.fakes.engines import FakeEngine
from tests.fakes.telegram_api import BotAPIError, FakeTelegramAPI

ROOT = Path(__file__).resolve().parents[2]
ANN, BOB, GROUP = 42, 43, -1001234567890
#: where the bot process dies: its own kill points (tests/fakes/crash_bot.py), or the fake Bot API's
MOMENTS = (
    "after-hold",
    "in-unit-of-work",
    "after-commit",
    "queued",
    "mid-run",
    "clip-written",
    "after-capture",
    "during-upload",
    "after-accepted",
    "loop-mid-run",
)
#: the request never committed: nothing was made or charged
BEFORE_COMMIT = frozenset({"after-hold", "in-unit-of-work"})
#: the fake Bot API kills the bot while it uploads (before storing the clip) or right after it stored it
BY_THE_API = frozenset({"during-upload", "after-accepted"})


class KillingAPI(FakeTelegramAPI):
    """The fake Bot API, which SIGKILLs the bot process (`victim`) during its first clip upload: before it
    takes the clip (`during-upload`) or once it has taken it, before answering (`after-accepted`)."""

    victim: int | None = None
    moment = ""

    async def _send_video(self, a: Any) -> Any:
        if self.victim is not None and self.moment == "during-upload":
            self._kill()
            raise BotAPIError(500, "Internal Server Error: connection lost")
        result = await super()._send_video(a)
        if self.victim is not None and self.moment == "after-accepted":
            self._kill()
        return result

    def _kill(self) -> None:
        assert self.victim is not None
        os.kill(self.victim, signal.SIGKILL)
        self.victim = None


def read(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()


def settled(db: Path) -> bool:
    """Every job final, no hold open, every finished clip's delivery over, no answer owed."""
    return (
        not read(db, "SELECT 1 FROM jobs WHERE state IN ('queued', 'running')")
        and not read(db, "SELECT 1 FROM holds WHERE state = 'held'")
        and not read(
            db,
            "SELECT 1 FROM jobs j LEFT JOIN deliveries d ON d.job_id = j.id WHERE j.state = 'done' "
            "AND (d.state IS NULL OR d.state NOT IN ('posted', 'given_up'))",
        )
        and not read(db, "SELECT 1 FROM owed_answers")
    )


def clip_posts(fake: FakeTelegramAPI, job_id: str) -> list[dict[str, Any]]:
    """The video messages in the group whose buttons name `job_id`."""
    return [
        m for m in fake.chat_history(GROUP) if "video" in m and job_id in json.dumps(m.get("reply_markup"))
    ]


async def crash(fake: KillingAPI, data: Path, moment: str) -> dict[str, Any]:
    """Run the crash bot until it dies at `moment`; returns what it said just before (if it did)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    own = "none" if moment in BY_THE_API else moment
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.crash_bot",
        str(data),
        f"--telegram={fake.url}",
        f"--die={own}",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    fake.victim, fake.moment = proc.pid, moment
    try:
        await fake.wait_for_poll(timeout=30)
        ann, bob = fake.user(ANN, "Ann", "ann"), fake.user(BOB, "Bob", "bob")
        group = fake.group_chat(GROUP, "Reel club")
        fake.make_bot_admin(group)  # Telegram sends reactions in groups to admin bots only
        fake.push_message(fake.message(group, ann, "@ReelBot a cat 5s"))
        if moment == "loop-mid-run":  # the first clip is out; Bob reacts to it, which starts a loop job
            video = await fake.wait_for("sendVideo", lambda c: c.ok, timeout=30)
            await fake.wait_for("deleteMessage", timeout=30)
            fake.push_message_reaction(
                fake.message_reaction(group, bob, video.result["message_id"], new=["🔥"])
            )
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == -signal.SIGKILL, err.decode()[-2000:]
    said = out.decode().strip().splitlines()
    return json.loads(said[-1]) if said else {}


@pytest.mark.parametrize("moment", MOMENTS)
async def test_killed_at_any_step_the_restart_balances_the_books_and_tells_the_member(
    tmp_path: Path, moment: str
) -> None:
    data = tmp_path / "data"
    async with KillingAPI(token=TOKEN, bot_username="ReelBot") as fake:
        report = await crash(fake, data, moment)
        assert report.get("died", moment if moment in BY_THE_API else None) == moment
        sent_before = len([c for c in fake.calls_to("sendVideo") if c.ok])

        settings = telegram_settings(data, fake.url)
        stop = asyncio.Event()
        served = asyncio.create_task(run(settings, engine=FakeEngine(steps=2, step_s=0.01), stop_event=stop))
        try:
            for _ in range(300):
                if served.done() or (await asyncio.to_thread(settled, settings.db_path) and fake.calls):
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)  # the last Bot API calls of the restart (status post removal)
        finally:
            stop.set()
            assert await asyncio.wait_for(served, 20) == 0
        assert settled(settings.db_path), read(settings.db_path, "SELECT id, state FROM jobs")

    books = await audit_file(settings.db_path)
    assert books["ledger_balanced"] and books["mismatches"] == [] and books["open_holds"] == []
    jobs = read(settings.db_path, "SELECT id, owner, state, price FROM jobs ORDER BY created_at")
    group_text = [m.get("text", "") for m in fake.chat_history(GROUP)]
    if moment in BEFORE_COMMIT:
        assert jobs == []  # nothing committed, nothing charged ...
        assert any("I restarted before I could start your request" in t for t in group_text)  # ... and told
        assert {a["users"][0]: a["allowance"] for a in books["accounts"]} == {f"telegram:{ANN}": 100}
        return
    assert len(jobs) == (2 if moment == "loop-mid-run" else 1)  # no job lost, none made twice
    spent = {f"telegram:{ANN}": 0, f"telegram:{BOB}": 0}
    for job_id, owner, state, price in jobs:
        assert state == "done", (job_id, state)
        assert len(clip_posts(fake, job_id)) == 1  # posted exactly once, whatever the moment
        spent[owner] += price
    accounts = {a["users"][0]: a["allowance"] for a in books["accounts"]}
    assert all(accounts.get(user, 100) == 100 - credits for user, credits in spent.items())  # charged once
    videos = [c for c in fake.calls_to("sendVideo") if c.ok]
    if moment in ("after-accepted", "after-capture"):
        assert len(videos) == sent_before == 1  # the platform had it: not sent again
    # no status post is left behind saying the job is still on its way
    assert not [t for t in group_text if t.startswith(("🎬", "🎞️"))], group_text
