"""Telegram channel: python-telegram-bot (v22) updates -> Context + Request -> core, and core Replies /
Notices -> Bot API calls.

Translation and presentation only: which messages are addressed to the bot, downloading attachments,
rendering text, keyboards, clips and invoices, throttling edits and honouring `retry_after`. Every rule
(prices, plans, limits, who may do what) is in bot/core.py.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LabeledPrice,
    Message,
    MessageEntity,
    ReactionTypeEmoji,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    MessageReactionHandler,
    PreCheckoutQueryHandler,
    filters,
)
from telegram.warnings import PTBDeprecationWarning

from bot import messages
from bot.commands import COMMANDS, find, menu
from bot.core import Core, detect_lang
from bot.errors import PaymentRefused
from bot.replies import Attachment, Context, Notice, PostRef, Reply
from bot.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

PLATFORM = "telegram"
#: Telegram Stars, the currency of digital goods in Telegram
STARS = "XTR"
#: the cloud Bot API lets bots download files up to 20 MB and upload up to 50 MB
CLOUD_DOWNLOAD_LIMIT = 20 * 1024 * 1024
CLOUD_UPLOAD_LIMIT = 50 * 1024 * 1024
#: a self-hosted Bot API server lifts both to 2000 MB
LOCAL_FILE_LIMIT = 2000 * 1024 * 1024
#: seconds between two progress edits of one status message (Telegram allows ~1 edit/s per chat)
PROGRESS_EDIT_INTERVAL = 3.0
#: how long to wait for the rest of a media group (albums arrive as one update per item)
MEDIA_GROUP_WAIT = 1.0
#: how long a job update waits for the status message a handler is still sending
STATUS_WAIT = 10.0
MAX_RETRY_AFTER = 60
#: Telegram counts these in UTF-16 code units, after markup is parsed
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_ANSWER_LIMIT = 200
IMAGE_MIME = re.compile(r"^image/(jpeg|png|webp)$")
VIDEO_MIME = re.compile(r"^video/")


def render(message: str) -> str:
    """The message table's light markup (`code`, *bold*) as Telegram HTML, everything else escaped."""
    out = html.escape(message, quote=False)
    # one pass, so a `code` span and a *bold* span can never cross (Telegram refuses unbalanced tags)
    return re.sub(
        r"`([^`\n]+)`|\*([^*`\n]+)\*",
        lambda m: f"<code>{m[1]}</code>" if m[1] is not None else f"<b>{m[2]}</b>",
        out,
    )


def plain(message: str) -> str:
    """The message without its light markup, for places with no formatting (toasts, a fallback post)."""
    return re.sub(r"[`*]", "", message)


THUMB_SIDE = 320
THUMB_BYTES = 200 * 1024


def thumbnail(poster: Path) -> bytes | None:
    """A poster as Telegram wants a video thumbnail: JPEG, at most 320 px a side, under 200 kB."""
    from io import BytesIO

    from PIL import Image

    try:
        with Image.open(poster) as im:
            im = im.convert("RGB")
            im.thumbnail((THUMB_SIDE, THUMB_SIDE))
            buf = BytesIO()
            im.save(buf, "JPEG", quality=80)
    except (OSError, ValueError):
        return None
    data = buf.getvalue()
    return data if len(data) < THUMB_BYTES else None


