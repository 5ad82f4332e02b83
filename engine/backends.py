"""Where queued jobs run: the interface a place of execution offers the job queue, and the in-process one
(engine threads in this process). The remote worker pool (engine/remote_dispatch.py) is the other.

A backend offers free seats, runs the job a seat took and says how the run ended (a Clip, or an exception
naming why not). It never writes the job table and decides neither order nor retries: the queue does both.
"""

from __future__ import annotations

import asyncio
import threading
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from engine.jobs import Job
from engine.spec import Clip, ClipEngine, EngineJob, ProgressFn


class JobLost(Exception):
    """A run ended with no outcome: its worker vanished, or its dispatch was lost on the way.

    `counted`: the run counts as one of the job's attempts (it may have rendered; a job that keeps
    losing its worker is given up). False when it surely never started (refused at the door, lost in
    transit, refused by a worker whose model cannot run it), so the job goes back in line without using
    a retry."""

    def __init__(self, reason: str, *, counted: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.counted = counted


@dataclass
class Seat:
    """A place where one job can run now: an engine thread of this process, or a place on a remote worker.

    `dispatch` is the transport id the run will have (stored in the job row; None in-process); `accept`
    says which queued jobs this seat can take (None: any); `resumed` marks a run the last process started
    that this one follows to its end."""

    key: str
    dispatch: str | None = None
    accept: Callable[[Job], bool] | None = None
    resumed: bool = False


@dataclass
class RunHooks:
    """What a run reports while it goes: `started()` once the engine begins (awaited), and `progress(
    fraction, eta_s)` per step (callable from any thread)."""

    started: Callable[[], Awaitable[None]]
    progress: ProgressFn


class Backend(ABC):
    """A place of execution for the job queue. `keeps_running`: runs outlive this process (a remote
    worker finishes its job while the bot restarts), so a stopping queue leaves them alone."""

    keeps_running: ClassVar[bool] = False
    #: how often the queue looks again without being woken (refusals that come with time); None: never
    tick_s: ClassVar[float | None] = None

    async def open(self, wake: Callable[[], None]) -> None:
        """Get ready; call `wake()` whenever a seat may have come free or a refusal may have changed."""
        return None

    async def close(self) -> None:
        """Let go of what `open` took. Runs in progress are the queue's to stop first."""
        return None

    @abstractmethod
    def free_seats(self) -> Iterator[Seat]:
        """The seats that could take a job now, best first (the queue fills the first that accepts one)."""

    @abstractmethod
    def take(self, seat: Seat, job: Job) -> None:
        """`seat` is busy with `job` from now on (called before any await, right after the pick)."""

    @abstractmethod
    def release(self, seat: Seat) -> None:
        """The run on `seat` is over and settled in the job table (final, or back in line)."""

    @abstractmethod
    async def run(self, seat: Seat, job: Job, cancel: threading.Event, hooks: RunHooks) -> Clip:
        """Run `job` (its row is running, naming `seat.dispatch`) and return its Clip.

        Raises EngineCancelled (stopped for its member), EngineInputError (the job cannot be rendered,
        `bad_job` for a row that is no EngineJob), JobLost (no outcome), any other exception for an
        engine failure. Cancelling the awaiting task stops waiting; what happens to the run itself is
        the backend's (`keeps_running`)."""

    async def cancel(self, seat: Seat, job: Job) -> None:
        """A member cancelled the job running on `seat`; its `cancel` event is set already."""
        return None

    async def resume(self, job: Job) -> Seat | None:
        """A seat following `job`'s run to its end, for a job the last process left running here
        (`job.dispatch` names it), or None when that run is gone (the queue retries or gives up)."""
        return None

    async def abandon(self, job: Job) -> None:
        """Stop `job`'s run left by the last process, whose result nobody will take (it was cancelled)."""
        return None

    def refusal(self, job: Job) -> str | None:
        """An error code when no seat will take this queued job (fail it), else None."""
        return None

    def capacity(self) -> int:
        """How many jobs run at once here (for ETAs)."""
        return 1

    def view(self) -> list[dict[str, Any]]:
        """What runs where, for the admin view and the logs (one object per engine or worker)."""
        return []


class LocalEngines(Backend):
    """`workers` engine threads in this process, each with its own engine, built on its first job."""

    def __init__(self, engine: ClipEngine | Callable[[], ClipEngine], workers: int = 1) -> None:
        self._source = engine
        self._engines: list[ClipEngine | None] = [None] * max(1, workers)
        self._busy: list[str | None] = [None] * max(1, workers)  # the job id each engine runs

    def free_seats(self) -> Iterator[Seat]:
        for i, job_id in enumerate(self._busy):
            if job_id is None:
                yield Seat(str(i))
                return

    def take(self, seat: Seat, job: Job) -> None:
        self._busy[int(seat.key)] = job.id

    def release(self, seat: Seat) -> None:
        self._busy[int(seat.key)] = None

    async def run(self, seat: Seat, job: Job, cancel: threading.Event, hooks: RunHooks) -> Clip:
        await hooks.started()
        engine = await asyncio.to_thread(self._engine, int(seat.key))
        spec = EngineJob.from_dict(job.spec)
        return await asyncio.to_thread(engine.run, spec, hooks.progress, cancel.is_set)

    def capacity(self) -> int:
        return len(self._engines)

    def view(self) -> list[dict[str, Any]]:
        return [{"worker": f"local-{i}", "running": job_id} for i, job_id in enumerate(self._busy)]

    def _engine(self, index: int) -> ClipEngine:
        engine = self._engines[index]
        if engine is None:
            src = self._source
            engine = src() if callable(src) and not hasattr(src, "run") else src  # type: ignore[assignment]
            self._engines[index] = engine
        assert engine is not None
        return engine
