"""What the web channel pushes to browsers: each member's chat (a bounded log of messages, posted, edited
and deleted as the core's answers and job notices come), and the server-sent event streams that carry
those changes, a member's job progress and "the feed has news" to every open page.

In memory: a restart empties the chat logs (jobs, clips and the feed are in the database). Knows nothing
of the core; the adapter decides what goes where.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Final

log = logging.getLogger(__name__)

#: messages kept per member's chat
CHAT_KEPT: Final = 200
#: events a slow stream may fall behind before it is dropped (the browser reconnects and reloads)
STREAM_BACKLOG: Final = 256
#: a comment line this often keeps proxies and the browser from closing an idle stream
HEARTBEAT_S: Final = 15.0


@dataclass(frozen=True)
class Event:
    """One server-sent event: its type (message, edit, delete, job, feed, hello) and JSON data."""

    type: str
    data: dict[str, Any]

    def encode(self) -> bytes:
        return f"event: {self.type}\ndata: {json.dumps(self.data, ensure_ascii=False)}\n\n".encode()


@dataclass(eq=False)  # each stream is itself (hashable by identity)
class Stream:
    """One open event stream (one browser tab) of a member."""

    member: str
    queue: asyncio.Queue[Event | None] = field(default_factory=lambda: asyncio.Queue(STREAM_BACKLOG))
    dropped: bool = False

    def put(self, event: Event) -> None:
        if self.dropped:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:  # it cannot keep up: end it rather than buffer without bound
            self.dropped = True
            self.queue.get_nowait()
            self.queue.put_nowait(None)


class EventHub:
    """Every open stream, by member. Publishing never waits on a browser."""

    def __init__(self) -> None:
        self._streams: dict[str, set[Stream]] = {}
        self.closed = False

    @property
    def count(self) -> int:
        return sum(len(s) for s in self._streams.values())

    def open(self, member: str) -> Stream:
        stream = Stream(member)
        self._streams.setdefault(member, set()).add(stream)
        return stream

    def close(self, stream: Stream) -> None:
        streams = self._streams.get(stream.member)
        if streams is not None:
            streams.discard(stream)
            if not streams:
                del self._streams[stream.member]

    def publish(self, member: str, event: Event) -> None:
        """To every open stream of `member` (a chat id)."""
        for stream in list(self._streams.get(member, ())):
            stream.put(event)

    def broadcast(self, event: Event) -> None:
        """To every open stream."""
        for streams in list(self._streams.values()):
            for stream in list(streams):
                stream.put(event)

    def shutdown(self) -> None:
        """End every stream (the server stops)."""
        self.closed = True
        for streams in list(self._streams.values()):
            for stream in list(streams):
                stream.dropped = True
                try:
                    stream.queue.put_nowait(None)
                except asyncio.QueueFull:
                    pass

    async def events(self, stream: Stream, heartbeat_s: float = HEARTBEAT_S) -> AsyncIterator[bytes]:
        """The bytes to write to the browser, until the stream ends (a heartbeat comment when idle)."""
        try:
            while not self.closed:
                try:
                    event = await asyncio.wait_for(stream.queue.get(), heartbeat_s)
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                if event is None:
                    return
                yield event.encode()
        finally:
            self.close(stream)


class ChatLog:
    """Each member's chat: message id -> message (JSON-ready dicts), oldest first, at most CHAT_KEPT."""

    def __init__(self) -> None:
        self._chats: dict[str, OrderedDict[str, dict[str, Any]]] = {}
        # message ids stay unique across restarts (the post index in the database outlives this log)
        self._prefix = secrets.token_hex(3)
        self._next = 0

    def new_id(self) -> str:
        self._next += 1
        return f"{self._prefix}-{self._next}"

    def add(self, chat: str, message: dict[str, Any]) -> None:
        log_ = self._chats.setdefault(chat, OrderedDict())
        log_[message["id"]] = message
        while len(log_) > CHAT_KEPT:
            log_.popitem(last=False)

    def replace(self, chat: str, message: dict[str, Any]) -> bool:
        """Put `message` in place of the message with its id; False when that one is gone."""
        log_ = self._chats.get(chat)
        if log_ is None or message["id"] not in log_:
            return False
        log_[message["id"]] = message
        return True

    def remove(self, chat: str, message_id: str) -> bool:
        log_ = self._chats.get(chat)
        return log_ is not None and log_.pop(message_id, None) is not None

    def get(self, chat: str, message_id: str) -> dict[str, Any] | None:
        log_ = self._chats.get(chat)
        return log_.get(message_id) if log_ is not None else None

    def messages(self, chat: str) -> list[dict[str, Any]]:
        return list((self._chats.get(chat) or {}).values())
