"""The fake Telegram Bot API driven by the real python-telegram-bot: what PTB sends, the fake must take as
Telegram would, and what the fake answers, PTB must parse with no field left unknown."""

from __future__ import annotations

import asyncio
import datetime as dtm
import io
import json
import time
import warnings
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import av
import numpy as np
import pytest
import pytest_asyncio
from PIL import Image
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaVideo,
    LabeledPrice,
    TelegramObject,
    Update,
)
from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    MessageReactionHandler,
    PreCheckoutQueryHandler,
    TypeHandler,
    filters,
)

from tests.fakes.telegram_api import FakeTelegramAPI

TOKEN = "123456:TEST-TOKEN"


def tiny_mp4(width: int = 64, height: int = 48, frames: int = 24, fps: int = 24) -> bytes:
    """A one-second H.264 MP4 made with PyAV."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for index in range(frames):
            pixels = np.full((height, width, 3), index * 10 % 255, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def unknown_fields(obj: Any, path: str = "") -> list[str]:
    """Every place where PTB kept JSON it did not recognise (``api_kwargs``): a wrong field name."""
    found: list[str] = []
    if isinstance(obj, TelegramObject):
        if obj.api_kwargs:
            found.append(f"{path or type(obj).__name__}: {sorted(obj.api_kwargs)}")
        names = {name for cls in type(obj).__mro__ for name in getattr(cls, "__slots__", ())}
        for name in sorted(names):
            if not name.startswith("_") and name != "api_kwargs":
                found += unknown_fields(getattr(obj, name, None), f"{path}.{name}")
    elif isinstance(obj, list | tuple):
        for index, item in enumerate(obj):
            found += unknown_fields(item, f"{path}[{index}]")
    return found


def seconds(obj: object, attribute: str) -> float:
    """A PTB duration attribute in seconds, whether PTB hands out int or timedelta (it warns either way)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = getattr(obj, attribute)
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


@pytest_asyncio.fixture(loop_scope="function")
async def fake() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI(token=TOKEN, bot_username="ReelBot") as server:
        yield server


@pytest_asyncio.fixture(loop_scope="function")
async def bot(fake: FakeTelegramAPI) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot") as client:
        yield client


async def test_get_me_and_the_http_contract(fake: FakeTelegramAPI, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot, me.can_read_all_group_messages) == (123456, "ReelBot", True, False)
    assert unknown_fields(me) == []
    assert fake.calls_to("getMe") and fake.calls_to("getme") == fake.calls_to("getMe")

    async with aiohttp.ClientSession() as session:
        async with session.post(f"{fake.url}/bot999:WRONG/getMe") as response:
            assert response.status == 401
            assert await response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        async with session.post(f"{fake.url}/bot{TOKEN}/makeCoffee") as response:
            assert response.status == 404
            assert (await response.json())["description"] == "Not Found: method not found"
        async with session.post(f"{fake.url}/bot{TOKEN}/GETME", json={}) as response:  # case-insensitive
            assert (await response.json())["result"]["username"] == "ReelBot"

        # JSON bodies and urlencoded forms (values JSON-encoded, as PTB does) both decode to Bot API types.
        chat = fake.private_chat(fake.user(42, "Ann"))
        markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
        body = {"chat_id": 42, "text": "123", "reply_markup": markup}
        async with session.post(f"{fake.url}/bot{TOKEN}/sendMessage", json=body) as response:
            assert (await response.json())["result"]["reply_markup"] == markup
        form = {"chat_id": "42", "text": "[1]", "reply_markup": json.dumps(markup)}
        async with session.post(f"{fake.url}/bot{TOKEN}/sendMessage", data=form) as response:
            assert (await response.json())["result"]["text"] == "[1]"
        assert [c.params for c in fake.calls_to("sendMessage")] == [
            body,
            {"chat_id": 42, "text": "[1]", "reply_markup": markup},
        ]
        assert [m["text"] for m in fake.chat_history(chat)] == ["123", "[1]"]

    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=f"{fake.url}/bot"):
            pass


async def test_commands_are_kept_per_language(fake: FakeTelegramAPI, bot: Bot) -> None:
    assert await bot.set_my_commands([("create", "Make a clip")])
    assert await bot.set_my_commands([("create", "生成视频")], language_code="zh")

    call = fake.calls_to("setMyCommands")[-1]
    assert call.params == {
        "commands": [{"command": "create", "description": "生成视频"}],
        "language_code": "zh",
    }
    assert fake.commands_for("zh") == [{"command": "create", "description": "生成视频"}]
    assert fake.commands_for("") == [{"command": "create", "description": "Make a clip"}]
    zh = await bot.get_my_commands(language_code="zh")
    assert [(c.command, c.description) for c in zh] == [("create", "生成视频")]
    assert await bot.get_my_commands(language_code="de") == ()

    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Create", "capital letters are refused")])


async def test_send_and_edit_message(fake: FakeTelegramAPI, bot: Bot) -> None:
    chat = fake.private_chat(fake.user(42, "Ann", "ann"))
    buttons = InlineKeyboardMarkup([[InlineKeyboardButton("Cancel", callback_data="cancel:1")]])

    sent = await bot.send_message(chat["id"], "Rendering <b>0%</b>", parse_mode="HTML", reply_markup=buttons)
    assert unknown_fields(sent) == []
    assert (sent.text, sent.from_user.id, sent.reply_markup) == ("Rendering 0%", 123456, buttons)
    assert sent.entities[0].type == "bold" and sent.parse_entity(sent.entities[0]) == "0%"
    call = fake.calls_to("sendMessage")[-1]
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Cancel", "callback_data": "cancel:1"}]]
    }
    assert call.params["parse_mode"] == "HTML" and call.files == {}

    second = await bot.send_message(chat["id"], "second")
    assert second.message_id == sent.message_id + 1

    edited = await bot.edit_message_text("Rendering 50%", chat["id"], sent.message_id, reply_markup=buttons)
    assert edited.text == "Rendering 50%" and edited.edit_date is not None
    assert fake.messages[(chat["id"], sent.message_id)]["text"] == "Rendering 50%"

    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("Rendering 50%", chat["id"], sent.message_id, reply_markup=buttons)
    assert fake.calls_to("editMessageText")[-1].status == 400

    # Without reply_markup an edit drops the keyboard, as on Telegram.
    await bot.edit_message_text("Done", chat["id"], sent.message_id)
    assert "reply_markup" not in fake.messages[(chat["id"], sent.message_id)]

    assert await bot.delete_message(chat["id"], sent.message_id)
    assert (chat["id"], sent.message_id) in fake.deleted
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("again", chat["id"], sent.message_id)
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(777, "nobody there")
    fake.block(42)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(chat["id"], "hello?")


async def test_formatting_errors_match_telegram(fake: FakeTelegramAPI, bot: Bot) -> None:
    chat = fake.private_chat(fake.user(42, "Ann"))
    with pytest.raises(BadRequest, match='(?i)can\'t parse entities: unsupported start tag "br"'):
        await bot.send_message(chat["id"], "one<br>two", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)character '.' is reserved"):
        await bot.send_message(chat["id"], "a cat. a dog", parse_mode="MarkdownV2")
    ok = await bot.send_message(chat["id"], r"*bold* a cat\. 🐱 _it_", parse_mode="MarkdownV2")
    assert ok.text == "bold a cat. 🐱 it"
    assert [(e.type, ok.parse_entity(e)) for e in ok.entities] == [("bold", "bold"), ("italic", "it")]
    rich = await bot.send_message(
        chat["id"],
        '<pre><code class="language-python">print(1)</code></pre> see <a href="https://x.org/a">this</a>',
        parse_mode="HTML",
    )
    assert [(e.type, e.language, e.url) for e in rich.entities] == [
        ("pre", "python", None),
        ("text_link", None, "https://x.org/a"),
    ]
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(chat["id"], "x" * 4097)


async def test_send_video_uploads_multipart_and_round_trips(fake: FakeTelegramAPI, bot: Bot) -> None:
    chat = fake.private_chat(fake.user(42, "Ann"))
    clip = tiny_mp4()

    sent = await bot.send_video(
        chat["id"], clip, caption="a cat surfing", filename="clip.mp4", supports_streaming=True
    )
    assert unknown_fields(sent) == []
    video = sent.video
    assert (video.width, video.height, seconds(video, "duration"), video.mime_type) == (
        64,
        48,
        1,
        "video/mp4",
    )
    assert (video.file_name, video.file_size, sent.caption) == ("clip.mp4", len(clip), "a cat surfing")
    assert video.thumbnail is not None and video.thumbnail.width == 64

    call = await fake.wait_for("sendVideo")
    assert call.files["video"].filename == "clip.mp4" and call.files["video"].data == clip
    assert call.params == {"chat_id": 42, "caption": "a cat surfing", "supports_streaming": True}
    assert fake.last_video_bytes() == clip
    assert fake.files[video.file_id].info["video"]["codec"] == "h264"

    file = await bot.get_file(video.file_id)
    assert file.file_path.startswith(f"{fake.url}/file/bot{TOKEN}/videos/")
    assert bytes(await file.download_as_bytearray()) == clip

    cover = io.BytesIO()
    Image.new("RGB", (32, 24)).save(cover, format="JPEG")
    with_thumb = await bot.send_video(chat["id"], clip, thumbnail=cover.getvalue())
    reference = fake.calls_to("sendVideo")[-1].params["thumbnail"]
    assert reference.startswith("attach://") and with_thumb.video.thumbnail.width == 32

    # Re-sending by file_id uploads nothing and reuses the file, like Telegram.
    again = await bot.send_video(chat["id"], video.file_id)
    assert again.video.file_id == video.file_id and fake.calls_to("sendVideo")[-1].files == {}

    # What Telegram cannot play as a video arrives as a document.
    broken = await bot.send_video(chat["id"], b"not a video", filename="clip.mp4")
    assert broken.video is None and broken.document.file_name == "clip.mp4"


async def test_media_group_uses_attach_references(fake: FakeTelegramAPI, bot: Bot) -> None:
    chat = fake.private_chat(fake.user(42, "Ann"))
    clips = [tiny_mp4(frames=6), tiny_mp4(width=48, height=64, frames=6)]
    sent = await bot.send_media_group(
        chat["id"], [InputMediaVideo(clips[0], caption="one"), InputMediaVideo(clips[1], filename="two.mp4")]
    )
    assert [(m.video.width, m.video.height) for m in sent] == [(64, 48), (48, 64)]
    assert len({m.media_group_id for m in sent}) == 1 and unknown_fields(sent) == []

    call = fake.calls_to("sendMediaGroup")[-1]
    references = [item["media"] for item in call.params["media"]]
    assert all(ref.startswith("attach://") for ref in references)
    assert [call.files[ref.removeprefix("attach://")].data for ref in references] == clips


async def test_photo_sizes_and_get_file_download(fake: FakeTelegramAPI, bot: Bot) -> None:
    chat = fake.private_chat(fake.user(42, "Ann"))
    sent = await bot.send_photo(chat["id"], png(1000, 500))
    assert [(p.width, p.height) for p in sent.photo] == [(90, 45), (320, 160), (800, 400), (1000, 500)]
    assert unknown_fields(sent) == []

    original = png(640, 480)
    sizes = fake.add_file(original, "photo")
    clip = tiny_mp4(frames=6)
    video = fake.add_file(clip, "video", file_name="in.mp4")
    document = fake.add_file(b"%PDF-1.4 tiny", "document", file_name="notes.pdf")
    assert document["mime_type"] == "application/pdf"

    largest = await bot.get_file(sizes[-1]["file_id"])
    assert (largest.file_size, bytes(await largest.download_as_bytearray())) == (len(original), original)
    buffer = io.BytesIO()
    await (await bot.get_file(video["file_id"])).download_to_memory(buffer)
    assert buffer.getvalue() == clip
    assert fake.calls_to("getFile")[-1].params == {"file_id": video["file_id"]}
    with pytest.raises(BadRequest, match="(?i)invalid file_id"):
        await bot.get_file("nope")


async def test_send_invoice_in_stars(fake: FakeTelegramAPI, bot: Bot) -> None:
    chat = fake.private_chat(fake.user(42, "Ann"))
    sent = await bot.send_invoice(
        chat["id"], "1000 credits", "Top up Reelbot", "topup:1000", "XTR", [LabeledPrice("1000 credits", 50)]
    )
    assert (sent.invoice.currency, sent.invoice.total_amount, sent.invoice.title) == (
        "XTR",
        50,
        "1000 credits",
    )
    assert unknown_fields(sent) == []
    call = fake.calls_to("sendInvoice")[-1]
    assert call.params["prices"] == [{"label": "1000 credits", "amount": 50}]
    assert call.params["payload"] == "topup:1000" and "provider_token" not in call.params
    assert fake.invoices[(42, sent.message_id)]["payload"] == "topup:1000"

    with pytest.raises(BadRequest, match="(?i)STARS_INVOICE_INVALID"):
        await bot.send_invoice(
            chat["id"], "t", "d", "p", "XTR", [LabeledPrice("a", 10), LabeledPrice("b", 10)]
        )

    paid = fake.successful_payment_message(chat, fake.users[42], "XTR", 50, "topup:1000", "charge-1")
    assert (
        Update.de_json({"update_id": 1, "message": paid}, bot).message.successful_payment.total_amount == 50
    )
    assert await bot.refund_star_payment(42, "charge-1")
    assert fake.refunds[0]["telegram_payment_charge_id"] == "charge-1"
    with pytest.raises(BadRequest, match="(?i)CHARGE_ALREADY_REFUNDED"):
        await bot.refund_star_payment(42, "charge-1")


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter's own str()
async def test_retry_after_and_injected_errors(fake: FakeTelegramAPI, bot: Bot) -> None:
    chat = fake.private_chat(fake.user(42, "Ann"))
    fake.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat["id"], "hi")
    assert seconds(caught.value, "retry_after") == 3
    assert fake.calls_to("sendMessage")[-1].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    assert not fake.messages  # an injected failure has no side effect

    assert (await bot.send_message(chat["id"], "hi")).text == "hi"
    fake.fail_next("sendVideo", 400, "Bad Request: wrong file identifier/HTTP URL specified")
    with pytest.raises(BadRequest, match="(?i)wrong file identifier"):
        await bot.send_video(chat["id"], tiny_mp4(frames=2))


async def test_forum_topics_and_a_group_upgraded_to_a_supergroup(fake: FakeTelegramAPI, bot: Bot) -> None:
    forum = fake.group_chat(-1005550001, "Reel forum", is_forum=True)
    sent = await bot.send_message(forum["id"], "in a topic", message_thread_id=11)
    assert sent.message_thread_id == 11 and sent.is_topic_message and unknown_fields(sent) == []
    plain_group = fake.group_chat(-1005550002, "No topics")
    with pytest.raises(BadRequest, match="(?i)message thread not found"):
        await bot.send_message(plain_group["id"], "where?", message_thread_id=11)

    old = fake.group_chat(-4242, "Small group", type="group")
    assert (await bot.send_message(old["id"], "before")).chat.type == "group"
    new = fake.migrate_chat(old, -1004242)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(old["id"], "after")
    assert caught.value.new_chat_id == -1004242
    assert fake.calls_to("sendMessage")[-1].response == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: group chat was upgraded to a supergroup chat",
        "parameters": {"migrate_to_chat_id": -1004242},
    }
    moved = await bot.send_message(new["id"], "after")
    assert moved.chat.type == "supergroup" and moved.chat.id == -1004242


