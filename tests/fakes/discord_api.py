"""A local Discord for tests: the REST API under /api/v10 and the gateway websocket (tests/fakes/
discord_gateway.py) on 127.0.0.1, built to Discord's documented payloads, keeping what a test asserts on.

REST: login (/users/@me, /oauth2/applications/@me), GET /gateway/bot (which names this server's websocket),
application-command bulk overwrites (global and per guild, checked against Discord's rules), interaction
callbacks (types 4, 5, 6, 7 and 9, within 3 s of the interaction, once), the interaction webhook (edit or
delete the original response, followups; tokens live 15 minutes), channel messages (JSON or multipart with
files, checked against Discord's limits and the guild's upload limit; enforce_nonce; listed newest first
after / before a snowflake), reactions, DMs, and attachment downloads. Faults a test plans: a 429, an
answer that comes late after the request was carried out (`plan_stall`), a channel closed to the bot (403). Every answer carries Discord's X-RateLimit-* headers from real per-route buckets; a bucket run
dry, or a 429 a test plans, answers 429 with `retry_after` the way Discord (behind Google's front end) does.
The member side (people who type, react, run commands and press buttons) is tests/fakes/discord_members.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.discord_checks import check_command_list
from tests.fakes.discord_gateway import Gateway, Session
from tests.fakes.discord_members import MemberActions
from tests.fakes.discord_messages import Call, FakeInteraction, MessageRoutes
from tests.fakes.discord_models import (
    ApiError,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeUser,
    Snowflakes,
    StoredFile,
    form_error,
    iso,
)

log = logging.getLogger(__name__)
JSON = dict[str, Any]
API = "/api/v10"

#: an interaction must be answered within this many seconds, and its token works this long
INTERACTION_WINDOW_S = 3.0
TOKEN_LIFETIME_S = 15 * 60
#: (requests, seconds) per bucket; messages are Discord's 5 per 5 s per channel
DEFAULT_BUCKETS: dict[str, tuple[int, float]] = {
    "create_message": (5, 5.0),
    "edit_message": (5, 5.0),
    "delete_message": (5, 1.0),
    "followup": (5, 2.0),
    "edit_webhook_message": (5, 2.0),
    "delete_webhook_message": (5, 2.0),
    "add_reaction": (1, 0.25),
}
RELAXED_BUCKET = (50, 1.0)


@dataclass
class _Bucket:
    limit: int
    window: float
    used: int = 0
    reset_at: float = 0.0


class FakeDiscord(MessageRoutes, MemberActions):
    """`async with FakeDiscord() as fake:` serves on 127.0.0.1; `fake.url` is the API root to configure."""

    def __init__(
        self,
        token: str = "fake.bot.token",
        *,
        bot_name: str = "Reelbot",
        allow_message_content: bool = True,
        heartbeat_interval_ms: int = 41250,
        buckets: dict[str, tuple[int, float]] | None = None,
    ) -> None:
        self.token = token
        self.ids = Snowflakes()
        self.application_id = self.ids.next()
        self.bot = FakeUser(self.application_id, bot_name, None, bot=True)  # a bot user shares its app's id
        self.owner = FakeUser(self.ids.next(), "operator")
        self.users: dict[int, FakeUser] = {self.bot.id: self.bot, self.owner.id: self.owner}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.messages: dict[int, FakeMessage] = {}
        self.attachments: dict[int, bytes] = {}
        self.commands: dict[int | None, list[JSON]] = {}
        self.interactions: dict[int, FakeInteraction] = {}
        self.calls: list[Call] = []
        self.dm_closed: set[int] = set()
        self.allow_message_content = allow_message_content
        self.interaction_window_s = INTERACTION_WINDOW_S
        self.token_lifetime_s = TOKEN_LIFETIME_S
        self._bucket_rules = {**DEFAULT_BUCKETS, **(buckets or {})}
        self._buckets: dict[str, _Bucket] = {}
        self._planned_429: list[tuple[str, float, bool]] = []
        self._planned_stalls: list[tuple[str, float]] = []
        self.nonces: dict[str, FakeMessage] = {}  # enforce_nonce: nonce -> the message it created
        self.closed_channels: set[int] = set()  # the bot lost Send Messages there: 403 50013
        self.rate_limited: list[Call] = []
        self._changed = asyncio.Condition()
        self.gateway = Gateway(
            ready_payload=self._ready,
            guild_payloads=self._guild_payloads,
            check_token=lambda t: t == self.token,
            allow_privileged=lambda: (1 << 15) if self.allow_message_content else 0,
            heartbeat_interval_ms=heartbeat_interval_ms,
        )
        self._runner: web.AppRunner | None = None
        self.url = ""

    # -- life cycle ------------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application(client_max_size=200 * 1024 * 1024, middlewares=[self._middleware])
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._cdn)
        app.router.add_route("*", API + "/{tail:.*}", self._api)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.gateway.closing = True  # a bot still connected gets no new session
        await self.gateway.drop(1001)
        if self._runner is not None:
            await self._runner.cleanup()

    # -- what tests wait for and look at -------------------------------------------------------------------

    async def wait_for(
        self,
        name: str,
        predicate: Callable[[Call], bool] = lambda c: True,
        *,
        timeout: float = 10.0,
        after: int = 0,
    ) -> Call:
        """The first call named `name` (from index `after` on) matching `predicate`, waiting for it."""

        async def found() -> Call:
            async with self._changed:
                while True:
                    for call in self.calls[after:]:
                        if call.name == name and predicate(call):
                            return call
                    await self._changed.wait()

        return await asyncio.wait_for(found(), timeout)

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `condition()` holds (checked at each REST call, and every 20 ms for gateway frames)."""

        async def poll() -> None:
            while not condition():
                async with self._changed:
                    try:
                        await asyncio.wait_for(self._changed.wait(), 0.02)
                    except TimeoutError:
                        pass

        await asyncio.wait_for(poll(), timeout)

    def calls_to(self, name: str) -> list[Call]:
        return [c for c in self.calls if c.name == name]

    def channel_messages(self, channel: FakeChannel, *, include_deleted: bool = False) -> list[FakeMessage]:
        return [
            m
            for m in self.messages.values()
            if m.channel_id == channel.id and (include_deleted or not m.deleted)
        ]

    def plan_429(self, name: str, retry_after: float, *, is_global: bool = False) -> None:
        """The next request to route `name` is answered 429 with `retry_after` seconds."""
        self._planned_429.append((name, retry_after, is_global))

    def plan_stall(self, name: str, seconds: float) -> None:
        """The next request to route `name` is carried out (a message stored, as Discord does once it has
        the upload), but its answer comes only after `seconds`: the client's timeout fires first."""
        self._planned_stalls.append((name, seconds))

    def synced(self, guild: FakeGuild | None = None) -> list[JSON]:
        """The commands the bot last synced (to `guild`, or globally)."""
        return self.commands.get(guild.id if guild else None, [])

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- gateway state -----------------------------------------------------------------------------------

    def _ready(self, session: Session, shard: str) -> JSON:
        return {
            "v": 10,
            "user": {**self.bot.payload(), "verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.url.replace("http", "ws", 1) + "/gateway",
            "shard": json.loads(shard),
            "application": {"id": str(self.application_id), "flags": 1 << 19},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["rotterdam"],
            "user_settings": {},
            "auth": {},
        }

    def _guild_payloads(self) -> list[JSON]:
        return [
            g.payload(FakeMember(self.bot, [r.id for r in g.roles.values() if r.bot_id == self.bot.id]))
            for g in self.guilds.values()
        ]

    # -- plumbing ----------------------------------------------------------------------------------------

    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        response = await handler(request)
        await self._notify()
        return response

    async def _cdn(self, request: web.Request) -> web.Response:
        data = self.attachments.get(int(request.match_info["attachment_id"]))
        if data is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=data, content_type="application/octet-stream")

    async def _api(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        route = _route(request.method, path)
        if route is None:
            return _json(404, {"message": "404: Not Found", "code": 0})
        name, params, authed = route
        body, files = await _read_body(request)
        call = Call(name, request.method, path, params, dict(request.query), body, files, time.time())
        self.calls.append(call)
        if authed and request.headers.get("Authorization") != f"Bot {self.token}":
            return self._answer(call, 401, {"message": "401: Unauthorized", "code": 0})
        bucket_key = f"{name}:{params.get('channel_id') or params.get('token') or ''}"
        limited = self._limited(name, bucket_key)
        if limited is not None:
            call.status = 429
            self.rate_limited.append(call)
            return limited
        try:
            handler = getattr(self, f"_{name}")
            status, payload = await handler(call, **params)
        except ApiError as err:
            status, payload = err.status, err.body()
        for i, (planned, seconds) in enumerate(self._planned_stalls):
            if planned == name:
                del self._planned_stalls[i]
                await self._notify()
                await asyncio.sleep(seconds)
                break
        return self._answer(call, status, payload, bucket_key)

    def _answer(self, call: Call, status: int, payload: Any, bucket_key: str = "") -> web.Response:
        call.status, call.response = status, payload
        headers = self._rate_headers(call.name, bucket_key) if bucket_key else {}
        if status == 204:
            return web.Response(status=204, headers=headers)
        return _json(status, payload, headers)

    def _bucket(self, name: str, key: str) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            limit, window = self._bucket_rules.get(name, RELAXED_BUCKET)
            bucket = self._buckets[key] = _Bucket(limit, window)
        now = time.time()
        if now >= bucket.reset_at:
            bucket.used, bucket.reset_at = 0, now + bucket.window
        return bucket

    def _limited(self, name: str, key: str) -> web.Response | None:
        for i, (planned, retry_after, is_global) in enumerate(self._planned_429):
            if planned == name:
                del self._planned_429[i]
                return self._too_many(name, key, retry_after, is_global)
        bucket = self._bucket(name, key)
        if bucket.used >= bucket.limit:
            return self._too_many(name, key, max(bucket.reset_at - time.time(), 0.001), False)
        bucket.used += 1
        return None

    def _too_many(self, name: str, key: str, retry_after: float, is_global: bool) -> web.Response:
        body = {
            "message": "You are being rate limited.",
            "retry_after": round(retry_after, 3),
            "global": is_global,
        }
        headers = {
            **self._rate_headers(name, key, exhausted=True),
            "Retry-After": str(math.ceil(retry_after)),
            "X-RateLimit-Scope": "global" if is_global else "user",
            "Via": "1.1 google",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        return _json(429, body, headers)

    def _rate_headers(self, name: str, key: str, *, exhausted: bool = False) -> dict[str, str]:
        bucket = self._bucket(name, key)
        reset_after = max(bucket.reset_at - time.time(), 0.0)
        return {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Remaining": "0" if exhausted else str(max(bucket.limit - bucket.used, 0)),
            "X-RateLimit-Reset": f"{bucket.reset_at:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": hashlib.sha1(name.encode()).hexdigest()[:16],
        }

    # -- login and the gateway address ----------------------------------------------------------------------

    async def _get_me(self, call: Call) -> tuple[int, Any]:
        return 200, {
            **self.bot.payload(),
            "verified": True,
            "mfa_enabled": False,
            "locale": "en-US",
            "email": None,
            "flags": 0,
            "premium_type": 0,
            "bio": "",
        }

    async def _get_application(self, call: Call) -> tuple[int, Any]:
        return 200, {
            "id": str(self.application_id),
            "name": self.bot.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": self.owner.payload(),
            "team": None,
            "flags": 1 << 19,
            "bot": self.bot.payload(),
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "tags": [],
            "approximate_guild_count": len(self.guilds),
            "hook": True,
            "integration_types_config": {"0": {}},
        }

    async def _get_gateway_bot(self, call: Call) -> tuple[int, Any]:
        return 200, {
            "url": self.url.replace("http", "ws", 1) + "/gateway",
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14400000,
                "max_concurrency": 1,
            },
        }

    async def _get_gateway(self, call: Call) -> tuple[int, Any]:
        return 200, {"url": self.url.replace("http", "ws", 1) + "/gateway"}

    # -- application commands --------------------------------------------------------------------------------

    def _app(self, application_id: str) -> None:
        if int(application_id) != self.application_id:
            raise ApiError(403, 50001, "Missing Access")

    async def _overwrite(self, call: Call, application_id: str, guild_id: str | None) -> tuple[int, Any]:
        self._app(application_id)
        if guild_id is not None and int(guild_id) not in self.guilds:
            raise ApiError(403, 50001, "Missing Access")
        commands = call.body if isinstance(call.body, list) else None
        if commands is None:
            raise form_error("_", "BASE_TYPE_ARRAY", "Must be an array.")
        check_command_list(commands)
        key = int(guild_id) if guild_id else None
        old = {(c["type"], c["name"]): c["id"] for c in self.commands.get(key, [])}
        stored = []
        for cmd in commands:
            kind = cmd.get("type", 1)
            entry = {
                "id": old.get((kind, cmd["name"])) or str(self.ids.next()),
                "application_id": application_id,
                "version": str(self.ids.next()),
                "type": kind,
                "name": cmd["name"],
                "name_localizations": cmd.get("name_localizations"),
                "description": cmd.get("description", ""),
                "description_localizations": cmd.get("description_localizations"),
                "options": cmd.get("options") or [],
                # Discord takes the permissions as a number or a string, and answers a string
                "default_member_permissions": None
                if cmd.get("default_member_permissions") is None
                else str(cmd["default_member_permissions"]),
                "dm_permission": cmd.get("dm_permission", True),
                "nsfw": cmd.get("nsfw", False),
                "contexts": cmd.get("contexts"),
                "integration_types": cmd.get("integration_types") or [0],
            }
            if key is not None:
                entry["guild_id"] = guild_id
            stored.append(entry)
        self.commands[key] = stored
        return 200, stored

    async def _bulk_overwrite_global(self, call: Call, application_id: str) -> tuple[int, Any]:
        return await self._overwrite(call, application_id, None)

    async def _bulk_overwrite_guild(self, call: Call, application_id: str, guild_id: str) -> tuple[int, Any]:
        return await self._overwrite(call, application_id, guild_id)

    async def _get_global_commands(self, call: Call, application_id: str) -> tuple[int, Any]:
        self._app(application_id)
        return 200, self.commands.get(None, [])

    async def _get_guild_commands(self, call: Call, application_id: str, guild_id: str) -> tuple[int, Any]:
        self._app(application_id)
        return 200, self.commands.get(int(guild_id), [])


# -- routes -----------------------------------------------------------------------------------------------------

_ROUTES: list[tuple[str, str, str, bool]] = [
    ("GET", "/users/@me", "get_me", True),
    ("GET", "/oauth2/applications/@me", "get_application", True),
    ("GET", "/gateway/bot", "get_gateway_bot", True),
    ("GET", "/gateway", "get_gateway", False),
    ("PUT", "/applications/{application_id}/commands", "bulk_overwrite_global", True),
    ("GET", "/applications/{application_id}/commands", "get_global_commands", True),
    ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", "bulk_overwrite_guild", True),
    ("GET", "/applications/{application_id}/guilds/{guild_id}/commands", "get_guild_commands", True),
    ("POST", "/interactions/{interaction_id}/{token}/callback", "interaction_callback", False),
    ("POST", "/webhooks/{application_id}/{token}", "followup", False),
    ("GET", "/webhooks/{application_id}/{token}/messages/{message_id}", "get_webhook_message", False),
    ("PATCH", "/webhooks/{application_id}/{token}/messages/{message_id}", "edit_webhook_message", False),
    ("DELETE", "/webhooks/{application_id}/{token}/messages/{message_id}", "delete_webhook_message", False),
    ("GET", "/channels/{channel_id}", "get_channel", True),
    ("POST", "/users/@me/channels", "create_dm", True),
    ("POST", "/channels/{channel_id}/messages", "create_message", True),
    ("GET", "/channels/{channel_id}/messages", "list_messages", True),
    ("GET", "/channels/{channel_id}/messages/{message_id}", "get_message", True),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}", "edit_message", True),
    ("DELETE", "/channels/{channel_id}/messages/{message_id}", "delete_message", True),
    ("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", "add_reaction", True),
    ("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", "remove_reaction", True),
]


