"""The one writer of a SQLite database file: one stdlib connection served by one thread, with group commit.

Owns the connection, its thread and its transactions; knows no table (billing/, engine/ and bot/ bring
their own schemas and statements as plain functions of a connection). In a process, every store of a
file (ledger, jobs, core state) shares one `Database`; none opens a connection of its own.

Why one thread: every function handed to `run` or `transaction` runs whole on that thread, so the
statements of two operations never interleave, and a caller cancelled while it waits cannot leave a
transaction half-open. Why group commit: `transaction` queues its body and a single writer task sends
what queued up meanwhile as one `BEGIN IMMEDIATE ... COMMIT`, each body in its own SAVEPOINT (a body
that raises is rolled back alone, the others commit), and no caller hears "done" before the COMMIT that
made its change durable. Under load that writes each WAL page once per batch, not once per operation.
Other processes are kept out by `BEGIN IMMEDIATE` (the write lock is taken up front, waiting up to the
busy timeout).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, Concatenate, ParamSpec, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")

#: Most transaction bodies one group commit carries (bounds how long the write lock is held).
MAX_BATCH = 256


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """`BEGIN IMMEDIATE` on `conn`, COMMIT when the block ends, ROLLBACK if it raises.

    For bodies that `Database.run` executes outside the group commit (schema set-up, migrations)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@dataclass
class _Pending:
    """A queued transaction body and the future its caller awaits."""

    body: Callable[[sqlite3.Connection], Any]
    future: asyncio.Future[Any]


class Database:
    """One SQLite file, one connection, one thread. Create with `await Database.open(path)`."""

    def __init__(self, path: Path, executor: ThreadPoolExecutor, conn: sqlite3.Connection) -> None:
        self.path = path
        self._executor = executor
        self._connection = conn
        self._closed = False
        self._queue: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, path: Path, *, busy_timeout_ms: int = 10_000) -> Database:
        """Open (creating it and its folder if needed) the database at `path`, in WAL mode.

        `busy_timeout_ms` is how long a write waits for another process's write lock before it fails
        with sqlite3.OperationalError ("database is locked")."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reel-db")
        loop = asyncio.get_running_loop()
        try:
            conn = await loop.run_in_executor(executor, _connect, path, busy_timeout_ms)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(path, executor, conn)

    async def close(self) -> None:
        """Finish the queued transactions, then close the connection. Safe to call twice."""
        if self._closed:
            return
        if self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)
        self._closed = True
        try:
            await asyncio.get_running_loop().run_in_executor(self._executor, self._connection.close)
        finally:
            self._executor.shutdown(wait=False)

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def closed(self) -> bool:
        return self._closed

    async def run(
        self, fn: Callable[Concatenate[sqlite3.Connection, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run `fn(conn, *args, **kwargs)` on the connection's thread, outside any transaction the
        writer holds (reads; set-up that manages its own transaction with `immediate`). Returns what
        `fn` returns and raises what it raises; ValueError once the database is closed."""
        if self._closed:
            raise ValueError("the database is closed")
        call = partial(fn, self._connection, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    async def transaction(
        self, fn: Callable[Concatenate[sqlite3.Connection, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run `fn(conn, *args, **kwargs)` as one unit of work: all its writes commit together or not
        at all. Returns its result once the COMMIT that made it durable is done; raises what `fn` raised
        (its writes rolled back, nothing else's), sqlite3.Error when the whole batch could not commit
        (another process held the lock past the busy timeout, I/O error), ValueError once closed.

        `fn` runs on the connection's thread and must neither await nor open a transaction itself."""
        if self._closed:
            raise ValueError("the database is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()

        def body(conn: sqlite3.Connection) -> T:
            return fn(conn, *args, **kwargs)

        self._queue.append(_Pending(body, future))
        # No await between the writer's last look at the queue and its end, so a writer that is not
        # done will still see this body.
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._write_batches())
        return await future

    async def _write_batches(self) -> None:
        """Drain the queue: each round sends what queued up meanwhile (at most MAX_BATCH) as one batch."""
        while self._queue:
            batch = self._queue[:MAX_BATCH]
            del self._queue[:MAX_BATCH]
            try:
                outcomes = await self.run(_run_batch, [p.body for p in batch])
            except asyncio.CancelledError:  # the loop is shutting down: nobody is left to answer
                for p in batch + self._queue:
                    p.future.cancel()
                self._queue.clear()
                raise
            except Exception as e:  # the whole batch rolled back: busy too long, I/O error, closed
                for p in batch:
                    if not p.future.done():
                        p.future.set_exception(e)
                continue
            for p, (ok, value) in zip(batch, outcomes, strict=True):
                if p.future.done():  # the caller gave up waiting; its work still happened
                    continue
                if ok:
                    p.future.set_result(value)
                else:
                    p.future.set_exception(value)


def _connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    """The connection, made on the thread that will serve it (sqlite3 checks the thread)."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        _use_wal(conn, busy_timeout_ms / 1000)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def _use_wal(conn: sqlite3.Connection, patience_s: float) -> None:
    """Switch the file to WAL. Two connections switching a fresh file at once get "database is locked"
    at once (SQLite does not call the busy handler for this), so retry, on this connection's thread."""
    deadline = time.monotonic() + patience_s
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)  # on the database thread, never the event loop
    if str(mode).lower() != "wal":
        log.warning("SQLite refused WAL mode (journal_mode=%s); concurrent readers will wait", mode)


def _run_batch(
    conn: sqlite3.Connection, bodies: list[Callable[[sqlite3.Connection], Any]]
) -> list[tuple[bool, Any]]:
    """Run each body in its own savepoint of one BEGIN IMMEDIATE transaction.

    Returns (True, result) or (False, exception) per body, in order. A body that raises is rolled back
    to its savepoint and the rest go on. If the transaction itself is lost (SQLite rolled it back, or
    COMMIT failed) everything is rolled back and the error is raised for the whole batch.
    """
    outcomes: list[tuple[bool, Any]] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for body in bodies:
            conn.execute("SAVEPOINT unit")
            try:
                result = body(conn)
            except Exception as e:
                if not conn.in_transaction:
                    raise
                conn.execute("ROLLBACK TO unit")
                conn.execute("RELEASE unit")
                outcomes.append((False, e))
            else:
                conn.execute("RELEASE unit")
                outcomes.append((True, result))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes
