"""`reelbot worker`'s loop: one loaded engine serving the jobs the bot pushes to this worker's own stream
through streaQ, a heartbeat announcing what it is and what it holds, progress published per step, cancel
honoured within a step, and the clip returned as bytes in the task's result.

It decides nothing about order, retries or credits (the bot does), and holds no job past its process:
a worker that stops or loses Redis starts its next session with an empty stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import os
import secrets
import shutil
import socket
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
from coredis.exceptions import RedisError
from streaq import Worker

from engine.pool import WorkerInfo, refusal
from engine.remote_wire import TASK_NAME, Names, decode_job, dumps, encode_clip, loads, redis_trouble
from engine.spec import ClipEngine, EngineInputError

log = logging.getLogger(__name__)

#: a finished run stays listed (as finished) this long, so the bot finds its result before it stops
#: seeing the run at all
RETAIN_S = 10.0


def new_worker_id(gpu: int | None = None) -> str:
    """`<host>-<gpuN|cpu>-<hex>`: readable in logs, unique per process (no dot: dispatch ids split on it)."""
    host = "".join(c if c.isalnum() or c == "-" else "-" for c in socket.gethostname().split(".")[0])[:24]
    return f"{host or 'worker'}-{'cpu' if gpu is None else f'gpu{gpu}'}-{secrets.token_hex(3)}"


@dataclass
class WorkerSetup:
    """How a worker announces itself and talks to the bot's Redis."""

    url: str
    preset: str
    operations: frozenset[str]
    worker_id: str = field(default_factory=new_worker_id)
    queue: str = "reelbot"
    max_pixels: int = 1920 * 1080
    gpu: str = ""
    gpu_memory_gb: float = 0.0
    #: runs held at once beyond the one rendering (the next job waits here, not on the bot)
    prefetch: int = 1
    beat_s: float = 2.0
    #: streaQ's idle timeout: how often held runs' claims are renewed (x0.9) and how long Redis waits
    idle_timeout_s: float = 60.0
    result_ttl_s: int = 24 * 3600
    work_dir: Path = Path("data/worker")
    reconnect_s: float = 1.0

    @property
    def ttl_s(self) -> float:
        return self.beat_s * 3


class _Turns:
    """The engine renders one run at a time, in the order the bot dispatched them (`seq`)."""

    def __init__(self) -> None:
        self._busy = False
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    @asynccontextmanager
    async def turn(self, seq: int) -> AsyncIterator[None]:
        if self._busy or self._waiting:
            future = asyncio.get_running_loop().create_future()
            heapq.heappush(self._waiting, (seq, next(self._order), future))
            try:
                await future
            except BaseException:
                if future.done() and not future.cancelled():
                    self._hand_on()  # it was this run's turn: pass it on
                else:
                    future.cancel()
                raise
        else:
            self._busy = True
        try:
            yield
        finally:
            self._hand_on()

    def _hand_on(self) -> None:
        while self._waiting:
            _, _, future = heapq.heappop(self._waiting)
            if not future.done():
                future.set_result(None)  # stays busy: the turn passes straight to that run
                return
        self._busy = False