async def test_reactions_members_and_copies(fake: FakeTelegramAPI, bot: Bot) -> None:
    ann = fake.user(42, "Ann")
    chat = fake.private_chat(ann)
    group = fake.group_chat(-1001234567890, "Reel club")
    sent = await bot.send_message(chat["id"], "clip")
    assert await bot.set_message_reaction(chat["id"], sent.message_id, "👍")
    assert fake.bot_reactions[(chat["id"], sent.message_id)] == [{"type": "emoji", "emoji": "👍"}]
    with pytest.raises(BadRequest, match="(?i)REACTION_INVALID"):
        await bot.set_message_reaction(chat["id"], sent.message_id, "🔁")
    with pytest.raises(ValueError, match="not a reaction emoji"):
        fake.message_reaction(chat, ann, sent.message_id, new=["🔁"])

    fake.set_member(group, ann, "creator")
    fake.make_bot_admin(group)
    admins = await bot.get_chat_administrators(group["id"])
    assert sorted(m.status for m in admins) == ["administrator", "creator"] and unknown_fields(admins) == []
    member = await bot.get_chat_member(chat["id"], 42)
    assert member.status == "member" and unknown_fields(member) == []
    info = await bot.get_chat(group["id"])
    assert (info.title, info.type) == ("Reel club", "supergroup") and unknown_fields(info) == []

    copied = await bot.copy_message(group["id"], chat["id"], sent.message_id)
    assert fake.messages[(group["id"], copied.message_id)]["text"] == "clip"
    forwarded = await bot.forward_message(group["id"], chat["id"], sent.message_id)
    assert forwarded.forward_origin.sender_user.id == 123456 and unknown_fields(forwarded) == []
    assert await bot.send_chat_action(chat["id"], "upload_video")
    assert fake.chat_actions == [(42, "upload_video")]


async def test_get_updates_long_poll_offset_and_allowed_updates(fake: FakeTelegramAPI, bot: Bot) -> None:
    ann = fake.user(42, "Ann")
    chat = fake.private_chat(ann)
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert time.monotonic() - started >= 0.9

    # A waiting long poll answers as soon as an update arrives.
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.wait_for_poll()
    first = fake.push_message(fake.message(chat, ann, "/start"))
    (update,) = await asyncio.wait_for(poll, 2)
    assert update.update_id == first["update_id"] and update.message.text == "/start"

    # Reactions are left out unless allowed_updates names them.
    fake.push_message_reaction(fake.message_reaction(chat, ann, update.message.message_id))
    second = fake.push_message(fake.message(chat, ann, "hello"))
    updates = await bot.get_updates(offset=update.update_id + 1, timeout=0)
    assert [u.update_id for u in updates] == [second["update_id"]]
    assert "allowed_updates" in fake.dropped_updates[0][1]
    assert fake.pending_updates == [second]  # offset confirmed the first one only

    fake.push_message_reaction(fake.message_reaction(chat, ann, update.message.message_id, new=["🔥"]))
    updates = await bot.get_updates(offset=second["update_id"] + 1, allowed_updates=["message_reaction"])
    assert updates[0].message_reaction.new_reaction[0].emoji == "🔥"
    assert fake.calls_to("getUpdates")[-1].params["allowed_updates"] == ["message_reaction"]

    # A second poller (another bot process) ends the first with 409 Conflict, as on Telegram.
    async with Bot(TOKEN, base_url=f"{fake.url}/bot") as other_process:
        older = asyncio.create_task(other_process.get_updates(offset=updates[0].update_id + 1, timeout=5))
        await fake.wait_for_poll()
        await bot.get_updates(timeout=0)
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(older, 2)


