"""The in-process job queue: two lanes, fair share between accounts, per-plan caps, cancel, recovery.

Durable state lives in the job table (engine/jobs.py); this module keeps only the dispatch order in memory
and rebuilds it from the table on start-up. A job row is written first (by `enqueue`, or by the caller's own
unit of work through `enqueue_with`), then admitted into line. It calls the engine through `ClipEngine.run`
in a worker thread and reports every state change through one `on_event` callback; it never touches credits.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import math
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from engine.jobs import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Job, JobState, JobStore
from engine.lineup import Lineup
from engine.spec import ClipEngine, EngineCancelled, EngineInputError, EngineJob

log = logging.getLogger(__name__)

#: a job that was running when the process died is tried this many times in all
MAX_ATTEMPTS = 2
#: ETA guess before any job has finished on this machine
DEFAULT_RUN_SECONDS = 30.0


@dataclass
class JobEvent:
    """A change the core may want to act on. kind: started | progress | done | failed | cancelled."""

    kind: str
    job: Job
    fraction: float = 0.0
    eta_s: float | None = None


EventFn = Callable[[JobEvent], Awaitable[None]]


class QueueFull(Exception):
    """The queue holds `limit` jobs already (code `queue_full`)."""

    code = "queue_full"

    def __init__(self, limit: int) -> None:
        super().__init__(f"queue_full: {limit}")
        self.limit = limit


def failure_code(exc: BaseException) -> str:
    """The stable error code of an engine failure: out_of_memory (CUDA or host memory), disk_full (no
    space left for the clip), or engine_error (anything else; the worker goes on with the next job)."""
    if isinstance(exc, MemoryError) or type(exc).__name__ == "OutOfMemoryError" or "out of memory" in str(exc):
        return "out_of_memory"
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk_full"
    return "engine_error"


def spec_to_engine_job(spec: dict[str, Any]) -> EngineJob:
    """Rebuild the EngineJob stored (as JSON) in a job row. Raises EngineInputError("bad_job") for a row
    with an unknown key or a wrong type (the worker fails the job as input:bad_job and refunds it)."""
    return EngineJob.from_dict(spec)


class JobQueue:
    """Dispatches queued jobs to `workers` engine workers.

    Order: every fast job before any relaxed one; within a lane, round-robin between accounts (each
    account's own jobs in the order it sent them); an account never runs more jobs at once than its
    plan's cap (`Job.max_running`).
    """

    def __init__(
        self,
        store: JobStore,
        engine: ClipEngine | Callable[[], ClipEngine],
        *,
        on_event: EventFn,
        workers: int = 1,
        max_queued: int = 500,
    ) -> None:
        self._store = store
        self._engine_source = engine
        self._engines: list[ClipEngine | None] = [None] * max(1, workers)
        self._on_event = on_event
        self._workers = max(1, workers)
        self._max_queued = max_queued
        self._reserved = 0  # places held by submits whose job row is being written (see _reserve)
        self._jobs: dict[str, Job] = {}  # queued and running jobs by id
        self._lineup = Lineup()  # the queued ones, in dispatch order
        self._running: dict[str, int] = {}  # account -> jobs running
        self._cancel_flags: dict[str, threading.Event] = {}  # jobs a worker has taken
        self._member_cancels: set[str] = set()  # of those, the ones a member cancelled
        self._wake = asyncio.Condition()
        self._tasks: list[asyncio.Task[None]] = []
        self._event_tasks: set[asyncio.Task[None]] = set()
        self._closing = False
        self._mean_run_s: float | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> list[Job]:
        """Rebuild the queue from the table, then start the workers.

        Returns the jobs that were running when the last process stopped and have used their retry
        (they are marked failed with error `interrupted`, and a `failed` event is sent for each).
        """
        given_up = await self.recover()
        self._mean_run_s = await self._store.mean_run_seconds()
        for i in range(self._workers):
            self._tasks.append(asyncio.create_task(self._worker(i), name=f"reelbot-worker-{i}"))
        return given_up

    async def recover(self) -> list[Job]:
        """Re-queue jobs left queued, retry once those left running; give up on the rest."""
        given_up: list[Job] = []
        for job in await self._store.in_states(RUNNING):
            if job.cancel_requested:  # the member cancelled it before the process stopped
                await self._store.transition(job.id, [RUNNING], CANCELLED, error="cancelled",
                                             finished_at=time.time())
                cancelled = await self._store.get(job.id)
                if cancelled:
                    await self._emit(JobEvent("cancelled", cancelled))
                continue
            if job.attempts < MAX_ATTEMPTS:
                await self._store.transition(job.id, [RUNNING], QUEUED, progress=0.0)
                log.info("job %s was running at shutdown; retrying (attempt %d)", job.id, job.attempts + 1)
            else:
                await self._store.transition(
                    job.id, [RUNNING], FAILED, error="interrupted", finished_at=time.time()
                )
                failed = await self._store.get(job.id)
                if failed:
                    given_up.append(failed)
                    await self._emit(JobEvent("failed", failed))
                log.warning("job %s interrupted twice; giving up", job.id)
        for job in await self._store.in_states(QUEUED):
            if job.id not in self._jobs:
                self._push(job)
        async with self._wake:
            self._wake.notify_all()
        return given_up

    async def stop(self) -> None:
        """Stop the workers. Running jobs are asked to cancel their current step and go back to queued
        (they resume on the next start); nothing is refunded here."""
        self._closing = True
        for flag in self._cancel_flags.values():
            flag.set()
        async with self._wake:
            self._wake.notify_all()
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        if self._event_tasks:
            await asyncio.gather(*self._event_tasks, return_exceptions=True)

    # -- submitting and cancelling ----------------------------------------------------------------

    async def enqueue(self, job: Job) -> None:
        """Write the job row (state queued) in a transaction of its own and put it in line, for jobs
        no credits hang on. Raises QueueFull (nothing written)."""
        job.state = QUEUED
        await self.enqueue_with(job, lambda: self._store.add(job))

    async def enqueue_with(self, job: Job, write: Callable[[], Awaitable[object]]) -> None:
        """Put `job` in line once `write()` (the caller's own unit of work, which writes the job row,
        state queued, with whatever goes with it, e.g. a credit hold) has committed.

        Raises QueueFull before calling `write` when the line is full, so a refused job leaves nothing
        to undo; raises what `write` raises (then nothing was admitted). Once `write` is called the
        job is admitted when it commits even if this caller is cancelled meanwhile, so a committed row
        never waits for a restart to be dispatched."""
        with self._reserve():
            await asyncio.shield(self._write_then_admit(job, write))

    async def admit(self, job: Job) -> None:
        """Put a job whose row is committed (state queued) in line. Memory only: writes nothing."""
        if job.state != QUEUED:
            raise ValueError(f"job {job.id} is {job.state}, not queued")
        self._push(job)
        async with self._wake:
            self._wake.notify_all()

    async def _write_then_admit(self, job: Job, write: Callable[[], Awaitable[object]]) -> None:
        await write()
        await self.admit(job)

    @contextmanager
    def _reserve(self) -> Iterator[None]:
        """A place in line held while a job row is being written: submits in flight count against
        `max_queued`. Raises QueueFull when there is none."""
        if self.queued_count() + self._reserved >= self._max_queued:
            raise QueueFull(self._max_queued)
        self._reserved += 1
        try:
            yield
        finally:
            self._reserved -= 1

    async def cancel(self, job_id: str) -> str:
        """Cancel a job. Returns `cancelled` (it was queued and is now cancelled), `cancelling` (a worker
        has it: it stops within one step, also across a shutdown or crash), or `final` / `unknown`."""
        job = self._jobs.get(job_id)
        if job is None:
            stored = await self._store.get(job_id)
            return "final" if stored else "unknown"
        flag = self._cancel_flags.get(job_id)
        if flag is not None:  # a worker took it (starting or running): stop it at the next step
            flag.set()
            self._member_cancels.add(job_id)
            await self._store.request_cancel(job_id)
            return "cancelling"
        self._remove_queued(job)  # no await before this: no worker can take it any more
        if await self._store.transition(
            job_id, [QUEUED], CANCELLED, error="cancelled", finished_at=time.time()
        ):
            job.state = CANCELLED
            stored = await self._store.get(job_id)
            await self._emit(JobEvent("cancelled", stored or job))
            return "cancelled"
        return "final"

    # -- reading the line ----------------------------------------------------------------------

    def queued_count(self) -> int:
        return len(self._lineup)

    def running_count(self) -> int:
        return sum(self._running.values())

    def live(self) -> list[Job]:
        """The jobs queued or running in this process (a snapshot)."""
        return list(self._jobs.values())

    def active_of(self, account: str) -> int:
        """Jobs of `account` queued or running in this process."""
        return sum(1 for j in self._jobs.values() if j.account == account)

    def position(self, job_id: str) -> int | None:
        """How many queued jobs dispatch before this one (0 = next). None when not queued."""
        return self._lineup.position(job_id)  # None also while a worker is taking it

    def eta(self, job_id: str) -> float | None:
        """Seconds until the job is likely finished (rough: queue position x mean run time)."""
        job = self._jobs.get(job_id)
        if job is None:
            return None
        mean = self._mean_run_s or DEFAULT_RUN_SECONDS
        if job.state == RUNNING:
            return max(0.0, mean * (1.0 - job.progress))
        pos = self.position(job_id) or 0
        return mean * (math.floor(pos / self._workers) + 1 + (1 if self.running_count() else 0) * 0.5)

    def get(self, job_id: str) -> Job | None:
        """The live (queued or running) job, or None."""
        return self._jobs.get(job_id)

    # -- internals -----------------------------------------------------------------------------

    def _push(self, job: Job) -> None:
        self._jobs[job.id] = job
        self._lineup.push(job)

    def _remove_queued(self, job: Job) -> None:
        self._lineup.remove(job)
        self._jobs.pop(job.id, None)

    def _pick(self) -> Job | None:
        """The next dispatchable job, taken out of line (it stays live in `_jobs` while it runs); None
        if nothing may run now."""
        return self._lineup.pick(self._running)

    async def _worker(self, index: int) -> None:
        while not self._closing:
            async with self._wake:
                job = self._pick()
                while job is None and not self._closing:
                    await self._wake.wait()
                    job = self._pick()
            if job is None:
                return
            self._cancel_flags[job.id] = threading.Event()  # before any await: cancel() now stops it
            self._running[job.account] = self._running.get(job.account, 0) + 1
            try:
                await self._run_one(index, job)
            finally:
                self._running[job.account] -= 1
                if self._running[job.account] <= 0:
                    del self._running[job.account]
                self._jobs.pop(job.id, None)
                self._cancel_flags.pop(job.id, None)
                self._member_cancels.discard(job.id)
                async with self._wake:
                    self._wake.notify_all()

    def _engine(self, index: int) -> ClipEngine:
        engine = self._engines[index]
        if engine is None:
            src = self._engine_source
            engine = src() if callable(src) and not hasattr(src, "run") else src  # type: ignore[assignment]
            self._engines[index] = engine
        assert engine is not None
        return engine

    async def _run_one(self, index: int, job: Job) -> None:
        if not await self._store.start(job.id):
            return  # cancelled between pick and start
        job.state = RUNNING
        job.attempts += 1
        job.started_at = time.time()
        flag = self._cancel_flags[job.id]
        if flag.is_set():  # cancelled while starting
            await self._finish(job, CANCELLED, error="cancelled")
            return
        await self._emit(JobEvent("started", job, 0.0, self.eta(job.id)))
        loop = asyncio.get_running_loop()

        def on_progress(fraction: float, eta_s: float | None) -> None:
            loop.call_soon_threadsafe(self._progress, job, fraction, eta_s)

        try:
            engine = await asyncio.to_thread(self._engine, index)
            clip = await asyncio.to_thread(engine.run, spec_to_engine_job(job.spec), on_progress, flag.is_set)
        except EngineCancelled:
            await self._finish(job, CANCELLED, error="cancelled")
        except EngineInputError as exc:
            await self._finish(job, FAILED, error=f"input:{exc.code}")
        except asyncio.CancelledError:
            # the worker is stopping (shutdown): leave the row for the next start to retry, unless the
            # member cancelled it (the row's mark makes the next start refund it)
            flag.set()
            if job.id not in self._member_cancels:
                await self._store.transition(job.id, [RUNNING], QUEUED)
            raise
        except Exception as exc:
            log.exception("job %s failed in the engine (owner %s)", job.id, job.owner)
            await self._finish(job, FAILED, error=failure_code(exc))
        else:
            if self._closing and flag.is_set() and job.id not in self._member_cancels:
                await self._store.transition(job.id, [RUNNING], QUEUED)
                return
            job.result = clip.to_dict()
            await self._finish(job, DONE, result=job.result)
            self._learn_run_time(time.time() - (job.started_at or time.time()))

    def _progress(self, job: Job, fraction: float, eta_s: float | None) -> None:
        job.progress = fraction
        task = asyncio.ensure_future(self._progress_async(job, fraction, eta_s))
        self._event_tasks.add(task)
        task.add_done_callback(self._event_tasks.discard)

    async def _progress_async(self, job: Job, fraction: float, eta_s: float | None) -> None:
        try:
            await self._store.set_progress(job.id, fraction)
        except Exception:
            if self._closing:
                return  # the engine thread reported after shutdown closed the store
            raise
        await self._emit(JobEvent("progress", job, fraction, eta_s))

    async def _finish(self, job: Job, state: JobState, **fields: Any) -> None:
        if self._closing and state == CANCELLED and job.id not in self._member_cancels:
            # stop() asked the step loop to end: that is a shutdown, not a member's cancel
            await self._store.transition(job.id, [RUNNING], QUEUED)
            return
        fields["finished_at"] = time.time()
        if await self._store.transition(job.id, [RUNNING], state, **fields):
            stored = await self._store.get(job.id)
            job = stored or job
            # progress callbacks scheduled before the finish must not arrive after it
            if self._event_tasks:
                await asyncio.gather(*list(self._event_tasks), return_exceptions=True)
            await self._emit(
                JobEvent(state.value, job, 1.0 if state == DONE else job.progress)
            )

    def _learn_run_time(self, seconds: float) -> None:
        prev = self._mean_run_s
        self._mean_run_s = seconds if prev is None else prev * 0.8 + seconds * 0.2

    async def _emit(self, event: JobEvent) -> None:
        try:
            await self._on_event(event)
        except Exception:
            log.exception("event handler failed for job %s (%s)", event.job.id, event.kind)
