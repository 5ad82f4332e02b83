"""The Discord channel end to end: the real DiscordAdapter (a real discord.py AutoShardedClient) against the
local Discord of tests/fakes (REST + gateway), a real Core on SQLite, a FakeEngine writing real MP4s. Every
test acts as members do (commands, messages, buttons, forms, reactions) and asserts what the fake received:
the calls, their bodies and files, the gateway frames, and what happened to the ledger."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.commands import public_commands
from tests.fakes.discord_api import Call
from tests.fakes.discord_gateway import HEARTBEAT, IDENTIFY
from tests.fakes.engines import FakeEngine
from tests.integration.discord_harness import Harness, custom_ids, discord_bot, edits_of, job_of, probe

MESSAGE_CONTENT = 1 << 15


@pytest.fixture
async def dc(tmp_path: Path):
    async with discord_bot(tmp_path) as harness:
        yield harness


def mention(dc: Harness, text: str) -> str:
    return f"<@{dc.fake.bot.id}> {text}"


def ephemeral(dc: Harness, call: Call) -> bool:
    """Did the bot's answer end up as a message only the asker sees?"""
    return dc.fake.messages[int(call.response["id"])].ephemeral


# -- start-up ---------------------------------------------------------------------------------------------


async def test_login_ready_and_the_registry_synced_to_the_guild_in_three_languages(dc: Harness) -> None:
    fake = dc.fake
    names = [c.name for c in fake.calls]
    assert names[:3] == ["get_me", "get_application", "bulk_overwrite_guild"]
    assert "get_gateway_bot" in names and "bulk_overwrite_global" not in names
    identify = fake.gateway.received(IDENTIFY)[0].d
    assert identify["token"] == "<redacted>" and identify["shard"] == [0, 1]
    assert identify["intents"] & MESSAGE_CONTENT and identify["intents"] & (1 << 10)  # content, reactions
    assert fake.gateway.query[0]["compress"] == "zlib-stream"
    assert fake.gateway.dispatched("READY") and fake.gateway.dispatched("GUILD_CREATE")
    assert fake.gateway.received(HEARTBEAT)  # discord.py beats at once after HELLO

    synced = {c["name"]: c for c in fake.synced(dc.guild)}
    expected = {c.name for c in public_commands()} - {"buy"}
    assert expected <= set(synced) and {"extend", "grant", "userbalance"} <= set(synced)
    assert "buy" not in synced and "starrefund" not in synced
    video = synced["video"]
    options = {o["name"]: o for o in video["options"]}
    assert options["prompt"]["required"] and options["prompt"]["type"] == 3
    assert (options["seconds"]["type"], options["seconds"]["min_value"], options["seconds"]["max_value"]) == (
        4,
        1,
        20,
    )
    assert [c["value"] for c in options["resolution"]["choices"]] == ["480p", "720p", "1080p"]
    assert [c["value"] for c in options["aspect"]["choices"]] == ["16:9", "1:1", "9:16"]
    assert video["name_localizations"] == {"zh-CN": "视频", "zh-TW": "視頻"}
    assert video["description_localizations"]["zh-CN"] == "文字生成视频"
    assert options["prompt"]["name_localizations"]["zh-CN"] == "提示词"
    remix = {o["name"]: o for o in synced["remix"]["options"]}
    assert remix["video"]["type"] == 11 and remix["clip"]["type"] == 3  # an upload, or a clip's message link
    assert {o["name"] for o in synced["animate"]["options"]} >= {"image", "prompt"}
    assert "cards" not in {o["name"] for o in synced["storyboard"].get("options") or []}  # asked in a form
    assert (
        synced["grant"]["default_member_permissions"] == "0"
        and synced["video"]["default_member_permissions"] is None
    )
    menus = {c["name"]: c for c in fake.synced(dc.guild) if c["type"] == 3}
    assert set(menus) == {"Remix clip", "Loop clip", "Extend clip"}
    assert menus["Loop clip"]["name_localizations"]["zh-CN"] == "循环视频"


# -- making a clip --------------------------------------------------------------------------------------------


