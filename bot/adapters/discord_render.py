"""How Reelbot looks on Discord: the message table's light markup as Discord markdown within Discord's
length limits, the clip post's embed (prompt, author, settings, credits, lineage linked to the source clip's
post), the plans answer with role mentions, message links, and which mentions may ping.

Pure functions of their inputs: no API calls, no wording of its own (text comes from bot/messages.py).
"""

from __future__ import annotations

import re

import discord

from bot.adapters.text_limits import fit
from bot.replies import ASK_PROMPT, DONE, ERROR, OFFER, Button, PostRef, Reply

#: Discord's limits (characters, counted here in UTF-16 units to stay on the safe side)
CONTENT_LIMIT = 2000
EMBED_DESCRIPTION_LIMIT = 4096
#: the embed colour of a clip post, and of a refusal
CLIP_COLOUR = discord.Colour(0x5865F2)
ERROR_COLOUR = discord.Colour(0xED4245)
#: only the member a post replies to may be pinged; prompts can hold @everyone or role mentions
ALLOWED_MENTIONS = discord.AllowedMentions(everyone=False, users=False, roles=False, replied_user=True)

_BOLD = re.compile(r"(?<![*\w])\*([^*`\n]+)\*(?![*\w])")
_MESSAGE_LINK = re.compile(
    r"^https?://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/channels/(?P<guild>\d+|@me)/(?P<channel>\d+)/(?P<message>\d+)/?$"
)


def markdown(message: str) -> str:
    """The message table's light markup (`code`, *bold*) as Discord markdown (`code`, **bold**)."""
    return _BOLD.sub(r"**\1**", message)


def content(message: str, limit: int = CONTENT_LIMIT) -> str:
    """A rendered message as Discord message content: markdown, fitted to Discord's 2000 characters."""
    return fit(markdown(message), limit)


def is_ephemeral_kind(reply: Reply) -> bool:
    """Answers to an interaction that only the asker sees: refusals, offers of something that fits, and
    what the core marks as only theirs."""
    return reply.ephemeral or reply.kind in (ERROR, OFFER)


def message_link(guild: int | None, channel: str, message: str) -> str:
    """The https link to a message (a DM has no guild: "@me")."""
    return f"https://discord.com/channels/{guild if guild else '@me'}/{channel}/{message}"


def parse_message_link(link: str) -> tuple[int | None, int, int] | None:
    """(guild or None for a DM, channel, message) of a Discord message link, or None if it is not one."""
    m = _MESSAGE_LINK.match(link.strip())
    if m is None:
        return None
    guild = None if m["guild"] == "@me" else int(m["guild"])
    return guild, int(m["channel"]), int(m["message"])


def clip_embed(reply: Reply, text: str, *, parent_link: str | None, note: str | None) -> discord.Embed:
    """The embed of a clip post: the core's clip text (prompt, author, credits, settings, lineage) with the
    source clip's job id linked to its post, and a note (the clip is over the upload limit: where it is)."""
    body = markdown(text)
    if parent_link and reply.parent_job:
        body = body.replace(reply.parent_job, f"[{reply.parent_job}]({parent_link})", 1)
    if note:
        body = f"{body}\n\n{markdown(note)}"
    embed = discord.Embed(description=fit(body, EMBED_DESCRIPTION_LIMIT), colour=CLIP_COLOUR)
    if reply.job_id:
        embed.set_footer(text=reply.job_id)
    return embed


def with_role_mentions(reply: Reply, text: str) -> str:
    """The plans answer with each role id that gives a plan shown as that role (a mention, pinging no one)."""
    for plan in reply.params.get("plans") or []:
        for role in plan.get("roles") or []:
            text = re.sub(rf"(?<![\d&@]){re.escape(str(role))}(?!\d)", f"<@&{role}>", text)
    return text


def shown_buttons(reply: Reply) -> list[list[Button]]:
    """The buttons to show: the core's, plus on Discord a Remix button under "reply with a prompt" (a
    reaction cannot open a form; a tap on the button can)."""
    if reply.kind == ASK_PROMPT and reply.job_id and not reply.buttons:
        return [[Button("remix", reply.job_id)]]
    return reply.buttons


def post_ref(message: discord.abc.Snowflake, channel_id: int) -> PostRef:
    return PostRef("discord", str(channel_id), str(message.id))


def is_clip_reply(reply: Reply) -> bool:
    return reply.kind == DONE and reply.clip is not None
