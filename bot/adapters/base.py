"""What every channel does the same way, written once: answering a member (and where an answer only for
them goes), button presses, reactions, errors, and a job's life on screen (its status post, throttled
progress edits paced by bot/adapters/status_edits.py, posting the clip then removing the status, the
fallback when a post fails).

A channel subclasses ChannelAdapter, turns its platform's events into calls of `message_in` / `press_in` /
`reaction_in`, and implements a few primitives (send, edit, delete, post_clip, send_private). The values
passed around (Where, Place, Outgoing) are bot/adapters/outgoing.py, re-exported here. No rule of
the bot lives here (the core decides), no wording (bot/messages.py), and nothing of any one platform.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from bot import buttons as codec
from bot.adapters.outgoing import Outgoing, Place, PressAnswer, Where
from bot.adapters.status_edits import PROGRESS_EDIT_INTERVAL, StatusEdits
from bot.errors import DeliveryFailed
from bot.posting import gives_up_at_once
from bot.replies import (
    DELETED,
    DONE,
    ERROR,
    QUEUED,
    STATUS_KINDS,
    Attachment,
    Context,
    Notice,
    PostRef,
    Reply,
)

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

#: a press of these turns the confirm / offer post it sits on into the outcome, so it cannot be tapped twice
_IN_PLACE = frozenset({"confirm", "accept", "dismiss"})


class ChannelAdapter(ABC):
    """One chat channel over a platform. Subclasses set `platform` and `delivery_errors`, implement the
    primitives, and may override the hooks (`send_ephemeral`, `strip`, `actor`, `private_chat_hint`)."""

    #: the platform name in user ids and post references ("telegram", "discord", "web")
    platform: str = ""
    #: what the primitives raise when the platform refuses or cannot be reached
    delivery_errors: tuple[type[BaseException], ...] = (OSError,)

    def __init__(self, core: Core, *, progress_interval: float = PROGRESS_EDIT_INTERVAL) -> None:
        self.core = core
        self.bot_name = ""  # how members find the bot (Telegram: its @username), for the private-chat hint
        self._status = StatusEdits(self._show_progress, progress_interval)
        # one clip upload at a time per chat: at a crash at most one upload per chat is in doubt, so the
        # posting rule can ask the platform about it (find_posted) without mistaking another clip for it
        self._uploads: dict[str, asyncio.Lock] = {}
        # the core holds a job's notices until `status_posted` says where its status post is
        core.subscribe(self.platform, self.on_notice, wait_for_status=True, checker=self)

    @property
    def name(self) -> str:
        return self.platform

    @property
    def progress_interval(self) -> float:
        """Seconds between two progress edits of one status post."""
        return self._status.interval

    # -- primitives: what a platform must do -------------------------------------------------------

    @abstractmethod
    async def send(self, place: Place, out: Outgoing) -> PostRef | None:
        """Post `out` at `place`; its PostRef, or None when nothing to edit later was posted. Raises one of
        `delivery_errors` when the platform refuses."""

    @abstractmethod
    async def edit(self, post: PostRef, out: Outgoing) -> bool:
        """Make `post` show `out` (buttons included; none: buttons removed). False when it cannot be edited
        (gone, too old, not ours); raises `delivery_errors` when the platform asks to slow down."""

    @abstractmethod
    async def delete(self, post: PostRef) -> bool:
        """Take `post` down; False when the platform will not (gone already, too old)."""

    @abstractmethod
    def post_clip(self, place: Place, out: Outgoing) -> AsyncIterator[PostRef]:
        """Upload the clip of `out.reply` (its variations too) with its caption and buttons, yielding each
        post as it is out. Raises `delivery_errors` when one cannot be posted."""

    @abstractmethod
    async def send_private(self, user: str, out: Outgoing) -> PostRef | None:
        """Send `out` where only `user` sees it (a DM); None when the platform will not let us yet."""

    # -- hooks ------------------------------------------------------------------------------------------

    async def send_ephemeral(self, where: Where, out: Outgoing) -> bool:
        """Show `out` to the asker only, in place (Discord's ephemeral interaction replies). False: the
        platform has no such thing here, and the answer goes to a private chat instead."""
        return False

    async def strip(self, post: PostRef, out: Outgoing) -> bool:
        """Take what a post shows off it when it cannot be deleted (e.g. a caption and buttons)."""
        return False

    def actor(self, ctx: Context, where: Where) -> str | None:
        """Who an answer to a tap or a reaction names: in a shared chat the member, so others see whose it
        was; None in a private chat (or a channel where each member's chat is their own)."""
        return None if where.private else ctx.display_name

    def private_chat_hint(self) -> Reply:
        """Told to a group when an answer only for the asker cannot reach them privately."""
        return Reply("open_private_chat", {"bot": self.bot_name}, kind="info")

    def delivery_failure(self, exc: BaseException) -> DeliveryFailed:
        """What a delivery error of the platform means for the posting rule (bot/posting.py): wait how
        long, never (permanent), or maybe it went through (uncertain). Default: try again soon."""
        return DeliveryFailed(type(exc).__name__)

    # -- what the posting rule asks (bot/posting.PostChecker) -----------------------------------------

    def anchor(self, origin: dict[str, Any]) -> str | None:
        """The newest message id known in the chat of `origin` before an upload (default: the request)."""
        message = origin.get("message_id")
        return str(message) if message else None

    async def find_posted(self, notice: Notice, anchor: str | None) -> list[PostRef] | None:
        """The posts of `notice`'s clip that the platform took after `anchor`; None: this platform
        cannot tell (then the rule never posts it again: no second copy)."""
        return None

    async def clear_status(self, status: PostRef) -> None:
        """A job's status post, once its clip is known to be out."""
        await self.delete(status)

    # -- events in ----------------------------------------------------------------------------------

    def origin(self, where: Where) -> dict[str, Any]:
        """The origin a job keeps so its notices find their way back (also after a restart). `private`:
        asked in a one-to-one chat, so its clip stays out of the shared feed until its author shares it."""
        return {
            "platform": self.platform,
            "chat_id": where.chat,
            "message_id": where.message,
            "thread_id": where.thread,
            "private": where.private,
            "user": where.user,  # the member's own id here: a word only for them can go privately
        }

    async def message_in(
        self, ctx: Context, where: Where, body: str, attachments: list[Attachment], reply_to: PostRef | None
    ) -> Reply | None:
        """A member's message addressed to the bot: the core decides, the answer goes back. Returns the
        core's answer (None: nothing to answer), for a channel that also hands it back to its caller."""
        names = (self.bot_name,) if self.bot_name else ()
        reply = await self.core.handle_message(ctx, body, attachments, reply_to, bot_names=names)
        if reply is not None:
            await self.answer(ctx, where, reply)
        return reply

    async def press_in(self, ctx: Context, where: Where, data: str, acknowledge: PressAnswer) -> None:
        """A button press (`data` as the platform carried it back) on the post `where.message`."""
        reply = await self.core.press(ctx, data)
        out = Outgoing(reply, ctx.lang)
        pressed = PostRef(self.platform, where.chat, where.message) if where.message else None
        button = codec.decode(data)
        refused = reply.ephemeral and reply.kind == ERROR  # not this member's button, or a dead one
        if pressed is not None and button is not None and button.action in _IN_PLACE and not refused:
            await acknowledge(None, False)
            edited = False
            try:
                edited = await self.edit(pressed, out)
            finally:  # the confirm post is now the job's status post
                await self._released(reply, pressed if edited else None)
            return
        if reply.kind == DELETED:
            await acknowledge(out, False)
            if reply.job_id:
                await self.take_down(reply.job_id, out)
            return
        if pressed is None or (not reply.buttons and reply.kind != QUEUED):
            # nothing worth keeping in the chat (a hint, a refusal, "cancelling"): said briefly to the presser
            await acknowledge(out, reply.kind == ERROR)
            return
        await acknowledge(None, False)
        await self.answer(ctx, where, reply, quote=False, actor=self.actor(ctx, where))

    async def reaction_in(self, ctx: Context, where: Where, emoji: str, post: PostRef) -> None:
        """A member added `emoji` to `post`. A reaction has no reply of its own: an answer only for them
        goes privately if it can, else nowhere; the rest is said in the chat, naming them."""
        reply = await self.core.react(ctx, emoji, post)
        if reply is None:
            return
        if reply.ephemeral and not where.private:
            await self._privately(where.user, Outgoing(reply, ctx.lang))
            return
        out = Outgoing(reply, ctx.lang, self.actor(ctx, where))
        await self._deliver(Place(where.chat, post.message, where.thread), out)

    async def failed(self, where: Where, lang: str, exc: BaseException) -> None:
        """An event's handling failed: log it and tell the member, if the chat still takes messages."""
        log.error("%s: handler error: %s", self.platform, exc, exc_info=exc)
        try:
            await self.send(where.place(), Outgoing(Reply("internal_after", kind=ERROR), lang))
        except self.delivery_errors:
            pass

    # -- answers out ----------------------------------------------------------------------------------

    async def answer(
        self, ctx: Context, where: Where, reply: Reply, *, quote: bool = True, actor: str | None = None
    ) -> PostRef | None:
        """Answer the member at `where`. An answer only for them (a link code, a balance) is never shown to
        a shared chat: in place where the platform can, else privately, else the chat is told how to open
        a private chat with the bot."""
        out = Outgoing(reply, ctx.lang, actor)
        if not reply.ephemeral or where.private:
            return await self._deliver(where.place(quote=quote), out)
        try:
            if await self.send_ephemeral(where, out):
                return None
            sent = await self._privately(where.user, out)
            if sent is not None:
                return sent
            return await self.send(where.place(), Outgoing(self.private_chat_hint(), ctx.lang))
        finally:
            await self._released(reply, None)  # wherever it went, it is no status post to edit

    async def _deliver(self, place: Place, out: Outgoing) -> PostRef | None:
        post = None
        try:
            post = await self.send(place, out)
        finally:
            await self._released(out.reply, post)
        return post

    async def _released(self, reply: Reply, post: PostRef | None) -> None:
        """Tell the core where the status post of the job `reply` queued is (None: it has none), which
        lets the job's notices through (the core's delivery barrier)."""
        if reply.job_id and reply.kind in STATUS_KINDS:
            await self.core.status_posted(reply.job_id, post)

    async def _privately(self, user: str, out: Outgoing) -> PostRef | None:
        try:
            return await self.send_private(user, out)
        except self.delivery_errors as exc:
            log.info("%s: no private chat with %s: %s", self.platform, user, exc)
            return None

    async def take_down(self, job_id: str, out: Outgoing) -> None:
        """Delete every post of a job's clip on this platform; a post that may not be deleted any more is
        at least stripped of what it shows."""
        for post in await self.core.posts_of(job_id, "clip"):
            if post.platform != self.platform:
                continue
            try:
                if await self.delete(post) or await self.strip(post, out):
                    continue
            except self.delivery_errors as exc:
                log.info("%s: could not take down %s/%s: %s", self.platform, post.chat, post.message, exc)
                continue
            log.info("%s: post %s/%s of job %s stays up", self.platform, post.chat, post.message, job_id)

    # -- a job's life on screen ----------------------------------------------------------------------

    def place_of(self, origin: dict[str, Any]) -> Place:
        """Where a job's posts go: the chat it was asked in, quoting the request, in its thread."""
        message, thread = origin.get("message_id"), origin.get("thread_id")
        return Place(
            str(origin["chat_id"]), str(message) if message else None, str(thread) if thread else None
        )

    async def on_notice(self, notice: Notice) -> None:
        """A job moved (the core holds its notices until its status post is known): show it. A clip that
        cannot be posted raises DeliveryFailed (the core's posting rule decides what comes next)."""
        if notice.kind == QUEUED and notice.status is None:  # after a restart: a fresh status post
            post = await self.send(self.place_of(notice.origin), Outgoing(notice.reply, notice.lang))
            await self.core.status_posted(notice.job_id, post)
            return
        if notice.kind in STATUS_KINDS:
            await self._status.progress(notice)  # at most one edit per interval (status_edits.py)
            return
        async with self._status.final(notice.job_id):  # an edit still on its way lands before the final word
            await self._final(notice)

    async def _show_progress(self, notice: Notice) -> None:
        """Edit a status post to show a started / progress notice; best effort: a refusal is only logged."""
        assert notice.status is not None
        try:
            await self.edit(notice.status, Outgoing(notice.reply, notice.lang))
        except self.delivery_errors as exc:
            log.info("%s: progress of job %s not shown: %s", self.platform, notice.job_id, exc)

    async def _final(self, notice: Notice) -> None:
        out = Outgoing(notice.reply, notice.lang)
        status = notice.status
        if notice.kind == DONE and notice.reply.clip is not None:
            place = self.place_of(notice.origin)
            try:
                async with self._uploads.setdefault(place.chat, asyncio.Lock()):
                    async for post in self.post_clip(place, out):
                        await self.core.clip_posted(notice.job_id, post)
            except self.delivery_errors as exc:
                failure = self.delivery_failure(exc)
                log.warning("%s: clip of job %s not posted: %s", self.platform, notice.job_id, failure.reason)
                if status is not None and not gives_up_at_once(failure):
                    # saved, not charged; the core tries again in a few seconds (or gives up and says so)
                    await self._edit_quietly(
                        status, Outgoing(Reply("clip_post_failed", kind=ERROR), notice.lang)
                    )
                raise failure from exc
            if status is not None and not await self.delete(status):
                log.info("%s: status post of job %s not deleted", self.platform, notice.job_id)
            return
        # failed / cancelled: the status post says so, or a new post when there is none (or it is gone),
        # or privately when the chat takes nothing from us any more
        try:
            if status is not None and await self.edit(status, out):
                return
            await self.send(self.place_of(notice.origin), out)
        except self.delivery_errors:
            user = notice.origin.get("user")
            if not user or notice.origin.get("chat_id") == user:
                raise
            if await self._privately(str(user), out) is None:
                raise

    async def _edit_quietly(self, post: PostRef, out: Outgoing) -> None:
        try:
            await self.edit(post, out)
        except self.delivery_errors as exc:
            log.info("%s: could not edit %s/%s: %s", self.platform, post.chat, post.message, exc)
