"""More of the Discord channel through the real discord.py client and the local Discord: context menus,
the storyboard form, /extend, confirms and offers (ephemeral posts edited through the press's token), the
Delete button, DMs, Chinese locales, a clip over the upload limit, buttons after a restart, a gateway
resume, and what works without the message-content intent."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.adapters.discord_adapter import DiscordAdapter
from engine.spec import Clip, EngineJob
from tests.fakes.discord_gateway import IDENTIFY, RESUME
from tests.fakes.engines import FakeEngine
from tests.integration.discord_harness import Harness, custom_ids, discord_bot, job_of


@pytest.fixture
async def dc(tmp_path: Path):
    async with discord_bot(tmp_path) as harness:
        yield harness


def mention(dc: Harness, text: str) -> str:
    return f"<@{dc.fake.bot.id}> {text}"


async def test_context_menus_loop_and_remix_a_clip_for_the_member_who_picks_them(dc: Harness) -> None:
    fake = dc.fake
    job, clip = await dc.make_clip(dc.ann)
    looped = await fake.message_command(dc.bob, clip, "Loop clip")
    queued = await dc.answer(looped)
    loop = await dc.final(job_of(queued.body))
    assert (loop.action, loop.parent, loop.owner) == ("loop", job.id, dc.uid(dc.bob))
    remix = await fake.message_command(dc.bob, clip, "Remix clip")
    await fake.wait_until(lambda: remix.response_type is not None)
    assert remix.response_type == 9 and remix.modal is not None
    plain = await fake.say(dc.channel, dc.ann, "not a clip")
    refused = await fake.message_command(dc.bob, plain, "Extend clip")
    assert "isn't one of my clips" in (await dc.answer(refused)).body["content"]


async def test_storyboard_asks_its_cards_in_a_form_and_extend_lengthens_a_clip(dc: Harness) -> None:
    fake = dc.fake
    await dc.core.ledger.set_plan(dc.uid(dc.ann), "pro")  # a 10 s storyboard is past the free plan's 5 s
    opened = await fake.slash(dc.ann, dc.channel, "storyboard", aspect="1:1")
    await fake.wait_until(lambda: opened.response_type is not None)
    assert opened.response_type == 9 and opened.answered_in is not None and opened.answered_in < 3.0
    sent = await fake.submit(dc.ann, opened, {"cards": "0s a seed in the soil\n3s a sprout\n5s a tall tree"})
    queued = await dc.answer(sent)
    board = await dc.final(job_of(queued.body))
    assert board.action == "storyboard" and [c["at"] for c in board.request["cards"]] == [0, 3, 5]
    assert board.request["seconds"] == 10 and board.price == 40
    assert (board.spec["width"], board.spec["height"]) == (480, 480)
    await dc.core.ledger.set_plan(dc.uid(dc.bob), "pro")  # a 10 s clip is past the free plan's 5 s too
    job, clip = await dc.make_clip(dc.bob)
    link = f"https://discord.com/channels/{dc.guild.id}/{dc.channel.id}/{clip.id}"
    extended = await fake.slash(dc.bob, dc.channel, "extend", clip=link)
    longer = await dc.final(job_of((await dc.answer(extended)).body))
    assert longer.action == "recut" and longer.parent == job.id and longer.request["extend"] is True
    assert longer.request["seconds"] == 10


async def test_a_spend_over_the_limit_asks_first_and_an_offer_is_taken_in_its_ephemeral_post(
    dc: Harness,
) -> None:
    fake = dc.fake
    await dc.core.set_auto_approve(_ctx(dc.ann), 10)
    asked = await fake.slash(dc.ann, dc.channel, "video", prompt="a lighthouse in a storm")
    confirm = await dc.answer(asked)
    assert "This costs 25 credits" in confirm.body["content"]
    post = fake.messages[int(confirm.response["id"])]
    token = next(i for i in custom_ids(confirm.body) if i.startswith("p:"))
    mark = len(fake.calls)  # anyone sees the confirm post, but only its asker's tap counts
    stranger = await fake.press(dc.bob, post, token)
    toast = await dc.answer(stranger, after=mark)
    assert "isn't yours" in toast.body["content"] and fake.messages[int(toast.response["id"])].ephemeral
    go = await fake.press(dc.ann, post, token)
    await fake.wait_until(lambda: "Queued" in post.content)
    assert go.response_type == 6 and await dc.available(dc.ann) == 75

    # an offer (the plan does not allow 720p) is ephemeral; its accept edits it through the press's token
    await dc.core.set_auto_approve(_ctx(dc.bob), 1000)
    refused = await fake.slash(dc.bob, dc.channel, "video", prompt="a harbour", resolution="720p")
    offer = await dc.answer(refused)
    shown = fake.messages[int(offer.response["id"])]
    assert shown.ephemeral and "I can make it as" in shown.content
    accept = next(i for i in shown.custom_ids() if i.startswith("p:"))
    took = await fake.press(dc.bob, shown, accept)
    edited = await fake.wait_for(
        "edit_webhook_message",
        lambda c: c.params["token"] == took.token and "Queued" in (c.body.get("content") or ""),
    )
    assert edited.params["message_id"] == "@original" and "Queued" in shown.content
    await dc.quiet()
    assert await dc.available(dc.bob) == 75


def _ctx(user: Any) -> Any:
    from bot.replies import Context

    return Context(user=f"discord:{user.id}")


async def test_a_reaction_over_the_reactors_limit_asks_them_first(dc: Harness) -> None:
    fake = dc.fake
    job, clip = await dc.make_clip(dc.ann)
    await dc.core.set_auto_approve(_ctx(dc.bob), 10)
    mark = len(fake.calls)
    await fake.react(dc.bob, clip, "🔁")
    asked = await dc.posted("Go ahead?", after=mark)
    assert asked.body["content"].startswith("Bob: This costs")
    post = fake.messages[int(asked.response["id"])]
    token = next(i for i in post.custom_ids() if i.startswith("p:"))
    ann_tap = await fake.press(dc.ann, post, token)  # not hers to confirm
    assert "isn't yours" in (await dc.answer(ann_tap)).body["content"]
    await fake.press(dc.bob, post, token)
    await fake.wait_until(lambda: "Queued" in post.content)
    await dc.quiet()
    extended = [j for j in await dc.jobs() if j.parent == job.id]
    assert [(j.owner, j.action) for j in extended] == [(dc.uid(dc.bob), "loop")]
    assert await dc.available(dc.ann) == 75 and await dc.available(dc.bob) == 100 - extended[0].price


async def test_delete_is_the_authors_and_takes_the_post_down(dc: Harness) -> None:
    fake = dc.fake
    job, clip = await dc.make_clip(dc.ann)
    mark = len(fake.calls)
    nope = await fake.press(dc.bob, clip, f"j:del:{job.id}")
    toast = await dc.answer(nope, after=mark)
    assert "Only the clip's author" in toast.body["content"] and not clip.deleted
    await fake.press(dc.ann, clip, f"j:del:{job.id}")
    await fake.wait_until(lambda: clip.deleted)
    assert (await dc.core.jobs.get(job.id)).deleted  # type: ignore[union-attr]


async def test_direct_messages_chinese_locales_and_answers_only_for_the_asker(dc: Harness) -> None:
    fake = dc.fake
    dm = fake.dm_channel(dc.ann)
    await fake.say(dm, dc.ann, "a koi pond in autumn")  # no mention needed in a DM
    queued = await dc.posted("Queued", channel=dm)
    dm_clip = await dc.clip_post(job_of(queued.body), channel=dm)
    await dc.final(job_of(queued.body))
    mark = len(fake.calls)
    await fake.react(dc.ann, dm_clip, "🔁")  # a DM reaction names only the member's id
    again = await dc.posted("Queued", channel=dm, after=mark)
    assert not again.body["content"].startswith("<@")  # a private chat: no name in front
    balance = await fake.slash(dc.bob, dc.channel, "balance", locale="zh-CN")
    answer = await dc.answer(balance)
    assert "积分" in answer.body["content"] and fake.messages[int(answer.response["id"])].ephemeral
    # a reaction has no reply of its own: an answer only for the reactor goes to their DMs
    job, clip = await dc.make_clip(dc.bob)
    await fake.react(dc.bob, clip, "❤️")  # tipping oneself
    dm_bob = await fake.wait_for("create_dm")
    assert int(dm_bob.body["recipient_id"]) == dc.bob.id
    said = await fake.wait_for(
        "create_message", lambda c: "can't tip your own clip" in (c.body.get("content") or "")
    )
    assert int(said.params["channel_id"]) == fake.dm_channel(dc.bob).id
    # a balance asked by mention is only for the asker: it goes to their DMs, or, with DMs closed, the
    # channel is told how to get it (never the balance itself)
    await fake.say(dc.channel, dc.bob, mention(dc, "/balance"))
    private = await fake.wait_for("create_message", lambda c: "credits (" in (c.body.get("content") or ""))
    assert int(private.params["channel_id"]) == fake.dm_channel(dc.bob).id
    fake.dm_closed.add(dc.ann.id)
    await fake.say(dc.channel, dc.ann, mention(dc, "/balance"))
    hint = await dc.posted("direct message")
    assert "Allow direct messages" in hint.body["content"]
    assert not any(
        "credits (" in (c.body.get("content") or "") and int(c.params["channel_id"]) == dc.channel.id
        for c in fake.calls_to("create_message")
    )


class BigClipEngine(FakeEngine):
    """Clips padded past a server's 10 MiB upload limit."""

    def run(self, job: EngineJob, on_progress: Any, cancelled: Any) -> Clip:
        clip = super().run(job, on_progress, cancelled)
        with open(clip.paths[0], "ab") as padded:
            padded.write(b"\0" * (11 * 1024 * 1024))
        return clip


