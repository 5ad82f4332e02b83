"""Discord channel: discord.py 2.x on the adapter base. This module owns the bot's life (log in, sync the
slash commands, connect, stop) and the base's primitives (send, edit, delete, post a clip, send privately,
answer only the asker) as Discord messages and interaction responses.

Translation only. The events in (commands, buttons, forms, messages, reactions -> the core) are in
discord_events; the slash tree in discord_commands, buttons and forms in discord_views, looks in
discord_render, files in discord_files, interaction answers in discord_interactions, the connection in
discord_client. Every rule is in the core.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import discord

from bot.adapters.base import PROGRESS_EDIT_INTERVAL, Outgoing, Place, Where
from bot.adapters.discord_client import ReelClient, point_at
from bot.adapters.discord_commands import build_tree
from bot.adapters.discord_events import PLATFORM, DiscordEvents
from bot.adapters.discord_files import clip_files
from bot.adapters.discord_interactions import Exchange, InteractionPosts
from bot.adapters.discord_posts import SEARCH_LIMIT, anchor_id, delivery_failure, find_clip_posts
from bot.adapters.discord_render import (
    clip_embed,
    content,
    is_ephemeral_kind,
    message_link,
    shown_buttons,
    with_role_mentions,
)
from bot.adapters.discord_views import DYNAMIC_ITEMS, no_view, view_for
from bot.core import Core
from bot.errors import DeliveryFailed
from bot.messages import text
from bot.replies import Notice, PostRef, Reply
from bot.settings import Settings

log = logging.getLogger(__name__)

#: how long start() waits for the gateway's READY (and the guilds after it)
READY_TIMEOUT_S = 60.0
#: the clip page of the web channel, where a clip over the upload limit is linked
CLIP_PAGE = "/clip/{job}"
#: how long one clip upload may take before it counts as timed out (uncertain: Discord may have it)
UPLOAD_TIMEOUT_S = 300.0


class DiscordAdapter(DiscordEvents):
    """One Discord bot. `start()` logs in, syncs the slash commands and connects to the gateway."""

    delivery_errors = (discord.HTTPException, discord.RateLimited, discord.ClientException, OSError)

    def __init__(
        self,
        core: Core,
        settings: Settings,
        *,
        progress_interval: float = PROGRESS_EDIT_INTERVAL,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        assert settings.discord_token is not None
        super().__init__(core, progress_interval=progress_interval)
        self.settings = settings
        self.guild_ready_timeout = guild_ready_timeout
        self.client: ReelClient | None = None
        self.synced: list[str] = []
        self.posts = InteractionPosts()
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.upload_timeout_s = UPLOAD_TIMEOUT_S

    # -- lifecycle ---------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Log in (which builds and syncs the commands), connect to the gateway, wait for READY."""
        assert self.settings.discord_token is not None
        point_at(self.settings.discord_api_url)
        self.client = ReelClient(
            self,
            message_content=self.settings.discord_message_content,
            guild_ready_timeout=self.guild_ready_timeout,
        )
        await self.client.login(self.settings.discord_token.get_secret_value())
        assert self.client.user is not None
        self.bot_name = self.client.user.name
        self._task = asyncio.create_task(self._connect(self.client), name="discord-gateway")
        ready = asyncio.create_task(self._ready.wait())
        done, _ = await asyncio.wait(
            {ready, self._task}, timeout=READY_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED
        )
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
            log.error(
                "discord: the Message Content intent is not enabled for this bot. Turn it on in the developer "
                "portal (Bot > Privileged Gateway Intents), or set REELBOT_DISCORD_MESSAGE_CONTENT=false"
            )
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
        log.info(
            "discord: %d commands synced %s", len(synced), f"to guild {guild.id}" if guild else "globally"
        )

    def connected(self) -> None:
        self._ready.set()

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
        reference = (
            discord.MessageReference(
                message_id=int(place.reply_to), channel_id=int(place.chat), fail_if_not_exists=False
            )
            if place.reply_to
            else None
        )
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
        sent, _ = await where.handle.answer(
            ephemeral=True, content=self._content(out), **({"view": view} if view is not None else {})
        )
        if sent is not None:
            followup = sent.id if isinstance(sent, discord.WebhookMessage) else None
            self.posts.add(
                PostRef(PLATFORM, where.chat, str(sent.id)),
                where.handle.interaction,
                followup,
                ephemeral=True,
            )
        return True

    async def edit(self, post: PostRef, out: Outgoing) -> bool:
        """A post made through an interaction, through it while its token lives; any other post (and such
        a post later) through its channel."""
        body, view = self._content(out), view_for(shown_buttons(out.reply), out.lang) or no_view()
        done = await self.posts.edit(post, content=body, view=view)
        if done is not None:
            return done
        try:
            await (
                self._channel(post.chat).get_partial_message(int(post.message)).edit(content=body, view=view)
            )
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
            await (
                self._channel(post.chat)
                .get_partial_message(int(post.message))
                .edit(content=self._content(out), embeds=[], attachments=[], view=no_view())
            )
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
        # the job id as an enforced nonce: a second upload of this clip within minutes (a retry after a lost
        # answer) gets Discord's first message back instead of a second post
        kwargs: dict[str, Any] = {"embed": embed, "files": files, "nonce": reply.job_id}
        view = view_for(reply.buttons, out.lang)
        if view is not None:
            kwargs["view"] = view
        if place.reply_to:
            kwargs["reference"] = discord.MessageReference(
                message_id=int(place.reply_to), channel_id=int(place.chat), fail_if_not_exists=False
            )
        # an upload whose answer never comes must not hold the channel's upload lock for ever; the posting
        # rule reads the timeout as uncertain and looks for the post before sending it again
        sent = await asyncio.wait_for(self._channel(place.chat).send(**kwargs), self.upload_timeout_s)
        yield PostRef(PLATFORM, place.chat, str(sent.id))

    # -- what the posting rule asks (bot/posting.py; discord_posts says how) ----------------------------

    def delivery_failure(self, exc: BaseException) -> DeliveryFailed:
        return delivery_failure(exc)

    def anchor(self, origin: dict[str, Any]) -> str | None:
        """A snowflake surely before the upload about to start (discord_posts.anchor_id)."""
        return anchor_id(origin)

    async def find_posted(self, notice: Notice, anchor: str | None) -> list[PostRef] | None:
        """The bot's unrecorded posts of `notice`'s clip in its channel after `anchor` (their embed footer
        names the job), read through GET /channels/{id}/messages?after=; None without an anchor or a
        connection (the rule then never posts it again)."""
        if anchor is None or not anchor.isdigit() or notice.reply.clip is None or self.client is None:
            return None
        if self.client.user is None:
            return None
        chat = str(notice.origin["chat_id"])

        async def known(message_id: int) -> bool:
            return await self.core.job_for_post(PostRef(PLATFORM, chat, str(message_id))) is not None

        history = self._channel(chat).history(
            after=discord.Object(int(anchor)), limit=SEARCH_LIMIT, oldest_first=True
        )
        ids = await find_clip_posts(history, notice.job_id, self.client.user.id, known)
        return [PostRef(PLATFORM, chat, str(i)) for i in ids]

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
