"""Answering Discord interactions: an Exchange is one interaction being answered (deferred at once, its
"thinking" placeholder filled or traded for an ephemeral followup, later answers as followups), and
InteractionPosts remembers the posts made through an interaction, edited and deleted through it for as long
as its token lives (15 minutes), through their channel after that (ephemeral ones cannot be, then).

Discord's interaction rules only; what an answer says comes from the adapter.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Any

import discord

from bot.replies import PostRef

log = logging.getLogger(__name__)

#: an interaction token works for 15 minutes; stop using it a little before
TOKEN_LIFETIME_S = 15 * 60 - 30
#: interaction posts remembered at most (the oldest are dropped first; their channel can still edit them)
KEPT = 4096

MessageLike = discord.Message | discord.InteractionMessage | discord.WebhookMessage


class Exchange:
    """One interaction and how far it has been answered."""

    def __init__(self, interaction: discord.Interaction[Any]) -> None:
        self.interaction = interaction
        self.placeholder = False  # a deferred "thinking" answer waits to be filled
        self.placeholder_ephemeral = False

    async def defer(self, *, ephemeral: bool) -> None:
        """Acknowledge a command or a form at once with a "thinking" placeholder (Discord allows 3 s)."""
        await self.interaction.response.defer(thinking=True, ephemeral=ephemeral)
        self.placeholder, self.placeholder_ephemeral = True, ephemeral

    async def defer_update(self) -> None:
        """Acknowledge a button press at once, changing nothing yet."""
        await self.interaction.response.defer()

    async def answer(self, *, ephemeral: bool, **message: Any) -> tuple[MessageLike | None, bool]:
        """Post `message` (content, embed, view...) as this interaction's answer: the first response, the
        filled placeholder, or an ephemeral followup. Returns (the message, whether it is ephemeral), or
        (None, False) when the answer should be a plain channel message instead (a public answer after
        the interaction was already answered)."""
        it = self.interaction
        if not it.response.is_done():
            sent = await it.response.send_message(ephemeral=ephemeral, **message)
            resource = sent.resource if sent is not None else None
            msg = (
                resource if isinstance(resource, discord.InteractionMessage) else await it.original_response()
            )
            return msg, ephemeral
        if self.placeholder:
            self.placeholder = False
            if ephemeral and not self.placeholder_ephemeral:
                # the thinking message is public: trade it for an answer only the asker sees
                await it.delete_original_response()
                return await it.followup.send(ephemeral=True, wait=True, **message), True
            return await it.edit_original_response(**message), self.placeholder_ephemeral
        if ephemeral:
            return await it.followup.send(ephemeral=True, wait=True, **message), True
        return None, False


class InteractionPosts:
    """The posts the bot made through an interaction (its answer, a followup), and that interaction: while
    its token lives such a post is edited or deleted through it, as Discord means; after that a public
    post goes through its channel, and an ephemeral one can no longer be changed."""

    def __init__(self) -> None:
        self._posts: OrderedDict[
            tuple[str, str], tuple[discord.Interaction[Any], int | None, bool, float]
        ] = OrderedDict()

    def add(
        self, post: PostRef, interaction: discord.Interaction[Any], followup: int | None, *, ephemeral: bool
    ) -> None:
        """`post` was made through `interaction`: its original response (`followup` None) or the followup
        with that id; `ephemeral`: only its asker sees it."""
        key = (post.chat, post.message)
        self._posts.pop(key, None)
        self._posts[key] = (interaction, followup, ephemeral, time.monotonic() + TOKEN_LIFETIME_S)
        while len(self._posts) > KEPT:
            self._posts.popitem(last=False)

    def _live(self, post: PostRef) -> tuple[discord.Interaction[Any], int | None] | None | bool:
        """(interaction, followup) while its token lives; None: change it through its channel; False: it
        can no longer be changed at all (an ephemeral post whose token died)."""
        entry = self._posts.get((post.chat, post.message))
        if entry is None:
            return None
        interaction, followup, ephemeral, until = entry
        if time.monotonic() > until:
            del self._posts[(post.chat, post.message)]
            return False if ephemeral else None
        return interaction, followup

    def _gone(self, post: PostRef) -> bool | None:
        """After the token was refused: False for an ephemeral post, None (try the channel) otherwise."""
        entry = self._posts.pop((post.chat, post.message), None)
        return False if entry is not None and entry[2] else None

    async def edit(self, post: PostRef, **message: Any) -> bool | None:
        """Edit `post` through its interaction: True when done, False when it can no longer be edited,
        None when the channel should do it (not an interaction's post, or its token is spent)."""
        live = self._live(post)
        if not isinstance(live, tuple):
            return live
        interaction, followup = live
        try:
            if followup is None:
                await interaction.edit_original_response(**message)
            else:
                await interaction.followup.edit_message(followup, **message)
        except (discord.NotFound, discord.Forbidden, discord.HTTPException) as exc:
            if isinstance(exc, discord.HTTPException) and exc.status == 429:
                raise
            log.info("discord: post %s not edited through its interaction: %s", post.message, exc)
            return self._gone(post)
        return True

    async def delete(self, post: PostRef) -> bool | None:
        """Delete `post` through its interaction (same answers as `edit`)."""
        live = self._live(post)
        if not isinstance(live, tuple):
            return live
        interaction, followup = live
        try:
            if followup is None:
                await interaction.delete_original_response()
            else:
                await interaction.followup.delete_message(followup)
        except (discord.NotFound, discord.Forbidden, discord.HTTPException) as exc:
            if isinstance(exc, discord.HTTPException) and exc.status == 429:
                raise
            log.info("discord: post %s not deleted through its interaction: %s", post.message, exc)
            return self._gone(post)
        self._posts.pop((post.chat, post.message), None)
        return True
