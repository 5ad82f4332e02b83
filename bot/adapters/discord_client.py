"""The discord.py client Reelbot runs: where the API is (Discord's, or REELBOT_DISCORD_API_URL for a proxy or
a test fake; the gateway address always comes from GET /gateway/bot), which gateway intents it asks for,
and a client whose events and set-up go to the adapter.

Connection concerns only: no Reelbot rule, no wording.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.http import Route

from bot.adapters.discord_render import ALLOWED_MENTIONS

if TYPE_CHECKING:
    from bot.adapters.discord_adapter import DiscordAdapter

DISCORD_API = "https://discord.com/api/v10"
#: a 429 asking to wait longer than this raises discord.RateLimited instead of stalling the bot
MAX_RATE_LIMIT_WAIT_S = 30.0


def point_at(api_url: str) -> str:
    """Send every REST call (webhooks and interaction callbacks too) to `api_url` + /api/v10, or to
    Discord's own API when it is empty. discord.py keeps the API root on its Route class, so this holds
    for the whole process, as one bot per process needs. Returns the root in use."""
    Route.BASE = f"{api_url.rstrip('/')}/api/v10" if api_url else DISCORD_API
    return Route.BASE


def intents(*, message_content: bool) -> discord.Intents:
    """Servers (channels and roles: plans follow roles), messages and reactions in servers and DMs, and
    the privileged message content only when asked for (without it the bot still gets the content of
    messages that mention it, and of DMs)."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.dm_messages = True
    wanted.guild_reactions = True
    wanted.dm_reactions = True
    wanted.message_content = message_content
    return wanted


# Reelbot never joins voice channels: no warning at start-up that voice libraries are missing
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


class ReelClient(discord.AutoShardedClient):
    """discord.py's sharded client (it asks GET /gateway/bot where to connect and how many shards to run),
    with a command tree, handing set-up and events to the adapter (`reelbot`)."""

    def __init__(
        self, adapter: DiscordAdapter, *, message_content: bool, guild_ready_timeout: float = 2.0
    ) -> None:
        super().__init__(
            intents=intents(message_content=message_content),
            allowed_mentions=ALLOWED_MENTIONS,
            max_ratelimit_timeout=MAX_RATE_LIMIT_WAIT_S,
            guild_ready_timeout=guild_ready_timeout,
            chunk_guilds_at_startup=False,
        )
        self.reelbot = adapter
        self.tree: app_commands.CommandTree[ReelClient] = app_commands.CommandTree(self)

    async def setup_hook(self) -> None:
        await self.reelbot.set_up(self)

    async def on_ready(self) -> None:
        self.reelbot.connected()

    async def on_message(self, message: discord.Message) -> None:
        await self.reelbot.on_message(message)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self.reelbot.on_reaction(payload)

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        await self.reelbot.event_failed(event_method)
