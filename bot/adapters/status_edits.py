"""The status posts of one channel's jobs while they render: progress edits at most one per interval and
one at a time per job (the newest progress that came during an edit goes next), and none after a job's
final word. Timing and order only: what an edit shows and how it is sent is the adapter's (base.py).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.replies import PROGRESS, Notice

#: seconds between two progress edits of one status post (chat platforms allow about one edit a second)
PROGRESS_EDIT_INTERVAL = 3.0
#: how many ended jobs are remembered, so a late progress notice cannot overwrite a final word
ENDED_KEPT = 1024


@dataclass
class _JobEdits:
    """One job's status post while it renders: edits one at a time, the newest progress wins."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last: float | None = None  # when the last progress edit began (monotonic)
    waiting: Notice | None = None  # the newest progress that came during an edit
    over: bool = False  # the final notice came: nothing more to edit


class StatusEdits:
    """Paces the progress edits of a channel's status posts. `show` edits one notice's status post (best
    effort: it must not raise for a refusal of the platform); `interval`: seconds between two progress
    edits of one post."""

    def __init__(
        self, show: Callable[[Notice], Awaitable[None]], interval: float = PROGRESS_EDIT_INTERVAL
    ) -> None:
        self._show = show
        self.interval = interval
        self._jobs: dict[str, _JobEdits] = {}
        self._ended: deque[str] = deque(maxlen=ENDED_KEPT)  # jobs whose final word is out: no more edits

    async def progress(self, notice: Notice) -> None:
        """Started / progress: show it on the status post, unless the last edit is under an interval old
        (progress only; `started` always goes) or the job has ended. During an edit, only the newest
        progress is kept, and shown right after it."""
        if notice.job_id in self._ended:
            return
        edits = self._jobs.setdefault(notice.job_id, _JobEdits())
        now = time.monotonic()
        if notice.kind == PROGRESS and edits.last is not None and now - edits.last < self.interval:
            return
        if edits.lock.locked():  # an edit is on its way: the newest progress goes after it
            if edits.waiting is None or (notice.reply.progress or 0) >= (edits.waiting.reply.progress or 0):
                edits.waiting = notice
            return
        async with edits.lock:
            current: Notice | None = notice
            while current is not None and not edits.over:
                edits.last = time.monotonic()
                if current.status is not None:
                    await self._show(current)
                current, edits.waiting = edits.waiting, None

    @asynccontextmanager
    async def final(self, job_id: str) -> AsyncIterator[None]:
        """Held while the final word of `job_id` is shown: an edit still on its way lands first, nothing
        waiting is shown any more, and no progress edit comes after it."""
        edits = self._jobs.setdefault(job_id, _JobEdits())
        edits.over, edits.waiting = True, None
        try:
            async with edits.lock:
                yield
        finally:
            self._jobs.pop(job_id, None)
            self._ended.append(job_id)
