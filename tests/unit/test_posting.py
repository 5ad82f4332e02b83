"""The delivery rule (bot/posting.py) through a real core and a scripted channel: a timed-out upload the
platform did take is found, not posted again; a platform that cannot tell gives up rather than risk a second
copy; retries come in seconds and give up into a refund; a partly delivered clip is charged once and only
its missing files are posted again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.core import Core
from bot.errors import DeliveryFailed
from bot.messages import render
from bot.replies import Context, Notice, PostRef
from bot.settings import Settings
from tests.fakes.engines import FakeEngine


class Platform:
    """A channel over an in-memory platform. `script`: what each clip attempt does, in order: "ok", "fail",
    "timeout-taken" (the platform keeps it but the answer never comes), "fail-after-one" (first file out)."""

    def __init__(self, core: Core, *, can_tell: bool = True) -> None:
        self.core = core
        self.script: list[str] = []
        self.posts: list[tuple[str, str]] = []  # (job, file name) on the platform
        self.finals: list[Notice] = []
        self.asked: list[str] = []
        self.can_tell = can_tell
        core.subscribe("mem", self.on, checker=self)

    async def on(self, notice: Notice) -> None:
        if notice.kind != "done":
            self.finals.append(notice)
            return
        step = self.script.pop(0) if self.script else "ok"
        assert notice.reply.clip is not None
        files = [notice.reply.clip.path, *notice.reply.clip.extra_paths]
        if step == "fail":
            raise DeliveryFailed("network")
        for i, path in enumerate(files):
            self.posts.append((notice.job_id, path.name))
            if step == "timeout-taken":
                raise DeliveryFailed("timed_out", uncertain=True)
            await self.core.clip_posted(notice.job_id, PostRef("mem", "c", str(len(self.posts))))
            if step == "fail-after-one" and i == 0:
                raise DeliveryFailed("network")

    def anchor(self, origin: dict[str, Any]) -> str | None:
        return "0"

    async def find_posted(self, notice: Notice, anchor: str | None) -> list[PostRef] | None:
        self.asked.append(notice.job_id)
        if not self.can_tell:
            return None
        known = {p.message for p in await self.core.posts_of(notice.job_id, "clip")}
        on_platform = [str(i + 1) for i, (job, _) in enumerate(self.posts) if job == notice.job_id]
        return [PostRef("mem", "c", m) for m in on_platform if m not in known]

    async def clear_status(self, status: PostRef) -> None:
        pass


@pytest.fixture
async def core(tmp_path: Path) -> AsyncIterator[Core]:
    c = await Core.open(
        Settings(data_dir=tmp_path / "data", _env_file=None), FakeEngine(steps=1, real_video=False)
    )  # type: ignore[call-arg]
    c.delivery.posting.retry_delays_s = (0.05, 0.05, 0.05)  # seconds in production; instants here
    await c.start()
    yield c
    await c.close()


def ctx() -> Context:
    return Context(user="telegram:1", origin={"platform": "mem", "chat_id": "c"})


async def settled(core: Core, job_id: str) -> str:
    for _ in range(2000):
        row = await core.delivery.outbox.get(job_id, "mem")
        if row is not None and row.state in ("posted", "given_up"):
            return row.state
        await asyncio.sleep(0.01)
    raise AssertionError("delivery never settled")


async def test_a_timed_out_upload_the_platform_took_is_found_not_posted_again(core: Core) -> None:
    chan = Platform(core)
    chan.script = ["timeout-taken"]
    made = await core.handle_text(ctx(), "a fox 5s")
    assert await settled(core, made.job_id) == "posted"
    assert chan.posts == [(made.job_id, f"{made.job_id}-0.mp4")] and chan.asked == [made.job_id]
    balance = await core.ledger.balance("telegram:1")
    assert (balance.available, balance.held) == (75, 0)
    assert [p.message for p in await core.posts_of(made.job_id, "clip")] == ["1"]


async def test_a_platform_that_cannot_tell_gives_up_rather_than_post_twice(core: Core) -> None:
    chan = Platform(core, can_tell=False)
    chan.script = ["timeout-taken"]
    made = await core.handle_text(ctx(), "a fox 5s")
    assert await settled(core, made.job_id) == "given_up"
    assert len(chan.posts) == 1  # never a second copy
    told = [n for n in chan.finals if n.job_id == made.job_id]
    assert told and "can't tell whether it arrived" in render(told[-1].reply)
    assert (await core.ledger.balance("telegram:1")).available == 100  # the doubt goes to the member


async def test_retries_come_in_seconds_and_the_last_one_gives_up_into_a_refund(core: Core) -> None:
    chan = Platform(core)
    chan.script = ["fail", "fail", "ok"]
    made = await core.handle_text(ctx(), "a fox 5s")
    assert await settled(core, made.job_id) == "posted" and len(chan.posts) == 1
    assert (await core.ledger.balance("telegram:1")).available == 75
    chan.script = ["fail"] * 4
    doomed = await core.handle_text(ctx(), "a cat 5s")
    assert await settled(core, doomed.job_id) == "given_up" and not chan.script  # 1 try + 3 retries
    told = [n for n in chan.finals if n.job_id == doomed.job_id]
    assert "couldn't post it here. Your 25 credits were refunded" in render(told[-1].reply)
    assert (await core.ledger.balance("telegram:1")).available == 75  # only the delivered one is paid


async def test_a_retry_after_above_the_cap_gives_up_at_once(core: Core) -> None:
    chan = Platform(core)

    async def flood(notice: Notice) -> None:
        if notice.kind == "done":
            raise DeliveryFailed("flood_wait", retry_after=3600)
        chan.finals.append(notice)

    core.subscribe("mem", flood, checker=chan)
    made = await core.handle_text(ctx(), "a fox 5s")
    assert await settled(core, made.job_id) == "given_up"
    assert (await core.ledger.balance("telegram:1")).available == 100 and chan.finals


async def test_a_partly_delivered_clip_is_charged_once_and_only_its_missing_file_posted_again(
    core: Core,
) -> None:
    chan = Platform(core)
    chan.script = ["fail-after-one", "ok"]
    await core.ledger.set_plan("telegram:1", "pro")
    made = await core.handle_text(ctx(), "a fox 5s 2 variations")
    assert made.kind == "queued"
    assert await settled(core, made.job_id) == "posted"
    assert [name for _, name in chan.posts] == [f"{made.job_id}-0.mp4", f"{made.job_id}-1.mp4"]
    captures = [
        r for r in await core.ledger.history("telegram:1") if r.kind == "capture" and r.job_id == made.job_id
    ]
    assert len(captures) == 1


async def test_redelivery_counts_only_clips_it_posted(core: Core) -> None:
    chan = Platform(core)
    core.delivery.posting.retry_delays_s = (30.0, 30.0, 30.0)  # the scheduled retry must not come first
    chan.script = ["fail"]
    made = await core.handle_text(ctx(), "a fox 5s")
    for _ in range(2000):  # the first post failed and a retry is scheduled
        row = await core.delivery.outbox.get(made.job_id, "mem")
        if row is not None and row.state == "pending" and row.attempts == 1:
            break
        await asyncio.sleep(0.01)
    await core.delivery.posting.close()  # the retry timer is lost (as in a restart)
    await core.delivery.outbox.retry_at(made.job_id, "mem", 0.0, "network", uncertain=False)
    chan.script = ["fail"]
    assert await core.redeliver() == 0  # the platform refused again: not counted as posted
    await core.delivery.posting.close()
    await core.delivery.outbox.retry_at(made.job_id, "mem", 0.0, "network", uncertain=False)
    assert await core.redeliver() == 1 and len(chan.posts) == 1
    assert await core.redeliver() == 0