def _route(method: str, path: str) -> tuple[str, dict[str, str], bool] | None:
    """(name, path parameters, needs the bot token) of the route `method path`, or None."""
    from urllib.parse import unquote

    parts = path.rstrip("/").split("/")
    for verb, template, name, authed in _ROUTES:
        pattern = template.split("/")
        if verb != method or len(pattern) != len(parts):
            continue
        params: dict[str, str] = {}
        for want, got in zip(pattern, parts, strict=True):
            if want.startswith("{"):
                params[want[1:-1]] = unquote(got)
            elif want != got:
                break
        else:
            return name, params, authed
    return None


async def _read_body(request: web.Request) -> tuple[Any, list[StoredFile]]:
    """The JSON body, or a multipart's payload_json and its files[n] parts (Reference: Uploading Files)."""
    if request.content_type.startswith("multipart/"):
        body: Any = {}
        files: list[StoredFile] = []
        reader = await request.multipart()
        async for part in reader:
            name = part.name or ""  # type: ignore[union-attr]
            data = await part.read()  # type: ignore[union-attr]
            if name == "payload_json":
                body = json.loads(data)
            elif name.startswith("files["):
                files.append(
                    StoredFile(
                        part.filename or "file",
                        bytes(data),  # type: ignore[union-attr]
                        part.headers.get("Content-Type", "application/octet-stream"),
                    )
                )  # type: ignore[union-attr]
        return body, files
    raw = await request.read()
    return (json.loads(raw) if raw else None), []


def _json(status: int, payload: Any, headers: dict[str, str] | None = None) -> web.Response:
    # exactly "application/json", no charset, as Discord sends it (discord.py compares the header verbatim)
    return web.Response(
        status=status,
        body=json.dumps(payload, ensure_ascii=False).encode(),
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


__all__ = ["Call", "FakeDiscord", "FakeInteraction", "iso"]
