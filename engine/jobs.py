"""The job table: one row per job, the durable record the queue and the core agree on.

States move queued -> running -> done | failed | cancelled (running -> queued once on a restart retry).
Every transition is a conditional UPDATE, so a late or repeated transition is a no-op, never a corruption.
Knows nothing of credits or platforms: `origin` and `spec` are opaque JSON to it.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiosqlite

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
FINAL_STATES = frozenset({DONE, FAILED, CANCELLED})
LANES = ("fast", "relaxed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,          -- platform-qualified id of the member who asked
    account TEXT NOT NULL,        -- the wallet (after account links) that pays
    action TEXT NOT NULL,
    request TEXT NOT NULL,        -- the Request (storage form), JSON
    spec TEXT NOT NULL,           -- what the engine renders, JSON
    price INTEGER NOT NULL,
    lane TEXT NOT NULL,
    max_running INTEGER NOT NULL, -- the owner's plan cap on jobs at once
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    progress REAL NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    result TEXT,                  -- the clip, JSON
    error TEXT,                   -- a stable error code when failed / cancelled
    origin TEXT NOT NULL,         -- where to post results (adapter data), JSON
    parent TEXT,                  -- the source clip's job id for edits (lineage)
    public INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state, created_at);
CREATE INDEX IF NOT EXISTS jobs_owner ON jobs(owner, created_at);
CREATE INDEX IF NOT EXISTS jobs_finished ON jobs(state, finished_at);
"""


def new_job_id() -> str:
    """A short, URL- and callback-safe job id (12 hex chars)."""
    return secrets.token_hex(6)


@dataclass
class Job:
    """One row of the job table."""

    id: str
    owner: str
    account: str
    action: str
    request: dict[str, Any]
    spec: dict[str, Any]
    price: int
    lane: str = "fast"
    max_running: int = 1
    state: str = QUEUED
    attempts: int = 0
    progress: float = 0.0
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None
    result: dict[str, Any] | None = None
    error: str | None = None
    origin: dict[str, Any] = field(default_factory=dict)
    parent: str | None = None
    public: bool = True

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES


_COLUMNS = (
    "id",
    "owner",
    "account",
    "action",
    "request",
    "spec",
    "price",
    "lane",
    "max_running",
    "state",
    "attempts",
    "progress",
    "created_at",
    "started_at",
    "finished_at",
    "result",
    "error",
    "origin",
    "parent",
    "public",
)
_JSON_COLUMNS = frozenset({"request", "spec", "result", "origin"})


def _row_to_job(row: Iterable[Any]) -> Job:
    values = dict(zip(_COLUMNS, row, strict=True))
    for k in _JSON_COLUMNS:
        values[k] = json.loads(values[k]) if values[k] is not None else None
    values["public"] = bool(values["public"])
    if values["origin"] is None:
        values["origin"] = {}
    return Job(**values)


