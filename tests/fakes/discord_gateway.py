"""The fake's gateway: Discord's websocket protocol (Topics: Gateway, Opcodes and Status Codes) for one bot.

HELLO, IDENTIFY (token and intents checked, privileged intents refused with 4014 unless allowed), READY and
one GUILD_CREATE per guild, heartbeats answered with HEARTBEAT_ACK, RESUME replaying what was missed (then
RESUMED) or INVALID_SESSION, RECONNECT on request, and `zlib-stream` transport compression when the client
asks for it. Dispatches are filtered by the intents the bot identified with, as Discord does.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

log = logging.getLogger(__name__)
JSON = dict[str, Any]

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE, RESUME, RECONNECT, MEMBERS, INVALID_SESSION, HELLO, ACK = (
    0,
    1,
    2,
    3,
    4,
    6,
    7,
    8,
    9,
    10,
    11,
)

# intents (Topics: Gateway, Gateway Intents)
GUILDS, GUILD_MEMBERS, GUILD_MESSAGES, GUILD_REACTIONS = 1 << 0, 1 << 1, 1 << 9, 1 << 10
DM_MESSAGES, DM_REACTIONS, MESSAGE_CONTENT, GUILD_PRESENCES = 1 << 12, 1 << 13, 1 << 15, 1 << 8
PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT

#: which intent each event needs (guild events, DM events); None: always sent
_EVENT_INTENTS: dict[str, tuple[int | None, int | None]] = {
    "GUILD_CREATE": (GUILDS, None),
    "MESSAGE_CREATE": (GUILD_MESSAGES, DM_MESSAGES),
    "MESSAGE_UPDATE": (GUILD_MESSAGES, DM_MESSAGES),
    "MESSAGE_DELETE": (GUILD_MESSAGES, DM_MESSAGES),
    "MESSAGE_REACTION_ADD": (GUILD_REACTIONS, DM_REACTIONS),
    "MESSAGE_REACTION_REMOVE": (GUILD_REACTIONS, DM_REACTIONS),
}


@dataclass
class Frame:
    """One gateway payload, either way, as the fake saw it (decompressed)."""

    direction: str  # "in" (from the bot) or "out" (to the bot)
    op: int
    t: str | None
    s: int | None
    d: Any
    at: float = field(default_factory=time.time)


@dataclass
class Session:
    """A gateway session: what was sent under it (for RESUME) and with which intents."""

    id: str
    intents: int
    seq: int = 0
    sent: list[JSON] = field(default_factory=list)
    resumable: bool = True


class Gateway:
    """The websocket endpoint. `ready_payload(session)` and `guild_payloads()` come from the fake's state;
    `check_token(token)` says whether IDENTIFY/RESUME may go on."""

    def __init__(
        self,
        *,
        ready_payload: Callable[[Session, str], JSON],
        guild_payloads: Callable[[], list[JSON]],
        check_token: Callable[[str], bool],
        allow_privileged: Callable[[], int],
        heartbeat_interval_ms: int = 41250,
    ) -> None:
        self._ready_payload = ready_payload
        self._guild_payloads = guild_payloads
        self._check_token = check_token
        self._allow_privileged = allow_privileged
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.frames: list[Frame] = []
        self.sessions: dict[str, Session] = {}
        self.session: Session | None = None
        self.connections = 0
        self.query: list[dict[str, str]] = []
        self._ws: web.WebSocketResponse | None = None
        self._compress: Any = None
        self._send_lock = asyncio.Lock()
        self.ready = asyncio.Event()
        self.closes: list[int] = []
        self.closing = False  # the server is going away: new connections are closed at once

    # -- what tests look at ----------------------------------------------------------------------------

    def received(self, op: int) -> list[Frame]:
        """Frames of opcode `op` the bot sent."""
        return [f for f in self.frames if f.direction == "in" and f.op == op]

    def dispatched(self, t: str) -> list[Frame]:
        return [f for f in self.frames if f.direction == "out" and f.t == t]

    @property
    def connected(self) -> bool:
        return self._ws is not None and not self._ws.closed

    async def dispatch(self, t: str, d: JSON, *, private: bool = False) -> bool:
        """Send event `t` under the current session, if its intents allow it (`private`: a DM event). While
        the bot is disconnected the event waits for its RESUME. Returns whether the bot was sent it."""
        session = self.session
        if session is None:
            return False
        need = _EVENT_INTENTS.get(t, (None, None))[1 if private else 0]
        if need is not None and not session.intents & need:
            return False
        session.seq += 1
        payload = {"op": DISPATCH, "t": t, "s": session.seq, "d": d}
        session.sent.append(payload)
        if self.connected:
            await self._send(payload)
        return True

    async def reconnect(self) -> None:
        """Ask the bot to reconnect and resume (opcode 7), as Discord does before moving a session."""
        await self._send({"op": RECONNECT, "d": None, "s": None, "t": None})

    async def drop(self, code: int = 4000) -> None:
        """Close the socket with `code` (4000: an unknown error, resumable)."""
        if self._ws is not None:
            await self._ws.close(code=code, message=b"dropped by the test")

    # -- the endpoint -----------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        if self.closing:
            await ws.close(code=1001, message=b"going away")
            return ws
        self.connections += 1
        self.query.append(dict(request.query))
        if request.query.get("encoding", "json") != "json" or request.query.get("v") not in (None, "9", "10"):
            await ws.close(code=4012, message=b"Invalid API version")
            return ws
        compress = request.query.get("compress")
        if compress not in (None, "zlib-stream"):
            await ws.close(code=4000, message=b"Unsupported compression")  # zstd-stream is not offered here
            return ws
        if self._ws is not None and not self._ws.closed:
            await self._ws.close(code=4000, message=b"replaced by a new connection")
        self._ws = ws
        self._compress = zlib.compressobj() if compress else None
        await self._send(
            {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None}
        )
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    await ws.close(code=4002, message=b"Decode error")
                    break
                try:
                    frame = json.loads(msg.data)
                except ValueError:
                    await ws.close(code=4002, message=b"Decode error")
                    break
                await self._on_frame(ws, frame)
        finally:
            if ws.close_code is not None:
                self.closes.append(ws.close_code)
            if self._ws is ws:
                self._ws = None
        return ws

    async def _on_frame(self, ws: web.WebSocketResponse, frame: JSON) -> None:
        op, d = frame.get("op"), frame.get("d")
        self.frames.append(Frame("in", op if isinstance(op, int) else -1, None, None, _redacted(op, d)))
        if op == HEARTBEAT:
            await self._send({"op": ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(ws, d or {})
        elif op == RESUME:
            await self._resume(ws, d or {})
        elif op in (PRESENCE, VOICE, MEMBERS):
            pass
        else:
            await ws.close(code=4001, message=b"Unknown opcode")

    async def _identify(self, ws: web.WebSocketResponse, d: JSON) -> None:
        if not self._check_token(str(d.get("token", ""))):
            await ws.close(code=4004, message=b"Authentication failed")
            return
        intents = int(d.get("intents", 0))
        if intents & PRIVILEGED & ~self._allow_privileged():
            await ws.close(code=4014, message=b"Disallowed intent(s)")
            return
        shard = d.get("shard") or [0, 1]
        if not (isinstance(shard, list) and len(shard) == 2 and 0 <= shard[0] < shard[1]):
            await ws.close(code=4010, message=b"Invalid shard")
            return
        session = Session(secrets.token_hex(16), intents)
        self.sessions[session.id] = session
        self.session = session
        await self.dispatch("READY", self._ready_payload(session, str(shard)))
        for guild in self._guild_payloads():
            await self.dispatch("GUILD_CREATE", guild)
        self.ready.set()

    async def _resume(self, ws: web.WebSocketResponse, d: JSON) -> None:
        if not self._check_token(str(d.get("token", ""))):
            await ws.close(code=4004, message=b"Authentication failed")
            return
        session = self.sessions.get(str(d.get("session_id")))
        if session is None or not session.resumable:
            await self._send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        seq = int(d.get("seq") or 0)
        self.session = session
        for payload in [p for p in session.sent if p["s"] > seq]:
            await self._send(payload)
        session.seq += 1
        resumed = {"op": DISPATCH, "t": "RESUMED", "s": session.seq, "d": {}}
        session.sent.append(resumed)
        await self._send(resumed)

    async def _send(self, payload: JSON) -> None:
        ws = self._ws
        if ws is None or ws.closed:
            return
        self.frames.append(Frame("out", payload["op"], payload.get("t"), payload.get("s"), payload.get("d")))
        data = json.dumps(payload, ensure_ascii=False)
        async with self._send_lock:  # one compression stream: frames must go out in the order compressed
            try:
                if self._compress is not None:
                    await ws.send_bytes(
                        self._compress.compress(data.encode()) + self._compress.flush(zlib.Z_SYNC_FLUSH)
                    )
                else:
                    await ws.send_str(data)
            except ConnectionResetError:
                log.info("gateway: the bot went away while a frame was on its way")


def _redacted(op: Any, d: Any) -> Any:
    """What the frame log keeps of an incoming payload: never the token."""
    if op in (IDENTIFY, RESUME) and isinstance(d, dict) and "token" in d:
        return {**d, "token": "<redacted>"}
    return d
