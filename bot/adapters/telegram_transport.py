"""How the Telegram channel talks to the Bot API: flood control (python-telegram-bot's AIORateLimiter, with
a cap on how long a 429 may hold us), chats that became supergroups, retries of uploads on network errors
(tenacity), and the order in which updates are handled. Nothing here knows what a message says.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from telegram import Message, Update
from telegram.error import BadRequest, ChatMigrated, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter, BaseUpdateProcessor
from telegram.warnings import PTBDeprecationWarning
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

log = logging.getLogger(__name__)
T = TypeVar("T")

#: a flood wait longer than this is not waited out: the call fails into its caller's fallback (a clip is
#: posted again later by redelivery) instead of holding a handler for minutes
MAX_RETRY_AFTER = 60.0
#: how often one call is retried after a 429 it may wait out
FLOOD_RETRIES = 2
#: attempts of an upload that failed on the network (never after Telegram answered it)
UPLOAD_ATTEMPTS = 3


def retry_seconds(exc: RetryAfter) -> float:
    """The wait a 429 asks for, in seconds."""
    with warnings.catch_warnings():  # PTB 22 warns that `retry_after` becomes a timedelta one day
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)


class _TooLong(Exception):
    """Carries a 429 past AIORateLimiter's retry loop, which would otherwise wait it out."""

    def __init__(self, original: RetryAfter) -> None:
        super().__init__(str(original))
        self.original = original


Callback = Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]]


class TelegramLimiter(AIORateLimiter):
    """AIORateLimiter (Telegram's per-bot and per-group rates; a 429 is waited out, pausing every call,
    up to FLOOD_RETRIES times), plus two things it leaves to us:
    - a 429 asking for more than `max_wait` seconds is raised at once, so the caller's fallback runs;
    - a call to a group that became a supergroup (ChatMigrated) is made again with the new chat id, and
      later calls to the old id go to the new one straight away."""

    def __init__(
        self, *, max_wait: float = MAX_RETRY_AFTER, max_retries: int = FLOOD_RETRIES, **rates: float
    ) -> None:
        super().__init__(max_retries=max_retries, **rates)
        self.max_wait = max_wait
        self.migrated: dict[int, int] = {}  # old group id -> supergroup id

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Run one Bot API call through the rate limits; raises what the call raised (RetryAfter too)."""
        # `data` is the very dict PTB is about to send (args is (endpoint, data)), so a new id set here is
        # what the retried call sends
        self._follow(data)

        async def capped(*a: Any, **kw: Any) -> bool | dict[str, Any] | list[dict[str, Any]]:
            try:
                return await callback(*a, **kw)
            except RetryAfter as exc:
                if retry_seconds(exc) > self.max_wait:
                    raise _TooLong(exc) from exc
                raise

        for _ in range(2):  # a migration is followed once
            try:
                return await super().process_request(capped, args, kwargs, endpoint, data, rate_limit_args)
            except _TooLong as exc:
                log.warning(
                    "telegram: %s asks for a %.0f s flood wait; giving up on this call",
                    endpoint,
                    retry_seconds(exc.original),
                )
                raise exc.original from None
            except ChatMigrated as exc:
                old = data.get("chat_id")
                if not isinstance(old, int) or old == exc.new_chat_id:
                    raise
                log.info("telegram: chat %s is now supergroup %s", old, exc.new_chat_id)
                self.migrated[old] = exc.new_chat_id
                self._follow(data)
        raise AssertionError("unreachable")  # the second pass either returns or raises

    def _follow(self, data: dict[str, Any]) -> None:
        chat = data.get("chat_id")
        if isinstance(chat, int) and chat in self.migrated:
            data["chat_id"] = self.migrated[chat]


def _network_hiccup(exc: BaseException) -> bool:
    # BadRequest is a NetworkError in PTB, but Telegram answered it; TimedOut may mean the upload went
    # through, and a second copy of a clip is worse than the redelivery that a failure leads to
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest | TimedOut)


async def with_network_retries(call: Callable[..., Awaitable[T]], /, *args: Any, **kwargs: Any) -> T:
    """`call(*args, **kwargs)`, made again (UPLOAD_ATTEMPTS in all) after a short, growing pause when it
    failed before reaching Telegram; returns what it returned, raises its last error."""
    retrying = AsyncRetrying(
        retry=retry_if_exception(_network_hiccup),
        stop=stop_after_attempt(UPLOAD_ATTEMPTS),
        wait=wait_exponential(multiplier=0.5, max=8),
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            return await call(*args, **kwargs)
    raise AssertionError("unreachable")  # reraise=True: the last failure propagates


class PerChatUpdates(BaseUpdateProcessor):
    """Updates of one chat in order, different chats at once: a slow download or a flood-control pause
    in one group never holds up another chat."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, list[int]]] = {}  # chat -> (lock, [updates using it])

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run `coroutine` once the updates of its chat that came before it are done."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock, users = self._locks.setdefault(chat.id, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                await coroutine
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._locks[chat.id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Forget the chats' locks."""
        self._locks.clear()


class Albums:
    """Albums (media groups) arrive as one update per item, possibly apart and with the caption on any of
    them: gather the items of each until none has come for `wait` seconds, then hand them, in order, to
    `handle` as one message."""

    def __init__(self, handle: Callable[[Update, list[Message]], Awaitable[None]], wait: float) -> None:
        self.handle = handle
        self.wait = wait
        self._items: dict[str, list[Message]] = {}
        self._gathering: dict[str, asyncio.Task[None]] = {}
        self._work: set[asyncio.Task[None]] = set()  # gathering or being handled

    def add(self, update: Update, msg: Message) -> None:
        """One more item of the album of `msg`; the quiet time starts again."""
        key = f"{msg.chat.id}:{msg.media_group_id}"
        self._items.setdefault(key, []).append(msg)
        waiting = self._gathering.pop(key, None)
        if waiting is not None:
            waiting.cancel()  # still asleep: a flush already at work is never cancelled
        task = asyncio.create_task(self._flush(key, update))
        self._gathering[key] = task
        self._work.add(task)
        task.add_done_callback(self._work.discard)

    async def _flush(self, key: str, update: Update) -> None:
        await asyncio.sleep(self.wait)
        self._gathering.pop(key, None)
        items = sorted(self._items.pop(key, []), key=lambda m: m.message_id)
        if items:
            await self.handle(update, items)

    async def drain(self, timeout: float) -> None:
        """Drop albums still gathering; wait up to `timeout` s for those already handed on."""
        for task in self._gathering.values():
            task.cancel()
        if self._work:
            await asyncio.wait(self._work, timeout=timeout)
