"""A local Discord for tests: the REST API under /api/v10 and the gateway websocket (tests/fakes/
discord_gateway.py) on 127.0.0.1, built to Discord's documented payloads, keeping what a test asserts on.

REST: login (/users/@me, /oauth2/applications/@me), GET /gateway/bot (which names this server's websocket),
application-command bulk overwrites (global and per guild, checked against Discord's rules), interaction
callbacks (types 4, 5, 6, 7 and 9, within 3 s of the interaction, once), the interaction webhook (edit or
delete the original response, followups; tokens live 15 minutes), channel messages (JSON or multipart with
files, checked against Discord's limits and the guild's upload limit), reactions, DMs, and attachment
downloads. Every answer carries Discord's X-RateLimit-* headers from real per-route buckets; a bucket run
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
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.discord_gateway import Gateway, Session
from tests.fakes.discord_members import MemberActions
from tests.fakes.discord_models import (
    DM,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    MESSAGE_CHAT_INPUT,
    MESSAGE_DEFAULT,
    MESSAGE_REPLY,
    ApiError,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeUser,
    Snowflakes,
    StoredFile,
    check_command_list,
    check_message,
    check_modal,
    form_error,
    iso,
    unknown,
)

log = logging.getLogger(__name__)
JSON = dict[str, Any]
API = "/api/v10"

#: an interaction must be answered within this many seconds, and its token works this long
INTERACTION_WINDOW_S = 3.0
TOKEN_LIFETIME_S = 15 * 60
#: (requests, seconds) per bucket; messages are Discord's 5 per 5 s per channel
DEFAULT_BUCKETS: dict[str, tuple[int, float]] = {
    "create_message": (5, 5.0), "edit_message": (5, 5.0), "delete_message": (5, 1.0),
    "followup": (5, 2.0), "edit_webhook_message": (5, 2.0), "delete_webhook_message": (5, 2.0),
    "add_reaction": (1, 0.25),
}
RELAXED_BUCKET = (50, 1.0)


@dataclass
class Call:
    """One REST request as the fake answered it: `name` is the route's name (e.g. create_message),
    `params` the path parameters, `body` the JSON (or a multipart's payload_json), `files` its files."""

    name: str
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    files: list[StoredFile]
    at: float
    status: int = 200
    response: Any = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class FakeInteraction:
    """An interaction the fake sent, and how the bot answered it."""

    id: int
    token: str
    type: int
    payload: JSON
    user: FakeUser
    channel: FakeChannel
    created: float = field(default_factory=time.monotonic)
    message: FakeMessage | None = None  # the message a component sits on
    response_type: int | None = None
    response_at: float | None = None
    original: FakeMessage | None = None  # the message the response created (or updated)
    modal: JSON | None = None
    followups: list[int] = field(default_factory=list)

    @property
    def answered_in(self) -> float | None:
        """Seconds from dispatch to the bot's callback."""
        return None if self.response_at is None else self.response_at - self.created


@dataclass
class _Bucket:
    limit: int
    window: float
    used: int = 0
    reset_at: float = 0.0


class FakeDiscord(MemberActions):
    """`async with FakeDiscord() as fake:` serves on 127.0.0.1; `fake.url` is the API root to configure."""

    def __init__(self, token: str = "fake.bot.token", *, bot_name: str = "Reelbot",
                 allow_message_content: bool = True, heartbeat_interval_ms: int = 41250,
                 buckets: dict[str, tuple[int, float]] | None = None) -> None:
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
        self.rate_limited: list[Call] = []
        self._changed = asyncio.Condition()
        self.gateway = Gateway(ready_payload=self._ready, guild_payloads=self._guild_payloads,
                               check_token=lambda t: t == self.token,
                               allow_privileged=lambda: (1 << 15) if self.allow_message_content else 0,
                               heartbeat_interval_ms=heartbeat_interval_ms)
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

    async def wait_for(self, name: str, predicate: Callable[[Call], bool] = lambda c: True, *,
                       timeout: float = 10.0, after: int = 0) -> Call:
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
        return [m for m in self.messages.values()
                if m.channel_id == channel.id and (include_deleted or not m.deleted)]

    def plan_429(self, name: str, retry_after: float, *, is_global: bool = False) -> None:
        """The next request to route `name` is answered 429 with `retry_after` seconds."""
        self._planned_429.append((name, retry_after, is_global))

    def synced(self, guild: FakeGuild | None = None) -> list[JSON]:
        """The commands the bot last synced (to `guild`, or globally)."""
        return self.commands.get(guild.id if guild else None, [])

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- gateway state -----------------------------------------------------------------------------------

    def _ready(self, session: Session, shard: str) -> JSON:
        return {"v": 10, "user": {**self.bot.payload(), "verified": True, "mfa_enabled": False, "email": None},
                "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
                "session_id": session.id, "session_type": "normal",
                "resume_gateway_url": self.url.replace("http", "ws", 1) + "/gateway",
                "shard": json.loads(shard), "application": {"id": str(self.application_id), "flags": 1 << 19},
                "private_channels": [], "relationships": [], "presences": [], "guild_join_requests": [],
                "geo_ordered_rtc_regions": ["rotterdam"], "user_settings": {}, "auth": {}}

    def _guild_payloads(self) -> list[JSON]:
        return [g.payload(FakeMember(self.bot, [r.id for r in g.roles.values() if r.bot_id == self.bot.id]))
                for g in self.guilds.values()]

    # -- plumbing ----------------------------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Callable[[web.Request], Any]) -> web.StreamResponse:
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
        body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": is_global}
        headers = {**self._rate_headers(name, key, exhausted=True), "Retry-After": str(math.ceil(retry_after)),
                   "X-RateLimit-Scope": "global" if is_global else "user", "Via": "1.1 google"}
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        return _json(429, body, headers)

    def _rate_headers(self, name: str, key: str, *, exhausted: bool = False) -> dict[str, str]:
        bucket = self._bucket(name, key)
        reset_after = max(bucket.reset_at - time.time(), 0.0)
        return {"X-RateLimit-Limit": str(bucket.limit),
                "X-RateLimit-Remaining": "0" if exhausted else str(max(bucket.limit - bucket.used, 0)),
                "X-RateLimit-Reset": f"{bucket.reset_at:.3f}", "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                "X-RateLimit-Bucket": hashlib.sha1(name.encode()).hexdigest()[:16]}

    # -- login and the gateway address ----------------------------------------------------------------------

    async def _get_me(self, call: Call) -> tuple[int, Any]:
        return 200, {**self.bot.payload(), "verified": True, "mfa_enabled": False, "locale": "en-US",
                     "email": None, "flags": 0, "premium_type": 0, "bio": ""}

    async def _get_application(self, call: Call) -> tuple[int, Any]:
        return 200, {"id": str(self.application_id), "name": self.bot.username, "icon": None, "description": "",
                     "summary": "", "type": None, "bot_public": True, "bot_require_code_grant": False,
                     "verify_key": "0" * 64, "owner": self.owner.payload(), "team": None, "flags": 1 << 19,
                     "bot": self.bot.payload(), "redirect_uris": [], "interactions_endpoint_url": None,
                     "role_connections_verification_url": None, "tags": [], "approximate_guild_count": len(self.guilds),
                     "hook": True, "integration_types_config": {"0": {}}}

    async def _get_gateway_bot(self, call: Call) -> tuple[int, Any]:
        return 200, {"url": self.url.replace("http", "ws", 1) + "/gateway", "shards": 1,
                     "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14400000,
                                             "max_concurrency": 1}}

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
            entry = {"id": old.get((kind, cmd["name"])) or str(self.ids.next()), "application_id": application_id,
                     "version": str(self.ids.next()), "type": kind, "name": cmd["name"],
                     "name_localizations": cmd.get("name_localizations"), "description": cmd.get("description", ""),
                     "description_localizations": cmd.get("description_localizations"),
                     "options": cmd.get("options") or [],
                     # Discord takes the permissions as a number or a string, and answers a string
                     "default_member_permissions": None if cmd.get("default_member_permissions") is None
                     else str(cmd["default_member_permissions"]),
                     "dm_permission": cmd.get("dm_permission", True), "nsfw": cmd.get("nsfw", False),
                     "contexts": cmd.get("contexts"), "integration_types": cmd.get("integration_types") or [0]}
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

    # -- interactions -----------------------------------------------------------------------------------------

    async def _interaction_callback(self, call: Call, interaction_id: str, token: str) -> tuple[int, Any]:
        it = self.interactions.get(int(interaction_id))
        if it is None or it.token != token or time.monotonic() - it.created > self.interaction_window_s:
            raise unknown("interaction", 10062)
        if it.response_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        body = call.body if isinstance(call.body, dict) else {}
        kind, data = body.get("type"), body.get("data") or {}
        component = it.type == 3 or (it.type == 5 and it.message is not None)
        if kind not in (4, 5, 6, 7, 9) or (kind in (6, 7) and not component) or (kind == 9 and it.type == 5):
            raise form_error("type", "INTERACTION_RESPONSE_TYPE_INVALID", "Interaction response type is invalid")
        if kind == 9:
            check_modal(data)
            it.modal = data
        elif kind in (4, 5):
            flags = int(data.get("flags") or 0) & FLAG_EPHEMERAL
            if kind == 4:
                check_message(data, call.files, upload_limit=self._upload_limit(it.channel))
            else:
                flags |= FLAG_LOADING
            it.original = self._store(it.channel, data if kind == 4 else {}, call.files, flags=flags,
                                      interaction=it)
        elif kind == 7:
            assert it.message is not None
            check_message(data, call.files, upload_limit=self._upload_limit(it.channel), editing=True)
            self._edit(it.message, data, call.files)
            it.original = it.message
        else:
            it.original = it.message
        it.response_type, it.response_at = kind, time.monotonic()
        if call.query.get("with_response") not in ("1", "true", "True"):
            return 204, None
        out: JSON = {"interaction": {"id": str(it.id), "type": it.type,
                                     "response_message_id": str(it.original.id) if it.original else None,
                                     "response_message_loading": kind == 5,
                                     "response_message_ephemeral": bool(it.original and it.original.ephemeral)},
                     "resource": {"type": kind}}
        if kind in (4, 5, 7) and it.original is not None:
            out["resource"]["message"] = self._message_payload(it.original)
        return 200, out

    def _by_token(self, application_id: str, token: str) -> FakeInteraction:
        if int(application_id) != self.application_id:
            raise unknown("Webhook", 10015)
        it = next((i for i in self.interactions.values() if i.token == token), None)
        if it is None:
            raise unknown("Webhook", 10015)
        if time.monotonic() - it.created > self.token_lifetime_s:
            raise ApiError(401, 50027, "Invalid Webhook Token")
        return it

    def _webhook_message(self, it: FakeInteraction, message_id: str) -> FakeMessage:
        if message_id == "@original":
            if it.original is None or it.original.deleted:
                raise unknown("Message", 10008)
            return it.original
        msg = self.messages.get(int(message_id))
        mine = int(message_id) in it.followups or (it.original is not None and it.original.id == int(message_id))
        if msg is None or msg.deleted or not mine:
            raise unknown("Message", 10008)
        return msg

    async def _followup(self, call: Call, application_id: str, token: str) -> tuple[int, Any]:
        it = self._by_token(application_id, token)
        if it.response_type is None:
            raise unknown("Webhook", 10015)
        body = call.body if isinstance(call.body, dict) else {}
        check_message(body, call.files, upload_limit=self._upload_limit(it.channel))
        msg = self._store(it.channel, body, call.files, flags=int(body.get("flags") or 0) & FLAG_EPHEMERAL,
                          interaction=it)
        it.followups.append(msg.id)
        if call.query.get("wait") in ("true", "True", "1"):
            return 200, self._message_payload(msg)
        return 204, None

    async def _get_webhook_message(self, call: Call, application_id: str, token: str,
                                   message_id: str) -> tuple[int, Any]:
        return 200, self._message_payload(self._webhook_message(self._by_token(application_id, token), message_id))

    async def _edit_webhook_message(self, call: Call, application_id: str, token: str,
                                    message_id: str) -> tuple[int, Any]:
        it = self._by_token(application_id, token)
        msg = self._webhook_message(it, message_id)
        body = call.body if isinstance(call.body, dict) else {}
        check_message(body, call.files, upload_limit=self._upload_limit(it.channel), editing=True)
        self._edit(msg, body, call.files)
        return 200, self._message_payload(msg)

    async def _delete_webhook_message(self, call: Call, application_id: str, token: str,
                                      message_id: str) -> tuple[int, Any]:
        msg = self._webhook_message(self._by_token(application_id, token), message_id)
        await self._delete(msg)
        return 204, None

    # -- channels and messages ------------------------------------------------------------------------------

    def _channel(self, channel_id: str) -> FakeChannel:
        channel = self.channels.get(int(channel_id))
        if channel is None:
            raise unknown("Channel", 10003)
        return channel

    def _upload_limit(self, channel: FakeChannel) -> int:
        guild = self.guilds.get(channel.guild_id or 0)
        return guild.upload_limit if guild else 10 * 1024 * 1024

    async def _get_channel(self, call: Call, channel_id: str) -> tuple[int, Any]:
        return 200, self._channel(channel_id).payload()

    async def _create_dm(self, call: Call) -> tuple[int, Any]:
        recipient = int((call.body or {}).get("recipient_id", 0))
        user = self.users.get(recipient)
        if user is None or user.bot:
            raise form_error("recipient_id", "NUMBER_TYPE_COERCE", "Value is not snowflake.")
        return 200, self.dm_channel(user).payload()

    async def _create_message(self, call: Call, channel_id: str) -> tuple[int, Any]:
        channel = self._channel(channel_id)
        if channel.type == DM and any(u.id in self.dm_closed for u in channel.recipients):
            raise ApiError(403, 50007, "Cannot send messages to this user")
        body = call.body if isinstance(call.body, dict) else {}
        check_message(body, call.files, upload_limit=self._upload_limit(channel))
        ref = body.get("message_reference")
        if ref:
            target = self.messages.get(int(ref.get("message_id", 0)))
            if (target is None or target.deleted or target.channel_id != channel.id) and ref.get(
                    "fail_if_not_exists", True):
                raise form_error("message_reference", "REPLIES_UNKNOWN_MESSAGE", "Unknown message")
            if target is None or target.deleted:
                body = {k: v for k, v in body.items() if k != "message_reference"}
        msg = self._store(channel, body, call.files)
        return 200, self._message_payload(msg)

    def _message(self, channel_id: str, message_id: str) -> FakeMessage:
        msg = self.messages.get(int(message_id))
        if msg is None or msg.deleted or msg.channel_id != int(channel_id) or msg.ephemeral:
            raise unknown("Message", 10008)  # ephemeral messages are not reachable through the channel
        return msg

    async def _get_message(self, call: Call, channel_id: str, message_id: str) -> tuple[int, Any]:
        return 200, self._message_payload(self._message(channel_id, message_id))

    async def _edit_message(self, call: Call, channel_id: str, message_id: str) -> tuple[int, Any]:
        msg = self._message(channel_id, message_id)
        if msg.author.id != self.bot.id:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        body = call.body if isinstance(call.body, dict) else {}
        check_message(body, call.files, upload_limit=self._upload_limit(self.channels[msg.channel_id]), editing=True)
        self._edit(msg, body, call.files)
        return 200, self._message_payload(msg)

    async def _delete_message(self, call: Call, channel_id: str, message_id: str) -> tuple[int, Any]:
        msg = self._message(channel_id, message_id)
        if msg.author.id != self.bot.id:
            raise ApiError(403, 50013, "Missing Permissions")
        await self._delete(msg)
        return 204, None

    async def _add_reaction(self, call: Call, channel_id: str, message_id: str, emoji: str) -> tuple[int, Any]:
        msg = self._message(channel_id, message_id)
        msg.reactions.setdefault(emoji, set()).add(self.bot.id)
        return 204, None

    async def _remove_reaction(self, call: Call, channel_id: str, message_id: str, emoji: str) -> tuple[int, Any]:
        self._message(channel_id, message_id).reactions.get(emoji, set()).discard(self.bot.id)
        return 204, None

    # -- the message store ------------------------------------------------------------------------------------

    def _store(self, channel: FakeChannel, body: JSON, files: list[StoredFile], *, flags: int = 0,
               interaction: FakeInteraction | None = None) -> FakeMessage:
        ref = body.get("message_reference")
        msg = FakeMessage(
            id=self.ids.next(), channel_id=channel.id, guild_id=channel.guild_id, author=self.bot,
            content=body.get("content") or "", embeds=list(body.get("embeds") or []),
            components=list(body.get("components") or []), flags=flags,
            type=MESSAGE_REPLY if ref else (MESSAGE_CHAT_INPUT if interaction else MESSAGE_DEFAULT),
            reference={"message_id": str(ref["message_id"]), "channel_id": str(channel.id),
                       **({"guild_id": str(channel.guild_id)} if channel.guild_id else {})} if ref else None,
            webhook_id=self.application_id if interaction else None,
            application_id=self.application_id if interaction else None,
            interaction_id=interaction.id if interaction else None,
            interaction_user=interaction.user if interaction else None,
        )
        msg.attachments, msg.files = self._attach(msg, body, files, keep=[])
        self.messages[msg.id] = msg
        if not msg.ephemeral:
            asyncio.get_running_loop().create_task(
                self.gateway.dispatch("MESSAGE_CREATE", self._message_payload(msg), private=channel.type == DM))
        return msg

    def _attach(self, msg: FakeMessage, body: JSON, files: list[StoredFile],
                keep: list[JSON]) -> tuple[list[JSON], list[StoredFile]]:
        """The attachments a message ends up with: kept old ones plus the files uploaded now, named as the
        body's `attachments` list says (by `id`, the index of `files[n]`)."""
        described = {str(a.get("id")): a for a in body.get("attachments") or []}
        out = list(keep)
        for index, stored in enumerate(files):
            attachment_id = self.ids.next()
            self.attachments[attachment_id] = stored.data
            about = described.get(str(index), {})
            filename = about.get("filename") or stored.filename
            out.append({"id": str(attachment_id), "filename": filename, "size": len(stored.data),
                        "url": f"{self.url}/attachments/{msg.channel_id}/{attachment_id}/{filename}",
                        "proxy_url": f"{self.url}/attachments/{msg.channel_id}/{attachment_id}/{filename}",
                        "content_type": stored.content_type if "/" in stored.content_type else _guess(filename),
                        **({"description": about["description"]} if about.get("description") else {})})
        return out, [*msg.files, *files] if keep else list(files)

    def _edit(self, msg: FakeMessage, body: JSON, files: list[StoredFile]) -> None:
        msg.edits.append({"content": msg.content, "embeds": msg.embeds, "components": msg.components,
                          "flags": msg.flags})
        if "content" in body:
            msg.content = body["content"] or ""
        if "embeds" in body:
            msg.embeds = list(body["embeds"] or [])
        if "components" in body:
            msg.components = list(body["components"] or [])
        if "attachments" in body or files:
            wanted = {str(a.get("id")) for a in body.get("attachments") or []}
            keep = [a for a in msg.attachments if a["id"] in wanted] if "attachments" in body else msg.attachments
            msg.attachments, msg.files = self._attach(msg, body, files, keep=keep)
        msg.flags &= ~FLAG_LOADING
        msg.edited = time.time()

    async def _delete(self, msg: FakeMessage) -> None:
        msg.deleted = True
        if not msg.ephemeral:
            channel = self.channels[msg.channel_id]
            await self.gateway.dispatch("MESSAGE_DELETE", {"id": str(msg.id), "channel_id": str(msg.channel_id),
                                                           **({"guild_id": str(msg.guild_id)} if msg.guild_id else {})},
                                        private=channel.type == DM)

    def _message_payload(self, msg: FakeMessage) -> JSON:
        return msg.payload(resolved=self.messages)


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
                files.append(StoredFile(part.filename or "file", bytes(data),  # type: ignore[union-attr]
                                        part.headers.get("Content-Type", "application/octet-stream")))  # type: ignore[union-attr]
        return body, files
    raw = await request.read()
    return (json.loads(raw) if raw else None), []


def _json(status: int, payload: Any, headers: dict[str, str] | None = None) -> web.Response:
    # exactly "application/json", no charset, as Discord sends it (discord.py compares the header verbatim)
    return web.Response(status=status, body=json.dumps(payload, ensure_ascii=False).encode(),
                        headers={**(headers or {}), "Content-Type": "application/json"})


def _guess(filename: str) -> str:
    import mimetypes

    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


__all__ = ["Call", "FakeDiscord", "FakeInteraction", "iso"]