async def test_a_clip_over_the_upload_limit_is_linked_to_the_web_channel(tmp_path: Path) -> None:
    async with discord_bot(
        tmp_path, engine=BigClipEngine(steps=2, step_s=0.01), web_public_url="https://reels.example"
    ) as dc:
        it = await dc.fake.slash(dc.ann, dc.channel, "video", prompt="a very long film")
        job_id = job_of((await dc.answer(it)).body)
        post = await dc.fake.wait_for("create_message", lambda c: c.ok and bool(c.body.get("embeds")))
        assert post.files == []
        description = post.body["embeds"][0]["description"]
        assert f"https://reels.example/clip/{job_id}" in description and "10 MB upload limit" in description


async def test_a_job_outliving_its_interaction_token_goes_on_through_the_channel(tmp_path: Path) -> None:
    async with discord_bot(tmp_path, engine=FakeEngine(steps=6, step_s=0.15, real_video=True)) as dc:
        dc.fake.token_lifetime_s = 0.3  # Discord's 15 minutes, shortened
        it = await dc.fake.slash(dc.ann, dc.channel, "video", prompt="a long night")
        status = int((await dc.answer(it)).response["id"])
        await dc.clip_post()
        refused = [c for c in dc.fake.calls if c.name == "edit_webhook_message" and c.status == 401]
        later = [c for c in dc.fake.calls_to("edit_message") if int(c.params["message_id"]) == status]
        assert refused and later and all(c.ok for c in later) and refused[0].at < later[0].at
        assert "100%" in later[-1].body["content"]
        await dc.fake.wait_until(lambda: dc.fake.messages[status].deleted)
        assert any(
            c.name == "delete_message" and int(c.params["message_id"]) == status for c in dc.fake.calls
        )


