"""What Discord sends the bot, turned into the core's terms: slash commands, message context menus, button
presses and forms (deferred at once, Discord allows 3 s), messages in DMs or that mention the bot or reply
to its posts, and reactions on any message (raw: cached or not; the core knows which are clips).

Translation only, on the adapter base: who asks (Context, with their roles as opaque ids), where to answer
(Where, with the interaction as its handle), and which core call it is. The primitives that answer are in
discord_adapter.py.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.base import ChannelAdapter, Outgoing, Where
from bot.adapters.discord_commands import CLIP_LINK, EXTEND
from bot.adapters.discord_files import DEFAULT_UPLOAD_LIMIT, attachment, message_attachments
from bot.adapters.discord_interactions import Exchange, InteractionPosts
from bot.adapters.discord_render import content, parse_message_link
from bot.adapters.discord_views import remix_form, storyboard_form
from bot.buttons import decode
from bot.commands import find
from bot.core import detect_lang
from bot.errors import BotError, NotAClip, error_reply
from bot.replies import Context, PostRef, Reply
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.adapters.discord_client import ReelClient

log = logging.getLogger(__name__)

PLATFORM = "discord"


class DiscordEvents(ChannelAdapter):
    """The events half of the Discord adapter (see the module docstring); DiscordAdapter completes it."""

    platform = PLATFORM
    settings: Settings
    client: ReelClient | None
    posts: InteractionPosts

    # -- who and where ----------------------------------------------------------------------------------

    def _context(
        self,
        user: discord.abc.User | discord.Object,
        where: Where,
        lang: str,
        guild_id: int | None,
        upload_limit: int,
    ) -> Context:
        """Who asks: `user` (a bare Object when Discord named only their id: a reaction in a DM), with
        their roles where they are a server member."""
        origin = self.origin(where)
        origin["guild_id"] = str(guild_id) if guild_id else None
        roles = [str(r.id) for r in user.roles] if isinstance(user, discord.Member) else None
        name = user.display_name if isinstance(user, discord.abc.User) else f"<@{user.id}>"
        return Context(
            user=f"{PLATFORM}:{user.id}",
            lang=lang,
            display_name=name,
            origin=origin,
            max_upload_bytes=upload_limit,
            max_download_bytes=upload_limit,
            roles=roles,
        )

    def _from_interaction(
        self, interaction: discord.Interaction[Any], ex: Exchange, sample: str | None = None
    ) -> tuple[Context, Where]:
        message = interaction.message
        where = Where(
            chat=str(interaction.channel_id),
            user=str(interaction.user.id),
            message=str(message.id) if message is not None else None,
            private=interaction.guild_id is None,
            handle=ex,
        )
        lang = detect_lang(sample, str(interaction.locale))
        return self._context(
            interaction.user, where, lang, interaction.guild_id, interaction.filesize_limit
        ), where

    def _lang(self, interaction: discord.Interaction[Any]) -> str:
        return detect_lang(None, str(interaction.locale))

    def _upload_limit(self, chat: str) -> int:
        channel = self.client.get_channel(int(chat)) if self.client is not None else None
        guild = getattr(channel, "guild", None)
        return guild.filesize_limit if guild is not None else DEFAULT_UPLOAD_LIMIT

    # -- events in: interactions -------------------------------------------------------------------------

    async def on_command(
        self, interaction: discord.Interaction[Any], name: str, values: dict[str, Any]
    ) -> None:
        """A slash command: deferred at once, then handed to the core with its typed options."""
        lang = detect_lang(values.get("prompt"), str(interaction.locale))
        if name == "storyboard":  # its cards are asked in a form, which must be the first answer
            await interaction.response.send_modal(storyboard_form(values, lang, self._form_failed))
            return
        cmd = find("recut" if name == EXTEND else name)
        ex = Exchange(interaction)
        await ex.defer(ephemeral=cmd is None or not cmd.generative)
        ctx, where = self._from_interaction(interaction, ex, values.get("prompt"))
        try:
            files = [attachment(v) for v in values.values() if isinstance(v, discord.Attachment)]
            reply_to = self._clip_reference(values.get(CLIP_LINK), interaction)
            args = {
                k: v
                for k, v in values.items()
                if v is not None and k != CLIP_LINK and not isinstance(v, discord.Attachment)
            }
            if name == EXTEND:
                name, args["range"] = "recut", "extend"
            reply = await self.core.command(ctx, name, args, attachments=files, reply_to=reply_to)
        except BotError as exc:  # a clip link from elsewhere
            reply = error_reply(exc)
        try:
            await self.answer(ctx, where, reply)
        except Exception as exc:
            await self.failed(where, ctx.lang, exc)

    def _clip_reference(self, link: str | None, interaction: discord.Interaction[Any]) -> PostRef | None:
        """The clip post a `clip` option links to. Raises BotError for a link that is not a message of this
        server (clip_other_server) or not a message link at all (not_a_clip)."""
        if not link:
            return None
        parsed = parse_message_link(link)
        if parsed is None:
            raise NotAClip()
        guild, channel, message = parsed
        if guild != interaction.guild_id:
            raise BotError("clip_other_server", ephemeral=True)
        return PostRef(PLATFORM, str(channel), str(message))

    async def on_context_menu(
        self, interaction: discord.Interaction[Any], action: str, message: discord.Message
    ) -> None:
        """Remix / Loop / Extend clip from a message's Apps menu."""
        post = PostRef(PLATFORM, str(message.channel.id), str(message.id))
        lang = self._lang(interaction)
        if action == "remix":
            job = await self.core.job_for_post(post)  # one lookup: the form has to be the first answer
            if job is not None:
                await interaction.response.send_modal(remix_form(job, lang, self._form_failed))
                return
        ex = Exchange(interaction)
        await ex.defer(ephemeral=False)
        ctx, where = self._from_interaction(interaction, ex)
        reply = await self.core.act_on_post(ctx, action, post)
        try:
            await self.answer(ctx, where, reply)
        except Exception as exc:
            await self.failed(where, ctx.lang, exc)

    async def on_button(self, interaction: discord.Interaction[Any], data: str) -> None:
        """A button: Remix opens its form; anything else is acknowledged at once and goes to the core."""
        button = decode(data)
        if button is not None and button.action == "remix":
            await interaction.response.send_modal(
                remix_form(button.target, self._lang(interaction), self._form_failed)
            )
            return
        ex = Exchange(interaction)
        await ex.defer_update()
        ctx, where = self._from_interaction(interaction, ex)
        pressed = interaction.message
        if pressed is not None:  # this press's token is the freshest way to change the pressed post
            self.posts.add(
                PostRef(PLATFORM, where.chat, str(pressed.id)),
                interaction,
                None,
                ephemeral=pressed.flags.ephemeral,
            )

        async def acknowledge(out: Outgoing | None, alert: bool) -> None:
            if out is not None:
                await ex.answer(ephemeral=True, content=content(out.text))

        try:
            await self.press_in(ctx, where, data, acknowledge)
        except Exception as exc:
            await self.failed(where, ctx.lang, exc)

    async def on_form(self, interaction: discord.Interaction[Any], form: str, values: dict[str, Any]) -> None:
        """A submitted form: the remix prompt for its clip, or a storyboard's cards with its options."""
        ex = Exchange(interaction)
        await ex.defer(ephemeral=False)
        sample = values.get("prompt") or values.get("cards")
        ctx, where = self._from_interaction(interaction, ex, sample)
        try:
            if form == "remix":
                ctx.reply_to_job = str(values["job"])
                reply = await self.core.command(ctx, "remix", {"prompt": values["prompt"]})
            else:
                cards = "; ".join(
                    line.strip() for line in str(values.pop("cards")).splitlines() if line.strip()
                )
                args = {k: v for k, v in values.items() if v is not None}
                reply = await self.core.command(ctx, "storyboard", {**args, "cards": cards})
            await self.answer(ctx, where, reply)
        except Exception as exc:
            await self.failed(where, ctx.lang, exc)

    async def _form_failed(self, interaction: discord.Interaction[Any], error: Exception) -> None:
        await self._tree_failed(interaction, error)

    async def _tree_failed(self, interaction: discord.Interaction[Any], error: Exception) -> None:
        log.error("discord: interaction failed: %s", error, exc_info=error)
        out = Outgoing(Reply("internal_after", kind="error"), self._lang(interaction))
        try:
            if interaction.response.is_done():
                await interaction.followup.send(content(out.text), ephemeral=True)
            else:
                await interaction.response.send_message(content(out.text), ephemeral=True)
        except discord.HTTPException:
            pass

    # -- events in: messages and reactions ------------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """A message in a DM, one that mentions the bot (or its role), or a reply to one of its posts."""
        me = self.client.user if self.client is not None else None
        if me is None or message.author.bot or message.webhook_id is not None:
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return
        private = message.guild is None
        own_role = any(r.tags is not None and r.tags.bot_id == me.id for r in message.role_mentions)
        reference = message.reference
        resolved = reference.resolved if reference is not None else None
        to_us = isinstance(resolved, discord.Message) and resolved.author.id == me.id
        mentioned = own_role or any(u.id == me.id for u in message.mentions)
        if not (private or mentioned or to_us):
            return
        if not (private or mentioned) and self.client is not None and not self.client.intents.message_content:
            return  # Discord withholds the text of a reply that does not ping us: nothing to read
        body = re.sub(rf"<@!?{me.id}>|<@&\d+>", " ", message.content).strip()
        upload_limit = message.guild.filesize_limit if message.guild is not None else DEFAULT_UPLOAD_LIMIT
        where = Where(
            chat=str(message.channel.id),
            user=str(message.author.id),
            message=str(message.id),
            private=private,
        )
        ctx = self._context(
            message.author,
            where,
            detect_lang(body),
            message.guild.id if message.guild else None,
            upload_limit,
        )
        reply_to = None
        if reference is not None and reference.message_id is not None:
            reply_to = PostRef(
                PLATFORM, str(reference.channel_id or message.channel.id), str(reference.message_id)
            )
        try:
            await self.message_in(ctx, where, body, message_attachments(message), reply_to)
        except Exception as exc:
            await self.failed(where, ctx.lang, exc)

    async def on_reaction(self, payload: discord.RawReactionActionEvent) -> None:
        """A reaction on any message (raw: the message need not be cached); the core knows which are clips."""
        me = self.client.user if self.client is not None else None
        if me is None or payload.user_id == me.id or (payload.member is not None and payload.member.bot):
            return
        emoji = payload.emoji.name if payload.emoji.id is None else str(payload.emoji)
        guild = self.client.get_guild(payload.guild_id) if self.client and payload.guild_id else None
        user: discord.abc.User | discord.Object | None = payload.member or (
            self.client.get_user(payload.user_id) if self.client else None
        )
        where = Where(
            chat=str(payload.channel_id),
            user=str(payload.user_id),
            message=str(payload.message_id),
            private=payload.guild_id is None,
        )
        lang = detect_lang(None, str(guild.preferred_locale)) if guild is not None else "en"
        ctx = self._context(
            user or discord.Object(payload.user_id),
            where,
            lang,
            payload.guild_id,
            self._upload_limit(where.chat),
        )
        post = PostRef(PLATFORM, where.chat, str(payload.message_id))
        try:
            await self.reaction_in(ctx, where, emoji or "", post)
        except Exception as exc:
            log.error("discord: reaction on %s failed: %s", post.message, exc, exc_info=exc)

    async def event_failed(self, event: str) -> None:
        log.exception("discord: %s failed", event)