class RemoteWorker:
    """Serves one engine to the bot's queue. Build, then `await serve()` (returns on SIGINT/SIGTERM)."""

    def __init__(self, engine: ClipEngine, setup: WorkerSetup) -> None:
        self.engine = engine
        self.setup = setup
        self.names = Names(setup.queue)
        self._turns = _Turns()
        self._holds: dict[str, float | None] = {}  # dispatch id -> None while held, finish time after
        self._running: str | None = None
        self._beats = 0
        self._sessions = 0
        self._outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._streaq: Worker[Any] | None = None
        self._task: Any = None

    def info(self, *, leaving: bool = False) -> WorkerInfo:
        now = time.monotonic()
        for task_id, done_at in list(self._holds.items()):
            if done_at is not None and now - done_at > RETAIN_S:
                del self._holds[task_id]
        s = self.setup
        return WorkerInfo(
            id=s.worker_id,
            preset=s.preset,
            operations=s.operations,
            max_pixels=s.max_pixels,
            seats=1 + max(0, s.prefetch),
            beat=self._beats,
            ttl_s=s.ttl_s,
            holds=tuple(t for t, done_at in self._holds.items() if done_at is None),
            finished=tuple(t for t, done_at in self._holds.items() if done_at is not None),
            running=self._running,
            leaving=leaving,
            gpu=s.gpu,
            gpu_memory_gb=s.gpu_memory_gb,
            host=socket.gethostname(),
            pid=os.getpid(),
        )

    # -- sessions ----------------------------------------------------------------------------------

    async def serve(self) -> None:
        """Run streaQ sessions until a signal stops one; a session that loses Redis is followed by a
        new one (the engine stays loaded, runs already rendering finish first)."""
        delay = self.setup.reconnect_s
        while True:
            worker = self._new_session()
            began = time.monotonic()
            try:
                await worker.run_async()
                return
            except Exception as exc:
                if not redis_trouble(exc):
                    raise
                # a session that served a while starts the back-off afresh; failing ones double it
                delay = self.setup.reconnect_s if time.monotonic() - began > 30 else delay
                log.warning(
                    "worker %s lost Redis (%s); reconnecting in %.1f s",
                    self.setup.worker_id,
                    _first_line(exc),
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    def _new_session(self) -> Worker[Any]:
        s = self.setup
        worker: Worker[Any] = Worker(
            redis_url=s.url,
            queue_name=s.queue,
            priorities=[s.worker_id],
            concurrency=1 + max(0, s.prefetch),
            serializer=dumps,
            deserializer=loads,
            idle_timeout=s.idle_timeout_s,
            handle_signals=True,
            id=s.worker_id,
            lifespan=self._session,
        )
        # every run this worker holds is one of streaQ's concurrent tasks, so its claim is renewed while
        # it waits its turn: a prefetched message is never left idle in a buffer for another read
        self._task = worker.task(
            name=TASK_NAME, timeout=None, max_tries=1, ttl=timedelta(seconds=s.result_ttl_s)
        )(self._render)
        self._streaq = worker
        return worker

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[None]:
        assert self._streaq is not None
        redis = self._streaq.redis
        # messages left from an earlier session are the bot's to re-dispatch, never this worker's to rerun
        await redis.delete([self.names.stream_key(self.setup.worker_id)])
        self._sessions += 1
        log.info(
            "worker %s serving %s on queue %s (session %d)",
            self.setup.worker_id,
            self.setup.preset,
            self.setup.queue,
            self._sessions,
        )
        async with anyio.create_task_group() as tg:
            tg.start_soon(self._beat_forever, redis)
            tg.start_soon(self._publish_forever, redis)
            try:
                yield None
            except BaseException:
                tg.cancel_scope.cancel()
                raise
            tg.cancel_scope.cancel()
        with anyio.move_on_after(2, shield=True):  # stopped by a signal: say so, then go
            with contextlib.suppress(RedisError, OSError):
                self._beats += 1
                await redis.set(
                    self.names.worker_key(self.setup.worker_id),
                    dumps(self.info(leaving=True).to_dict()),
                    px=int(self.setup.ttl_s * 1000),
                )
                await redis.delete([self.names.worker_key(self.setup.worker_id)])

    async def _beat_forever(self, redis: Any) -> None:
        key = self.names.worker_key(self.setup.worker_id)
        while True:
            self._beats += 1
            try:
                await redis.set(key, dumps(self.info().to_dict()), px=int(self.setup.ttl_s * 1000))
            except (RedisError, OSError) as exc:
                log.debug("heartbeat failed: %s", exc)
            await anyio.sleep(self.setup.beat_s)

    async def _publish_forever(self, redis: Any) -> None:
        channel = self.names.progress_channel
        while True:
            msg = await self._outbox.get()
            with contextlib.suppress(RedisError, OSError):
                await redis.publish(channel, dumps(msg))

    def _say(self, task_id: str, kind: str, fraction: float = 0.0, eta_s: float | None = None) -> None:
        self._outbox.put_nowait({"task": task_id, "kind": kind, "fraction": fraction, "eta_s": eta_s})

    # -- one run -----------------------------------------------------------------------------------

    async def _render(self, payload: dict[str, Any]) -> dict[str, Any]:
        """streaQ's task: render the payload's job and return its result (see engine/remote_wire.py)."""
        task_id = self._task.context.task_id
        self._holds[task_id] = None
        work = self.setup.work_dir / task_id
        try:
            code = refusal(self.info(), payload.get("job") or {})
            if code is not None:
                log.info("run %s refused: %s", task_id, code)
                return {"outcome": "refused", "code": code}
            try:
                job = await asyncio.to_thread(decode_job, payload, work)
            except EngineInputError as exc:
                return {"outcome": "input_error", "code": exc.code, "detail": exc.detail}
            async with self._turns.turn(int(payload.get("seq") or 0)):
                self._running = task_id
                self._say(task_id, "started")
                log.info("run %s: %s %dx%d %ds", task_id, job.action, job.width, job.height, job.seconds)
                return await self._run_engine(task_id, job)
        finally:
            self._running = None if self._running == task_id else self._running
            self._holds[task_id] = time.monotonic()
            shutil.rmtree(work, ignore_errors=True)  # no await here: this runs when cancelled too

    async def _run_engine(self, task_id: str, job: Any) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        stop = threading.Event()

        def on_progress(fraction: float, eta_s: float | None) -> None:
            loop.call_soon_threadsafe(self._say, task_id, "progress", fraction, eta_s)

        render = loop.run_in_executor(None, self.engine.run, job, on_progress, stop.is_set)
        try:
            clip = await asyncio.shield(render)
        except asyncio.CancelledError:
            stop.set()  # aborted by the bot, or the worker is stopping: end within a step
            with anyio.CancelScope(shield=True), contextlib.suppress(Exception):
                await render
            raise
        except EngineInputError as exc:
            return {"outcome": "input_error", "code": exc.code, "detail": exc.detail}
        except Exception as exc:
            if type(exc).__name__ == "OutOfMemoryError":  # torch.cuda's: too large for this GPU
                log.warning("run %s ran out of GPU memory; the bot will send it elsewhere", task_id)
                return {"outcome": "refused", "code": "out_of_memory"}
            log.exception("run %s failed in the engine", task_id)
            return {"outcome": "engine_error", "detail": f"{type(exc).__name__}: {exc}"[:300]}
        return await asyncio.to_thread(encode_clip, clip)


def _first_line(exc: BaseException) -> str:
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def gpu_description() -> tuple[str, float]:
    """(name, memory in GB) of the first CUDA device this process sees, or ("", 0.0) without CUDA."""
    import torch

    if not torch.cuda.is_available():
        return "", 0.0
    props = torch.cuda.get_device_properties(0)
    return str(props.name), round(props.total_memory / 2**30, 1)


def load_and_serve(
    url: str,
    *,
    model: str,
    data_dir: Path,
    queue: str = "reelbot",
    gpu: int | None = None,
    max_pixels: int = 1920 * 1080,
    prefetch: int = 1,
    beat_s: float = 2.0,
    options: dict[str, Any] | None = None,
) -> None:
    """`reelbot worker`: load `model` once (a preset name, `auto`, or a local folder), announce it, and
    serve the bot's queue until SIGINT / SIGTERM. Raises what loading raises (KeyError for an unknown
    preset)."""
    from engine.video_engine import DiffusersEngine

    engine = DiffusersEngine.load(model, data_dir, **(options or {}))
    name, memory = gpu_description()
    setup = WorkerSetup(
        url=url,
        queue=queue,
        preset=engine.preset.name,
        operations=engine.preset.operations,
        worker_id=new_worker_id(gpu),
        max_pixels=max_pixels,
        gpu=name,
        gpu_memory_gb=memory,
        prefetch=prefetch,
        beat_s=beat_s,
        work_dir=Path(data_dir) / "worker",
    )
    log.info(
        "worker %s: %s on %s (%.0f GB), max %d px, prefetch %d",
        setup.worker_id,
        setup.preset,
        name or "cpu",
        memory,
        max_pixels,
        prefetch,
    )
    asyncio.run(RemoteWorker(engine, setup).serve())
