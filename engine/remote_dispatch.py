"""The bot's side of the remote GPU pool: a Backend whose seats are the workers announced in Redis. It
publishes each dispatch through streaQ to the one worker chosen for it (each worker reads a stream of its
own), follows progress and results back, aborts on cancel, and notices workers that vanish and dispatches
that never arrived (Redis restarted empty). A dispatch's own result is read in engine/remote_results.py.

Redis is transport here, never the record: whether a job ran and how it ended is the job table's, which
the queue writes; a result counts only for the dispatch the job's row names. No credits, no chat here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from coredis.exceptions import RedisError
from streaq import Worker

from engine.backends import Backend, JobLost, RunHooks, Seat
from engine.jobs import Job
from engine.pool import PREFETCH_AT, Dispatched, Member, Pool
from engine.remote_results import BIG_RESULT, Flight, land, land_off_loop, read_outcome
from engine.remote_watch import PoolWatch
from engine.remote_wire import (
    TASK_NAME,
    Names,
    dumps,
    encode_job,
    loads,
    new_task_id,
    redis_trouble,
    split_task_id,
)
from engine.spec import Clip, EngineCancelled, EngineJob

log = logging.getLogger(__name__)


class RemotePool(Backend):
    """Remote `reelbot worker` processes on queue `queue` of the Redis at `url`.

    `cancel_grace_s`: how long a cancelled run's worker has to confirm before the job is cancelled anyway
    (its late result is then discarded); `no_worker_after_s`: how long a job no live worker's model can
    run waits for one before it fails as `no_worker`; `watch_s`: how often heartbeats are read;
    `prefetch_at`: how far a worker's run must be before it is handed its next job (engine/pool.py)."""

    keeps_running = True
    tick_s = 0.5

    def __init__(
        self,
        url: str,
        *,
        queue: str = "reelbot",
        watch_s: float = 0.25,
        cancel_grace_s: float = 10.0,
        no_worker_after_s: float = 30.0,
        prefetch_at: float = PREFETCH_AT,
    ) -> None:
        self._url = url
        self.names = Names(queue)
        self._cancel_grace_s = cancel_grace_s
        self._no_worker_after_s = no_worker_after_s
        self._prefetch_at = prefetch_at
        self._pool = Pool(prefetch_at)
        self._flights: dict[str, Flight] = {}  # by dispatch id
        self._unplaceable: dict[str, float] = {}  # job id -> since when no live worker can run it
        self._client: Worker[Any] | None = None
        self._holder: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._chores: set[asyncio.Task[Any]] = set()
        self._wake: Callable[[], None] = lambda: None
        self._watch = PoolWatch(self.names, self._pool, lambda: self._redis, self, watch_s)

    # -- lifecycle -------------------------------------------------------------------------------

    async def open(self, wake: Callable[[], None]) -> None:
        """Connect, read the pool's heartbeats, then follow results, progress and heartbeats in the
        background. Raises ConnectionError when Redis cannot be reached."""
        self._wake = wake
        client: Worker[Any] = Worker(
            redis_url=self._url,
            queue_name=self.names.queue,
            serializer=dumps,
            deserializer=loads,
            handle_signals=False,
        )
        # the client's context (anyio task groups inside) is entered and left by one task of its own, so
        # open() and close() may be called from different tasks
        ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._closing = asyncio.Event()
        self._holder = asyncio.create_task(self._hold_open(client, ready), name="reelbot-pool-client")
        try:
            await ready
        except BaseException as exc:
            if redis_trouble(exc):
                raise ConnectionError(f"cannot reach the queue's Redis at {_safe(self._url)}") from exc
            raise
        self._client = client
        await self._watch.once()
        self._tasks = [
            asyncio.create_task(self._watch.listen_forever(), name="reelbot-pool-listen"),
            asyncio.create_task(self._watch.watch_forever(), name="reelbot-pool-watch"),
        ]
        log.info("remote pool on queue %s: %d worker(s) announced", self.names.queue, len(self._pool.members))

    async def _hold_open(self, client: Worker[Any], ready: asyncio.Future[None]) -> None:
        try:
            async with client:
                ready.set_result(None)
                await self._closing.wait()
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc)
                return
            raise

    async def close(self) -> None:
        for t in [*self._tasks, *self._chores]:
            t.cancel()
        await asyncio.gather(*self._tasks, *self._chores, return_exceptions=True)
        self._tasks.clear()
        if self._holder is not None:
            self._closing.set()
            await asyncio.gather(self._holder, return_exceptions=True)
            self._holder = None
        self._client = None

    @property
    def _redis(self) -> Any:
        assert self._client is not None, "the pool is not open"
        return self._client.redis

    # -- seats -----------------------------------------------------------------------------------

    def free_seats(self) -> Iterator[Seat]:
        if self._watch.reachable_since is None:
            return
        for member, prefetch in self._pool.seats():
            yield Seat(member.info.id, accept=self._acceptor(member, prefetch))

    def _acceptor(self, member: Member, prefetch: bool) -> Callable[[Job], bool]:
        return lambda job: self._pool.accepts(member, job.spec, job.id, job.lane, prefetch)

    def take(self, seat: Seat, job: Job) -> None:
        seat.dispatch = new_task_id(job.id, seat.key)
        self._flights[seat.dispatch] = Flight(job, seat, asyncio.get_running_loop().create_future())
        self._pool.assign(seat.key, Dispatched(seat.dispatch, job.id, time.monotonic()))
        self._unplaceable.pop(job.id, None)
        log.info("job %s takes a seat on %s", job.id, seat.key)  # in dispatch order (publishing races)

    def release(self, seat: Seat) -> None:
        task_id = seat.dispatch
        if task_id is None:
            return
        flight = self._flights.pop(task_id, None)
        self._pool.settle(task_id, time.monotonic())
        if flight is not None and flight.future.cancelled():
            return  # the queue is stopping: the run goes on, and the next process collects its result
        if flight is not None and not flight.refused:
            self._pool.forget([flight.job.id])
        # the outcome (the clip's bytes with it) is in the job table by now: let Redis forget the dispatch
        self.chore(self._forget_dispatch(task_id))

    def capacity(self) -> int:
        return max(1, len(self._pool.members))

    def view(self) -> list[dict[str, Any]]:
        return self._pool.view()

    def refusal(self, job: Job) -> str | None:
        can = self._pool.placeable(job.spec, job.id)
        if can is not False:
            self._unplaceable.pop(job.id, None)
            return None
        now = time.monotonic()
        since = self._unplaceable.setdefault(job.id, now)
        if self._pool.was_refused(job.id) or now - since >= self._no_worker_after_s:
            self._unplaceable.pop(job.id, None)
            self._pool.forget([job.id])
            return "no_worker"
        return None

    # -- runs ------------------------------------------------------------------------------------

    async def run(self, seat: Seat, job: Job, cancel: threading.Event, hooks: RunHooks) -> Clip:
        assert seat.dispatch is not None
        flight = self._flights[seat.dispatch]
        flight.hooks = hooks
        if not seat.resumed:
            spec = EngineJob.from_dict(job.spec)
            payload = await asyncio.to_thread(encode_job, spec, time.time_ns())
            try:
                await self._publish(seat.key, seat.dispatch, payload)
            except (RedisError, OSError) as exc:
                self._watch.reachable_since = None  # no dispatches until the watch reaches Redis again
                raise JobLost(f"could not publish: {exc}", counted=False) from exc
            flight.published = True
            log.info("job %s dispatched to %s as %s", job.id, seat.key, seat.dispatch)
            if cancel.is_set():
                await self._abort(flight)
        data = await flight.future
        try:
            return await read_outcome(flight, data)
        except JobLost:
            if flight.refused:
                self._pool.refused(job.id, flight.worker)
            raise

    async def _publish(self, worker_id: str, task_id: str, payload: dict[str, Any]) -> None:
        assert self._client is not None
        task = self._client.enqueue_unsafe(TASK_NAME, payload).start(priority=worker_id)
        task.id = task_id
        await task

    async def cancel(self, seat: Seat, job: Job) -> None:
        flight = self._flights.get(seat.dispatch or "")
        if flight is not None and flight.published:
            await self._abort(flight)

    async def _abort(self, flight: Flight) -> None:
        """Ask the worker to stop the run; if it has not confirmed within the grace, the run counts as
        cancelled anyway and whatever it sends later is discarded."""
        task_id = flight.seat.dispatch or ""
        with contextlib.suppress(RedisError, OSError):
            assert self._client is not None
            await self._client.abort_by_id(task_id, timeout=0)
        asyncio.get_running_loop().call_later(self._cancel_grace_s, self._cancel_lapsed, task_id)

    def _cancel_lapsed(self, task_id: str) -> None:
        flight = self._flights.get(task_id)
        if flight is not None and not flight.future.done():
            log.warning(
                "worker %s did not confirm the cancel of %s in %.0f s; cancelled anyway",
                flight.worker,
                task_id,
                self._cancel_grace_s,
            )
            flight.future.set_exception(EngineCancelled())

    async def resume(self, job: Job) -> Seat | None:
        task_id = job.dispatch or ""
        try:
            _, worker_id = split_task_id(task_id)
        except ValueError:
            return None
        raw = await self._redis.get(self.names.result_key(task_id))
        if raw is None and worker_id not in self._pool.members:
            return None  # its worker is gone and left no result
        seat = Seat(worker_id, dispatch=task_id, resumed=True)
        flight = Flight(job, seat, asyncio.get_running_loop().create_future(), published=True)
        self._flights[task_id] = flight
        if raw is not None:
            flight.future.set_result(await asyncio.to_thread(loads, raw))
        else:
            self._pool.assign(worker_id, Dispatched(task_id, job.id, time.monotonic()))
        return seat

    async def abandon(self, job: Job) -> None:
        if job.dispatch:
            with contextlib.suppress(RedisError, OSError):
                assert self._client is not None
                await self._client.abort_by_id(job.dispatch, timeout=0)
            self.chore(self._forget_dispatch(job.dispatch))

    # -- what the watch reports (engine/remote_watch.py) ------------------------------------------

    def wake(self) -> None:
        self._wake()

    def waiting(self) -> list[str]:
        """Dispatches published and not yet answered."""
        return [t for t, f in self._flights.items() if f.published and not f.future.done()]

    async def drop_stream(self, worker_id: str) -> None:
        """A departed worker's stream: nobody will read it."""
        await self._quietly(self._redis.delete([self.names.stream_key(worker_id)]))

    def lose(self, task_id: str, reason: str, *, counted: bool) -> None:
        flight = self._flights.get(task_id)
        if flight is not None and not flight.future.done():
            log.warning("dispatch %s of job %s lost: %s", task_id, flight.job.id, reason)
            flight.future.set_exception(JobLost(reason, counted=counted))

    # -- what comes back ---------------------------------------------------------------------------

    def take_result(self, task_id: str, raw: Any) -> None:
        flight = self._flights.get(task_id)
        if flight is None or flight.future.done():
            if flight is None:
                log.info(
                    "result of %s discarded: no job waits for it (cancelled, retried or not ours)", task_id
                )
            return
        if len(raw) > BIG_RESULT:
            self.chore(land_off_loop(flight, raw))
        else:
            land(flight, raw)

    def take_progress(self, raw: Any) -> None:
        try:
            msg = json.loads(raw)
            flight = self._flights.get(str(msg["task"]))
            kind, fraction, eta = str(msg["kind"]), float(msg.get("fraction", 0.0)), msg.get("eta_s")
        except (ValueError, KeyError, TypeError):
            return
        if flight is None or flight.hooks is None or flight.future.done():
            return
        member = self._pool.members.get(flight.worker)
        if kind == "started":
            self._pool.started(flight.worker, str(msg["task"]))
        elif member is not None:  # only the run a worker renders reports progress
            crossed = member.progress < self._prefetch_at <= fraction
            member.progress = fraction
            if crossed:
                self._wake()  # its prefetch seat opens
        if flight.started is None:
            flight.started = self.chore(flight.hooks.started())
        if kind == "progress":
            hooks = flight.hooks
            if flight.started.done():
                hooks.progress(fraction, eta)
            else:  # the member hears `started` before any progress
                flight.started.add_done_callback(lambda _: hooks.progress(fraction, eta))

    async def _forget_dispatch(self, task_id: str) -> None:
        await self._quietly(
            self._redis.delete([self.names.result_key(task_id), self.names.task_key(task_id)])
        )
        await self._quietly(self._redis.srem(self.names.abort_key, [task_id]))

    @staticmethod
    async def _quietly(request: Awaitable[Any]) -> None:
        """Housekeeping that may fail while Redis is away (keys expire, streams are dropped later)."""
        with contextlib.suppress(RedisError, OSError):
            await request

    def chore(self, coro: Awaitable[Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._chores.add(task)
        task.add_done_callback(self._chores.discard)
        return task


def _safe(url: str) -> str:
    """The URL without its password, for messages and logs."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.split("@", 1)[1]
    return f"{scheme}{sep}{rest}"
