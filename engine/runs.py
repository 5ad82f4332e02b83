"""One run of a job on a seat: what becomes of a run the last process left, the start write, the backend
call with its started and progress hooks, which end the outcome means (done, failed with a stable code,
cancelled, back in line after a shutdown), and the mean run time learnt from finished runs.

It never picks jobs, never holds the line or the seats' bookkeeping (engine/queue.py), never touches credits.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import threading
import time
from collections.abc import Callable

from engine.backends import Backend, JobLost, RunHooks, Seat
from engine.jobs import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Job, JobStore
from engine.outcomes import MAX_ATTEMPTS, JobEvent, Outcomes
from engine.spec import EngineCancelled, EngineInputError

log = logging.getLogger(__name__)


def failure_code(exc: BaseException) -> str:
    """The stable error code of an engine failure: out_of_memory (CUDA or host memory), disk_full (no
    space left for the clip), or engine_error (anything else; the worker goes on with the next job)."""
    if (
        isinstance(exc, MemoryError)
        or type(exc).__name__ == "OutOfMemoryError"
        or "out of memory" in str(exc)
    ):
        return "out_of_memory"
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk_full"
    return "engine_error"


class Runner:
    """Runs jobs the queue has put on seats and writes their ends through `ends`. The queue says which
    runs its members cancelled (`member_cancelled`), whether it is stopping (`stopping`), and a job's ETA
    (`eta`)."""

    def __init__(
        self,
        store: JobStore,
        backend: Backend,
        ends: Outcomes,
        *,
        member_cancelled: Callable[[str], bool],
        stopping: Callable[[], bool],
        eta: Callable[[str], float | None],
    ) -> None:
        self._store = store
        self._backend = backend
        self._ends = ends
        self._member_cancelled = member_cancelled
        self._stopping = stopping
        self._eta = eta
        #: seconds a run takes here, a moving mean (None before any run has finished)
        self.mean_run_s: float | None = None

    async def take_back(self, job: Job) -> Seat | Job | None:
        """Decide the fate of `job`, left running by the last process: cancelled if its member asked
        (its remote run abandoned), followed if its run is still alive elsewhere (returns the Seat to
        follow it on), retried if it has an attempt left (back to queued; returns None), else failed with
        `interrupted` (returns the failed job). Every end is written and its event sent here."""
        if job.cancel_requested:  # the member cancelled it before the process stopped
            if job.dispatch is not None:
                await self._backend.abandon(job)
            await self._store.transition(
                job.id, [RUNNING], CANCELLED, error="cancelled", finished_at=time.time()
            )
            cancelled = await self._store.get(job.id)
            if cancelled:
                await self._ends.emit(JobEvent("cancelled", cancelled))
            return None
        if job.dispatch is not None:
            seat = await self._backend.resume(job)
            if seat is not None:
                log.info("job %s is still running on %s; following it", job.id, seat.key)
                return seat
        if job.attempts < MAX_ATTEMPTS:
            await self._store.transition(job.id, [RUNNING], QUEUED, progress=0.0, dispatch=None)
            log.info("job %s was running at shutdown; retrying (attempt %d)", job.id, job.attempts + 1)
            return None
        await self._store.transition(job.id, [RUNNING], FAILED, error="interrupted", finished_at=time.time())
        failed = await self._store.get(job.id)
        if failed:
            await self._ends.emit(JobEvent("failed", failed))
        log.warning("job %s interrupted twice; giving up", job.id)
        return failed

    async def run_one(self, seat: Seat, job: Job, flag: threading.Event) -> None:
        """Start `job` on `seat` (the conditional start write), then run it; a job cancelled meanwhile
        ends cancelled without running. Returns once its end is written."""
        if not await self._store.start(job.id, seat.dispatch):
            return  # cancelled between pick and start
        job.state = RUNNING
        job.attempts += 1
        job.started_at = time.time()
        job.dispatch = seat.dispatch
        if flag.is_set():  # cancelled while starting
            await self._ends.finish(job, CANCELLED, error="cancelled")
            return
        await self.settle(seat, job, flag)

    async def settle(self, seat: Seat, job: Job, flag: threading.Event) -> None:
        """Run (or follow) `job` on `seat` and write how it ended. Re-raises CancelledError (the queue is
        stopping) after putting an in-process run back in line."""
        loop = asyncio.get_running_loop()

        def on_progress(fraction: float, eta_s: float | None) -> None:
            loop.call_soon_threadsafe(self._ends.progress, job, fraction, eta_s)

        async def on_started() -> None:
            if job.dispatch is not None:
                await self._store.mark_started(job.id, job.dispatch)
            if not seat.resumed:  # a followed run's member saw it start already
                await self._ends.emit(JobEvent("started", job, 0.0, self._eta(job.id)))

        try:
            clip = await self._backend.run(seat, job, flag, RunHooks(on_started, on_progress))
        except EngineCancelled:
            await self._ends.finish(job, CANCELLED, error="cancelled")
        except EngineInputError as exc:
            await self._ends.finish(job, FAILED, error=f"input:{exc.code}")
        except JobLost as lost:
            await self._ends.lost(job, lost)
        except asyncio.CancelledError:
            # the queue is stopping (shutdown): an in-process run goes back in line for the next start,
            # unless the member cancelled it (the row's mark makes the next start refund it); a remote
            # run goes on, and the next start follows it
            if not self._backend.keeps_running:
                flag.set()
                if not self._member_cancelled(job.id):
                    await self._store.transition(job.id, [RUNNING], QUEUED)
            raise
        except Exception as exc:
            log.exception("job %s failed in the engine (owner %s)", job.id, job.owner)
            await self._ends.finish(job, FAILED, error=failure_code(exc))
        else:
            if self._stopping() and flag.is_set() and not self._member_cancelled(job.id):
                await self._store.transition(job.id, [RUNNING], QUEUED)
                return
            job.result = clip.to_dict()
            await self._ends.finish(job, DONE, result=job.result)
            self._learn_run_time(time.time() - (job.started_at or time.time()))

    def _learn_run_time(self, seconds: float) -> None:
        prev = self.mean_run_s
        self.mean_run_s = seconds if prev is None else prev * 0.8 + seconds * 0.2
