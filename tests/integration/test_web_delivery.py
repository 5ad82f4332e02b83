"""The fair delivery rule (bot/posting.py) on the web channel, whose posts are local messages in the
member's chat log: a clip is recorded as delivered exactly once, captured on delivery, the books balance,
and the channel answers "was it posted?" from its own log (never "cannot tell")."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.base import Outgoing, Place
from bot.audit import audit
from bot.delivery import clip_reply
from bot.outbox import POSTED
from bot.replies import Notice
from tests.fakes.engines import FakeEngine
from tests.fakes.web_client import WebHarness, web_harness


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[WebHarness]:
    async with web_harness(tmp_path / "data", FakeEngine(steps=3, step_s=0.02, real_video=True)) as harness:
        yield harness


async def delivered(h: WebHarness, job_id: str, timeout: float = 15.0) -> None:
    async def poll() -> None:
        while True:
            row = await h.core.delivery.posting.outbox.get(job_id, "web")
            if row is not None and row.state == POSTED:
                return
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout)


async def test_a_web_clip_is_delivered_once_captured_once_and_the_books_balance(h: WebHarness) -> None:
    ann = await h.member()
    user = await ann.user()
    before = await h.available(user)
    status, sent = await ann.post("/api/messages", json={"text": "a red fox running through snow 5s"})
    assert status == 200
    job_id = sent["reply"]["job_id"]
    job = await h.final(job_id)
    await delivered(h, job_id)

    posts = await h.core.posts_of(job_id, "clip")
    assert len(posts) == 1 and posts[0].platform == "web"  # one clip post recorded
    _, log = await ann.get("/api/messages")
    clips = [
        m for m in log["messages"] if (m["reply"] or {}).get("clip", {}) and m["reply"]["kind"] == "done"
    ]
    assert [m["id"] for m in clips] == [posts[0].message]  # and one in the member's chat
    balance = await h.core.ledger.balance(user)
    assert balance.held == 0 and balance.available == before - job.price  # captured once
    report = await audit(h.core.db)
    assert report["ledger_balanced"] and report["mismatches"] == [] and report["open_holds"] == []

    # asked again (a retry after an unclear outcome): the recorded post is not "found" a second time
    origin = job.origin
    reply = clip_reply(job, tip_credits=h.settings.tip_credits)
    notice = Notice("done", reply, job_id, origin)
    assert await h.web.find_posted(notice, None) == []
    # a clip message in the chat that no row records (a crash between posting and recording it) is found
    stray = await h.web.send(Place(str(origin["chat_id"])), Outgoing(reply, "en"))
    assert await h.web.find_posted(notice, None) == [stray]
    # a restarted channel's log is empty: [] (post it again), never None (give up, "maybe posted")
    other = Notice("done", reply, job_id, {**origin, "chat_id": "web:nobody"})
    assert await h.web.find_posted(other, None) == []
