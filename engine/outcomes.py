"""How the end of a run is written and told: the job table's state for each way a run ends (done, failed,
cancelled by its member, put back in line after a shutdown or a lost run, given up), and the one stream of
events the core listens to (started, progress, done, failed, cancelled).

Owns the conditional writes (fenced by the run's dispatch) and the order of events (no progress after the
end). It never picks jobs and never touches credits.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from engine.backends import JobLost
from engine.jobs import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Job, JobState, JobStore

log = logging.getLogger(__name__)

#: a job whose run was interrupted (the process died, its worker vanished) is tried this many times in all
MAX_ATTEMPTS = 2
#: runs lost before they started use no attempt, up to this many per job (then they do: a job that can
#: never reach a worker must not go round for ever)
MAX_SLIPS = 5


@dataclass
class JobEvent:
    """A change the core may want to act on. kind: started | progress | done | failed | cancelled."""

    kind: str
    job: Job
    fraction: float = 0.0
    eta_s: float | None = None


EventFn = Callable[[JobEvent], Awaitable[None]]


class Outcomes:
    """Writes run ends to `store` and sends events to `on_event`. The queue says which runs its members
    cancelled (`member_cancelled`), whether it is stopping (`stopping`), and how a job goes back first in
    its account's line (`put_back`)."""

    def __init__(
        self,
        store: JobStore,
        on_event: EventFn,
        *,
        member_cancelled: Callable[[str], bool],
        stopping: Callable[[], bool],
        put_back: Callable[[Job], None],
    ) -> None:
        self._store = store
        self._on_event = on_event
        self._member_cancelled = member_cancelled
        self._stopping = stopping
        self._put_back = put_back
        self._event_tasks: set[asyncio.Task[None]] = set()
        self._slips: dict[str, int] = {}  # job id -> runs it lost before they started

    async def emit(self, event: JobEvent) -> None:
        """Tell the core; a failing handler is logged, never raised into the queue."""
        try:
            await self._on_event(event)
        except Exception:
            log.exception("event handler failed for job %s (%s)", event.job.id, event.kind)

    def progress(self, job: Job, fraction: float, eta_s: float | None) -> None:
        """A step of `job` is done (call on the event loop): store it and tell the core, in order."""
        job.progress = fraction
        task = asyncio.ensure_future(self._progress(job, fraction, eta_s))
        self._event_tasks.add(task)
        task.add_done_callback(self._event_tasks.discard)

    async def _progress(self, job: Job, fraction: float, eta_s: float | None) -> None:
        try:
            await self._store.set_progress(job.id, fraction)
        except Exception:
            if self._stopping():
                return  # the engine thread reported after shutdown closed the store
            raise
        await self.emit(JobEvent("progress", job, fraction, eta_s))

    async def drain(self) -> None:
        """Wait for the progress reports still being written."""
        if self._event_tasks:
            await asyncio.gather(*list(self._event_tasks), return_exceptions=True)

    async def finish(self, job: Job, state: JobState, **fields: Any) -> None:
        """The run ended as `state` (done, failed, cancelled) with `fields` (columns); a cancel while
        the queue stops is a shutdown, not a member's: the job goes back in line instead."""
        if self._stopping() and state == CANCELLED and not self._member_cancelled(job.id):
            await self._store.transition(job.id, [RUNNING], QUEUED)
            return
        fields["finished_at"] = time.time()
        self._slips.pop(job.id, None)
        if await self._store.transition(job.id, [RUNNING], state, dispatch_is=job.dispatch, **fields):
            stored = await self._store.get(job.id)
            job = stored or job
            await self.drain()  # progress reported before the end must not arrive after it
            await self.emit(JobEvent(state.value, job, 1.0 if state == DONE else job.progress))

    async def lost(self, job: Job, lost: JobLost) -> None:
        """The run ended without an outcome: cancel it for a member who asked, retry it (first in its
        account's line) while it has tries left, else fail it as `interrupted`."""
        if self._member_cancelled(job.id):
            await self.finish(job, CANCELLED, error="cancelled")
            return
        counted = lost.counted
        if not counted:
            self._slips[job.id] = self._slips.get(job.id, 0) + 1
            counted = self._slips[job.id] > MAX_SLIPS
        if counted and job.attempts >= MAX_ATTEMPTS:
            log.warning("job %s lost its run again (%s); giving up", job.id, lost.reason)
            await self.finish(job, FAILED, error="interrupted")
            return
        attempts = job.attempts if counted else job.attempts - 1
        if await self._store.transition(
            job.id,
            [RUNNING],
            QUEUED,
            dispatch_is=job.dispatch,
            progress=0.0,
            dispatch=None,
            attempts=attempts,
        ):
            log.info(
                "job %s lost its run (%s); back in line (attempts used %d)", job.id, lost.reason, attempts
            )
            job.state, job.attempts, job.dispatch, job.progress = QUEUED, attempts, None, 0.0
            self._put_back(job)