def utf16_len(s: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji outside the BMP counts 2)."""
    return len(s.encode("utf-16-le")) // 2


def _cut(s: str, units: int) -> str:
    out, used = [], 0
    for ch in s:
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            break
        out.append(ch)
    return "".join(out)


def fit(message: str, limit: int) -> str:
    """`message` shortened with "…" so that, rendered, Telegram counts at most `limit` units. The longest
    line (a prompt, usually) is shortened first, so the lines around it (author, price) survive.
    Markup only ever makes the parsed text shorter, so measuring the plain text is safe."""
    if utf16_len(message) <= limit:
        return message
    lines = message.split("\n")
    longest = max(range(len(lines)), key=lambda i: utf16_len(lines[i]))
    excess = utf16_len(message) - limit + 1
    if utf16_len(lines[longest]) > excess:
        lines[longest] = _cut(lines[longest], utf16_len(lines[longest]) - excess) + "…"
        shortened = "\n".join(lines)
        if utf16_len(shortened) <= limit:
            return shortened
    return _cut(message, limit - 1) + "…"


def _retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that `retry_after` becomes a timedelta one day
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)


def keyboard(reply: Reply, lang: str) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(messages.label(b, lang), callback_data=b.data) for b in row] for row in reply.buttons]
    )


def said(reply: Reply, lang: str) -> str:
    """The reply's text; in a group, a tap's answer says whose tap it was (params `by`)."""
    body = messages.render(reply, lang)
    by = reply.payload.get("by")
    return f"{by}: {body}" if by else body


def command_menus(admins: list[str]) -> list[tuple[list[BotCommand], dict[str, Any]]]:
    """What setMyCommands gets, from the command registry: the public menu in English and Chinese, and
    for each Telegram admin a chat-scoped menu with the admin commands too."""

    def commands(lang: str, admin: bool = False) -> list[BotCommand]:
        return [BotCommand(name, about[:256]) for name, about in menu(lang, admin=admin)]

    menus: list[tuple[list[BotCommand], dict[str, Any]]] = [
        (commands("en"), {}),
        (commands("zh"), {"language_code": "zh"}),
    ]
    for admin in admins:
        platform, _, ident = admin.partition(":")
        if platform == PLATFORM and ident.lstrip("-").isdigit():
            scope = BotCommandScopeChat(int(ident))
            menus.append((commands("en", True), {"scope": scope}))
            menus.append((commands("zh", True), {"scope": scope, "language_code": "zh"}))
    return menus


class StarPayments:
    """Telegram Stars behind the core's payment port: the packs on sale, and refunds."""

    def __init__(self, adapter: TelegramAdapter) -> None:
        self.adapter = adapter

    def packs(self) -> dict[int, int]:
        return self.adapter.settings.star_packs()

    async def refund(self, user: str, charge_id: str) -> None:
        platform, _, ident = user.partition(":")
        if platform != PLATFORM or not ident.isdigit():
            raise ValueError(f"not a Telegram payer: {user}")
        try:
            await self.adapter._call(self.adapter.app.bot.refund_star_payment, user_id=int(ident),
                                     telegram_payment_charge_id=charge_id)
        except TelegramError as exc:
            raise PaymentRefused(str(exc.message if hasattr(exc, "message") else exc)) from exc


