"""The job queue: two lanes, fair share between accounts, per-plan caps, cancel, recovery, and the seats jobs
run on (engine threads in this process, or remote GPU workers: engine/backends.py). One run's own course
(start, backend call, how it ended) is engine/runs.py.

Durable state lives in the job table (engine/jobs.py); this module keeps only the dispatch order in memory
and rebuilds it from the table on start-up. A job row is written first (by `enqueue`, or by the caller's own
unit of work through `enqueue_with`), then admitted into line. It decides what runs next and keeps what runs
where (per seat, per account, cancel flags); every state change goes out through one `on_event` callback.
It never touches credits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from engine.backends import Backend, LocalEngines, Seat
from engine.jobs import CANCELLED, FAILED, QUEUED, RUNNING, Job, JobStore
from engine.lineup import Lineup
from engine.outcomes import MAX_ATTEMPTS, EventFn, JobEvent, Outcomes
from engine.runs import Runner
from engine.spec import ClipEngine

__all__ = ["MAX_ATTEMPTS", "EventFn", "JobEvent", "JobQueue", "QueueFull"]

log = logging.getLogger(__name__)

#: ETA guess before any job has finished on this machine
DEFAULT_RUN_SECONDS = 30.0


class QueueFull(Exception):
    """The queue holds `limit` jobs already (code `queue_full`)."""

    code = "queue_full"

    def __init__(self, limit: int) -> None:
        super().__init__(f"queue_full: {limit}")
        self.limit = limit


class JobQueue:
    """Dispatches queued jobs to the seats of a backend: `workers` engine threads in this process when
    given an engine (or a factory of one), or the seats a Backend offers (remote GPU workers).

    Order: every fast job before any relaxed one; within a lane, round-robin between accounts (each
    account's own jobs in the order it sent them); an account never runs more jobs at once than its
    plan's cap (`Job.max_running`), wherever they run.
    """

    def __init__(
        self,
        store: JobStore,
        engine: ClipEngine | Callable[[], ClipEngine] | Backend,
        *,
        on_event: EventFn,
        workers: int = 1,
        max_queued: int = 500,
    ) -> None:
        self._store = store
        self._backend = engine if isinstance(engine, Backend) else LocalEngines(engine, workers)
        self._max_queued = max_queued
        self._reserved = 0  # places held by submits whose job row is being written (see _reserve)
        self._jobs: dict[str, Job] = {}  # queued and running jobs by id
        self._lineup = Lineup()  # the queued ones, in dispatch order
        self._running: dict[str, int] = {}  # account -> jobs running
        self._cancel_flags: dict[str, threading.Event] = {}  # jobs a seat has taken
        self._member_cancels: set[str] = set()  # of those, the ones a member cancelled
        self._runs: dict[str, tuple[Seat, asyncio.Task[None]]] = {}  # job id -> its seat and run task
        self._woken = asyncio.Event()
        self._dispatcher: asyncio.Task[None] | None = None
        self._closing = False
        self._ends = Outcomes(
            store,
            on_event,
            member_cancelled=self._member_cancels.__contains__,
            stopping=lambda: self._closing,
            put_back=lambda job: self._push(job, front=True),
        )
        self._runner = Runner(
            store,
            self._backend,
            self._ends,
            member_cancelled=self._member_cancels.__contains__,
            stopping=lambda: self._closing,
            eta=self.eta,
        )

    @property
    def backend(self) -> Backend:
        return self._backend

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> list[Job]:
        """Open the backend, rebuild the queue from the table, then start dispatching.

        Returns the jobs that were running when the last process stopped and have used their retry
        (they are marked failed with error `interrupted`, and a `failed` event is sent for each).
        """
        await self._backend.open(self._poke)
        given_up = await self.recover()
        self._runner.mean_run_s = await self._store.mean_run_seconds()
        self._dispatcher = asyncio.create_task(self._dispatch(), name="reelbot-dispatch")
        return given_up

    async def recover(self) -> list[Job]:
        """Re-queue jobs left queued; for those left running, follow the run if it is still alive
        elsewhere (a remote worker), else retry once; give up on the rest."""
        given_up: list[Job] = []
        for job in await self._store.in_states(RUNNING):
            if job.id in self._jobs:
                continue
            left = await self._runner.take_back(job)
            if isinstance(left, Seat):  # still running elsewhere: follow it
                self._jobs[job.id] = job
                self._launch(left, job)
            elif left is not None:
                given_up.append(left)
        for job in await self._store.in_states(QUEUED):
            if job.id not in self._jobs:
                self._push(job)
        self._poke()
        return given_up

    async def stop(self) -> None:
        """Stop dispatching. In-process runs are asked to cancel their current step and go back to queued
        (they resume on the next start); remote runs go on (the next start follows them). Nothing is
        refunded here."""
        self._closing = True
        if not self._backend.keeps_running:
            for flag in self._cancel_flags.values():
                flag.set()
        self._poke()
        tasks = [t for _, t in self._runs.values()]
        if self._dispatcher is not None:
            tasks.append(self._dispatcher)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._dispatcher = None
        await self._ends.drain()
        await self._backend.close()

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
        self._poke()

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
        """Cancel a job. Returns `cancelled` (it was queued and is now cancelled), `cancelling` (a seat
        has it: it stops within one step, also across a shutdown or crash), or `final` / `unknown`."""
        job = self._jobs.get(job_id)
        if job is None:
            stored = await self._store.get(job_id)
            return "final" if stored else "unknown"
        flag = self._cancel_flags.get(job_id)
        if flag is not None:  # a seat took it (starting or running): stop it at the next step
            flag.set()
            self._member_cancels.add(job_id)
            await self._store.request_cancel(job_id)
            run = self._runs.get(job_id)
            if run is not None:
                await self._backend.cancel(run[0], job)
            return "cancelling"
        self._remove_queued(job)  # no await before this: no seat can take it any more
        if await self._store.transition(
            job_id, [QUEUED], CANCELLED, error="cancelled", finished_at=time.time()
        ):
            job.state = CANCELLED
            stored = await self._store.get(job_id)
            await self._ends.emit(JobEvent("cancelled", stored or job))
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
        return self._lineup.position(job_id)  # None also while a seat is taking it

    def eta(self, job_id: str) -> float | None:
        """Seconds until the job is likely finished (rough: queue position x mean run time)."""
        job = self._jobs.get(job_id)
        if job is None:
            return None
        mean = self._runner.mean_run_s or DEFAULT_RUN_SECONDS
        if job.state == RUNNING:
            return max(0.0, mean * (1.0 - job.progress))
        pos = self.position(job_id) or 0
        seats = max(1, self._backend.capacity())
        return mean * (math.floor(pos / seats) + 1 + (1 if self.running_count() else 0) * 0.5)

    def get(self, job_id: str) -> Job | None:
        """The live (queued or running) job, or None."""
        return self._jobs.get(job_id)

    def pool(self) -> list[dict[str, Any]]:
        """What runs where: one object per engine thread or remote worker (see Backend.view)."""
        return self._backend.view()

    # -- dispatch --------------------------------------------------------------------------------

    def _poke(self) -> None:
        """Something changed (a job came, a seat came free): the dispatcher looks again."""
        self._woken.set()

    def _push(self, job: Job, *, front: bool = False) -> None:
        self._jobs[job.id] = job
        self._lineup.push(job, front=front)

    def _remove_queued(self, job: Job) -> None:
        self._lineup.remove(job)
        self._jobs.pop(job.id, None)

    def _pick(self) -> Job | None:
        """The next job any seat may take, out of line (it stays live in `_jobs` while it runs); None
        if nothing may run now."""
        return self._lineup.pick(self._running)

    def _claim(self) -> tuple[Seat, Job] | None:
        """The first free seat that accepts a job the line offers it, with that job, both taken."""
        for seat in self._backend.free_seats():
            job = self._lineup.pick(self._running, seat.accept)
            if job is not None:
                self._backend.take(seat, job)
                return seat, job
        return None

    async def _dispatch(self) -> None:
        while not self._closing:
            self._woken.clear()
            try:
                if self._backend.tick_s is not None:
                    await self._fail_refused()
                claim = self._claim()
            except Exception:  # a bug here must not stop every later job: log it, look again shortly
                log.exception("dispatch failed; retrying")
                claim = None
                await asyncio.sleep(0.5)
            if claim is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._woken.wait(), self._backend.tick_s)
                continue
            self._launch(*claim)

    def _launch(self, seat: Seat, job: Job) -> None:
        """Start the run of `job` on `seat` (no await: cancel() finds its flag at once)."""
        self._cancel_flags[job.id] = threading.Event()
        self._running[job.account] = self._running.get(job.account, 0) + 1
        task = asyncio.create_task(self._serve(seat, job), name=f"reelbot-job-{job.id}")
        self._runs[job.id] = (seat, task)

    async def _serve(self, seat: Seat, job: Job) -> None:
        try:
            if seat.resumed:
                await self._runner.settle(seat, job, self._cancel_flags[job.id])
            else:
                await self._run_one(seat, job)
        finally:
            self._running[job.account] -= 1
            if self._running[job.account] <= 0:
                del self._running[job.account]
            if job.id not in self._lineup:  # not put back in line for another try
                self._jobs.pop(job.id, None)
            self._cancel_flags.pop(job.id, None)
            self._member_cancels.discard(job.id)
            self._runs.pop(job.id, None)
            self._backend.release(seat)
            self._poke()

    async def _fail_refused(self) -> None:
        """Fail, with the backend's code, the queued jobs no seat will take (e.g. no worker's model can)."""
        for job in self._lineup.jobs():
            code = self._backend.refusal(job)
            if code is None:
                continue
            self._remove_queued(job)
            # a queued job never fails without having been taken (the transition table): it is taken by
            # no seat, and fails at once
            if await self._store.start(job.id) and await self._store.transition(
                job.id, [RUNNING], FAILED, error=code, finished_at=time.time()
            ):
                log.warning("job %s failed: %s (owner %s)", job.id, code, job.owner)
                stored = await self._store.get(job.id)
                await self._ends.emit(JobEvent("failed", stored or job))

    async def _run_one(self, seat: Seat, job: Job) -> None:
        await self._runner.run_one(seat, job, self._cancel_flags[job.id])
