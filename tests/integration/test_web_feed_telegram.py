"""Clips from Telegram in the web channel's Explore feed: one bot process with the real TelegramAdapter
(long polling the fake Bot API server) and the real WebAdapter on one Core. A group's clip and its remix
show with their lineage both ways; a clip made in a private chat stays out until its author shares it
(/share in that chat, or the Share button under it); an operator-hidden group stays out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram_adapter import TelegramAdapter
from bot.adapters.web_adapter import WebAdapter
from bot.core import Core
from bot.settings import Settings
from engine.jobs import Job
from tests.fakes.engines import FakeEngine
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.web_client import Member

TOKEN = "123456:TEST-TOKEN"
ANN_ID, BOB_ID = 42, 43
GROUP_ID, HIDDEN_GROUP_ID = -1001234567890, -1009999


class Bot:
    def __init__(self, fake: FakeTelegramAPI, core: Core, web: WebAdapter, browser: Member) -> None:
        self.fake, self.core, self.web, self.browser = fake, core, web, browser
        self.ann = fake.user(ANN_ID, "Ann", "ann")
        self.bob = fake.user(BOB_ID, "Bob", "bob")
        self.group = fake.group_chat(GROUP_ID, "Reel club")
        self._seen: set[int] = set()  # bot messages already matched to a request

    async def clip(
        self, chat: dict[str, Any], user: dict[str, Any], text: str, reply_to: dict[str, Any] | None = None
    ) -> tuple[Job, dict[str, Any]]:
        """`user` asks in `chat`; the finished job and the clip message the fake holds."""
        body = text if chat["type"] == "private" else f"@ReelBot {text}"
        self.fake.push_message(self.fake.message(chat, user, body, reply_to=reply_to))
        queued = await self.fake.wait_for(
            "sendMessage",
            lambda c: (
                c.ok
                and c.params["chat_id"] == chat["id"]
                and "Queued" in c.result["text"]
                and c.result["message_id"] not in self._seen
            ),
        )
        self._seen.add(queued.result["message_id"])
        keyboard = queued.params["reply_markup"]["inline_keyboard"]
        job_id = keyboard[0][0]["callback_data"].removeprefix("j:cancel:")
        video = await self.fake.wait_for(
            "sendVideo",
            lambda c: c.ok and c.params["chat_id"] == chat["id"] and c.result["message_id"] not in self._seen,
            timeout=15,
        )
        self._seen.add(video.result["message_id"])
        for _ in range(500):
            job = await self.core.jobs.get(job_id)
            if job is not None and job.final:
                break
            await asyncio.sleep(0.02)
        assert job is not None and job.state == "done"
        return job, self.fake.messages[(chat["id"], video.result["message_id"])]

    async def feed(self, **params: str) -> list[dict[str, Any]]:
        status, page = await self.browser.get("/api/feed", params=params)
        assert status == 200, page
        return list(page["items"])


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    import aiohttp

    async with FakeTelegramAPI(token=TOKEN, bot_username="ReelBot") as fake:
        settings = Settings(
            data_dir=tmp_path / "data",
            _env_file=None,
            telegram_token=TOKEN,
            telegram_api_url=fake.url,
            web_port=0,
            feed_hidden_channels=[f"telegram:{HIDDEN_GROUP_ID}"],
        )
        core = await Core.open(settings, FakeEngine(steps=2, step_s=0.01, real_video=True))
        telegram = TelegramAdapter(core, settings, poll_timeout=1, progress_interval=0.0)
        web = WebAdapter(core, settings)
        await web.start()
        await core.start()
        await telegram.start()
        await fake.wait_for_poll()
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        try:
            yield Bot(fake, core, web, Member(session, web.url))
        finally:
            await session.close()
            await telegram.stop()
            await web.stop()
            await core.close()


async def test_a_group_clip_and_its_remix_show_in_the_web_feed_with_lineage_both_ways(bot: Bot) -> None:
    source, source_msg = await bot.clip(bot.group, bot.ann, "a lighthouse in a storm 5s")
    remix, _ = await bot.clip(bot.group, bot.bob, "make it sunny", reply_to=source_msg)
    assert remix.parent == source.id
    items = {i["job_id"]: i for i in await bot.feed()}
    assert list(items) == [remix.id, source.id]  # newest first
    shown = items[source.id]
    assert (shown["author"], shown["platform"], shown["prompt"], shown["credits"]) == (
        "@ann",
        "telegram",
        "a lighthouse in a storm",
        25,
    )
    assert [r["job_id"] for r in shown["remixes"]] == [remix.id] and shown["remix_count"] == 1
    child = items[remix.id]
    assert child["author"] == "@bob" and child["action"] == "remix"
    assert child["parent"]["job_id"] == source.id and child["parent"]["prompt"] == "a lighthouse in a storm"
    status, video = await bot.browser.get(shown["media"]["videos"][0], headers={"Range": "bytes=0-15"})
    assert status == 206 and video[4:8] == b"ftyp"  # the clip Telegram got, playable from the web
    assert [i["job_id"] for i in await bot.feed(platform="telegram", author="telegram:43")] == [remix.id]


async def test_a_private_chat_clip_stays_out_until_its_author_shares_it(bot: Bot) -> None:
    dm = bot.fake.private_chat(bot.ann)
    private, clip_msg = await bot.clip(dm, bot.ann, "my secret garden 5s")
    assert private.public is False
    data = [b["callback_data"] for row in clip_msg["reply_markup"]["inline_keyboard"] for b in row]
    assert f"j:share:{private.id}" in data  # the Share button sits under the private clip
    assert await bot.feed() == []
    status, _ = await bot.browser.get(f"/api/clips/{private.id}")
    assert status == 404
    status, _ = await bot.browser.get(f"/media/{private.id}/0.mp4")
    assert status == 404
    bot.fake.push_message(bot.fake.message(dm, bot.ann, "/share"))
    await bot.fake.wait_for(
        "sendMessage", lambda c: c.ok and c.params["chat_id"] == ANN_ID and "Shared" in c.result["text"]
    )
    assert [i["job_id"] for i in await bot.feed()] == [private.id]


async def test_a_hidden_group_stays_out_of_the_feed(bot: Bot) -> None:
    hidden = bot.fake.group_chat(HIDDEN_GROUP_ID, "Back room")
    job, _ = await bot.clip(hidden, bot.ann, "a quiet corridor 5s")
    assert job.public  # a group's clip, only the operator keeps this group out
    assert await bot.feed() == []
    status, _ = await bot.browser.get(f"/api/clips/{job.id}")
    assert status == 404
