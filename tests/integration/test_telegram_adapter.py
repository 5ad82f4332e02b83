"""The Telegram channel end to end: the real TelegramAdapter (a real python-telegram-bot Application) long
polls the fake Bot API server, a real Core with SQLite in a temp dir and a FakeEngine that writes real MP4s.
Every test pushes Bot API updates and asserts what the fake received: the calls, their parameters, the
bytes uploaded, and what it did to the ledger."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import pytest
from PIL import Image

from bot.adapters.telegram_adapter import TelegramAdapter
from bot.commands import admin_commands, public_commands
from bot.core import Core
from bot.messages import render
from bot.replies import Context, PostRef
from bot.settings import Settings
from engine.jobs import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Job
from tests.fakes.engines import FakeEngine, wait_idle, write_mp4
from tests.fakes.processes import stop
from tests.fakes.telegram_api import BotAPIError, Call, FakeTelegramAPI

TOKEN = "123456:TEST-TOKEN"
ADMIN_ID = 999
ANN_ID, BOB_ID = 42, 43
GROUP_ID = -1001234567890
REACTIONS = {"🔥": "loop", "✍": "remix", "⚡": "extend", "👎": "report"}
ROOT = Path(__file__).resolve().parents[2]
#: PTB's own RetryAfter constructor warns that `retry_after` becomes a timedelta one day
RETRY_AFTER_WARNS = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def make_settings(data_dir: Path, api_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        data_dir=data_dir,
        _env_file=None,
        telegram_token=TOKEN,
        telegram_api_url=api_url,
        admins=[f"telegram:{ADMIN_ID}"],
        telegram_star_packs="500:50",
        reaction_actions=REACTIONS,
        web_enabled=False,
    )
    values.update(overrides)
    return Settings(**values)


@dataclass
class Harness:
    fake: FakeTelegramAPI
    core: Core
    adapter: TelegramAdapter
    engine: FakeEngine
    settings: Settings

    async def available(self, user: str) -> int:
        return (await self.core.ledger.balance(user)).available

    async def jobs(self) -> list[Job]:
        return await self.core.jobs.in_states(QUEUED, RUNNING, DONE, FAILED, CANCELLED)

    async def sent_text(self, chat_id: int, contains: str = "", timeout: float = 10.0) -> Call:
        """The next sendMessage to `chat_id` (whose text has `contains`) that Telegram accepted."""
        return await self.fake.wait_for(
            "sendMessage",
            lambda c: c.ok and c.params["chat_id"] == chat_id and contains in c.result["text"],
            timeout=timeout,
        )

    async def press(
        self, user: dict[str, Any], message: dict[str, Any], data: str, *, check: bool = True
    ) -> Call:
        """`user` taps the button `data` under `message`; returns the bot's answerCallbackQuery."""
        query = self.fake.callback_query(user, message, data, check_button=check)
        self.fake.push_callback_query(query)
        return await self.fake.wait_for(
            "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query["id"]
        )

    async def final(self, job_id: str, timeout: float = 10.0) -> Job:
        async def poll() -> Job:
            while True:
                job = await self.core.jobs.get(job_id)
                if job is not None and job.final:
                    return job
                await asyncio.sleep(0.02)

        return await asyncio.wait_for(poll(), timeout)

    async def posted_clip(self, chat_id: int, timeout: float = 10.0) -> Call:
        """The next accepted sendVideo to `chat_id`, once its clip is recorded as a post."""
        call = await self.fake.wait_for(
            "sendVideo", lambda c: c.ok and c.params["chat_id"] == chat_id, timeout=timeout
        )
        message_id = call.result["message_id"]
        for _ in range(200):
            if await self.core.job_for_post(PostRef("telegram", str(chat_id), str(message_id))):
                break
            await asyncio.sleep(0.01)
        return call

    async def quiet(self) -> None:
        """Let everything in flight settle: the queue idle, and a moment for the last Bot API calls."""
        await wait_idle(self.core, 10)
        await asyncio.sleep(0.05)


@pytest.fixture
async def tg(tmp_path: Path) -> AsyncIterator[Harness]:
    async with FakeTelegramAPI(token=TOKEN, bot_username="ReelBot") as fake:
        settings = make_settings(tmp_path / "data", fake.url)
        engine = FakeEngine(steps=4, step_s=0.02, real_video=True)
        core = await Core.open(settings, engine)
        adapter = TelegramAdapter(core, settings, poll_timeout=1, progress_interval=0.0)
        await core.start()
        await adapter.start()
        await fake.wait_for_poll()
        try:
            yield Harness(fake, core, adapter, engine, settings)
        finally:
            await adapter.stop()
            await core.close()


def people(fake: FakeTelegramAPI) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    ann = fake.user(ANN_ID, "Ann", "ann")
    bob = fake.user(BOB_ID, "Bob", "bob")
    group = fake.group_chat(GROUP_ID, "Reel club")
    return ann, bob, group