async def test_video_is_deferred_at_once_shows_progress_and_posts_a_playable_clip(dc: Harness) -> None:
    fake = dc.fake
    it = await fake.slash(
        dc.ann, dc.channel, "video", prompt="a paper boat on a rainy street", seconds=5, aspect="9:16"
    )
    queued = await dc.answer(it)
    assert it.response_type == 5 and it.answered_in is not None and it.answered_in < 3.0
    assert "Queued" in queued.body["content"] and "25 credits held" in queued.body["content"]
    job_id = job_of(queued.body)
    status_id = int(queued.response["id"])
    clip = await dc.clip_post()
    job = await dc.final(job_id)
    # progress: the status post edited in place (through the interaction's token, which lives 15 minutes)
    edits = edits_of(fake, status_id)[1:]  # the first fills the deferral with "Queued"
    assert len(edits) >= 2 and all(c.ok and c.name == "edit_webhook_message" for c in edits)
    assert "Rendering" in edits[0].body["content"] and "100%" in edits[-1].body["content"]
    assert fake.messages[status_id].deleted  # the clip replaced it
    # the clip: a multipart upload of a playable MP4 with its embed and buttons
    upload = next(c for c in fake.calls_to("create_message") if c.files)
    video = upload.files[0]
    assert video.filename == f"{job_id}-0.mp4"
    width, height, frames = probe(video.data)
    assert width < height and frames > 0
    embed = clip.embeds[0]
    assert "a paper boat on a rainy street" in embed["description"] and "by Ann" in embed["description"]
    assert "25 credits" in embed["description"] and "9:16" in embed["description"]
    assert clip.custom_ids() == [f"j:{v}:{job_id}" for v in ("remix", "loop", "extend", "var", "tip", "del")]
    assert job.state == "done" and job.spec["width"] == 480 and job.spec["height"] == 854
    assert await dc.available(dc.ann) == 75


async def test_mentions_in_english_and_chinese_are_parsed_and_answered_in_kind(dc: Harness) -> None:
    fake = dc.fake
    chatter = await fake.say(dc.channel, dc.bob, "what a lovely day")  # not for the bot
    asked = await fake.say(dc.channel, dc.ann, mention(dc, "a fox running through snow 5s square"))
    queued = await dc.posted("Queued")
    assert int(queued.body["message_reference"]["message_id"]) == asked.id
    assert queued.body["allowed_mentions"] == {"parse": [], "replied_user": True}
    chinese = await fake.say(dc.channel, dc.bob, mention(dc, "一只在海浪上冲浪的猫 竖屏"))
    zh = await dc.posted("已排队")
    assert int(zh.body["message_reference"]["message_id"]) == chinese.id
    await dc.quiet()
    jobs = {j.owner: j for j in await dc.jobs()}
    assert jobs[dc.uid(dc.ann)].request["prompt"] == "a fox running through snow"
    assert (jobs[dc.uid(dc.ann)].spec["width"], jobs[dc.uid(dc.ann)].spec["height"]) == (480, 480)
    assert (jobs[dc.uid(dc.bob)].spec["width"], jobs[dc.uid(dc.bob)].spec["height"]) == (480, 854)
    assert "冲浪" in jobs[dc.uid(dc.bob)].request["prompt"]
    answered = {
        int(c.body["message_reference"]["message_id"])
        for c in fake.calls_to("create_message")
        if c.body.get("message_reference")
    }
    assert chatter.id not in answered and {asked.id, chinese.id} <= answered


async def test_remix_button_opens_a_form_and_its_submission_remixes_the_clip(dc: Harness) -> None:
    fake = dc.fake
    job, clip = await dc.make_clip(dc.ann)
    pressed = await fake.press(dc.bob, clip, f"j:remix:{job.id}")
    await fake.wait_until(lambda: pressed.response_type is not None)
    assert pressed.response_type == 9 and pressed.answered_in is not None and pressed.answered_in < 3.0
    assert pressed.modal is not None and pressed.modal["title"] == "Remix this clip"
    mark = len(fake.calls)
    submitted = await fake.submit(dc.bob, pressed, {"prompt": "make it night with falling snow"})
    queued = await dc.answer(submitted)
    assert submitted.response_type == 5 and "Queued" in queued.body["content"]
    remix = await dc.final(job_of(queued.body))
    assert remix.parent == job.id and remix.action == "remix" and remix.owner == dc.uid(dc.bob)
    assert "night" in remix.request["prompt"]
    post = await dc.clip_post(after=mark)
    assert (
        f"remix of [{job.id}](https://discord.com/channels/{dc.guild.id}/{dc.channel.id}/{clip.id})"
        in post.embeds[0]["description"]
    )
    assert await dc.available(dc.ann) == 75  # the author paid for her clip only


