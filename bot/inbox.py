"""A member's message on its way in: the per-member message window, one answer per flood of refusals, the
message's identity (a platform may deliver it twice), its attachments and the clip it replies to, then its
text read as a registry command (admin ones too) or through the parser.

It decides no use case (the core's entry points and bot/routing.py do) and builds no display text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.commands import args_from_text, find
from bot.errors import BotError, RateLimited, UnknownCommand, error_reply, failure_reply
from bot.intake import take_attachments
from bot.limits import MovingWindow, RefusalGate, whole_seconds
from bot.replies import ERROR, Attachment, Context, PostRef, Reply
from bot.role_plans import follow_roles

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

_LEADING_MENTION = re.compile(r"^@(\w+)\s+")
#: messages (of any kind) one member may send per window before being asked to slow down
MESSAGES_PER_WINDOW = 15
MESSAGE_WINDOW_S = 10.0


class Inbox:
    """Reads members' messages for `core` and hands each to its command or request entry point."""

    def __init__(self, core: Core) -> None:
        self._core = core
        # every message a member sends, commands and refusals included, counts here (generation has its own)
        self.messages = MovingWindow(MESSAGES_PER_WINDOW, MESSAGE_WINDOW_S)
        self.refusals = RefusalGate()

    async def message(
        self,
        ctx: Context,
        body: str,
        attachments: Sequence[Attachment] = (),
        reply_to: PostRef | None = None,
        *,
        bot_names: tuple[str, ...] = (),
    ) -> Reply | None:
        """A member's message: attachments checked and fetched, the clip it replies to found, then the
        text handled as a command or a request (`text`). None: nothing to answer (also a refusal the chat
        has heard already: a flood gets one answer, bot/limits.RefusalGate)."""
        core = self._core
        signature = (body, tuple((a.kind, a.name, a.size) for a in attachments))
        message = ctx.origin.get("message_id")
        if message:  # the message's identity: a platform may deliver it twice
            chat = ctx.origin.get("chat_id", ctx.origin.get("chat", ""))
            ctx.origin = {**ctx.origin, "request": f"{ctx.platform}:{chat}:{message}"}
        wait = self.messages.hit(ctx.user)
        if wait:
            return self.gated(ctx, signature, error_reply(RateLimited(whole_seconds(wait))))
        try:
            await take_attachments(
                ctx, attachments, core.settings.data_dir / "uploads" / (ctx.platform or "any")
            )
            if reply_to is not None:
                ctx.reply_to_job = await core.delivery.job_for_post(reply_to) or ctx.reply_to_job
            if not body and not ctx.images and not ctx.videos:
                raise BotError("unsupported_message")
        except BotError as exc:
            return self.gated(ctx, signature, error_reply(exc))
        return self.gated(ctx, signature, await self.text(ctx, body, bot_names=bot_names))

    def gated(self, ctx: Context, signature: object, reply: Reply) -> Reply | None:
        """`reply`, unless it is a refusal this chat has just heard (then None: nothing is sent)."""
        if reply.kind != ERROR:
            return reply
        chat = (ctx.platform, str(ctx.origin.get("chat_id", ctx.origin.get("chat", ""))))
        wait = float(reply.params.get("seconds") or 0) if reply.key == "rate_limited" else 0.0
        if self.refusals.allow(chat, ctx.user, reply.key, signature, wait_s=wait):
            return reply
        log.info("refusal %s to %s in %s:%s not repeated", reply.key, ctx.user, *chat)
        return None

    async def text(self, ctx: Context, raw: str, *, bot_names: tuple[str, ...] = ()) -> Reply:
        """Text (with the context's attachments): a slash command through the registry (admin ones too),
        anything else through the parser. Returns the use case's Reply (an error Reply on failure)."""
        from bot.parse import MAX_PROMPT_CHARS, parse

        core = self._core
        stripped = raw.strip()
        mention = _LEADING_MENTION.match(stripped)
        if mention and mention[1].lower() in {n.lower() for n in bot_names}:
            stripped = stripped[mention.end() :]
        if stripped.startswith("/"):
            head, _, rest = stripped.partition(" ")
            cmd = find(head)
            if cmd is None:
                return error_reply(UnknownCommand())
            if not cmd.generative:  # generative ones are read by the parser, words and all
                return await core.command(ctx, cmd.name, args_from_text(cmd, rest.strip()))  # follows roles
        await follow_roles(core.svc, ctx)
        try:
            req = parse(
                raw,
                images=len(ctx.images),
                videos=len(ctx.videos),
                reply=ctx.reply_to_job is not None,
                bot_names=bot_names,
            )
        except Exception as exc:  # ParseError: the member's text, said back as a clear refusal
            return failure_reply(ctx.user, exc, length=len(raw), limit=MAX_PROMPT_CHARS)
        reply = await core.handle(ctx, req)
        if req.ignored and reply.kind in ("queued", "confirm", "offer"):
            reply.params["ignored"] = list(req.ignored)
        return reply
