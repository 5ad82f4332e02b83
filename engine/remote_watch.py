"""Keeps the bot's picture of Redis current for the remote pool: whether Redis is reachable and still has
its data, the workers' heartbeats (joins and departures), dispatches that never reached their worker,
results and progress as they are published, and results whose message was missed.

It reads Redis and reports to its pool (engine/remote_dispatch.py); it decides nothing about jobs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

import streaq
from streaq.types import Streaq

from engine.pool import Pool, WorkerInfo
from engine.remote_wire import Names

log = logging.getLogger(__name__)

#: the pool's one-line summary goes to the log this often (and on every join or departure)
SUMMARY_S = 60.0


class WatchedPool(Protocol):
    """What the watch reports to (RemotePool)."""

    def take_result(self, task_id: str, raw: Any) -> None: ...

    def take_progress(self, raw: Any) -> None: ...

    def lose(self, task_id: str, reason: str, *, counted: bool) -> None: ...

    def waiting(self) -> list[str]: ...

    def wake(self) -> None: ...

    def chore(self, coro: Awaitable[Any]) -> asyncio.Task[Any]: ...

    async def drop_stream(self, worker_id: str) -> None: ...


class PoolWatch:
    """Reads heartbeats every `watch_s` into `pool` and follows the result and progress channels;
    `redis()` is the client to use (the pool's, once open). `reachable_since` is None while Redis cannot
    be reached (no dispatches then), else since when it has been, with its data."""

    def __init__(
        self, names: Names, pool: Pool, redis: Callable[[], Any], to: WatchedPool, watch_s: float
    ) -> None:
        self.names = names
        self.pool = pool
        self._redis = redis
        self._to = to
        self._watch_s = watch_s
        self._epoch: str | None = None
        self._told_at = 0.0
        self.reachable_since: float | None = None

    async def listen_forever(self) -> None:
        """Results (streaQ publishes each on its task's channel) and progress, as they come."""
        while True:
            try:
                async with self._redis().pubsub(
                    patterns=[self.names.result_pattern],
                    channels=[self.names.progress_channel],
                    ignore_subscribe_messages=True,
                ) as pubsub:
                    async for message in pubsub:
                        if message["type"] == "pmessage":
                            self._to.take_result(
                                self.names.task_id_of_channel(message["channel"]), message["data"]
                            )
                        elif message["type"] == "message":
                            self._to.take_progress(message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the watch's result check covers what was missed meanwhile
                log.warning("result subscription dropped (%s); resubscribing", exc)
                await asyncio.sleep(0.5)

    async def watch_forever(self) -> None:
        while True:
            await asyncio.sleep(self._watch_s)
            try:
                await self.once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self.reachable_since is not None:
                    log.warning("Redis unreachable (%s): no dispatches until it is back", exc)
                self.reachable_since = None

    async def once(self) -> None:
        """One look: Redis's epoch, every heartbeat, departures, lost dispatches, missed results."""
        now = time.monotonic()
        redis = self._redis()
        epoch = await redis.get(self.names.epoch_key)
        if self.reachable_since is None or epoch != self._epoch:
            if self._epoch is not None and epoch != self._epoch:
                log.warning(
                    "Redis lost its data (restarted empty?): dispatches no worker holds go back in line"
                )
            if epoch is None:
                await self._load_library()  # streaQ's Lua functions went with the data
                epoch = secrets.token_hex(8)
                await redis.set(self.names.epoch_key, epoch)
            self._epoch = epoch
            self.reachable_since = now
            for m in self.pool.members.values():  # silence while Redis was away is not a departure
                m.seen_at = now
        keys = [k async for k in redis.scan_iter(match=self.names.worker_pattern, count=1000)]
        changed = False
        present: set[str] = set()
        for raw in await redis.mget(keys) if keys else ():
            if raw is None:
                continue
            try:
                info = WorkerInfo.from_dict(json.loads(raw))
            except (ValueError, KeyError, TypeError):
                continue
            present.add(info.id)
            if self.pool.beat(info, now):
                log.info(
                    "worker %s joined: %s, %s (%.0f GB), %d seat(s)",
                    info.id,
                    info.preset,
                    info.gpu or "cpu",
                    info.gpu_memory_gb,
                    info.seats,
                )
                changed = True
        gone = self.pool.expire(now)
        gone += [m for m in list(self.pool.members.values()) if m.info.leaving and m.info.id not in present]
        for m in gone:
            self.pool.members.pop(m.info.id, None)
            log.info("worker %s %s", m.info.id, "left" if m.info.leaving else "is gone (no heartbeat)")
            for d in m.tasks.values():
                self._to.lose(d.task_id, f"worker {m.info.id} is gone", counted=not m.info.leaving)
            self._to.chore(self._to.drop_stream(m.info.id))
            changed = True
        unheld = {d.task_id for d in self.pool.unheld(now, self.reachable_since)}
        await self._collect_missed(unheld)
        if changed:
            self._to.wake()
        if changed or now - self._told_at >= SUMMARY_S:
            self._told_at = now
            log.info("pool: %s", self.summary())

    def summary(self) -> str:
        """One line for the log: each worker, its preset and GPU, and what it runs."""
        if not self.pool.members:
            return "no worker announced"
        return "; ".join(
            f"{w['worker']} ({w['preset']}, {w['gpu'] or 'cpu'}) "
            + (f"running {w['running'].split('.')[0]}" if w["running"] else "idle")
            + (f", holds {len(w['holds'])}" if len(w["holds"]) > 1 else "")
            for w in self.pool.view()
        )

    async def _load_library(self) -> None:
        """(Re)load streaQ's Lua functions into Redis, as a streaQ worker does when it connects."""
        text = (Path(streaq.__file__).parent / "lua" / "streaq.lua").read_text()
        await Streaq(self._redis(), code=text, replace=True)

    async def _collect_missed(self, unheld: set[str]) -> None:
        """Take results whose message was missed; a dispatch no worker holds and with no result never
        reached its worker: back in line, no attempt used."""
        waiting = self._to.waiting()
        if not waiting:
            return
        redis = self._redis()
        async with redis.pipeline(transaction=False) as pipe:
            checks = [pipe.exists([self.names.result_key(t)]) for t in waiting]
        for task_id, check in zip(waiting, checks, strict=True):
            if await check:
                raw = await redis.get(self.names.result_key(task_id))
                if raw is not None:
                    self._to.take_result(task_id, raw)
            elif task_id in unheld:
                self._to.lose(task_id, "never reached its worker", counted=False)
