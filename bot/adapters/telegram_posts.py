"""Telegram's answers to the posting rule (bot/posting.py): what a failed Bot API call means for a clip's
delivery, and whether an upload cut off by a crash or a timeout reached the chat.

The Bot API cannot list or search a chat's messages, so the second question is asked one message id at a
time, after the upload's anchor (the newest id the bot knew in that chat before it): an editMessageCaption
with exactly the clip's caption and buttons is a no-op on that very clip ("message is not modified"), and
is refused without a change on a member's message, a text message, or an id with no message. The ids of
every other clip the bot recorded are skipped, and a channel uploads one clip at a time per chat, so no
other clip of ours can be in that window to be edited by mistake. Beyond PROBE_WINDOW ids it answers
"not there" (a chat that got that many messages during one upload).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.adapters.telegram_render import CAPTION_LIMIT, html_text, keyboard
from bot.adapters.telegram_transport import retry_seconds
from bot.errors import DeliveryFailed
from bot.replies import Reply

log = logging.getLogger(__name__)

#: how many message ids after the anchor are looked at for an interrupted upload
PROBE_WINDOW = 12
#: what Telegram says when the chat is gone for the bot for good
_GONE = (
    "chat not found",
    "bot was kicked",
    "bot is not a member",
    "have no rights to send",
    "not enough rights",
    "chat_write_forbidden",
    "bot was blocked",
    "user is deactivated",
)


def delivery_failure(exc: BaseException) -> DeliveryFailed:
    """A Bot API error while posting a clip, as the posting rule reads it: a 429 with its retry_after; a
    chat that will never take it (the bot was removed or blocked, the chat is gone) as permanent; a
    timeout as uncertain (Telegram may have taken the upload); anything else worth another try."""
    if isinstance(exc, RetryAfter):
        return DeliveryFailed("flood_wait", retry_after=retry_seconds(exc))
    if isinstance(exc, Forbidden):
        return DeliveryFailed("forbidden", permanent=True)
    if isinstance(exc, ChatMigrated):
        return DeliveryFailed("chat_migrated")  # the limiter follows it; the next attempt goes to the new id
    if isinstance(exc, BadRequest):
        text = str(exc).lower()
        return DeliveryFailed("bad_request", permanent=any(g in text for g in _GONE))
    if isinstance(exc, TimedOut):
        return DeliveryFailed("timed_out", uncertain=True)
    if isinstance(exc, NetworkError):
        return DeliveryFailed("network")
    return DeliveryFailed(type(exc).__name__)


async def find_clip_posts(
    bot: Bot,
    chat: int,
    reply: Reply,
    text: str,
    lang: str,
    after: int,
    files: int,
    known: Callable[[int], Awaitable[bool]],
) -> list[int]:
    """The message ids (in order) of the clip posts of `reply` that Telegram holds in `chat` after message
    `after`: at most `files` of them, the first with the clip's buttons, the rest without (as
    telegram_files.upload_clip sends them). `known(id)`: a post the bot has recorded (never probed)."""
    caption = html_text(text, CAPTION_LIMIT)
    found: list[int] = []
    message_id = after
    while len(found) < files and message_id < after + PROBE_WINDOW:
        message_id += 1
        if await known(message_id):
            continue
        markup = keyboard(reply.buttons, lang) if not found else None
        try:
            await bot.edit_message_caption(
                chat_id=chat,
                message_id=message_id,
                caption=caption,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                found.append(message_id)  # that very clip, as it was posted
            continue
        # the edit went through: a media message of ours that no recorded post is, in a window where only
        # this job uploads: this clip, posted plain (its caption is now the formatted one)
        found.append(message_id)
    if found:
        log.info(
            "telegram: found %d post(s) of job %s's interrupted upload in %s", len(found), reply.job_id, chat
        )
    return found
