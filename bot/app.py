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

  Web      : REELBOT_WEB_ENABLED=true (the default; REELBOT_WEB_HOST / REELBOT_WEB_PORT, 127.0.0.1:8080)
  Telegram : REELBOT_TELEGRAM_TOKEN=<token from @BotFather>
             (optional REELBOT_TELEGRAM_API_URL=http://127.0.0.1:8081 for a self-hosted Bot API server)
  Discord  : REELBOT_DISCORD_TOKEN=<bot token from the developer portal>
             (optional REELBOT_DISCORD_GUILD_ID=<server id> to see the slash commands at once;
             docs/DISCORD.md has the intents, the invite link and the permissions)
"""


class Channel(Protocol):
    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def setup_logging(level: str, secrets: list[str] | None = None) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from bot.log_redaction import install

    install(secrets or [])  # tokens never reach a log line, whatever a library logs
    # httpx logs every request URL, and Telegram URLs carry the bot token: keep them out of the log
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def _secrets(settings: Settings) -> list[str]:
    values = [getattr(settings, name, None) for name in ("telegram_token", "discord_token", "web_token")]
    return [v.get_secret_value() for v in values if v is not None and hasattr(v, "get_secret_value")]


def engine_factory(settings: Settings) -> Callable[[], Any]:
    """Build the engine lazily, in the worker thread, so start-up is quick and the loop never blocks."""

    def build() -> Any:
        from engine.video_engine import DiffusersEngine

        log.info("loading model preset %s", settings.model)
        return DiffusersEngine.load(settings.model, settings.data_dir, **settings.engine_load_options())

    return build


def _has(token: Any) -> bool:
    return token is not None and bool(token.get_secret_value())


def remote_pool(settings: Settings) -> Any:
    """The pool of `reelbot worker` processes behind REELBOT_QUEUE_URL (jobs then run there, not here)."""
    from engine.remote_dispatch import RemotePool

    return RemotePool(settings.queue_url, queue=settings.queue_name)


def any_channel_configured(settings: Settings) -> bool:
    """The web channel (on unless turned off), or a chat platform with a token."""
    return settings.web_enabled or _has(settings.telegram_token) or _has(settings.discord_token)


def where_to_open(settings: Settings, url: str) -> str:
    """The one line `reelbot run` prints: where the web channel is, and what adds the other channels."""
    more = [
        f"{name} with {var}"
        for name, var, token in (
            ("Telegram", "REELBOT_TELEGRAM_TOKEN", settings.telegram_token),
            ("Discord", "REELBOT_DISCORD_TOKEN", settings.discord_token),
        )
        if not _has(token)
    ]
    tail = f"; add {' and '.join(more)} (see .env.example)" if more else ""
    return f"Reelbot is open at {url}{tail}."


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
        from bot.adapters.web_adapter import WebAdapter

        channels.append(WebAdapter(core, settings))
    return channels


async def run(settings: Settings, *, engine: Any = None, stop_event: asyncio.Event | None = None) -> int:
    """Serve until SIGINT/SIGTERM (or `stop_event`). Returns the process exit code."""
    setup_logging(settings.log_level, _secrets(settings))
    if not any_channel_configured(settings):
        print(HOW_TO_CONFIGURE, file=sys.stderr)
        return 2
    from bot.adapters.web_server import refusal

    refused = refusal(settings)
    if not refused and not settings.queue_url:
        try:  # clashing REELBOT_ENGINE_* options stop start-up here, not at the first member's job
            settings.engine_load_options()
        except ValueError as exc:
            refused = str(exc)
    if refused:
        print(f"Reelbot cannot start: {refused}", file=sys.stderr)
        return 2
    from billing.errors import BillingError
    from bot.core import Core

    try:
        if engine is None:  # a queue URL: the jobs run on remote workers; else engine threads here
            engine = remote_pool(settings) if settings.queue_url else engine_factory(settings)
        core = await Core.open(settings, engine)
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
            try:
                await ch.start()
            except OSError as exc:
                if ch.name != "web":
                    raise
                print(
                    f"Reelbot cannot start: the web channel cannot listen on {settings.web_host}:"
                    f"{settings.web_port} ({exc.strerror or exc}). Pick another REELBOT_WEB_PORT.",
                    file=sys.stderr,
                )
                return 2
            started.append(ch)
            log.info("channel %s started", ch.name)
        try:
            await core.start()
        except ConnectionError as exc:  # the queue's Redis cannot be reached
            print(f"Reelbot cannot start: {exc}", file=sys.stderr)
            return 2
        reposted = await core.redeliver()
        if reposted:
            log.info("posted %d clip(s) that finished while the bot was away", reposted)
        delivery = asyncio.create_task(core.keep_delivering(), name="reelbot-redelivery")
        log.info(
            "Reelbot is running (%s, data in %s). Ctrl+C stops it.",
            f"jobs on the worker pool of queue {settings.queue_name}"
            if settings.queue_url
            else f"model {settings.model}",
            settings.data_dir,
        )
        web = next((ch for ch in started if ch.name == "web"), None)
        if web is not None:
            print(where_to_open(settings, str(getattr(web, "url", settings.web_url))), flush=True)
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
