"""Discord channel: discord.py 2.x events (slash commands, context menus, button presses, forms, messages
that mention the bot or reply to its clips, reactions on any clip, cached or not) -> Context and the core
(through bot/adapters/base.py), and the base's primitives (send, edit, delete, post a clip, send
privately, answer only the asker) as Discord messages and interaction responses.

Translation only: which events are addressed to the bot and which call says what. Every rule is in the
core; the slash tree is in discord_commands, buttons and forms in discord_views, looks in discord_render,
files in discord_files, interaction answers in discord_interactions, the connection in discord_client.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import discord

from bot.adapters.base import PROGRESS_EDIT_INTERVAL, ChannelAdapter, Outgoing, Place, Where
from bot.adapters.discord_client import ReelClient, point_at
from bot.adapters.discord_commands import CLIP_LINK, EXTEND, build_tree
from bot.adapters.discord_files import DEFAULT_UPLOAD_LIMIT, attachment, clip_files, message_attachments
from bot.adapters.discord_interactions import Exchange, InteractionPosts
from bot.adapters.discord_render import (
    clip_embed,
    content,
    is_ephemeral_kind,
    message_link,
    parse_message_link,
    shown_buttons,
    with_role_mentions,
)
from bot.adapters.discord_views import DYNAMIC_ITEMS, no_view, remix_form, storyboard_form, view_for
from bot.buttons import decode
from bot.commands import find
from bot.core import Core, detect_lang
from bot.errors import BotError, NotAClip, error_reply
from bot.messages import text
from bot.replies import Context, PostRef, Reply
from bot.settings import Settings

log = logging.getLogger(__name__)

PLATFORM = "discord"
#: how long start() waits for the gateway's READY (and the guilds after it)
READY_TIMEOUT_S = 60.0
#: the clip page of the web channel, where a clip over the upload limit is linked
CLIP_PAGE = "/clip/{job}"


class DiscordAdapter(ChannelAdapter):
    """One Discord bot. `start()` logs in, syncs the slash commands and connects to the gateway."""

    platform = PLATFORM
    delivery_errors = (discord.HTTPException, discord.RateLimited, discord.ClientException, OSError)

    def __init__(self, core: Core, settings: Settings, *, progress_interval: float = PROGRESS_EDIT_INTERVAL,
                 guild_ready_timeout: float = 2.0) -> None:
        assert settings.discord_token is not None
        super().__init__(core, progress_interval=progress_interval)
        self.settings = settings
        self.guild_ready_timeout = guild_ready_timeout
        self.client: ReelClient | None = None
        self.synced: list[str] = []
        self.posts = InteractionPosts()
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Log in (which builds and syncs the commands), connect to the gateway, wait for READY."""
        assert self.settings.discord_token is not None
        point_at(self.settings.discord_api_url)
        self.client = ReelClient(self, message_content=self.settings.discord_message_content,
                                 guild_ready_timeout=self.guild_ready_timeout)
        await self.client.login(self.settings.discord_token.get_secret_value())
        assert self.client.user is not None
        self.bot_name = self.client.user.name
        self._task = asyncio.create_task(self._connect(self.client), name="discord-gateway")
        ready = asyncio.create_task(self._ready.wait())
        done, _ = await asyncio.wait({ready, self._task}, timeout=READY_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        if self._task in done:
            self._task.result()  # the gateway refused us: its error says why
        if not self._ready.is_set():
            raise TimeoutError(f"Discord's gateway sent no READY within {READY_TIMEOUT_S:.0f} s")
        log.info("discord: connected as %s", self.bot_name)

    async def _connect(self, client: ReelClient) -> None:
        try:
            await client.connect(reconnect=True)
        except discord.PrivilegedIntentsRequired:
            log.error("discord: the Message Content intent is not enabled for this bot. Turn it on in the developer "
                      "portal (Bot > Privileged Gateway Intents), or set REELBOT_DISCORD_MESSAGE_CONTENT=false")
            raise

    async def stop(self) -> None:
        """Stop taking notices (clips that finish from now on are posted after the next start), then
        disconnect."""
        self.core.unsubscribe(self.platform)
        if self.client is not None:
            await self.client.close()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def set_up(self, client: ReelClient) -> None:
        """discord.py's setup hook: buttons that outlive restarts, the slash tree, the sync."""
        client.add_dynamic_items(*DYNAMIC_ITEMS)
        from bot.adapters.discord_commands import RegistryTranslator

        await client.tree.set_translator(RegistryTranslator())
        build_tree(client.tree, self)
        client.tree.on_error = self._tree_failed  # type: ignore[method-assign]
        guild = discord.Object(self.settings.discord_guild_id) if self.settings.discord_guild_id else None
        try:
            if guild is not None:
                client.tree.copy_global_to(guild=guild)
            synced = await client.tree.sync(guild=guild)
        except discord.HTTPException as exc:  # e.g. invited without the applications.commands scope
            log.error("discord: command sync failed (%s); mentions, buttons and reactions still work", exc)
            return
        self.synced = [c.name for c in synced]
        log.info("discord: %d commands synced %s", len(synced), f"to guild {guild.id}" if guild else "globally")

    def connected(self) -> None:
        self._ready.set()

    # -- who and where ----------------------------------------------------------------------------------

    def _context(self, user: discord.abc.User, where: Where, lang: str, guild_id: int | None,
                 upload_limit: int) -> Context:
        origin = self.origin(where)
        origin["guild_id"] = str(guild_id) if guild_id else None
        roles = [str(r.id) for r in user.roles] if isinstance(user, discord.Member) else None
        return Context(user=f"{PLATFORM}:{user.id}", lang=lang, display_name=user.display_name, origin=origin,
                       max_upload_bytes=upload_limit, max_download_bytes=upload_limit, roles=roles)

    def _from_interaction(self, interaction: discord.Interaction[Any], ex: Exchange,
                          sample: str | None = None) -> tuple[Context, Where]:
        message = interaction.message
        where = Where(chat=str(interaction.channel_id), user=str(interaction.user.id),
                      message=str(message.id) if message is not None else None,
                      private=interaction.guild_id is None, handle=ex)
        lang = detect_lang(sample, str(interaction.locale))
        return self._context(interaction.user, where, lang, interaction.guild_id, interaction.filesize_limit), where

    def _lang(self, interaction: discord.Interaction[Any]) -> str:
        return detect_lang(None, str(interaction.locale))

    def _upload_limit(self, chat: str) -> int:
        channel = self.client.get_channel(int(chat)) if self.client is not None else None
        guild = getattr(channel, "guild", None)
        return guild.filesize_limit if guild is not None else DEFAULT_UPLOAD_LIMIT

    # -- events in: interactions -------------------------------------------------------------------------

    async def on_command(self, interaction: discord.Interaction[Any], name: str, values: dict[str, Any]) -> None:
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
            args = {k: v for k, v in values.items()
                    if v is not None and k != CLIP_LINK and not isinstance(v, discord.Attachment)}
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

    async def on_context_menu(self, interaction: discord.Interaction[Any], action: str, message: discord.Message) -> None:
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
            await interaction.response.send_modal(remix_form(button.target, self._lang(interaction), self._form_failed))
            return
        ex = Exchange(interaction)
        await ex.defer_update()
        ctx, where = self._from_interaction(interaction, ex)
        pressed = interaction.message
        if pressed is not None:  # this press's token is the freshest way to change the pressed post
            self.posts.add(PostRef(PLATFORM, where.chat, str(pressed.id)), interaction, None,
                           ephemeral=pressed.flags.ephemeral)

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
                cards = "; ".join(line.strip() for line in str(values.pop("cards")).splitlines() if line.strip())
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
        where = Where(chat=str(message.channel.id), user=str(message.author.id), message=str(message.id),
                      private=private)
        ctx = self._context(message.author, where, detect_lang(body), message.guild.id if message.guild else None,
                            upload_limit)
        reply_to = None
        if reference is not None and reference.message_id is not None:
            reply_to = PostRef(PLATFORM, str(reference.channel_id or message.channel.id), str(reference.message_id))
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
        user: discord.abc.User | None = payload.member or (self.client.get_user(payload.user_id) if self.client else None)
        where = Where(chat=str(payload.channel_id), user=str(payload.user_id), message=str(payload.message_id),
                      private=payload.guild_id is None)
        lang = detect_lang(None, str(guild.preferred_locale)) if guild is not None else "en"
        if user is None:
            user = discord.Object(payload.user_id)  # type: ignore[assignment]
        ctx = self._context(user, where, lang, payload.guild_id, self._upload_limit(where.chat))  # type: ignore[arg-type]
        if not getattr(user, "display_name", None):
            ctx.display_name = f"<@{payload.user_id}>"
        post = PostRef(PLATFORM, where.chat, str(payload.message_id))
        try:
            await self.reaction_in(ctx, where, emoji or "", post)
        except Exception as exc:
            log.error("discord: reaction on %s failed: %s", post.message, exc, exc_info=exc)

    async def event_failed(self, event: str) -> None:
        log.exception("discord: %s failed", event)

    # -- the base's primitives ------------------------------------------------------------------------------

    def _content(self, out: Outgoing) -> str:
        body = out.text
        if out.reply.key == "plans":
            body = with_role_mentions(out.reply, body)
        return content(body)

    def _channel(self, chat: str) -> discord.PartialMessageable:
        assert self.client is not None
        return self.client.get_partial_messageable(int(chat))

    async def send(self, place: Place, out: Outgoing) -> PostRef | None:
        """The answer to a live interaction goes through it (only the asker sees refusals and offers);
        anything else is a channel message, replying to `place.reply_to` if it is still there."""
        body, view = self._content(out), view_for(shown_buttons(out.reply), out.lang)
        if isinstance(place.handle, Exchange):
            message: dict[str, Any] = {"content": body}
            if view is not None:
                message["view"] = view
            sent, ephemeral = await place.handle.answer(ephemeral=is_ephemeral_kind(out.reply), **message)
            if sent is not None:
                post = PostRef(PLATFORM, place.chat, str(sent.id))
                followup = sent.id if isinstance(sent, discord.WebhookMessage) else None
                self.posts.add(post, place.handle.interaction, followup, ephemeral=ephemeral)
                return post
        reference = (discord.MessageReference(message_id=int(place.reply_to), channel_id=int(place.chat),
                                              fail_if_not_exists=False) if place.reply_to else None)
        kwargs: dict[str, Any] = {"content": body, "reference": reference}
        if view is not None:
            kwargs["view"] = view
        sent_message = await self._channel(place.chat).send(**kwargs)
        return PostRef(PLATFORM, place.chat, str(sent_message.id))

    async def send_ephemeral(self, where: Where, out: Outgoing) -> bool:
        """Only the asker sees it: an ephemeral interaction answer, when the event was an interaction."""
        if not isinstance(where.handle, Exchange):
            return False
        view = view_for(shown_buttons(out.reply), out.lang)
        sent, _ = await where.handle.answer(ephemeral=True, content=self._content(out),
                                            **({"view": view} if view is not None else {}))
        if sent is not None:
            followup = sent.id if isinstance(sent, discord.WebhookMessage) else None
            self.posts.add(PostRef(PLATFORM, where.chat, str(sent.id)), where.handle.interaction, followup,
                           ephemeral=True)
        return True

    async def edit(self, post: PostRef, out: Outgoing) -> bool:
        """A post made through an interaction, through it while its token lives; any other post (and such
        a post later) through its channel."""
        body, view = self._content(out), view_for(shown_buttons(out.reply), out.lang) or no_view()
        done = await self.posts.edit(post, content=body, view=view)
        if done is not None:
            return done
        try:
            await self._channel(post.chat).get_partial_message(int(post.message)).edit(content=body, view=view)
        except (discord.NotFound, discord.Forbidden) as exc:
            log.info("discord: could not edit %s/%s: %s", post.chat, post.message, exc)
            return False
        return True

    async def delete(self, post: PostRef) -> bool:
        done = await self.posts.delete(post)
        if done is not None:
            return done
        try:
            await self._channel(post.chat).get_partial_message(int(post.message)).delete()
        except (discord.NotFound, discord.Forbidden) as exc:
            log.info("discord: could not delete %s/%s: %s", post.chat, post.message, exc)
            return False
        return True

    async def strip(self, post: PostRef, out: Outgoing) -> bool:
        """A clip post that may not be deleted loses its video, embed and buttons instead."""
        try:
            await self._channel(post.chat).get_partial_message(int(post.message)).edit(
                content=self._content(out), embeds=[], attachments=[], view=no_view())
        except discord.HTTPException as exc:
            log.info("discord: could not blank %s/%s either: %s", post.chat, post.message, exc)
            return False
        return True

    async def send_private(self, user: str, out: Outgoing) -> PostRef | None:
        """The member's DM with the bot; None when they do not take DMs from it."""
        assert self.client is not None
        try:
            dm = await self.client.create_dm(discord.Object(int(user)))
            sent = await dm.send(content=self._content(out))
        except (discord.Forbidden, discord.NotFound) as exc:
            log.info("discord: no DM with %s: %s", user, exc)
            return None
        return PostRef(PLATFORM, str(dm.id), str(sent.id))

    def private_chat_hint(self) -> Reply:
        return Reply("open_dms", kind="info")

    async def post_clip(self, place: Place, out: Outgoing) -> AsyncIterator[PostRef]:
        """The feed item: the MP4 (and variations) attached when they fit the channel's upload limit, else
        a link to the web channel's copy; the embed; the clip's buttons; a reply to the request if any."""
        reply = out.reply
        assert reply.clip is not None and reply.job_id is not None
        limit = self._upload_limit(place.chat)
        files, over = await asyncio.to_thread(clip_files, reply.clip, limit)
        note = None
        if over:
            url = self.settings.web_url + CLIP_PAGE.format(job=reply.job_id)
            note = text("clip_link_instead", out.lang, limit_mb=limit // 2**20, url=url)
        embed = clip_embed(reply, out.text, parent_link=await self._parent_link(reply.parent_job), note=note)
        kwargs: dict[str, Any] = {"embed": embed, "files": files}
        view = view_for(reply.buttons, out.lang)
        if view is not None:
            kwargs["view"] = view
        if place.reply_to:
            kwargs["reference"] = discord.MessageReference(message_id=int(place.reply_to), channel_id=int(place.chat),
                                                           fail_if_not_exists=False)
        sent = await self._channel(place.chat).send(**kwargs)
        yield PostRef(PLATFORM, place.chat, str(sent.id))

    async def _parent_link(self, parent_job: str | None) -> str | None:
        """The link to the source clip's post on Discord (lineage), if it was posted here."""
        if not parent_job or self.client is None:
            return None
        for post in await self.core.posts_of(parent_job, "clip"):
            if post.platform == PLATFORM:
                channel = self.client.get_channel(int(post.chat))
                guild = getattr(channel, "guild", None)
                return message_link(guild.id if guild is not None else None, post.chat, post.message)
        return None


__all__ = ["DiscordAdapter", "PLATFORM"]
