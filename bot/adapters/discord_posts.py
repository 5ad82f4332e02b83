"""Discord's answers to the posting rule (bot/posting.py): what a failed REST call means for a clip's
delivery, where an upload's search window starts (its anchor), and whether an upload cut off by a crash or
a timeout reached the channel.

Discord can list a channel's messages after any snowflake (GET /channels/{id}/messages?after=), and each
clip embed carries its job id in the footer (discord_render.clip_embed), so the question is answered by
reading the bot's own posts after the anchor: no guessing, no probing edits. Wording and rules: elsewhere.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterable, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import discord

from bot.errors import DeliveryFailed

log = logging.getLogger(__name__)

#: how far before "now" an anchor made from our clock reaches, for a clock behind or ahead of Discord's
CLOCK_MARGIN_S = 120.0
#: how many channel messages after the anchor are read for an interrupted upload (10 pages of 100)
SEARCH_LIMIT = 1000
#: Discord's JSON error codes for a channel the bot will never be able to post in
UNKNOWN_CHANNEL = 10003
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013
_GONE = frozenset({UNKNOWN_CHANNEL, MISSING_ACCESS, MISSING_PERMISSIONS})


def delivery_failure(exc: BaseException) -> DeliveryFailed:
    """A discord.py error while posting a clip, as the posting rule reads it: a 429 (discord.py gave up
    waiting: RateLimited, or a 429 it passed on) with its retry_after; 403 Forbidden, Unknown Channel
    (10003) and Missing Access (50001) as permanent (the bot was removed, or the channel deleted or closed
    to it); a timeout as uncertain (Discord may hold the upload); anything else (5xx, network) worth
    another try."""
    if isinstance(exc, discord.RateLimited):
        return DeliveryFailed("rate_limited", retry_after=float(exc.retry_after))
    if isinstance(exc, discord.Forbidden):
        return DeliveryFailed(f"forbidden:{exc.code}", permanent=True)
    if isinstance(exc, discord.HTTPException):
        if exc.status == 429:
            retry = getattr(exc, "retry_after", None)
            return DeliveryFailed("rate_limited", retry_after=float(retry) if retry else None)
        if exc.code in _GONE:
            return DeliveryFailed(f"gone:{exc.code}", permanent=True)
        if exc.status >= 500:
            return DeliveryFailed(f"server:{exc.status}")
        return DeliveryFailed(f"http:{exc.status}:{exc.code}")
    if isinstance(exc, TimeoutError):
        return DeliveryFailed("timed_out", uncertain=True)
    if isinstance(exc, OSError):
        # the connection broke while the request may have been on its way: it may have reached Discord
        return DeliveryFailed("network", uncertain=True)
    return DeliveryFailed(type(exc).__name__)


def anchor_id(origin: dict[str, Any], now: float | None = None) -> str:
    """The snowflake an upload's search starts after: the later of the request's own id (Discord's clock,
    surely before the upload) and a snowflake of our clock CLOCK_MARGIN_S ago (so a job that waited long
    does not make the search read the whole channel since its request)."""
    moment = (time.time() if now is None else now) - CLOCK_MARGIN_S
    ours = discord.utils.time_snowflake(datetime.fromtimestamp(moment, UTC))
    request = origin.get("message_id")
    theirs = int(request) if request is not None and str(request).isdigit() else 0
    return str(max(ours, theirs))


def is_clip_of(message: discord.Message, job_id: str, bot_id: int) -> bool:
    """A post of the bot's whose embed footer names `job_id` (how clip_embed marks a clip)."""
    if message.author.id != bot_id:
        return False
    return any(embed.footer.text == job_id for embed in message.embeds)


async def find_clip_posts(
    history: AsyncIterable[discord.Message],
    job_id: str,
    bot_id: int,
    known: Callable[[int], Awaitable[bool]],
) -> list[int]:
    """The ids (oldest first) of the bot's posts of job `job_id` in `history` (the channel after the
    anchor) that the bot has not recorded (`known(id)`)."""
    found: list[int] = []
    async for message in history:
        if is_clip_of(message, job_id, bot_id) and not await known(message.id):
            found.append(message.id)
    if found:
        log.info("discord: found %d post(s) of job %s's interrupted upload", len(found), job_id)
    return found