async def test_a_reaction_by_another_member_charges_that_member(dc: Harness) -> None:
    fake = dc.fake
    job, clip = await dc.make_clip(dc.ann)
    ann_before = await dc.available(dc.ann)
    mark = len(fake.calls)
    await fake.react(dc.bob, clip, "🔁")
    queued = await dc.posted("Queued", after=mark)
    assert queued.body["content"].startswith("Bob: ")
    assert int(queued.body["message_reference"]["message_id"]) == clip.id
    loop = await dc.final(job_of(queued.body))
    assert loop.owner == dc.uid(dc.bob) and loop.action == "loop" and loop.parent == job.id
    assert await dc.available(dc.bob) == 100 - loop.price
    assert await dc.available(dc.ann) == ann_before


async def test_a_reply_to_a_clip_edits_that_clip(dc: Harness) -> None:
    fake = dc.fake
    job, clip = await dc.make_clip(dc.ann)
    mark = len(fake.calls)
    said = await fake.say(dc.channel, dc.bob, "make it sunset", reply_to=clip)
    queued = await dc.posted("Queued", after=mark)
    assert int(queued.body["message_reference"]["message_id"]) == said.id
    remix = await dc.final(job_of(queued.body))
    assert (remix.action, remix.parent, remix.owner) == ("remix", job.id, dc.uid(dc.bob))


async def test_admin_commands_are_hidden_and_refused_for_everyone_but_the_bot_admins(dc: Harness) -> None:
    fake = dc.fake
    with pytest.raises(PermissionError):  # a plain member does not even see it (default permissions)
        await fake.slash(dc.ann, dc.channel, "grant", user=dc.uid(dc.ann), credits=500)
    refused = await fake.slash(dc.mod, dc.channel, "grant", user=dc.uid(dc.mod), credits=500)
    answer = await dc.answer(refused)
    assert ephemeral(dc, answer) and answer.body["content"] == "Only the bot's admins can do that."
    assert await dc.available(dc.mod) == 100
    granted = await fake.slash(dc.boss, dc.channel, "grant", user=dc.uid(dc.ann), credits=500)
    assert "Granted 500 credits" in (await dc.answer(granted)).body["content"]
    assert await dc.available(dc.ann) == 600


async def test_a_429_is_waited_out_for_retry_after_and_the_message_still_arrives(dc: Harness) -> None:
    fake = dc.fake
    fake.plan_429("create_message", 0.6)
    await fake.say(dc.channel, dc.ann, mention(dc, "/help"))
    limited = await fake.wait_for("create_message", lambda c: c.status == 429)
    sent = await dc.posted("Reelbot")
    assert sent.at - limited.at >= 0.6
    assert limited.response is None  # the 429 carried retry_after in its body (see the fake's headers)
    assert len(fake.rate_limited) == 1


async def test_bucket_headers_keep_the_bot_inside_the_limit_without_a_429(tmp_path: Path) -> None:
    async with discord_bot(tmp_path, buckets={"create_message": (2, 1.0)}) as dc:
        started = time.monotonic()
        for _ in range(5):
            await dc.fake.say(dc.channel, dc.ann, mention(dc, "/help"))
        await dc.fake.wait_until(
            lambda: sum(1 for c in dc.fake.calls_to("create_message") if c.ok) >= 5, timeout=15
        )
        assert time.monotonic() - started >= 2.0  # 5 posts at 2 a second: discord.py waited for the resets
        assert dc.fake.rate_limited == []


async def test_progress_edits_stay_inside_discords_own_message_limits(tmp_path: Path) -> None:
    engine = FakeEngine(steps=10, step_s=0.25, real_video=True)
    async with discord_bot(tmp_path, engine=engine, buckets={}, progress_interval=1.0) as dc:
        it = await dc.fake.slash(dc.ann, dc.channel, "video", prompt="a slow sunrise")
        status = int((await dc.answer(it)).response["id"])
        await dc.clip_post()
        edits = [c.at for c in edits_of(dc.fake, status)[1:]]
        assert 2 <= len(edits) <= 4  # one a second at most, over a 2.5 s render
        assert all(b - a >= 0.9 for a, b in zip(edits, edits[1:], strict=False))
        assert dc.fake.rate_limited == [] and all(c.ok for c in dc.fake.calls)


async def test_a_role_mapped_to_a_plan_changes_the_limits(dc: Harness) -> None:
    fake = dc.fake
    refused = await fake.slash(dc.ann, dc.channel, "video", prompt="a harbour at dawn", resolution="720p")
    offer = await dc.answer(refused)
    assert ephemeral(dc, offer) and "free plan goes up to 480p" in offer.body["content"]
    assert [i[:2] for i in custom_ids(offer.body)] == ["p:", "x:"]
    fake.give_role(dc.guild, dc.ann, dc.patron)
    lifted = await fake.slash(dc.ann, dc.channel, "video", prompt="a harbour at dawn", resolution="720p")
    queued = await dc.answer(lifted)
    assert "Queued" in queued.body["content"] and "60 credits held" in queued.body["content"]
    assert (await dc.core.ledger.balance(dc.uid(dc.ann))).plan == "plus"
    plans = await dc.answer(await fake.slash(dc.bob, dc.channel, "plans"))
    assert f"with the role <@&{dc.patron.id}>" in plans.body["content"]