def png(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 160, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def mp4_bytes(tmp_path: Path, name: str, width: int = 64, height: int = 48) -> bytes:
    path = tmp_path / name
    write_mp4(path, width, height, frames=6)
    return path.read_bytes()


def probe(data: bytes) -> tuple[int, int, int]:
    """(width, height, decoded frames) of an MP4, through PyAV; raises if it does not play."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        return stream.codec_context.width, stream.codec_context.height, frames


def buttons(call: Call) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def make_clip(
    tg: Harness, chat: dict[str, Any], user: dict[str, Any], prompt: str = "a cat 5s"
) -> tuple[Job, dict[str, Any]]:
    """`user` asks for a clip in `chat`; returns the finished job and the clip message as the fake keeps it."""
    text = prompt if chat["type"] == "private" else f"@ReelBot {prompt}"
    tg.fake.push_message(tg.fake.message(chat, user, text))
    queued = await tg.sent_text(chat["id"], "Queued")
    job_id = next(d for d in buttons(queued) if d.startswith("j:cancel:")).rsplit(":", 1)[1]
    video = await tg.posted_clip(chat["id"])
    job = await tg.final(job_id)
    assert job.state == DONE
    return job, tg.fake.messages[(chat["id"], video.result["message_id"])]


# -- start-up ---------------------------------------------------------------------------------------


async def test_commands_registered_in_english_chinese_and_for_admins(tg: Harness) -> None:
    public = public_commands()
    english = tg.fake.commands_for("")
    chinese = tg.fake.commands_for("zh")
    admin = tg.fake.commands_for("", {"type": "chat", "chat_id": ADMIN_ID})
    assert english == [{"command": c.name, "description": c.help_en} for c in public]
    assert chinese == [{"command": c.name, "description": c.help_zh} for c in public]
    assert {"command": "video", "description": "Make a clip from text"} in english
    assert {"command": "video", "description": "文字生成视频"} in chinese
    assert admin is not None
    assert [c["command"] for c in admin] == [c.name for c in public + admin_commands()]
    assert tg.fake.commands_for("", {"type": "chat", "chat_id": ANN_ID}) is None
    assert "message_reaction" in tg.fake.allowed_updates  # reactions are only sent when asked for


# -- making a clip --------------------------------------------------------------------------------


async def test_video_command_queues_edits_progress_and_uploads_a_playable_clip(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    before = await tg.available(f"telegram:{ANN_ID}")
    request = fake.message(chat, ann, "/video a cat 5s")
    assert request["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    fake.push_message(request)

    queued = await tg.sent_text(ANN_ID, "Queued")
    assert queued.params["parse_mode"] == "HTML"
    assert queued.params["reply_parameters"]["message_id"] == request["message_id"]
    assert "25 credits held" in queued.result["text"]
    (cancel,) = buttons(queued)
    job_id = cancel.removeprefix("j:cancel:")
    status_id = queued.result["message_id"]

    edits = []
    while not any("100%" in e.params["text"] for e in edits):
        edits.append(
            await fake.wait_for("editMessageText", lambda c: c.params["message_id"] == status_id and c.ok)
        )
    assert edits[0].params["text"] == "🎞️ Rendering: 5 s · 480p · 16:9"  # started, before any progress
    assert any("▰" in e.params["text"] for e in edits)

    video = await tg.posted_clip(ANN_ID)
    params = video.params
    assert (params["width"], params["height"], params["duration"]) == (854, 480, 5)
    assert params["supports_streaming"] is True
    assert params["reply_parameters"]["message_id"] == request["message_id"]
    upload = video.files["video"]
    assert upload.filename.endswith(".mp4")
    width, height, frames = probe(upload.data)
    assert width > 0 and height > 0 and frames > 0
    thumb_ref = params["thumbnail"]
    assert thumb_ref.startswith("attach://") and video.files[thumb_ref.removeprefix("attach://")].data
    # a private chat's clip is out of the feed until shared: its author gets the Share button too
    assert buttons(video) == [
        f"j:{verb}:{job_id}" for verb in ("remix", "loop", "extend", "var", "del", "share")
    ]
    caption = video.result["caption"]
    assert caption.startswith("✅ a cat") and "@ann" in caption and "25 credits" in caption
    assert video.result["video"]["width"] == 854

    await fake.wait_for("deleteMessage", lambda c: c.params["message_id"] == status_id)
    assert (ANN_ID, status_id) in fake.deleted
    assert (await tg.final(job_id)).state == DONE
    assert await tg.available(f"telegram:{ANN_ID}") == before - 25
    assert await tg.core.ledger.recompute(f"telegram:{ANN_ID}") == (before - 25, 0)


async def test_plain_private_message_and_group_mention_are_handled_other_group_talk_is_not(
    tg: Harness,
) -> None:
    fake = tg.fake
    ann, bob, group = people(fake)
    chat = fake.private_chat(ann)

    fake.push_message(fake.message(chat, ann, "a red fox running through snow"))
    queued = await tg.sent_text(ANN_ID, "Queued")
    assert "25 credits held" in queued.result["text"]
    await tg.posted_clip(ANN_ID)

    for other in (
        "did anyone see the match yesterday?",
        "@someone_else a dog running",
        "/warn@ModBot spammer",
        "/warn spammer",  # another bot's commands
        "/video@OtherBot a cat",
    ):
        fake.push_message(fake.message(group, bob, other))
    mention = fake.message(group, bob, "@ReelBot a dog running")
    assert mention["entities"] == [{"type": "mention", "offset": 0, "length": 8}]
    fake.push_message(mention)
    queued = await tg.sent_text(GROUP_ID, "Queued")
    assert queued.params["reply_parameters"]["message_id"] == mention["message_id"]
    video = await tg.posted_clip(GROUP_ID)
    assert video.result["caption"].startswith("✅ a dog running") and "@bob" in video.result["caption"]
    await tg.quiet()
    # updates are handled in order, so the earlier group messages were seen and left alone
    to_group = [c for c in fake.calls if c.params.get("chat_id") == GROUP_ID and c.method != "getUpdates"]
    replied_to = {c.params.get("reply_parameters", {}).get("message_id") for c in to_group}
    assert replied_to <= {mention["message_id"], None}
    jobs = await tg.jobs()
    assert sorted(j.request["prompt"] for j in jobs) == ["a dog running", "a red fox running through snow"]
    assert await tg.available(f"telegram:{BOB_ID}") == 75
    assert await tg.available(f"telegram:{ANN_ID}") == 75


async def test_chinese_mention_gets_a_chinese_reply_and_a_vertical_clip(tg: Harness) -> None:
    fake = tg.fake
    ann, _, group = people(fake)
    fake.push_message(fake.message(group, ann, "@ReelBot 一只猫 竖屏 5秒"))
    queued = await tg.sent_text(GROUP_ID, "已排队")
    assert "冻结 25 积分" in queued.result["text"]
    video = await tg.posted_clip(GROUP_ID)
    assert (video.params["width"], video.params["height"], video.params["duration"]) == (480, 854, 5)
    assert video.result["caption"].startswith("✅ 一只猫") and "作者" in video.result["caption"]
    width, height, frames = probe(video.files["video"].data)
    assert height > width and frames > 0
    job = tg.engine.ran[-1]
    assert (job.width, job.height) == (480, 854)


async def test_photo_with_caption_animates_the_downloaded_image(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    image = png(320, 240)
    fake.push_message(fake.message(chat, ann, caption="waves crashing 5s", photo=image))
    await tg.sent_text(ANN_ID, "Queued")
    await tg.posted_clip(ANN_ID)
    (job,) = await tg.jobs()
    assert job.action == "animate" and job.request["prompt"] == "waves crashing"
    (path,) = [Path(p) for p in job.spec["images"]]
    assert path.exists() and path.read_bytes() == image
    assert [Path(p) for p in tg.engine.ran[-1].images] == [path]
    assert fake.downloads  # fetched through getFile and the file URL


async def test_reply_to_a_posted_clip_remixes_that_clip(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    parent, clip_message = await make_clip(tg, chat, ann)
    fake.push_message(fake.message(chat, ann, "make it night", reply_to=clip_message))
    queued = await tg.sent_text(ANN_ID, "Queued")
    child_id = buttons(queued)[0].removeprefix("j:cancel:")
    video = await tg.posted_clip(ANN_ID)
    child = await tg.final(child_id)
    assert child.action == "remix" and child.parent == parent.id
    assert child.spec["videos"] == [parent.result["path"]]
    assert f"remix of {parent.id}" in video.result["caption"]
    assert await tg.available(f"telegram:{ANN_ID}") == 50


async def test_media_group_of_two_videos_with_a_caption_blends_them(tg: Harness, tmp_path: Path) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    first = fake.add_file(mp4_bytes(tmp_path, "a.mp4"), "video", file_name="a.mp4")
    second = fake.add_file(mp4_bytes(tmp_path, "b.mp4", 48, 64), "video", file_name="b.mp4")
    tg.adapter.albums.wait = 0.4  # quiet time that ends an album
    fake.push_message(fake.message(chat, ann, video=first, media_group_id="777"))
    await asyncio.sleep(0.25)  # items of one album can arrive apart; the caption may sit on any of them
    fake.push_message(fake.message(chat, ann, caption="blend these 5s", video=second, media_group_id="777"))
    await tg.sent_text(ANN_ID, "Queued")
    await tg.posted_clip(ANN_ID)
    (job,) = await tg.jobs()
    assert job.action == "blend"
    videos = [Path(p) for p in job.spec["videos"]]
    assert len(videos) == 2 and all(p.exists() for p in videos)
    assert [probe(p.read_bytes())[:2] for p in videos] == [(64, 48), (48, 64)]
    assert len([c for c in fake.calls_to("sendMessage") if c.params["chat_id"] == ANN_ID]) == 1


@RETRY_AFTER_WARNS
async def test_a_job_that_ends_before_its_status_message_is_out_still_ends_in_one_message(
    tg: Harness,
) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    tg.engine.steps = 0
    tg.engine.fail_codes["a broken cat"] = "image_corrupt"
    fake.fail_next("sendMessage", 429, retry_after=1)  # the "Queued" message is held up; the job is not
    fake.push_message(fake.message(chat, ann, "a broken cat"))
    queued = await tg.sent_text(ANN_ID, "Queued")
    job_id = buttons(queued)[0].removeprefix("j:cancel:")
    assert (await tg.final(job_id)).state == FAILED
    status_id = queued.result["message_id"]
    failed = await fake.wait_for(
        "editMessageText", lambda c: c.params["message_id"] == status_id and "failed" in c.params["text"]
    )
    assert "That image could not be read" in failed.params["text"] and "reply_markup" not in failed.params
    await tg.quiet()
    bot_messages = [m for m in fake.chat_history(chat) if m["from"]["is_bot"]]
    assert [m["text"] for m in bot_messages] == [failed.result["text"]]
    assert await tg.available(f"telegram:{ANN_ID}") == 100


async def test_captions_and_texts_fit_telegram_limits_counted_in_utf16(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    fake.push_message(fake.message(chat, ann, "/video " + "🐱" * 590 + " 5s"))
    video = await tg.posted_clip(ANN_ID)
    caption = video.result["caption"]
    assert len(caption.encode("utf-16-le")) // 2 <= 1024 and "…" in caption
    assert not [c for c in fake.calls if not c.ok and c.method != "getUpdates"]


async def test_start_shows_help(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    fake.push_message(fake.message(chat, ann, "/start"))
    reply = await tg.sent_text(ANN_ID)
    assert "Reelbot makes short video clips" in reply.result["text"]
    assert {"type": "bold", "offset": 3, "length": 7} in reply.result["entities"]


async def test_answers_only_for_the_asker_go_to_a_private_chat_never_to_the_group(tg: Harness) -> None:
    fake = tg.fake
    ann, bob, group = people(fake)
    fake.push_message(fake.message(group, bob, "/link@ReelBot"))
    hint = await tg.sent_text(GROUP_ID)
    assert "private chat" in hint.result["text"] and "@ReelBot" in hint.result["text"]
    assert "link code" not in hint.result["text"].lower()
    assert await tg.core.ledger.linked_ids(f"telegram:{BOB_ID}") == [f"telegram:{BOB_ID}"]

    fake.private_chat(ann)  # Ann has talked to the bot before, so it may write to her
    fake.push_message(fake.message(group, ann, "/link@ReelBot"))
    code = await tg.sent_text(ANN_ID, "Your link code")
    assert code.params["chat_id"] == ANN_ID
    fake.push_message(fake.message(group, ann, "/balance"))
    await tg.sent_text(ANN_ID, "100 credits")
    await tg.quiet()
    assert not [m for m in fake.chat_history(group) if m["from"]["is_bot"] and "code" in m["text"].lower()]


# -- buttons and reactions ----------------------------------------------------------------------------


async def test_clip_button_pressed_by_another_member_is_charged_to_that_member(tg: Harness) -> None:
    fake = tg.fake
    ann, bob, group = people(fake)
    parent, clip_message = await make_clip(tg, group, ann)
    assert await tg.available(f"telegram:{ANN_ID}") == 75

    press = fake.callback_query(bob, clip_message, f"j:loop:{parent.id}")
    fake.push_callback_query(press)
    queued = await tg.sent_text(GROUP_ID, "Queued")
    assert queued.result["text"].startswith("@bob: 🎬 Queued")  # the group sees whose tap it was
    assert press["id"] in fake.callback_answers
    child_id = buttons(queued)[0].removeprefix("j:cancel:")
    await tg.posted_clip(GROUP_ID)
    child = await tg.final(child_id)
    assert (child.owner, child.action, child.parent, child.state) == (
        f"telegram:{BOB_ID}",
        "loop",
        parent.id,
        DONE,
    )
    assert await tg.available(f"telegram:{BOB_ID}") == 75
    assert await tg.available(f"telegram:{ANN_ID}") == 75


async def test_spend_over_the_auto_approve_limit_asks_first_and_the_confirm_message_becomes_the_status(
    tg: Harness,
) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    fake.push_message(fake.message(chat, ann, "/autoapprove 10"))
    await tg.sent_text(ANN_ID, "10 credits")
    fake.push_message(fake.message(chat, ann, "/video a lighthouse in a storm 5s"))
    ask = await tg.sent_text(ANN_ID, "This costs 25 credits")
    go, no = buttons(ask)
    assert go.startswith("p:") and no.startswith("x:")
    assert await tg.jobs() == [] and await tg.available(f"telegram:{ANN_ID}") == 100

    confirm_id = ask.result["message_id"]
    await tg.press(ann, fake.messages[(ANN_ID, confirm_id)], go)
    edited = await fake.wait_for("editMessageText", lambda c: c.params["message_id"] == confirm_id)
    assert "Queued" in edited.params["text"]
    assert buttons(edited)[0].startswith("j:cancel:")
    await tg.posted_clip(ANN_ID)
    (job,) = await tg.jobs()
    assert (await tg.final(job.id)).state == DONE
    assert await tg.available(f"telegram:{ANN_ID}") == 75
    await fake.wait_for("deleteMessage", lambda c: c.params["message_id"] == confirm_id)  # status goes

    # the same confirm cannot be pressed twice: a stale copy of the old keyboard gets an alert
    answer = await tg.press(ann, ask.result, go, check=False)
    assert answer.params["show_alert"] is True and "expired" in answer.params["text"]
    assert len(await tg.jobs()) == 1 and await tg.available(f"telegram:{ANN_ID}") == 75


async def test_dismiss_cancel_and_delete_buttons(tg: Harness) -> None:
    fake = tg.fake
    ann, bob, group = people(fake)
    user = f"telegram:{ANN_ID}"
    await tg.core.ledger.set_auto_approve(user, 0)
    fake.push_message(fake.message(group, ann, "@ReelBot a kite on a beach 5s"))
    ask = await tg.sent_text(GROUP_ID, "This costs 25 credits")
    _, no = buttons(ask)
    asked = fake.messages[(GROUP_ID, ask.result["message_id"])]
    refused = await tg.press(bob, asked, no)  # not Bob's to dismiss
    assert refused.params["show_alert"] is True and "isn't yours" in refused.params["text"]
    await tg.press(ann, asked, no)
    dismissed = await fake.wait_for(
        "editMessageText", lambda c: c.params["message_id"] == asked["message_id"]
    )
    assert dismissed.params["text"] == "Okay, nothing was charged." and "reply_markup" not in dismissed.params
    assert await tg.jobs() == [] and await tg.available(user) == 100

    # cancel a running job from its status message: the status says so, the hold comes back
    await tg.core.ledger.set_auto_approve(user, 100)
    tg.engine.gate = threading.Event()
    fake.push_message(fake.message(group, ann, "@ReelBot a kite on a beach 5s"))
    queued = await tg.sent_text(GROUP_ID, "Queued")
    (cancel,) = buttons(queued)
    await fake.wait_for("editMessageText", lambda c: c.params["message_id"] == queued.result["message_id"])
    status = fake.messages[(GROUP_ID, queued.result["message_id"])]
    not_bobs = await tg.press(bob, status, cancel)
    assert "no job to cancel" in not_bobs.params["text"]
    stopping = await tg.press(ann, status, cancel)
    assert "Stopping your job" in stopping.params["text"]
    cancelled = await fake.wait_for(
        "editMessageText",
        lambda c: c.params["message_id"] == status["message_id"] and "Cancelled" in c.params["text"],
    )
    assert "25 credits refunded" in cancelled.params["text"] and "reply_markup" not in cancelled.params
    assert await tg.available(user) == 100
    tg.engine.gate = None

    # delete: only the author may; the clip message goes
    job, clip_message = await make_clip(tg, group, ann)
    delete = f"j:del:{job.id}"
    assert "Only the clip's author" in (await tg.press(bob, clip_message, delete)).params["text"]
    assert (await tg.press(ann, clip_message, delete)).params["text"] == "🗑️ Deleted."
    await fake.wait_for("deleteMessage", lambda c: c.params["message_id"] == clip_message["message_id"])
    assert (GROUP_ID, clip_message["message_id"]) in fake.deleted
    bot_texts = [m.get("text", "") for m in fake.chat_history(group) if m["from"]["is_bot"]]
    assert not any("Stopping" in t or "Deleted" in t for t in bot_texts)  # those were toasts


async def test_reaction_by_another_member_charges_that_member(tg: Harness) -> None:
    fake = tg.fake
    ann, bob, group = people(fake)
    fake.make_bot_admin(group)
    parent, clip_message = await make_clip(tg, group, ann)
    fake.push_message_reaction(fake.message_reaction(group, bob, clip_message["message_id"], new=["🔥"]))
    queued = await tg.sent_text(GROUP_ID, "Queued")
    assert queued.result["text"].startswith("@bob:")
    assert queued.params["reply_parameters"]["message_id"] == clip_message["message_id"]
    child_id = buttons(queued)[0].removeprefix("j:cancel:")
    await tg.posted_clip(GROUP_ID)
    child = await tg.final(child_id)
    assert (child.owner, child.action, child.parent) == (f"telegram:{BOB_ID}", "loop", parent.id)
    assert await tg.available(f"telegram:{BOB_ID}") == 75
    assert await tg.available(f"telegram:{ANN_ID}") == 75

    # an emoji that maps to nothing, or taking a reaction back, does nothing
    fake.push_message_reaction(fake.message_reaction(group, bob, clip_message["message_id"], new=["👍"]))
    fake.push_message_reaction(
        fake.message_reaction(group, bob, clip_message["message_id"], old=["🔥"], new=[])
    )
    fake.push_message(fake.message(group, bob, "/help"))
    await tg.sent_text(GROUP_ID, "Reelbot")
    assert len(await tg.jobs()) == 2
    assert not fake.dropped_updates


# -- payments and links ---------------------------------------------------------------------------------


async def test_stars_purchase_checks_the_amount_and_credits_a_charge_once(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    fake.push_message(fake.message(chat, ann, "/buy"))
    invoice = await fake.wait_for("sendInvoice")
    assert invoice.ok and invoice.params["currency"] == "XTR"
    assert invoice.params["prices"] == [{"label": "500 Reelbot credits", "amount": 50}]
    assert "provider_token" not in invoice.params
    payload = invoice.params["payload"]
    assert fake.invoices[(ANN_ID, invoice.result["message_id"])]["total_amount"] == 50

    good = fake.pre_checkout_query(ann, total_amount=50, invoice_payload=payload)
    tampered = fake.pre_checkout_query(ann, total_amount=1, invoice_payload=payload)
    forged = fake.pre_checkout_query(ann, total_amount=50, invoice_payload="pack:5000:50")
    for query in (good, tampered, forged):
        fake.push_pre_checkout_query(query)
    for _ in range(3):
        await fake.wait_for("answerPreCheckoutQuery")
    assert fake.pre_checkout_answers[good["id"]] == {"ok": True}
    for query in (tampered, forged):
        answer = fake.pre_checkout_answers[query["id"]]
        assert answer["ok"] is False and answer["error_message"] == "That credit pack is not on offer."

    before = await tg.available(f"telegram:{ANN_ID}")
    paid = fake.successful_payment_message(chat, ann, "XTR", 50, payload, "stxcharge-1")
    fake.push_message(paid)
    thanks = await tg.sent_text(ANN_ID, "credits added")
    assert "500 credits added" in thanks.result["text"]
    assert await tg.available(f"telegram:{ANN_ID}") == before + 500
    fake.push_message(paid)  # Telegram delivers the same payment again
    await tg.sent_text(ANN_ID, "Balance: 600")
    assert await tg.available(f"telegram:{ANN_ID}") == before + 500
    assert (await tg.core.ledger.balance(f"telegram:{ANN_ID}")).topup == 500


async def test_admin_refunds_a_stars_payment_and_its_credits_go_back_once(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    admin = fake.user(ADMIN_ID, "Root", "root")
    admin_chat = fake.private_chat(admin)
    fake.push_message(fake.successful_payment_message(chat, ann, "XTR", 50, "pack:500:50", "stxcharge-9"))
    await tg.sent_text(ANN_ID, "500 credits added")
    order = "/starrefund telegram:42 stxcharge-9"

    fake.push_message(fake.message(chat, ann, order))
    assert "Only the bot's admins" in (await tg.sent_text(ANN_ID)).result["text"]
    assert fake.refunds == []
    fake.push_message(fake.message(admin_chat, admin, order))
    done = await tg.sent_text(ADMIN_ID)
    assert done.result["text"] == "⭐ Refunded the Stars payment stxcharge-9; took back 500 credits."
    assert [r["telegram_payment_charge_id"] for r in fake.refunds] == ["stxcharge-9"]
    assert await tg.available(f"telegram:{ANN_ID}") == 100

    fake.push_message(fake.message(admin_chat, admin, order))
    again = await tg.sent_text(ADMIN_ID)
    assert (
        again.result["text"].startswith("Telegram refused the refund:")
        and "REFUNDED" in again.result["text"].upper()
    )
    fake.push_message(fake.message(admin_chat, admin, "/starrefund telegram:42 never-paid"))
    assert "refused" in (await tg.sent_text(ADMIN_ID)).result["text"]
    assert await tg.available(f"telegram:{ANN_ID}") == 100 and len(fake.refunds) == 1

    # a payment for a pack no longer on offer is not credited; refunding it takes nothing back
    fake.push_message(fake.successful_payment_message(chat, ann, "XTR", 50, "pack:9999:50", "stxcharge-10"))
    assert "not on offer" in (await tg.sent_text(ANN_ID)).result["text"]
    fake.push_message(fake.message(admin_chat, admin, "/starrefund telegram:42 stxcharge-10"))
    assert "took back 0 credits" in (await tg.sent_text(ADMIN_ID)).result["text"]
    assert await tg.available(f"telegram:{ANN_ID}") == 100 and len(fake.refunds) == 2


async def test_link_joins_a_telegram_account_with_another_platform_both_ways(tg: Harness) -> None:
    fake = tg.fake
    ann, bob, _ = people(fake)
    chat = fake.private_chat(ann)
    fake.push_message(fake.message(chat, ann, "/link"))
    sent = await tg.sent_text(ANN_ID, "Your link code")
    code_entity = next(e for e in sent.result["entities"] if e["type"] == "code")
    code = sent.result["text"][code_entity["offset"] : code_entity["offset"] + code_entity["length"]]
    assert len(code) == 8
    linked = await tg.core.link(Context(user="discord:7"), code)
    assert "discord:7" in render(linked) and f"telegram:{ANN_ID}" in render(linked)
    await tg.core.ledger.grant("discord:7", 40, "grant:test:1")
    assert await tg.available("discord:7") == await tg.available(f"telegram:{ANN_ID}") == 140

    # the other way round: a code from the web account, redeemed with /link CODE in Telegram
    web_code = await tg.core.ledger.create_link_code("web:ann")
    bob_chat = fake.private_chat(bob)
    fake.push_message(fake.message(bob_chat, bob, f"/link {web_code}"))
    done = await tg.sent_text(BOB_ID, "Linked")
    assert "web:ann" in done.result["text"] and f"telegram:{BOB_ID}" in done.result["text"]
    fake.push_message(fake.message(bob_chat, bob, "a paper boat on a river 5s"))
    await tg.posted_clip(BOB_ID)
    assert await tg.available("web:ann") == await tg.available(f"telegram:{BOB_ID}") == 75


# -- flood control -------------------------------------------------------------------------------


@RETRY_AFTER_WARNS
async def test_flood_control_429_is_waited_out_and_the_message_still_arrives(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    fake.fail_next("sendMessage", 429, retry_after=1)
    fake.push_message(fake.message(chat, ann, "/balance"))
    refused = await fake.wait_for("sendMessage")
    assert refused.status == 429 and refused.response["parameters"] == {"retry_after": 1}
    delivered = await tg.sent_text(ANN_ID, "credits")
    assert delivered.at - refused.at >= 0.9
    assert delivered.params["text"] == refused.params["text"]
    assert len([m for m in fake.chat_history(chat) if m["from"]["is_bot"]]) == 1


@RETRY_AFTER_WARNS
async def test_a_flood_wait_too_long_to_wait_out_gives_up_into_the_fair_rule_at_once(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    fake.fail_next("sendVideo", 429, retry_after=3600)
    fake.push_message(fake.message(chat, ann, "/video a cat 5s"))
    queued = await tg.sent_text(ANN_ID, "Queued")
    status_id = queued.result["message_id"]
    refused = await fake.wait_for("sendVideo")
    assert refused.status == 429
    # not an hour later, and not silence: the status post says the clip could not be posted, refunded
    failed = await fake.wait_for(
        "editMessageText",
        lambda c: c.params["message_id"] == status_id and "couldn't post it" in c.params["text"],
    )
    assert failed.at - refused.at < 5
    assert "25 credits were refunded" in failed.params["text"]
    job_id = buttons(queued)[0].removeprefix("j:cancel:")
    assert (await tg.final(job_id)).state == DONE
    await tg.quiet()
    assert await tg.available(f"telegram:{ANN_ID}") == 100  # members pay only for delivered clips
    assert (await tg.core.ledger.balance(f"telegram:{ANN_ID}")).held == 0
    assert await tg.core.redeliver() == 0  # given up is final: no late second try
    assert len(fake.calls_to("sendVideo")) == 1 and (ANN_ID, status_id) not in fake.deleted


@RETRY_AFTER_WARNS
async def test_a_failed_upload_is_retried_within_seconds_and_charged_once_posted(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    user = f"telegram:{ANN_ID}"
    fake.fail_next("sendVideo", 500, "Internal Server Error", times=3)  # past the transport's own retries
    fake.push_message(fake.message(chat, ann, "/video a cat 5s"))
    queued = await tg.sent_text(ANN_ID, "Queued")
    status_id = queued.result["message_id"]
    refused = await fake.wait_for(
        "sendVideo", lambda c: c.status == 500 and len(fake.calls_to("sendVideo")) >= 3
    )
    said = await fake.wait_for(
        "editMessageText",
        lambda c: c.params["message_id"] == status_id and "trying again" in c.params["text"],
    )
    assert "when I restart" not in said.params["text"]
    job_id = buttons(queued)[0].removeprefix("j:cancel:")
    assert (await tg.core.ledger.balance(user)).held == 25  # not charged while it is not delivered
    video = await tg.posted_clip(ANN_ID)
    assert video.at - refused.at < 10  # seconds, not minutes
    await fake.wait_for("deleteMessage", lambda c: c.params["message_id"] == status_id)
    await tg.quiet()
    balance = await tg.core.ledger.balance(user)
    assert (balance.available, balance.held) == (75, 0)
    assert [r.kind for r in await tg.core.ledger.history(user) if r.job_id == job_id].count("capture") == 1
    assert len([c for c in fake.calls_to("sendVideo") if c.ok]) == 1


def kick(fake: FakeTelegramAPI, chat_id: int) -> None:
    """From now on every call about `chat_id` answers 403, as Telegram does once the bot was removed."""
    chat_of = fake._chat

    def kicked(ref: Any, *, sending: bool = False) -> dict[str, Any]:
        if str(ref) == str(chat_id):
            raise BotAPIError(403, "Forbidden: bot was kicked from the supergroup chat")
        return chat_of(ref, sending=sending)

    fake._chat = kicked  # type: ignore[method-assign]


async def test_a_chat_that_removed_the_bot_gives_up_refunds_and_tells_the_member_privately(
    tg: Harness,
) -> None:
    fake = tg.fake
    ann, _, group = people(fake)
    fake.push_message(fake.message(fake.private_chat(ann), ann, "/start"))  # Ann has a private chat
    await tg.sent_text(ANN_ID, "Reelbot")
    tg.engine.gate = threading.Event()  # the render waits until the bot is out of the group
    fake.push_message(fake.message(group, ann, "@ReelBot a cat 5s"))
    queued = await tg.sent_text(GROUP_ID, "Queued")
    job_id = buttons(queued)[0].removeprefix("j:cancel:")
    kick(fake, GROUP_ID)  # while the clip renders, the group removes the bot
    tg.engine.gate.set()
    told = await fake.wait_for("sendMessage", lambda c: c.ok and c.params["chat_id"] == ANN_ID, timeout=15)
    assert (
        "couldn't post it here" in told.result["text"] and "25 credits were refunded" in told.result["text"]
    )
    await tg.quiet()
    assert (await tg.final(job_id)).state == DONE
    assert await tg.available(f"telegram:{ANN_ID}") == 100
    assert len(fake.calls_to("sendVideo")) == 1  # permanent: not retried


# -- the rest of Telegram's ways ------------------------------------------------------------------------


async def test_a_request_in_a_forum_topic_is_answered_and_posted_in_that_topic(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    forum = fake.group_chat(-1005550001, "Reel forum", is_forum=True)
    request = fake.message(forum, ann, "@ReelBot a cat 5s", message_thread_id=11, is_topic_message=True)
    fake.push_message(request)
    queued = await tg.sent_text(forum["id"], "Queued")
    assert queued.params["message_thread_id"] == 11
    assert queued.params["reply_parameters"]["message_id"] == request["message_id"]
    video = await tg.posted_clip(forum["id"])
    assert video.params["message_thread_id"] == 11 and video.result["is_topic_message"] is True
    assert not [c for c in fake.calls if not c.ok and c.method != "getUpdates"]


async def test_a_group_upgraded_to_a_supergroup_is_followed_to_its_new_id(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    old = fake.group_chat(-4242, "Small group", type="group")
    request = fake.message(old, ann, "@ReelBot a cat 5s")
    new = fake.migrate_chat(old, -1004242)  # upgraded between the member's message and the bot's answer
    fake.push_message(request)
    queued = await tg.sent_text(new["id"], "Queued")
    assert "25 credits held" in queued.result["text"]
    await tg.posted_clip(new["id"])
    await fake.wait_for("deleteMessage", lambda c: c.params["chat_id"] == new["id"])
    to_old = [c for c in fake.calls if c.params.get("chat_id") == old["id"]]
    assert [(c.method, c.status) for c in to_old] == [("sendMessage", 400)]  # later calls went straight there
    assert await tg.available(f"telegram:{ANN_ID}") == 75


async def test_a_caption_telegram_refuses_is_posted_plain_rather_than_losing_the_clip(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    fake.fail_next("sendVideo", 400, 'Bad Request: can\'t parse entities: Unsupported start tag "x"')
    fake.push_message(fake.message(chat, ann, "/video a `cat` 5s"))
    refused = await fake.wait_for("sendVideo")
    assert refused.status == 400 and refused.params["parse_mode"] == "HTML"
    video = await tg.posted_clip(ANN_ID)
    assert "parse_mode" not in video.params and "thumbnail" not in video.params
    assert video.params["caption"].startswith("✅ a cat") and "<" not in video.params["caption"]
    job_id = buttons(video)[0].split(":")[2]
    # a private chat's clip is out of the feed until shared: its author gets the Share button too
    assert buttons(video) == [
        f"j:{verb}:{job_id}" for verb in ("remix", "loop", "extend", "var", "del", "share")
    ]
    assert (
        await tg.core.job_for_post(PostRef("telegram", str(ANN_ID), str(video.result["message_id"])))
        == job_id
    )


async def test_a_clip_too_old_to_delete_loses_its_caption_and_buttons_instead(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    job, clip_message = await make_clip(tg, chat, ann)
    await fake.wait_for("deleteMessage")  # the status message, once the clip is out
    fake.fail_next("deleteMessage", 400, "Bad Request: message can't be deleted for everyone")
    answer = await tg.press(ann, clip_message, f"j:del:{job.id}")
    assert answer.params["text"] == "🗑️ Deleted."
    blanked = await fake.wait_for(
        "editMessageCaption", lambda c: c.params["message_id"] == clip_message["message_id"]
    )
    assert blanked.ok and blanked.params["caption"] == "🗑️ Deleted."
    kept = fake.messages[(ANN_ID, clip_message["message_id"])]
    assert kept["caption"] == "🗑️ Deleted." and "reply_markup" not in kept
    assert not Path(job.result["path"]).exists()


async def test_channel_posts_and_anonymous_group_admins_are_not_members_to_charge(tg: Harness) -> None:
    fake = tg.fake
    ann, _, group = people(fake)
    channel = fake.group_chat(-1005550003, "Reel news", type="channel")
    fake.push_update({"channel_post": fake.message(channel, None, "@ReelBot a cat 5s", sender_chat=channel)})
    anonymous = fake.user(1087968824, "Group", "GroupAnonymousBot")
    fake.push_message(fake.message(group, anonymous, "@ReelBot a dog 5s", sender_chat=group))
    fake.push_message(fake.message(group, ann, "/help"))
    await tg.sent_text(GROUP_ID, "Reelbot")
    await tg.quiet()
    assert await tg.jobs() == []
    sent = [c for c in fake.calls if c.method in ("sendMessage", "sendVideo")]
    assert [c.params["chat_id"] for c in sent] == [GROUP_ID]


# -- bad input ------------------------------------------------------------------------------------------


async def test_bad_input_gets_a_clear_reply_and_costs_nothing(tg: Harness) -> None:
    fake = tg.fake
    ann, _, _ = people(fake)
    chat = fake.private_chat(ann)
    user = f"telegram:{ANN_ID}"
    huge_png = png(32, 32) + b"\0" * (20 * 2**20 - 200)
    unsized = fake.add_file(
        png(32, 32) + b"\0" * 21 * 2**20, "document", file_name="unsized.png", mime_type="image/png"
    )
    del unsized["file_size"]  # Telegram may leave the size out; getFile then refuses files over 20 MB
    cases: list[tuple[dict[str, Any], str]] = [
        (
            fake.message(chat, ann, sticker=fake.add_file(png(512, 512), "sticker", emoji="😀")),
            "I can only read text, photos and video clips",
        ),
        (
            fake.message(chat, ann, voice=fake.add_file(b"OggS voice", "voice", duration=2)),
            "I can only read text, photos and video clips",
        ),
        (
            fake.message(
                chat,
                ann,
                caption="animate this",
                document=fake.add_file(huge_png, "document", file_name="big.png", mime_type="image/png"),
            ),
            "That file is too large (20.0 MB; limit 10 MB)",
        ),
        (
            fake.message(chat, ann, caption="animate this", document=unsized),
            "I can't use that attachment: unsized.png",
        ),
        (fake.message(chat, ann, caption="x" * 5000), "That prompt is too long (5000 characters)"),
        (fake.message(chat, ann, "/link ABCDEFGH"), "That link code is not valid"),
        (
            fake.message(chat, ann, document=fake.add_file(b"%PDF-1.4", "document", file_name="notes.pdf")),
            "I can't use that attachment: notes.pdf",
        ),
        (fake.message(chat, ann, "/frobnicate now"), "I don't know that command"),
    ]
    for message, expected in cases:
        fake.push_message(message)
        reply = await tg.sent_text(ANN_ID)
        assert expected in reply.result["text"], (message, reply.result["text"])
        assert reply.params["reply_parameters"]["message_id"] == message["message_id"]
    assert not any("big.png" in path or "documents" in path for path in fake.downloads)

    expired = await tg.core.ledger.create_link_code("web:ann", ttl_s=0)
    fake.push_message(fake.message(chat, ann, f"/link {expired}"))
    assert "expired" in (await tg.sent_text(ANN_ID)).result["text"]
    used = await tg.core.ledger.create_link_code("web:ann")
    await tg.core.link(Context(user="discord:7"), used)
    fake.push_message(fake.message(chat, ann, f"/link {used}"))
    assert "not valid" in (await tg.sent_text(ANN_ID)).result["text"]

    # a callback with forged data (no such button, someone else's pending confirm, a bogus clip id)
    fake.push_message(fake.message(chat, ann, "/help"))
    helped = await tg.sent_text(ANN_ID, "Reelbot")
    target = fake.messages[(ANN_ID, helped.result["message_id"])]
    for data in ("j:loop:0123456789ab", "p:0123456789abcdef", "j:del:../../etc", "x" * 64):
        answer = await tg.press(ann, target, data, check=False)
        assert (
            answer.params["text"] == "That button has expired or isn't yours." and answer.params["show_alert"]
        )

    await tg.quiet()
    assert await tg.jobs() == []
    assert await tg.available(user) == 100
    assert (await tg.core.ledger.balance(user)).held == 0
    assert await tg.core.ledger.linked_ids(user) == [user]
    assert not fake.calls_to("sendVideo")


# -- `reelbot run` ------------------------------------------------------------------------------------


async def test_run_serves_telegram_with_every_part_wired(tmp_path: Path) -> None:
    from billing.ledger import Ledger
    from billing.plans import PlanBook
    from bot.app import run

    async with FakeTelegramAPI(token=TOKEN, bot_username="ReelBot") as fake:
        settings = make_settings(tmp_path / "data", fake.url)
        stop = asyncio.Event()
        engine = FakeEngine(steps=2, step_s=0.01, real_video=True)
        served = asyncio.create_task(run(settings, engine=engine, stop_event=stop))
        try:
            await fake.wait_for_poll(timeout=15)
            ann, _, _ = people(fake)
            chat = fake.private_chat(ann)
            fake.push_message(fake.message(chat, ann, "a paper plane over a city 5s"))
            queued = await fake.wait_for("sendMessage", lambda c: c.ok and "Queued" in c.result["text"])
            assert "25 credits held" in queued.result["text"]
            video = await fake.wait_for("sendVideo", lambda c: c.ok, timeout=15)
            assert probe(video.files["video"].data)[2] > 0
            assert fake.commands_for("zh") and fake.commands_for("", {"type": "chat", "chat_id": ADMIN_ID})
        finally:
            stop.set()
            assert await asyncio.wait_for(served, 15) == 0
    assert engine.ran and engine.ran[0].prompt == "a paper plane over a city"
    async with await Ledger.open(settings.db_path, PlanBook.load(None)) as ledger:
        assert (await ledger.balance(f"telegram:{ANN_ID}")).available == 75


async def first_call(fake: FakeTelegramAPI, predicate: Any, timeout: float) -> Call:
    """The first call (any method) matching `predicate`, waiting up to `timeout` seconds."""

    async def poll() -> Call:
        while True:
            for call in list(fake.calls):
                if predicate(call):
                    return call
            await asyncio.sleep(0.2)

    return await asyncio.wait_for(poll(), timeout)


def _env(fake_url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELBOT_")}
    env.update(
        REELBOT_TELEGRAM_TOKEN=TOKEN,
        REELBOT_TELEGRAM_API_URL=fake_url,
        REELBOT_DATA_DIR=str(data_dir),
        REELBOT_MODEL="tiny",
        REELBOT_WEB_ENABLED="false",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.mark.slow
@pytest.mark.skipif(not (ROOT / "engine" / "video_engine.py").exists(), reason="the engine is not there yet")
async def test_reelbot_run_cli_renders_with_the_tiny_model_and_charges_the_quote(tmp_path: Path) -> None:
    reelbot = Path(sys.executable).with_name("reelbot")
    if not reelbot.exists():
        pytest.skip("the reelbot console script is not installed in this environment")
    async with FakeTelegramAPI(token=TOKEN, bot_username="ReelBot") as fake:
        env = _env(fake.url, tmp_path / "data")
        log_path = tmp_path / "reelbot-run.log"
        with log_path.open("wb") as log_file:
            proc = await asyncio.create_subprocess_exec(
                str(reelbot), "run", cwd=tmp_path, env=env, stdout=log_file, stderr=log_file
            )
            try:
                await fake.wait_for_poll(timeout=60)
                ann, _, _ = people(fake)
                chat = fake.private_chat(ann)
                fake.push_message(fake.message(chat, ann, "a lighthouse at night"))
                queued = await fake.wait_for(
                    "sendMessage", lambda c: c.ok and "Queued" in c.result["text"], timeout=30
                )
                price = int(queued.result["text"].split(" credits held")[0].rsplit("\n", 1)[-1])
                assert price == 25
                status_id = queued.result["message_id"]
                # the clip, or the status message turning into a failure (no use waiting on after that)
                video = await first_call(
                    fake,
                    lambda c: (
                        c.method == "sendVideo"
                        or (
                            c.method == "editMessageText"
                            and c.params["message_id"] == status_id
                            and "Rendering" not in c.params["text"]
                        )
                    ),
                    timeout=120,
                )
                assert video.method == "sendVideo" and video.ok, video.params.get("text")
                width, height, frames = probe(video.files["video"].data)
                assert (width, height, frames) == (854, 480, 5 * 24)
                assert (video.params["width"], video.params["height"], video.params["duration"]) == (
                    854,
                    480,
                    5,
                )
                admin = await asyncio.create_subprocess_exec(
                    str(reelbot),
                    "admin",
                    "balance",
                    f"telegram:{ANN_ID}",
                    cwd=tmp_path,
                    env=env,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                )
                out, err = await asyncio.wait_for(admin.communicate(), 60)
                assert admin.returncode == 0, err.decode()
                balance = json.loads(out.decode().strip().splitlines()[-1])
                assert balance["available"] == 100 - price and balance["held"] == 0
            except BaseException as exc:
                exc.add_note("reelbot run's log ends:\n" + log_path.read_text(errors="replace")[-3000:])
                raise
            finally:
                await stop(proc)
        assert proc.returncode == 0, log_path.read_text(errors="replace")[-3000:]
