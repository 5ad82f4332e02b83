"""`reelbot run`: wire settings, the engine, the core and every configured channel, then serve.

Owns start-up and shutdown order only; no rule of the bot lives here.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Callable
from typing import Any, Protocol

from bot.settings import Settings

log = logging.getLogger("reelbot")

HOW_TO_CONFIGURE = """\
Reelbot has no chat channel configured, so there is nobody to talk to yet.
Turn one on by setting it in the environment or in a .env file next to where you run reelbot
(see .env.example), then run `reelbot run` again:

  Telegram : REELBOT_TELEGRAM_TOKEN=<token from @BotFather>
             (optional REELBOT_TELEGRAM_API_URL=http://127.0.0.1:8081 for a self-hosted Bot API server)
  Discord  : REELBOT_DISCORD_TOKEN=<bot token from the developer portal>
             (optional REELBOT_DISCORD_GUILD_ID=<server id> to see the slash commands at once;
             docs/DISCORD.md has the intents, the invite link and the permissions)

(The local web channel, REELBOT_WEB_HOST / REELBOT_WEB_PORT, is not part of this version yet.)
"""


class Channel(Protocol):
    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # httpx logs every request URL, and Telegram URLs carry the bot token: keep them out of the log
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def engine_factory(settings: Settings) -> Callable[[], Any]:
    """Build the engine lazily, in the worker thread, so start-up is quick and the loop never blocks."""

    def build() -> Any:
        from engine.video_engine import DiffusersEngine

        log.info("loading model preset %s", settings.model)
        return DiffusersEngine.load(settings.model, settings.data_dir)

    return build


def any_channel_configured(settings: Settings) -> bool:
    tokens = (settings.telegram_token, settings.discord_token)
    return any(t is not None and t.get_secret_value() for t in tokens)


def configured_channels(settings: Settings, core: Any) -> list[Channel]:
    """One channel per configured platform (imported only when configured)."""
    channels: list[Channel] = []
    if settings.telegram_token is not None and settings.telegram_token.get_secret_value():
        from bot.adapters.telegram_adapter import TelegramAdapter

        channels.append(TelegramAdapter(core, settings))
    if settings.discord_token is not None and settings.discord_token.get_secret_value():
        try:
            from bot.adapters.discord_adapter import DiscordAdapter
        except ImportError:
            log.warning("REELBOT_DISCORD_TOKEN is set, but this version has no Discord channel yet")
        else:
            channels.append(DiscordAdapter(core, settings))
    if settings.web_enabled:
        try:
            from bot.adapters.web_adapter import WebAdapter
        except ImportError:
            pass
        else:
            channels.append(WebAdapter(core, settings))
    return channels


async def run(settings: Settings, *, engine: Any = None, stop_event: asyncio.Event | None = None) -> int:
    """Serve until SIGINT/SIGTERM (or `stop_event`). Returns the process exit code."""
    setup_logging(settings.log_level)
    if settings.queue_url:
        print("REELBOT_QUEUE_URL is set, but the distributed (Redis) queue is not available in this version. "
              "Leave it empty to run the engine workers in-process.", file=sys.stderr)
        return 2
    if not any_channel_configured(settings):
        print(HOW_TO_CONFIGURE, file=sys.stderr)
        return 2
    from billing.errors import BillingError
    from bot.core import Core

    try:
        core = await Core.open(settings, engine if engine is not None else engine_factory(settings))
    except BillingError as exc:  # a broken price / plan file or an unknown REELBOT_DEFAULT_PLAN
        print(f"Reelbot cannot start: {exc}", file=sys.stderr)
        return 2
    channels = configured_channels(settings, core)
    if not channels:
        await core.close()
        print(HOW_TO_CONFIGURE, file=sys.stderr)
        return 2
    stop = stop_event or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    started: list[Channel] = []
    delivery: asyncio.Task[None] | None = None
    try:
        # channels first, so clips that finish during recovery have somewhere to go
        for ch in channels:
            await ch.start()
            started.append(ch)
            log.info("channel %s started", ch.name)
        await core.start()
        reposted = await core.redeliver()
        if reposted:
            log.info("posted %d clip(s) that finished while the bot was away", reposted)
        delivery = asyncio.create_task(core.keep_delivering(), name="reelbot-redelivery")
        log.info("Reelbot is running (model %s, data in %s). Ctrl+C stops it.", settings.model,
                 settings.data_dir)
        await stop.wait()
    finally:
        if delivery is not None:
            delivery.cancel()
        for ch in reversed(started):
            try:
                await ch.stop()
            except Exception:
                log.exception("channel %s did not stop cleanly", ch.name)
        await core.close()
    return 0
