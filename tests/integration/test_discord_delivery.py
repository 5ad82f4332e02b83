"""The fair delivery rule (bot/posting.py) on Discord, through the real discord.py client and the local
Discord: an upload whose answer never comes (Discord took it) is found in the channel's history and not
posted again, and a channel that refuses the bot (403) gives up into a refund with the member told."""

from __future__ import annotations

import asyncio
from pathlib import Path

import discord
import pytest

from bot.adapters.base import Outgoing, Place
from bot.adapters.discord_posts import anchor_id, delivery_failure
from bot.delivery import clip_reply
from bot.outbox import GIVEN_UP, POSTED
from bot.replies import PostRef
from tests.integration.discord_harness import Harness, discord_bot, job_of


@pytest.fixture
async def dc(tmp_path: Path):
    async with discord_bot(tmp_path) as harness:
        harness.core.delivery.posting.retry_delays_s = (0.05, 0.05, 0.05)  # seconds in production
        yield harness


async def settled(dc: Harness, job_id: str, timeout: float = 15.0) -> str:
    """The state of job `job_id`'s Discord delivery once it is posted or given up."""

    async def poll() -> str:
        while True:
            row = await dc.core.delivery.posting.outbox.get(job_id, "discord")
            if row is not None and row.state in (POSTED, GIVEN_UP):
                return row.state
            await asyncio.sleep(0.02)

    return await asyncio.wait_for(poll(), timeout)


def clip_calls(dc: Harness, job_id: str) -> list[int]:
    """The create_message calls that carried job `job_id`'s clip embed (accepted or not): their status."""
    out = []
    for call in dc.fake.calls_to("create_message"):
        embeds = (call.body or {}).get("embeds") or [{}]
        if (embeds[0].get("footer") or {}).get("text") == job_id:
            out.append(call.status)
    return out


async def test_an_upload_that_times_out_after_discord_took_it_is_found_not_posted_twice(dc: Harness) -> None:
    before = await dc.available(dc.ann)
    dc.adapter.upload_timeout_s = 0.5
    dc.fake.plan_stall("create_message", 2.0)  # Discord stores the clip; its answer comes too late
    it = await dc.fake.slash(dc.ann, dc.channel, "video", prompt="a red kite over green hills")
    job_id = job_of((await dc.answer(it)).body)

    assert await settled(dc, job_id) == POSTED
    posts = [
        m
        for m in dc.fake.channel_messages(dc.channel)
        if any((e.get("footer") or {}).get("text") == job_id for e in m.embeds)
    ]
    assert len(posts) == 1  # one clip in the channel
    assert len(clip_calls(dc, job_id)) == 1  # and it was uploaded once: found, not sent again
    listed = dc.fake.calls_to("list_messages")
    assert listed and all(int(c.query["after"]) < posts[0].id for c in listed)
    recorded = await dc.core.job_for_post(PostRef("discord", str(dc.channel.id), str(posts[0].id)))
    assert recorded == job_id  # the found post is the job's clip post (its buttons work)
    job = await dc.final(job_id)
    balance = await dc.core.ledger.balance(dc.uid(dc.ann))
    assert balance.held == 0 and balance.available == before - job.price  # captured once, on delivery


async def test_a_channel_that_refuses_the_bot_gives_up_into_a_refund_and_says_so(dc: Harness) -> None:
    before = await dc.available(dc.ann)
    dc.fake.closed_channels.add(dc.channel.id)  # the bot lost Send Messages in #clips: 403 50013
    mark = len(dc.fake.calls)
    it = await dc.fake.slash(dc.ann, dc.channel, "video", prompt="a red kite over green hills")
    job_id = job_of((await dc.answer(it)).body)

    assert await settled(dc, job_id) == GIVEN_UP
    assert clip_calls(dc, job_id) == [403]  # permanent: not tried again
    told = await dc.fake.wait_for(
        "edit_webhook_message",
        lambda c: c.ok and "couldn't post it here" in (c.body.get("content") or ""),
        after=mark,
    )
    assert "refunded" in told.body["content"]  # the member's status post says so, through the interaction
    balance = await dc.core.ledger.balance(dc.uid(dc.ann))
    assert balance.held == 0 and balance.available == before  # nothing charged for a clip never delivered


async def test_a_second_upload_of_a_clip_gets_discords_first_message_back(dc: Harness) -> None:
    job, clip = await dc.make_clip(dc.ann)
    out = Outgoing(clip_reply(job, tip_credits=dc.settings.tip_credits), "en")
    again = [post async for post in dc.adapter.post_clip(Place(str(dc.channel.id)), out)]
    assert again == [PostRef("discord", str(dc.channel.id), str(clip.id))]  # the job id is an enforced nonce
    posts = [
        m
        for m in dc.fake.channel_messages(dc.channel)
        if any((e.get("footer") or {}).get("text") == job.id for e in m.embeds)
    ]
    assert [m.id for m in posts] == [clip.id]


def _http(status: int, code: int, exc: type[discord.HTTPException] = discord.HTTPException) -> BaseException:
    class Response:
        reason = "x"

    response = Response()
    response.status = status  # type: ignore[attr-defined]
    return exc(response, {"code": code, "message": "x"})  # type: ignore[arg-type]


def test_discord_errors_read_as_the_posting_rule_needs() -> None:
    limited = delivery_failure(discord.RateLimited(75.0))
    assert limited.retry_after == 75.0 and not limited.permanent
    assert delivery_failure(_http(403, 50013, discord.Forbidden)).permanent
    assert delivery_failure(_http(404, 10003, discord.NotFound)).permanent  # Unknown Channel
    assert delivery_failure(_http(403, 50001, discord.Forbidden)).permanent  # Missing Access
    server = delivery_failure(_http(503, 0, discord.DiscordServerError))
    assert not server.permanent and not server.uncertain
    assert delivery_failure(TimeoutError()).uncertain
    # the anchor is a snowflake before now, and never before the request itself
    request = discord.utils.time_snowflake(discord.utils.utcnow())
    assert int(anchor_id({"message_id": str(request)})) == request
    assert int(anchor_id({})) < request
