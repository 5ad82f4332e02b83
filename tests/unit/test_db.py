"""reel.db.Database: one connection on one thread, group commit with a savepoint per unit of work, WAL,
clear errors once closed or when another process holds the lock."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from reel.db import Database, immediate


def make_table(conn: sqlite3.Connection) -> None:
    with immediate(conn):
        conn.execute("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")


def put(conn: sqlite3.Connection, k: str, v: int) -> int:
    conn.execute("INSERT INTO t (k, v) VALUES (?, ?)", (k, v))
    return v


def put_two_then_fail(conn: sqlite3.Connection, k: str) -> None:
    conn.execute("INSERT INTO t (k, v) VALUES (?, 1)", (k + "-a",))
    conn.execute("INSERT INTO t (k, v) VALUES (?, 2)", (k + "-b",))
    raise RuntimeError("the second half of this unit of work failed")


def keys(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT k FROM t ORDER BY k")]


async def test_wal_and_one_thread_for_every_call(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "d" / "x.db") as db:  # the folder is created
        assert await db.run(lambda c: c.execute("PRAGMA journal_mode").fetchone()[0]) == "wal"
        await db.run(make_table)
        threads = await asyncio.gather(
            *(db.run(lambda c: threading.get_ident()) for _ in range(20)),
            *(db.transaction(lambda c: threading.get_ident()) for _ in range(20)),
        )
        assert len(set(threads)) == 1 and threads[0] != threading.get_ident()


async def test_a_failing_unit_of_work_rolls_back_alone(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "x.db") as db:
        await db.run(make_table)
        results = await asyncio.gather(
            db.transaction(put, "a", 1),
            db.transaction(put_two_then_fail, "bad"),
            db.transaction(put, "a", 9),  # duplicate key: fails alone too
            db.transaction(put, "c", 3),
            return_exceptions=True,
        )
        assert results[0] == 1 and results[3] == 3
        assert isinstance(results[1], RuntimeError) and isinstance(results[2], sqlite3.IntegrityError)
        assert await db.run(keys) == ["a", "c"]  # neither half of the failed unit, nor the duplicate


async def test_commits_are_durable_for_another_connection(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    async with await Database.open(path) as db:
        await db.run(make_table)
        await asyncio.gather(*(db.transaction(put, f"k{n:03d}", n) for n in range(300)))  # > one batch
        other = sqlite3.connect(path)
        try:
            assert other.execute("SELECT COUNT(*), SUM(v) FROM t").fetchone() == (300, sum(range(300)))
        finally:
            other.close()


async def test_a_held_write_lock_fails_the_batch_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    async with await Database.open(path, busy_timeout_ms=50) as db:
        await db.run(make_table)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            results = await asyncio.gather(
                db.transaction(put, "a", 1), db.transaction(put, "b", 2), return_exceptions=True
            )
            assert all(isinstance(r, sqlite3.OperationalError) for r in results), results
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert await db.run(keys) == []
        assert await db.transaction(put, "a", 1) == 1  # and it works again once the lock is free


async def test_close_finishes_queued_work_then_refuses(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "x.db")
    await db.run(make_table)
    pending = [asyncio.ensure_future(db.transaction(put, f"k{n}", n)) for n in range(10)]
    await asyncio.sleep(0)
    await db.close()
    assert [await p for p in pending] == list(range(10))
    with pytest.raises(ValueError):
        await db.run(keys)
    with pytest.raises(ValueError):
        await db.transaction(put, "late", 1)
    await db.close()  # twice is fine
    async with await Database.open(tmp_path / "x.db") as again:
        assert len(await again.run(keys)) == 10


def test_no_store_opens_its_own_connection() -> None:
    """Only reel/db.py connects; no module uses aiosqlite (or its private API)."""
    root = Path(__file__).resolve().parents[2]
    for package in ("billing", "bot", "engine", "reel"):
        for path in (root / package).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            assert "aiosqlite" not in source, path
            if path != root / "reel" / "db.py":
                assert "sqlite3.connect(" not in source, path