async def test_a_tip_moves_credits_from_the_tipper_to_the_author_once(dc: Harness) -> None:
    fake = dc.fake
    job, clip = await dc.make_clip(dc.ann)
    ann_before, bob_before = await dc.available(dc.ann), await dc.available(dc.bob)
    mark = len(fake.calls)
    await fake.react(dc.bob, clip, "❤️")
    thanks = await dc.posted("Tipped", after=mark)
    assert thanks.body["content"].startswith("Bob: 💖 Tipped Ann 5 credits")
    again = await fake.press(dc.bob, clip, f"j:tip:{job.id}")
    toast = await dc.answer(again)
    assert ephemeral(dc, toast) and "already tipped" in toast.body["content"]
    await fake.react(dc.bob, clip, "❤️")  # a second heart moves nothing either
    await asyncio.sleep(0.3)
    assert await dc.available(dc.bob) == bob_before - 5
    assert (await dc.core.ledger.balance(dc.uid(dc.ann))).topup == 5 and await dc.available(
        dc.ann
    ) == ann_before + 5
    rows = [r.key for r in await dc.core.ledger.history(dc.uid(dc.bob))]
    assert rows.count(f"transfer:tip:{job.id}:{dc.uid(dc.bob)}:out") == 1
    assert (await dc.core.ledger.books()).balanced


# -- bad input ------------------------------------------------------------------------------------------------


async def test_bad_input_gets_a_clear_reply_and_costs_nothing(dc: Harness) -> None:
    fake = dc.fake
    await fake.say(dc.channel, dc.ann, mention(dc, "/animate waves crashing"))  # no image attached
    assert "Attach an image (photo) to animate it." in (await dc.posted("image")).body["content"]
    await fake.say(dc.channel, dc.ann, mention(dc, "/remix make it night"))  # not a reply to a clip
    assert "Reply to one of my clips" in (await dc.posted("clips")).body["content"]
    pdf = fake.attachment(dc.channel, "notes.pdf", b"%PDF-1.4 not an image", "application/pdf")
    it = await fake.slash(dc.ann, dc.channel, "animate", image=pdf, prompt="waves")
    assert "I can't use that attachment: notes.pdf" in (await dc.answer(it)).body["content"]
    await fake.say(dc.channel, dc.ann, mention(dc, "x" * 2100))
    assert "That prompt is too long (2100 characters)" in (await dc.posted("too long")).body["content"]
    other = fake.guild("Elsewhere")
    link = f"https://discord.com/channels/{other.id}/{dc.channel.id}/1234567890"
    it = await fake.slash(dc.ann, dc.channel, "remix", prompt="night", clip=link)
    assert "from another server" in (await dc.answer(it)).body["content"]
    it = await fake.slash(dc.ann, dc.channel, "loop", clip="not a link")
    assert "isn't one of my clips" in (await dc.answer(it)).body["content"]

    # a source clip that was deleted: its link names a job whose clip is gone
    job, clip = await dc.make_clip(dc.bob)
    deleted = await fake.press(dc.bob, clip, f"j:del:{job.id}")
    await fake.wait_until(lambda: clip.deleted)
    assert deleted.response_type == 6
    link = f"https://discord.com/channels/{dc.guild.id}/{dc.channel.id}/{clip.id}"
    it = await fake.slash(dc.ann, dc.channel, "remix", prompt="night", clip=link)
    assert "no longer available" in (await dc.answer(it)).body["content"]

    # reactions with an emoji that means nothing, and on messages that are not clips, are ignored
    plain = await fake.say(dc.channel, dc.ann, "just chatting")
    mark = len(fake.calls)
    await fake.react(dc.ann, plain, "🔁")
    await fake.react(dc.bob, clip, "🦄")
    await fake.react(dc.ann, plain, "party:123456789012345678")
    await asyncio.sleep(0.3)
    assert [c.name for c in fake.calls[mark:]] == []

    await dc.quiet()
    owners = {j.owner for j in await dc.jobs()}
    assert dc.uid(dc.ann) not in owners
    assert await dc.available(dc.ann) == 100 and (await dc.core.ledger.balance(dc.uid(dc.ann))).held == 0