class JobStore:
    """Async access to the job table (its own aiosqlite connection; WAL so readers never block)."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    @classmethod
    async def open(cls, path: Path) -> JobStore:
        """Open (and create) the job table in the SQLite file at `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path, isolation_level=None)
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA busy_timeout=10000")
        await db.executescript(_SCHEMA)
        return cls(db)

    async def close(self) -> None:
        await self._db.close()

    async def add(self, job: Job) -> None:
        """Insert a new job row (state as given, normally queued)."""
        values = []
        for k in _COLUMNS:
            v = getattr(job, k)
            if k in _JSON_COLUMNS:
                v = json.dumps(v, ensure_ascii=False) if v is not None else None
            elif k == "public":
                v = int(v)
            values.append(v)
        marks = ",".join("?" * len(_COLUMNS))
        await self._db.execute(f"INSERT INTO jobs ({','.join(_COLUMNS)}) VALUES ({marks})", values)

    async def get(self, job_id: str) -> Job | None:
        async with self._db.execute(f"SELECT {','.join(_COLUMNS)} FROM jobs WHERE id = ?", (job_id,)) as cur:
            row = await cur.fetchone()
        return _row_to_job(row) if row else None

    async def in_states(self, *states: str, finished_after: float | None = None) -> list[Job]:
        """Jobs in any of `states` (and, if given, finished at or after `finished_after`), oldest first."""
        marks = ",".join("?" * len(states))
        sql = f"SELECT {','.join(_COLUMNS)} FROM jobs WHERE state IN ({marks})"
        args: list[Any] = list(states)
        if finished_after is not None:
            sql += " AND finished_at >= ?"
            args.append(finished_after)
        async with self._db.execute(sql + " ORDER BY created_at, id", args) as cur:
            rows = await cur.fetchall()
        return [_row_to_job(r) for r in rows]

    async def of_owner(self, owner: str, *states: str, limit: int = 50) -> list[Job]:
        """The owner's jobs (optionally only in `states`), newest first."""
        sql = f"SELECT {','.join(_COLUMNS)} FROM jobs WHERE owner = ?"
        args: list[Any] = [owner]
        if states:
            sql += f" AND state IN ({','.join('?' * len(states))})"
            args.extend(states)
        sql += " ORDER BY created_at DESC LIMIT ?"
        args.append(limit)
        async with self._db.execute(sql, args) as cur:
            rows = await cur.fetchall()
        return [_row_to_job(r) for r in rows]

    async def recent_public(self, limit: int = 30, before: float | None = None) -> list[Job]:
        """Finished public clips, newest first: the Explore feed."""
        sql = f"SELECT {','.join(_COLUMNS)} FROM jobs WHERE state = 'done' AND public = 1"
        args: list[Any] = []
        if before is not None:
            sql += " AND finished_at < ?"
            args.append(before)
        sql += " ORDER BY finished_at DESC LIMIT ?"
        args.append(limit)
        async with self._db.execute(sql, args) as cur:
            rows = await cur.fetchall()
        return [_row_to_job(r) for r in rows]

    async def transition(self, job_id: str, from_states: Iterable[str], to_state: str, **fields: Any) -> bool:
        """Move a job to `to_state` only if it is in one of `from_states`; set `fields` too.

        Returns True when the row changed (False: the job was elsewhere, e.g. already cancelled).
        """
        froms = tuple(from_states)
        sets = ["state = ?"]
        args: list[Any] = [to_state]
        for k, v in fields.items():
            if k not in _COLUMNS or k in ("id", "state"):
                raise ValueError(f"unknown job column {k}")
            sets.append(f"{k} = ?")
            args.append(json.dumps(v, ensure_ascii=False) if k in _JSON_COLUMNS and v is not None else v)
        args.append(job_id)
        args.extend(froms)
        cur = await self._db.execute(
            f"UPDATE jobs SET {', '.join(sets)} WHERE id = ? AND state IN ({','.join('?' * len(froms))})",
            args,
        )
        return cur.rowcount == 1

    async def start(self, job_id: str) -> bool:
        """queued -> running, counting the attempt."""
        cur = await self._db.execute(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?, progress = 0 "
            "WHERE id = ? AND state = 'queued'",
            (time.time(), job_id),
        )
        return cur.rowcount == 1

    async def request_cancel(self, job_id: str) -> None:
        """Mark a running job as cancelled by its member, durably (a restart then refunds it)."""
        await self._db.execute(
            "UPDATE jobs SET error = 'cancel_requested' WHERE id = ? AND state = 'running'", (job_id,)
        )

    async def set_progress(self, job_id: str, fraction: float) -> None:
        await self._db.execute(
            "UPDATE jobs SET progress = ? WHERE id = ? AND state = 'running'", (fraction, job_id)
        )

    async def set_public(self, job_id: str, public: bool) -> None:
        await self._db.execute("UPDATE jobs SET public = ? WHERE id = ?", (int(public), job_id))

    async def mean_run_seconds(self, limit: int = 20) -> float | None:
        """Mean wall time of the last finished jobs (for ETAs), or None with no history."""
        async with self._db.execute(
            "SELECT AVG(finished_at - started_at) FROM (SELECT finished_at, started_at FROM jobs "
            "WHERE state = 'done' AND started_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?)",
            (limit,),
        ) as cur:
            row = await cur.fetchone()
        return float(row[0]) if row and row[0] is not None else None
