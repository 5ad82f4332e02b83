"""How often a member may ask: a moving-window rate limiter that says how long to wait, and a guard that
counts a double tap once. In memory, per process; pruned as it goes so it never grows without bound.

Pure bookkeeping: no I/O, no messages, no knowledge of what is being limited.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Hashable


class MovingWindow:
    """At most `limit` events per `window_s` seconds for each key, counted over the last `window_s`
    (not per fixed minute), so the wait it reports is the real one."""

    def __init__(
        self,
        limit: int,
        window_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._max_keys = max_keys
        self._events: dict[Hashable, deque[float]] = {}

    def hit(self, key: Hashable) -> float:
        """Count one event for `key` if it is allowed now. Returns 0.0 when it was allowed (and counted),
        else the seconds until the oldest event in the window leaves it (nothing counted)."""
        now = self._clock()
        q = self._events.get(key)
        if q is None:
            if len(self._events) >= self._max_keys:
                self._prune(now)
            q = self._events[key] = deque()
        while q and now - q[0] >= self.window_s:
            q.popleft()
        if len(q) >= self.limit:
            # window minus the oldest event's age: never above the window, whatever the float rounding
            return max(self.window_s - (now - q[0]), 0.0) or 1e-9
        q.append(now)
        return 0.0

    def wait_s(self, key: Hashable) -> float:
        """Seconds until `key` may act again (0.0: now), without counting anything."""
        now = self._clock()
        q = [t for t in self._events.get(key, ()) if now - t < self.window_s]
        return 0.0 if len(q) < self.limit else max(self.window_s - (now - q[0]), 0.0)

    def _prune(self, now: float) -> None:
        self._events = {k: q for k, q in self._events.items() if q and now - q[-1] < self.window_s}


def whole_seconds(wait_s: float) -> int:
    """A wait as the whole seconds a member is told (never 0: "try again in 0 s" reads as a bug)."""
    return max(1, math.ceil(wait_s))


class RepeatGuard:
    """True for a key seen less than `window_s` ago: the second tap of a double tap."""

    def __init__(
        self, window_s: float = 5.0, *, clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000
    ) -> None:
        self.window_s = window_s
        self._clock = clock
        self._max_keys = max_keys
        self._seen: dict[Hashable, float] = {}

    def repeated(self, key: Hashable) -> bool:
        """Record `key` now; True when it was already recorded within the window."""
        now = self._clock()
        if len(self._seen) >= self._max_keys:
            self._seen = {k: t for k, t in self._seen.items() if now - t < self.window_s}
        last = self._seen.get(key)
        self._seen[key] = now
        return last is not None and now - last < self.window_s


class RefusalGate:
    """Refusals a chat is spared: a flood of refused requests gets one answer, not one each.

    - "slow down" (rate_limited) is said once to a member until the wait it named has passed;
    - the same refusal of the same request (`signature`) by the same member is said once per `window_s`;
    - a chat hears at most `per_chat` refusals per `window_s`, whoever asked.
    Anything that is not a refusal passes untouched."""

    def __init__(
        self,
        window_s: float = 10.0,
        per_chat: int = 20,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.window_s = window_s
        self._clock = clock
        self._max_keys = max_keys
        self._quiet_until: dict[Hashable, float] = {}
        self._chats = MovingWindow(per_chat, window_s, clock=clock, max_keys=max_keys)

    def allow(self, chat: Hashable, user: str, key: str, signature: Hashable, *, wait_s: float = 0.0) -> bool:
        """Should the refusal `key` of `user`'s request `signature` in `chat` be said? Records it if so."""
        now = self._clock()
        if len(self._quiet_until) >= self._max_keys:
            self._quiet_until = {k: t for k, t in self._quiet_until.items() if t > now}
        same = (chat, user, key) if key == "rate_limited" else (chat, user, key, signature)
        if self._quiet_until.get(same, 0.0) > now:
            return False
        if self._chats.hit(chat):
            return False
        self._quiet_until[same] = now + (wait_s if key == "rate_limited" and wait_s else self.window_s)
        return True