async def test_application_polls_and_parses_every_builder(fake: FakeTelegramAPI) -> None:
    ann = fake.user(42, "Ann", "ann", language_code="zh-hans")
    chat = fake.private_chat(ann)
    group = fake.group_chat(-1001234567890, "Reel club")
    fake.make_bot_admin(group)
    remix = {"inline_keyboard": [[{"text": "Remix", "callback_data": "remix:7"}]]}
    bot_message = fake.message(chat, fake.bot_user, "Your clip", reply_markup=remix)
    group_message = fake.message(group, ann, "🎬 @ReelBot a dog /create@ReelBot")
    updates = [
        {"message": fake.message(chat, ann, "/create a cat surfing 10s")},
        {"message": group_message},
        {"message": fake.message(chat, ann, caption="animate this", photo=png(300, 200))},
        {"message": fake.message(chat, ann, video=tiny_mp4(frames=4), reply_to=bot_message)},
        {"message": fake.message(chat, ann, document=fake.add_file(b"hi", "document", file_name="a.txt"))},
        {"message": fake.message(chat, ann, sticker=fake.add_file(png(512, 512), "sticker", emoji="😀"))},
        {"message": fake.message(chat, ann, voice=fake.add_file(b"OggS", "voice", duration=2))},
        {"callback_query": fake.callback_query(ann, bot_message, "remix:7")},
        {"message_reaction": fake.message_reaction(group, ann, group_message["message_id"], new=["❤"])},
        {"pre_checkout_query": fake.pre_checkout_query(ann, total_amount=50, invoice_payload="topup:1000")},
        {"message": fake.successful_payment_message(chat, ann, "XTR", 50, "topup:1000")},
    ]

    received: list[Update] = []
    handled: list[str] = []
    all_in = asyncio.Event()

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        received.append(update)
        if len(received) == len(updates):
            all_in.set()

    async def on_create(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        handled.append(f"create:{' '.join(context.args)}")
        await update.effective_message.reply_text("queued")

    async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        handled.append(f"callback:{update.callback_query.data}")
        await update.callback_query.answer("Remixing")

    async def on_reaction(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        handled.append(f"reaction:{update.message_reaction.new_reaction[0].emoji}")

    async def on_pre_checkout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        handled.append("pre_checkout")
        await update.pre_checkout_query.answer(ok=True)

    async def on_paid(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        handled.append(f"paid:{update.message.successful_payment.total_amount}")

    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(f"{fake.url}/bot")
        .base_file_url(f"{fake.url}/file/bot")
        .build()
    )
    app.add_handler(TypeHandler(Update, record), group=-1)
    app.add_handler(CommandHandler("create", on_create))
    app.add_handler(CallbackQueryHandler(on_callback))
    app.add_handler(MessageReactionHandler(on_reaction))
    app.add_handler(PreCheckoutQueryHandler(on_pre_checkout))
    app.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, on_paid))

    for update in updates:
        fake.push_update(update)
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)
    try:
        await asyncio.wait_for(all_in.wait(), 10)
        await fake.wait_for("answerPreCheckoutQuery")
        await fake.wait_for("answerCallbackQuery")
        await fake.wait_for("sendMessage")
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()

    assert [unknown_fields(update, "update") for update in received] == [[]] * len(updates)
    assert sorted(handled) == sorted(
        [
            "create:a cat surfing 10s",
            "callback:remix:7",
            "reaction:❤",
            "pre_checkout",
            "paid:50",
        ]
    )
    in_group = received[1].message
    assert [(e.type, in_group.parse_entity(e)) for e in in_group.entities] == [
        ("mention", "@ReelBot"),
        ("bot_command", "/create@ReelBot"),
    ]
    assert in_group.entities[0].offset == 3  # 🎬 is two UTF-16 code units
    assert received[3].message.reply_to_message.message_id == bot_message["message_id"]
    assert received[2].message.photo[-1].width == 300

    poll = fake.calls_to("getUpdates")[-1]
    assert "message_reaction" in fake.calls_to("getUpdates")[0].params["allowed_updates"]
    assert poll.params["offset"] == received[-1].update_id + 1 and fake.pending_updates == []
    assert fake.callback_answers == {updates[7]["callback_query"]["id"]: {"text": "Remixing"}}
    assert list(fake.pre_checkout_answers.values()) == [{"ok": True}]
    assert fake.calls_to("deleteWebhook")  # PTB's polling bootstrap