async def test_buttons_on_old_posts_work_after_a_restart(dc: Harness) -> None:
    job, clip = await dc.make_clip(dc.ann)
    await dc.adapter.stop()
    again = DiscordAdapter(dc.core, dc.settings, progress_interval=0.0, guild_ready_timeout=0.05)
    dc.adapter = again
    await again.start()
    mark = len(dc.fake.calls)
    await dc.fake.press(dc.bob, clip, f"j:loop:{job.id}")
    queued = await dc.posted("Queued", after=mark)
    loop = await dc.final(job_of(queued.body))
    assert loop.parent == job.id and loop.owner == dc.uid(dc.bob)


async def test_a_dropped_gateway_resumes_and_gets_what_it_missed(dc: Harness) -> None:
    fake = dc.fake
    session = fake.gateway.session
    assert session is not None
    await fake.gateway.reconnect()  # opcode 7: reconnect and resume
    await fake.wait_until(lambda: bool(fake.gateway.received(RESUME)), timeout=15)
    resume = fake.gateway.received(RESUME)[0].d
    assert resume["session_id"] == session.id and resume["seq"] >= 2 and resume["token"] == "<redacted>"
    await fake.wait_until(lambda: bool(fake.gateway.dispatched("RESUMED")), timeout=15)
    await fake.gateway.drop(4000)  # an abnormal close: the member's message waits for the resume
    await fake.say(dc.channel, dc.ann, mention(dc, "/help"))
    assert "Reelbot" in (await dc.posted("Reelbot", timeout=20)).body["content"]
    assert len(fake.gateway.received(RESUME)) == 2 and fake.gateway.connections == 3


async def test_without_the_message_content_intent_mentions_work_and_unpinged_replies_do_not(
    tmp_path: Path,
) -> None:
    # asking for the intent the developer portal did not grant: the gateway closes with 4014, start() says so
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with discord_bot(tmp_path / "refused", allow_message_content=False):
            pass
    async with discord_bot(
        tmp_path / "off", allow_message_content=False, discord_message_content=False
    ) as dc:
        assert not dc.fake.gateway.received(IDENTIFY)[0].d["intents"] & (1 << 15)
        job, clip = await dc.make_clip(dc.ann)
        mark = len(dc.fake.calls)
        await dc.fake.say(
            dc.channel, dc.bob, "make it night", reply_to=clip, ping=False
        )  # its text is hidden
        await asyncio.sleep(0.3)
        assert not [c for c in dc.fake.calls[mark:] if c.name == "create_message"]
        await dc.fake.say(dc.channel, dc.bob, "make it night", reply_to=clip)  # a reply that pings the bot
        remix = await dc.final(job_of((await dc.posted("Queued", after=mark)).body))
        assert (remix.parent, remix.action) == (job.id, "remix")
