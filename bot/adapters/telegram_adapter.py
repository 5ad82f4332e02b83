"""Telegram channel: python-telegram-bot (v22) updates -> Context, attachments and button data -> the core
(through bot/adapters/base.py), and the base's primitives (send, edit, delete, post a clip, send
privately) as Bot API calls.

Translation only: which messages are addressed to the bot and which Bot API call says what. Every rule is
in the core; rendering is in telegram_render, files in telegram_files, Stars in telegram_payments, flood
control and update order in telegram_transport.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from telegram import Message, MessageEntity, ReactionTypeEmoji, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    MessageReactionHandler,
    PreCheckoutQueryHandler,
    filters,
)

from bot.adapters.base import PROGRESS_EDIT_INTERVAL, ChannelAdapter, Outgoing, Place, Where
from bot.adapters.telegram_files import (
    CLOUD_DOWNLOAD_LIMIT,
    CLOUD_UPLOAD_LIMIT,
    LOCAL_FILE_LIMIT,
    attachment,
    quoting,
    upload_clip,
)
from bot.adapters.telegram_payments import StarsPayments
from bot.adapters.telegram_posts import delivery_failure, find_clip_posts
from bot.adapters.telegram_render import command_menus, html_text, keyboard, plain, toast
from bot.adapters.telegram_transport import Albums, PerChatUpdates, TelegramLimiter
from bot.commands import find
from bot.core import Core, detect_lang
from bot.errors import DeliveryFailed
from bot.replies import INVOICE, Context, Notice, PostRef
from bot.settings import Settings

log = logging.getLogger(__name__)

PLATFORM = "telegram"
#: how long to wait for the rest of a media group (albums arrive as one update per item)
MEDIA_GROUP_WAIT = 1.0
#: how long stop() lets albums already handed to the core finish
ALBUM_DRAIN_S = 10.0


class TelegramAdapter(ChannelAdapter):
    """One Telegram bot. `start()` begins long polling inside the running event loop."""

    platform = PLATFORM
    delivery_errors = (TelegramError,)

    def __init__(
        self,
        core: Core,
        settings: Settings,
        *,
        poll_timeout: int = 30,
        progress_interval: float = PROGRESS_EDIT_INTERVAL,
    ) -> None:
        assert settings.telegram_token is not None
        super().__init__(core, progress_interval=progress_interval)
        self.settings = settings
        self.poll_timeout = poll_timeout
        root = settings.telegram_api_url.rstrip("/")
        # only a self-hosted Bot API server started with --local lifts the 20 MB / 50 MB file limits
        self.self_hosted = settings.telegram_local_mode
        self.download_limit = LOCAL_FILE_LIMIT if self.self_hosted else CLOUD_DOWNLOAD_LIMIT
        self.upload_limit = LOCAL_FILE_LIMIT if self.self_hosted else CLOUD_UPLOAD_LIMIT
        self.limiter = TelegramLimiter()
        self.app = (
            Application.builder()
            .token(settings.telegram_token.get_secret_value())
            .base_url(f"{root}/bot")
            .base_file_url(f"{root}/file/bot")
            .local_mode(self.self_hosted)
            .rate_limiter(self.limiter)
            .concurrent_updates(PerChatUpdates())
            .build()
        )
        self.payments = StarsPayments(self, settings.star_packs())
        core.register_payments(PLATFORM, self.payments)
        self.albums = Albums(self._album, MEDIA_GROUP_WAIT)
        self._newest: dict[str, int] = {}  # chat -> the newest message id seen there (an upload's anchor)
        self._add_handlers()

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect, publish the command menus and start long polling."""
        await self.app.initialize()
        self.bot_name = self.app.bot.username or ""
        await self._register_commands()
        await self.app.start()
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            poll_interval=0.0,
            timeout=self.poll_timeout,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )
        log.info("telegram: polling as @%s", self.bot_name)

    async def stop(self) -> None:
        """Stop polling after the updates (and albums) already in hand are handled."""
        await self.albums.drain(ALBUM_DRAIN_S)  # albums already handed to the core finish, as updates do
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()

    async def _register_commands(self) -> None:
        bot = self.app.bot
        for commands, where in command_menus(self.settings.admins):
            try:
                await bot.set_my_commands(commands, **where)
            except TelegramError as exc:  # e.g. an admin who never opened a chat with the bot
                log.warning("telegram: command menu %s not set: %s", where or "default", exc)

    def _add_handlers(self) -> None:
        app = self.app
        # pre-checkout queries must be answered within 10 s and button presses expire: neither may wait
        # behind a slow download or a flood-control pause of another update
        app.add_handler(PreCheckoutQueryHandler(self.payments.on_pre_checkout, block=False))
        app.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, self.payments.on_payment))
        app.add_handler(CallbackQueryHandler(self.on_callback, block=False))
        app.add_handler(MessageReactionHandler(self.on_reaction))
        app.add_handler(
            MessageHandler(filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL, self.on_message)
        )
        app.add_error_handler(self.on_error)

    # -- incoming ------------------------------------------------------------------------------

    def incoming(
        self, update: Update, msg: Message | None, sample: str | None = None
    ) -> tuple[Context, Where]:
        """Who is asking (Context) and where to answer (Where) for an update about `msg`."""
        user, chat = update.effective_user, update.effective_chat
        if msg is not None:
            chat = msg.chat
        assert user is not None and chat is not None
        if msg is not None:
            self._seen(str(chat.id), msg.message_id)
        where = Where(
            chat=str(chat.id),
            user=str(user.id),
            message=str(msg.message_id) if msg is not None else None,
            # a forum topic: answers stay in it
            thread=str(msg.message_thread_id) if msg is not None and msg.is_topic_message else None,
            private=chat.type == ChatType.PRIVATE,
        )
        ctx = Context(
            user=f"{PLATFORM}:{user.id}",
            lang=detect_lang(sample, user.language_code),
            display_name=("@" + user.username) if user.username else user.full_name,
            origin=self.origin(where),
            max_upload_bytes=self.upload_limit,
            max_download_bytes=self.download_limit,
        )
        return ctx, where

    def _addressed(self, msg: Message) -> bool:
        """In a private chat everything is for us; in groups only our commands, mentions and replies to us.
        A bare `/command` in a group counts only if it is one of ours: other bots there have theirs."""
        if msg.chat.type == ChatType.PRIVATE:
            return True
        body = msg.text or msg.caption or ""
        if body.startswith("/"):
            name, _, target = body.split(None, 1)[0][1:].partition("@")
            if target:
                return target.lower() == self.bot_name.lower()
            return find(name) is not None
        uname = f"@{self.bot_name}".lower()
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
            self.albums.add(update, msg)
            return
        if not self._addressed(msg):
            return
        await self._handle_messages(update, [msg])

    async def _album(self, update: Update, items: list[Message]) -> None:
        if not any(self._addressed(m) for m in items):
            return
        try:
            await self._handle_messages(update, items)
        except Exception as exc:  # outside PTB's handlers, so its error handler never sees this one
            ctx, where = self.incoming(update, items[0])
            await self.failed(where, ctx.lang, exc)

    async def _handle_messages(self, update: Update, msgs: list[Message]) -> None:
        first = msgs[0]
        body = next((m.text or m.caption for m in msgs if m.text or m.caption), "") or ""
        ctx, where = self.incoming(update, first, body)
        reply_to = None
        if first.reply_to_message is not None:
            reply_to = PostRef(PLATFORM, str(first.chat.id), str(first.reply_to_message.message_id))
        attachments = [a for m in msgs if (a := attachment(self.app.bot, m)) is not None]
        await self.message_in(ctx, where, body, attachments, reply_to)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.from_user is None:
            return
        msg = query.message if isinstance(query.message, Message) else None
        ctx, where = self.incoming(update, msg)

        async def acknowledge(out: Outgoing | None, alert: bool) -> None:
            # a press answered too late ("query is too old") is not an error
            try:
                await query.answer(toast(out.text) if out is not None else None, show_alert=alert)
            except BadRequest as exc:
                log.info("telegram: callback answer failed: %s", exc)

        await self.press_in(ctx, where, query.data or "", acknowledge)

    async def on_reaction(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        mr = update.message_reaction
        if mr is None or mr.user is None or mr.user.is_bot:
            return  # anonymous (channel / anonymous admin) reactions cannot be charged to anyone
        old = {r.emoji for r in mr.old_reaction if isinstance(r, ReactionTypeEmoji)}
        added = [r.emoji for r in mr.new_reaction if isinstance(r, ReactionTypeEmoji) and r.emoji not in old]
        if not added:
            return
        ctx, where = self.incoming(update, None)
        where = replace(where, message=str(mr.message_id))  # a job it starts answers the clip it came from
        ctx.origin = self.origin(where)
        post = PostRef(PLATFORM, str(mr.chat.id), str(mr.message_id))
        for emoji in added:
            await self.reaction_in(ctx, where, emoji, post)

    async def on_error(self, update: object, context: Any) -> None:
        if isinstance(update, Update) and update.effective_message is not None:
            ctx, where = self.incoming(update, update.effective_message)
            await self.failed(where, ctx.lang, context.error)
        else:
            log.error("telegram: handler error: %s", context.error, exc_info=context.error)

    # -- the base's primitives -------------------------------------------------------------------

    def _post(self, sent: Message) -> PostRef:
        self._seen(str(sent.chat.id), sent.message_id)
        return PostRef(PLATFORM, str(sent.chat.id), str(sent.message_id))

    def _seen(self, chat: str, message_id: int) -> None:
        if message_id > self._newest.get(chat, 0):
            self._newest[chat] = message_id

    # -- what the posting rule asks (bot/posting.py; telegram_posts says how) --------------------------

    def delivery_failure(self, exc: BaseException) -> DeliveryFailed:
        return delivery_failure(exc)

    def anchor(self, origin: dict[str, Any]) -> str | None:
        """The newest message id seen in the origin's chat (ids there only grow), else the request's."""
        newest = self._newest.get(str(origin.get("chat_id")))
        return str(newest) if newest else super().anchor(origin)

    async def find_posted(self, notice: Notice, anchor: str | None) -> list[PostRef] | None:
        """The clip posts an interrupted upload left in the chat, found by a no-op caption edit per message
        id after `anchor` (telegram_posts.find_clip_posts); None without an anchor."""
        clip = notice.reply.clip
        if anchor is None or not anchor.isdigit() or clip is None:
            return None
        chat = str(notice.origin["chat_id"])
        chat_id = self.limiter.migrated.get(int(chat), int(chat))

        async def known(message_id: int) -> bool:
            return await self.core.job_for_post(PostRef(PLATFORM, str(chat_id), str(message_id))) is not None

        out = Outgoing(notice.reply, notice.lang)
        ids = await find_clip_posts(
            self.app.bot,
            chat_id,
            notice.reply,
            out.text,
            notice.lang,
            int(anchor),
            1 + len(clip.extra_paths),
            known,
        )
        return [PostRef(PLATFORM, str(chat_id), str(i)) for i in ids]

    async def send(self, place: Place, out: Outgoing) -> PostRef | None:
        """sendMessage (HTML, fitted to 4096 UTF-16 units, with its keyboard); invoices for an invoice reply."""
        if out.reply.kind == INVOICE:
            return await self.payments.send_invoices(place, out)
        sent = await self.app.bot.send_message(
            chat_id=int(place.chat),
            text=html_text(out.text),
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(out.reply.buttons, out.lang),
            **quoting(place.reply_to, place.thread),
        )
        return self._post(sent)

    async def edit(self, post: PostRef, out: Outgoing) -> bool:
        """editMessageText; an edit that changes nothing counts as done."""
        try:
            await self.app.bot.edit_message_text(
                text=html_text(out.text),
                chat_id=int(post.chat),
                message_id=int(post.message),
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(out.reply.buttons, out.lang),
            )
            return True
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return True
            log.info("telegram: could not edit %s/%s: %s", post.chat, post.message, exc)
            return False

    async def delete(self, post: PostRef) -> bool:
        """deleteMessage; False when Telegram will not (gone already, or older than 48 hours)."""
        try:
            await self.app.bot.delete_message(chat_id=int(post.chat), message_id=int(post.message))
            return True
        except (BadRequest, Forbidden) as exc:
            log.info("telegram: could not delete %s/%s: %s", post.chat, post.message, exc)
            return False

    async def strip(self, post: PostRef, out: Outgoing) -> bool:
        """Bots may delete only messages younger than 48 h: take the caption and buttons off instead."""
        try:
            await self.app.bot.edit_message_caption(
                chat_id=int(post.chat),
                message_id=int(post.message),
                caption=plain(out.text),
                reply_markup=None,
            )
            return True
        except TelegramError as exc:
            log.info("telegram: could not blank %s/%s either: %s", post.chat, post.message, exc)
            return False

    async def send_private(self, user: str, out: Outgoing) -> PostRef | None:
        """The member's private chat with the bot; None when they have not opened one (or blocked it)."""
        try:
            return await self.send(Place(user), out)
        except (Forbidden, BadRequest) as exc:
            log.info("telegram: no private chat with %s: %s", user, exc)
            return None

    async def post_clip(self, place: Place, out: Outgoing) -> AsyncIterator[PostRef]:
        """sendVideo per variation (telegram_files.upload_clip)."""
        where = quoting(place.reply_to, place.thread)
        clips = upload_clip(
            self.app.bot, int(place.chat), out.reply, out.text, out.lang, where, local_mode=self.self_hosted
        )
        async for sent in clips:
            yield self._post(sent)


__all__ = ["TelegramAdapter", "PLATFORM", "command_menus"]  # command_menus: telegram_render's, re-exported