class PerChatUpdates(BaseUpdateProcessor):
    """Updates of one chat in order, different chats at once: a slow download or a flood-control pause
    in one group never holds up another chat."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, list[int]]] = {}  # chat -> (lock, [updates using it])

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock, users = self._locks.setdefault(chat.id, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                await coroutine
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._locks[chat.id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        self._locks.clear()


class TelegramAdapter:
    """One Telegram bot. `start()` begins long polling inside the running event loop."""

    name = PLATFORM

    def __init__(
        self, core: Core, settings: Settings, *, poll_timeout: int = 30,
        progress_interval: float = PROGRESS_EDIT_INTERVAL,
    ) -> None:
        assert settings.telegram_token is not None
        self.core = core
        self.settings = settings
        self.poll_timeout = poll_timeout
        self.progress_interval = progress_interval
        self.media_group_wait = MEDIA_GROUP_WAIT
        root = settings.telegram_api_url.rstrip("/")
        # only a self-hosted Bot API server started with --local lifts the 20 MB / 50 MB file limits
        self.self_hosted = settings.telegram_local_mode
        self.download_limit = LOCAL_FILE_LIMIT if self.self_hosted else CLOUD_DOWNLOAD_LIMIT
        self.upload_limit = LOCAL_FILE_LIMIT if self.self_hosted else CLOUD_UPLOAD_LIMIT
        self.app = (
            Application.builder()
            .token(settings.telegram_token.get_secret_value())
            .base_url(f"{root}/bot")
            .base_file_url(f"{root}/file/bot")
            .local_mode(self.self_hosted)
            .concurrent_updates(PerChatUpdates())
            .build()
        )
        self.uploads = settings.data_dir / "uploads" / PLATFORM
        self.username = ""
        self._status: dict[str, tuple[int, int]] = {}  # job id -> (chat id, status message id)
        self._last_edit: dict[str, float] = {}
        self._albums: dict[str, list[Message]] = {}
        self._album_tasks: dict[str, asyncio.Task[None]] = {}  # albums still gathering
        self._album_work: set[asyncio.Task[None]] = set()  # albums being handled
        # chat id -> handlers still at work there (a job they queue may report before its status is out)
        self._in_flight: dict[int, set[asyncio.Future[None]]] = {}
        self._add_handlers()
        core.subscribe(PLATFORM, self.on_notice, wait_for_status=True)
        core.register_payments(PLATFORM, StarPayments(self))

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        await self.app.initialize()
        self.username = self.app.bot.username or ""
        await self._register_commands()
        await self.app.start()
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            poll_interval=0.0, timeout=self.poll_timeout, allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )
        log.info("telegram: polling as @%s", self.username)

    async def stop(self) -> None:
        for task in self._album_tasks.values():
            task.cancel()
        if self._album_work:  # let albums already handed to the core finish, as PTB does for updates
            await asyncio.wait(self._album_work, timeout=STATUS_WAIT)
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()

    async def _register_commands(self) -> None:
        bot = self.app.bot
        for commands, where in command_menus(self.settings.admins):
            try:
                await self._call(bot.set_my_commands, commands, **where)
            except TelegramError as exc:  # e.g. an admin who never opened a chat with the bot
                log.warning("telegram: command menu %s not set: %s", where or "default", exc)

    def _add_handlers(self) -> None:
        app = self.app
        # pre-checkout queries must be answered within 10 s and button presses expire: neither may wait
        # behind a slow download or a flood-control pause of another update
        app.add_handler(PreCheckoutQueryHandler(self.on_pre_checkout, block=False))
        app.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, self.on_payment))
        app.add_handler(CallbackQueryHandler(self.on_callback, block=False))
        app.add_handler(MessageReactionHandler(self.on_reaction))
        app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL, self.on_message))
        app.add_error_handler(self.on_error)

    # -- incoming ------------------------------------------------------------------------------

    def _context(self, update: Update, sample: str | None = None) -> Context:
        user = update.effective_user
        chat = update.effective_chat
        assert user is not None and chat is not None
        msg = update.effective_message
        return Context(
            user=f"{PLATFORM}:{user.id}",
            lang=detect_lang(sample, user.language_code),
            display_name=("@" + user.username) if user.username else user.full_name,
            origin={"platform": PLATFORM, "chat_id": chat.id,
                    "message_id": msg.message_id if msg is not None else None,
                    # a forum topic: answers stay in it
                    "thread_id": msg.message_thread_id if msg is not None and msg.is_topic_message else None},
            max_upload_bytes=self.upload_limit, max_download_bytes=self.download_limit,
        )

    def _addressed(self, msg: Message) -> bool:
        """In a private chat everything is for us; in groups only our commands, mentions and replies to us.
        A bare `/command` in a group counts only if it is one of ours: other bots there have theirs."""
        if msg.chat.type == ChatType.PRIVATE:
            return True
        body = msg.text or msg.caption or ""
        if body.startswith("/"):
            name, _, target = body.split(None, 1)[0][1:].partition("@")
            if target:
                return target.lower() == self.username.lower()
            return find(name) is not None
        uname = f"@{self.username}".lower()
        for ent, value in list(msg.parse_entities([MessageEntity.MENTION]).items()) + list(
            msg.parse_caption_entities([MessageEntity.MENTION]).items()
        ):
            if ent.type == MessageEntity.MENTION and value.lower() == uname:
                return True
        reply = msg.reply_to_message
        return bool(reply and reply.from_user and reply.from_user.id == self.app.bot.id)

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        msg = update.effective_message
        if msg is None or update.effective_user is None or update.effective_user.is_bot:
            return
        if msg.sender_chat is not None or msg.is_automatic_forward:
            return  # posted as a channel / anonymously: there is no member to charge
        if msg.media_group_id:
            self._collect_album(msg, update)
            return
        if not self._addressed(msg):
            return
        await self._handle_messages(update, [msg])

    def _collect_album(self, msg: Message, update: Update) -> None:
        """Albums arrive as one update per item: gather them until none has come for a moment."""
        key = f"{msg.chat.id}:{msg.media_group_id}"
        self._albums.setdefault(key, []).append(msg)
        waiting = self._album_tasks.pop(key, None)
        if waiting is not None:
            waiting.cancel()  # still asleep: it never cancels a flush already at work
        task = asyncio.create_task(self._flush_album(key, update))
        self._album_tasks[key] = task
        self._album_work.add(task)
        task.add_done_callback(self._album_work.discard)

    async def _flush_album(self, key: str, update: Update) -> None:
        await asyncio.sleep(self.media_group_wait)
        self._album_tasks.pop(key, None)
        items = sorted(self._albums.pop(key, []), key=lambda m: m.message_id)
        if not items or not any(self._addressed(m) for m in items):
            return
        try:
            await self._handle_messages(update, items)
        except Exception as exc:  # outside PTB's handler, so its error handler never sees this one
            await self.on_error(update, _ErrorContext(exc))

    async def _handle_messages(self, update: Update, msgs: list[Message]) -> None:
        first = msgs[0]
        body = next((m.text or m.caption for m in msgs if m.text or m.caption), "") or ""
        ctx = self._context(update, body)
        ctx.origin["message_id"] = first.message_id
        async with self._publishing(first.chat.id):
            reply_to = first.reply_to_message
            post = PostRef(PLATFORM, str(reply_to.chat.id), str(reply_to.message_id)) if reply_to else None
            names = (self.username,) if self.username else ()
            result = await self.core.handle_message(ctx, body, self._attachments(msgs), post, bot_names=names)
            if result is not None:
                await self._answer(first, ctx, result)

    def _attachments(self, msgs: list[Message]) -> list[Attachment]:
        """What the messages carry, for the core to check; it calls `fetch` for the ones it takes."""
        out: list[Attachment] = []
        for m in msgs:
            if m.sticker or m.voice or m.video_note or m.audio or m.animation:
                out.append(Attachment("unsupported", "message"))
                continue
            if m.photo:
                kind, file, name, suffix, mime = "image", m.photo[-1], "photo", ".jpg", "image/jpeg"
            elif m.video:
                kind, file, name, suffix = "video", m.video, m.video.file_name or "video", ".mp4"
                mime = m.video.mime_type or "video/mp4"
            elif m.document:
                mime = m.document.mime_type or ""
                name = m.document.file_name or mime or "file"
                file = m.document
                if IMAGE_MIME.match(mime):
                    kind, suffix = "image", "." + mime.split("/")[1]
                elif VIDEO_MIME.match(mime):
                    kind, suffix = "video", ".mp4"
                else:
                    out.append(Attachment("other", name, mime))
                    continue
            else:
                continue
            out.append(Attachment(kind, name, mime, file.file_size, self._fetcher(file.file_id, file.file_unique_id,
                                                                               suffix)))
        return out

    def _fetcher(self, file_id: str, unique_id: str, suffix: str) -> Callable[[Path], Awaitable[Path]]:
        async def fetch(dest: Path) -> Path:
            safe = re.sub(r"[^A-Za-z0-9_-]", "_", unique_id)[:64]
            path = dest / f"{safe}{suffix}"
            tg_file = await self._call(self.app.bot.get_file, file_id)
            await tg_file.download_to_drive(path)
            return path

        return fetch

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.from_user is None:
            return
        ctx = self._context(update)
        ctx.lang = detect_lang(None, query.from_user.language_code)
        data = query.data or ""
        msg = query.message if isinstance(query.message, Message) else None
        if msg is not None:
            ctx.origin.update(chat_id=msg.chat.id, message_id=msg.message_id)
        async with self._publishing(msg.chat.id if msg is not None else None):
            reply = await self.core.press(ctx, data)
            lang = ctx.lang
            refused = reply.ephemeral and reply.kind == "error"  # not this member's button, or a dead one
            if msg is not None and data.startswith(("p:", "x:")) and not refused:
                # the confirm / offer message turns into the outcome, so its buttons cannot be tapped twice
                await self._answer_query(query)
                await self._edit(msg.chat.id, msg.message_id, reply, lang)
                if reply.job_id and reply.kind == "queued":
                    await self._remember_status(reply.job_id, msg.chat.id, msg.message_id)
                return
            if reply.kind == "deleted":
                await self._answer_query(query, fit(plain(said(reply, lang)), CALLBACK_ANSWER_LIMIT))
                await self._delete_posts(reply, lang)
                return
            if msg is None or (not reply.buttons and reply.kind != "queued"):
                # nothing to keep in the chat (a hint, a refusal, "cancelling"): a toast, or an alert
                await self._answer_query(query, fit(plain(said(reply, lang)), CALLBACK_ANSWER_LIMIT),
                                         show_alert=reply.kind == "error")
                if reply.job_id and reply.kind == "queued":
                    await self.core.status_posted(reply.job_id, None)
                return
            await self._answer_query(query)
            if msg.chat.type != ChatType.PRIVATE:
                reply.payload["by"] = ctx.display_name  # say whose tap it was
            await self._answer(msg, ctx, reply, quote=False)

    async def on_reaction(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        mr = update.message_reaction
        if mr is None or mr.user is None or mr.user.is_bot:
            return  # anonymous (channel / anonymous admin) reactions cannot be charged to anyone
        old = {r.emoji for r in mr.old_reaction if isinstance(r, ReactionTypeEmoji)}
        added = [r.emoji for r in mr.new_reaction if isinstance(r, ReactionTypeEmoji) and r.emoji not in old]
        if not added:
            return
        post = PostRef(PLATFORM, str(mr.chat.id), str(mr.message_id))
        ctx = self._context(update)
        ctx.lang = detect_lang(None, mr.user.language_code)
        ctx.origin.update(chat_id=mr.chat.id, message_id=mr.message_id)
        async with self._publishing(mr.chat.id):
            for emoji in added:
                reply = await self.core.react(ctx, emoji, post)
                if reply is None:
                    continue
                if reply.ephemeral and mr.chat.type != ChatType.PRIVATE:
                    # a reaction has no reply of its own: say it privately if we may, else not at all
                    await self._send_privately(mr.user.id, reply, ctx.lang)
                    continue
                if mr.chat.type != ChatType.PRIVATE:
                    reply.payload["by"] = ctx.display_name
                await self._send(mr.chat.id, reply, ctx.lang, reply_to=mr.message_id)

    async def on_pre_checkout(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        q = update.pre_checkout_query
        if q is None:
            return
        pack = _parse_payload(q.invoice_payload)
        ok = pack is not None and q.currency == STARS and self.core.check_pack(PLATFORM, pack[0], q.total_amount)
        lang = detect_lang(None, q.from_user.language_code)
        if ok:
            await self._call(q.answer, ok=True)
        else:
            await self._call(q.answer, ok=False, error_message=messages.render(Reply("bad_pack"), lang))

    async def on_payment(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        msg = update.effective_message
        if msg is None or msg.successful_payment is None:
            return
        pay = msg.successful_payment
        ctx = self._context(update)
        pack = _parse_payload(pay.invoice_payload)
        if pack is None or pay.currency != STARS:
            log.error("telegram: payment %s with an unknown payload", pay.telegram_payment_charge_id)
            await self._reply(msg, Reply("bad_pack", kind="error"), ctx.lang)
            return
        reply = await self.core.paid(ctx, pack[0], pay.total_amount, pay.telegram_payment_charge_id)
        await self._reply(msg, reply, ctx.lang)

    async def _answer_query(self, query: Any, answer: str | None = None, show_alert: bool = False) -> None:
        """Answer a button press; a press answered too late ("query is too old") is not an error."""
        try:
            await self._call(query.answer, answer, show_alert=show_alert)
        except BadRequest as exc:
            log.info("telegram: callback answer failed: %s", exc)

    async def on_error(self, update: object, context: Any) -> None:
        log.error("telegram: handler error: %s", context.error, exc_info=context.error)
        if isinstance(update, Update) and update.effective_message is not None:
            lang = detect_lang(None, update.effective_user.language_code if update.effective_user else None)
            try:
                await self._reply(update.effective_message, Reply("internal_after", kind="error"), lang)
            except TelegramError:
                pass

    # -- outgoing ------------------------------------------------------------------------------

    async def _call(self, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """Call the Bot API, waiting out `retry_after` on 429 (twice at most)."""
        migrated = False
        for attempt in range(3):
            try:
                return await fn(*args, **kwargs)
            except ChatMigrated as exc:  # the group became a supergroup: same chat, new id
                if migrated or "chat_id" not in kwargs:
                    raise
                migrated = True
                kwargs["chat_id"] = exc.new_chat_id
            except RetryAfter as exc:
                seconds = _retry_seconds(exc)
                if attempt == 2 or seconds > MAX_RETRY_AFTER:
                    raise
                log.info("telegram: flood control, waiting %.1f s", seconds)
                await asyncio.sleep(seconds)
        raise AssertionError("unreachable")

    @asynccontextmanager
    async def _publishing(self, chat_id: int | None) -> AsyncIterator[None]:
        """Mark a handler at work in `chat_id`: a job it queues can report (start, even fail) before the
        handler has posted the job's status message, and `on_notice` waits for that message."""
        if chat_id is None:
            yield
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._in_flight.setdefault(chat_id, set()).add(done)
        try:
            yield
        finally:
            done.set_result(None)
            waiting = self._in_flight.get(chat_id)
            if waiting is not None:
                waiting.discard(done)
                if not waiting:
                    del self._in_flight[chat_id]

    async def _reply(self, msg: Message, reply: Reply, lang: str, *, quote: bool = True) -> Message | None:
        thread = msg.message_thread_id if msg.is_topic_message else None
        return await self._send(msg.chat.id, reply, lang, reply_to=msg.message_id if quote else None,
                                thread_id=thread)

    async def _answer(self, msg: Message, ctx: Context, reply: Reply, *, quote: bool = True) -> Message | None:
        """Answer `msg`. Telegram has no "only you can see this", so in a group an answer meant only for
        the asker (a link code, a balance) goes to their private chat; if the bot may not write there
        yet, the group is told how to open one, never the answer itself."""
        if not reply.ephemeral or msg.chat.type == ChatType.PRIVATE or msg.from_user is None:
            return await self._reply(msg, reply, ctx.lang, quote=quote)
        sent = await self._send_privately(msg.from_user.id, reply, ctx.lang)
        if sent is not None:
            return sent
        hint = Reply("open_private_chat", {"bot": self.username})
        return await self._reply(msg, hint, ctx.lang, quote=True)

    async def _send_privately(self, user_id: int, reply: Reply, lang: str) -> Message | None:
        """Send to the member's private chat; None when they have not opened one with the bot."""
        try:
            return await self._send(user_id, reply, lang)
        except (Forbidden, BadRequest) as exc:
            log.info("telegram: no private chat with %s: %s", user_id, exc)
            return None

    async def _send(
        self, chat_id: int, reply: Reply, lang: str, *, reply_to: int | None = None, thread_id: int | None = None
    ) -> Message | None:
        if reply.kind == "invoice":
            for pack in reply.payload.get("packs", []):
                title = messages.render(Reply("buy_title", {"credits": pack["credits"]}), lang)[:32]
                about = messages.render(Reply("buy_description", {"credits": pack["credits"]}), lang)[:255]
                await self._call(
                    self.app.bot.send_invoice, chat_id=chat_id, title=title,
                    description=about, payload=f"pack:{pack['credits']}:{pack['price']}",
                    currency=STARS, prices=[LabeledPrice(title, int(pack["price"]))],
                    message_thread_id=thread_id,
                )
            return None
        params = ReplyParameters(message_id=reply_to, allow_sending_without_reply=True) if reply_to else None
        try:
            sent = await self._call(
                self.app.bot.send_message, chat_id=chat_id, text=render(fit(said(reply, lang), TEXT_LIMIT)),
                parse_mode=ParseMode.HTML, reply_markup=keyboard(reply, lang), reply_parameters=params,
                message_thread_id=thread_id,
            )
        except BaseException:
            if reply.job_id and reply.kind == "queued":
                await self.core.status_posted(reply.job_id, None)
            raise
        if reply.job_id and reply.kind in ("queued", "started", "progress"):
            await self._remember_status(reply.job_id, chat_id, sent.message_id)
        return sent

    async def _edit(self, chat_id: int, message_id: int, reply: Reply, lang: str) -> bool:
        try:
            await self._call(
                self.app.bot.edit_message_text, text=render(fit(said(reply, lang), TEXT_LIMIT)), chat_id=chat_id,
                message_id=message_id, parse_mode=ParseMode.HTML, reply_markup=keyboard(reply, lang),
            )
            return True
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return True
            log.info("telegram: could not edit %s/%s: %s", chat_id, message_id, exc)
            return False

    async def _remember_status(self, job_id: str, chat_id: int, message_id: int) -> None:
        await self.core.status_posted(job_id, PostRef(PLATFORM, str(chat_id), str(message_id)))

    async def on_notice(self, notice: Notice) -> None:
        """Job updates from the core (held by the core until the job's status post is out): edit the
        status message, post the clip."""
        job_id = notice.job_id
        lang = notice.lang
        chat_id = int(notice.origin["chat_id"])
        status = (int(notice.status.chat), int(notice.status.message)) if notice.status is not None else None
        if notice.kind in ("started", "progress"):
            now = time.monotonic()
            last = self._last_edit.get(job_id)
            if notice.kind == "progress" and last is not None and now - last < self.progress_interval:
                return
            self._last_edit[job_id] = now
            if status is not None:
                try:
                    await self._edit(status[0], status[1], notice.reply, lang)
                except RetryAfter:
                    pass  # progress is best effort; the final message is not
            return
        self._last_edit.pop(job_id, None)
        if notice.kind == "done" and notice.reply.clip is not None:
            try:
                await self._post_clip(chat_id, notice)
            except TelegramError as exc:
                # the clip is saved and paid for: say so, and the next start posts it again (core.redeliver)
                log.error("telegram: clip of job %s not posted: %s", job_id, exc)
                if status is not None:
                    await self._edit(status[0], status[1], Reply("clip_post_failed", kind="error"), lang)
                return
            if status is not None:
                try:
                    await self._call(self.app.bot.delete_message, chat_id=status[0], message_id=status[1])
                except (BadRequest, Forbidden) as exc:  # already deleted by a member or an admin
                    log.info("telegram: status message of job %s not deleted: %s", job_id, exc)
            return
        if status is not None and await self._edit(status[0], status[1], notice.reply, lang):
            return
        await self._send(chat_id, notice.reply, lang, reply_to=notice.origin.get("message_id"),
                         thread_id=notice.origin.get("thread_id"))

    async def _post_clip(self, chat_id: int, notice: Notice) -> None:
        reply = notice.reply
        lang = notice.lang
        clip = reply.clip
        assert clip is not None
        params = None
        if notice.origin.get("message_id"):
            params = ReplyParameters(message_id=int(notice.origin["message_id"]), allow_sending_without_reply=True)
        thumb = None
        if clip.poster is not None and clip.poster.exists():
            thumb = await asyncio.to_thread(thumbnail, clip.poster)
        for i, path in enumerate([clip.path, *clip.extra_paths]):
            # a local-mode server reads the file itself; otherwise upload it (read off the event loop)
            video: Any = path if self.self_hosted else await asyncio.to_thread(path.read_bytes)
            send = {
                "chat_id": chat_id, "video": video, "filename": path.name, "duration": int(round(clip.seconds)),
                "width": clip.width, "height": clip.height, "supports_streaming": True,
                "reply_markup": keyboard(reply, lang) if i == 0 else None, "reply_parameters": params,
                "message_thread_id": notice.origin.get("thread_id"), "read_timeout": 120, "write_timeout": 120,
            }
            try:
                sent = await self._call(self.app.bot.send_video, caption=render(fit(said(reply, lang), CAPTION_LIMIT)),
                                        parse_mode=ParseMode.HTML, thumbnail=thumb if i == 0 else None, **send)
            except BadRequest as exc:
                # a caption or thumbnail Telegram would not take must not cost the member the clip
                log.warning("telegram: clip %s refused (%s); posting it plain", clip.job_id, exc)
                sent = await self._call(self.app.bot.send_video,
                                        caption=fit(plain(said(reply, lang)), CAPTION_LIMIT), **send)
            await self.core.clip_posted(clip.job_id, PostRef(PLATFORM, str(chat_id), str(sent.message_id)))

    async def _delete_posts(self, reply: Reply, lang: str) -> None:
        for post in await self.core.posts_of(reply.job_id or ""):
            platform, chat, message = post.platform, post.chat, post.message
            if platform != PLATFORM:
                continue
            try:
                await self._call(self.app.bot.delete_message, chat_id=int(chat), message_id=int(message))
            except (BadRequest, Forbidden) as exc:
                # bots may delete only messages younger than 48 h: at least take the caption and buttons off
                log.info("telegram: could not delete %s/%s: %s", chat, message, exc)
                try:
                    await self._call(self.app.bot.edit_message_caption, chat_id=int(chat), message_id=int(message),
                                     caption=plain(said(reply, lang)), reply_markup=None)
                except TelegramError as exc2:
                    log.info("telegram: could not blank %s/%s either: %s", chat, message, exc2)


class _ErrorContext:
    """What `on_error` reads from PTB's context, for errors raised outside PTB's handlers."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def _parse_payload(payload: str) -> tuple[int, int] | None:
    """`pack:<credits>:<stars>` -> (credits, stars); None for anything else."""
    m = re.fullmatch(r"pack:(\d{1,9}):(\d{1,9})", payload or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


__all__ = ["TelegramAdapter", "render", "COMMANDS"]
