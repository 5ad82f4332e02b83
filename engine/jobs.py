"""The job table: one row per job, the durable record the queue and the core agree on.

States (`JobState`) move only along `TRANSITIONS`: queued -> running -> done | failed | cancelled, a
queued job may be cancelled, and a running one goes back to queued on a restart retry or a shutdown.
Every transition is a conditional UPDATE, so a late or repeated one is a no-op, never a corruption; one
the table does not allow is a bug and raises. Knows nothing of credits or platforms: `origin` and
`spec` are opaque JSON to it. Writes go through the shared `reel.db.Database`; `tx_add` is the insert as
a transaction body, for a caller's unit of work (the core writes the job row with its credit hold).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from reel.db import Database, immediate


class JobState(StrEnum):
    """Where a job is. The three final states never change again."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


# The old module constants: the core, the adapters and the tests import these names.
QUEUED, RUNNING, DONE, FAILED, CANCELLED = (
    JobState.QUEUED,
    JobState.RUNNING,
    JobState.DONE,
    JobState.FAILED,
    JobState.CANCELLED,
)
FINAL_STATES = frozenset({DONE, FAILED, CANCELLED})
#: Every move a job may make: from-state -> the states it may go to.
TRANSITIONS: Mapping[JobState, frozenset[JobState]] = {
    QUEUED: frozenset({RUNNING, CANCELLED}),
    RUNNING: frozenset({QUEUED, DONE, FAILED, CANCELLED}),
    DONE: frozenset(),
    FAILED: frozenset(),
    CANCELLED: frozenset(),
}
LANES = ("fast", "relaxed")


class IllegalTransition(ValueError):
    """A move the transition table does not allow (a bug in the caller, not a race)."""

    def __init__(self, from_state: str, to_state: str) -> None:
        super().__init__(f"a job cannot go from {from_state} to {to_state}")
        self.from_state, self.to_state = from_state, to_state


def check_transition(from_state: str, to_state: str) -> None:
    """Raises IllegalTransition unless TRANSITIONS allows `from_state` -> `to_state` (ValueError for a
    name that is no state)."""
    if JobState(to_state) not in TRANSITIONS[JobState(from_state)]:
        raise IllegalTransition(from_state, to_state)


_TABLE = """CREATE TABLE IF NOT EXISTS jobs (
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
    public INTEGER NOT NULL DEFAULT 1,
    cancel_requested INTEGER NOT NULL DEFAULT 0,  -- a member cancelled it while it ran
    deleted_at REAL,              -- when its owner deleted the clip
    dispatch TEXT                 -- the transport id of the running attempt on a remote worker, else NULL
)"""
_INDEXES = (
    "CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state, created_at)",
    "CREATE INDEX IF NOT EXISTS jobs_owner ON jobs(owner, created_at)",
    "CREATE INDEX IF NOT EXISTS jobs_finished ON jobs(state, finished_at)",
)
#: Columns added since the first release, with how an older table gains them (ALTER TABLE ADD COLUMN).
_ADDED_COLUMNS = {
    "cancel_requested": "INTEGER NOT NULL DEFAULT 0",
    "deleted_at": "REAL",
    "dispatch": "TEXT",
}


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
    state: JobState = QUEUED
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
    cancel_requested: bool = False
    deleted_at: float | None = None
    #: the transport id of the running attempt's dispatch to a remote worker (None in-process); a result
    #: is accepted only for the dispatch the row names, so a late or stale one cannot finish the job
    dispatch: str | None = None

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def deleted(self) -> bool:
        """Its owner deleted the clip (the row stays, for the books and lineage)."""
        return self.deleted_at is not None


_COLUMNS = tuple(Job.__dataclass_fields__)
_SELECT = f"SELECT {','.join(_COLUMNS)} FROM jobs"
_JSON_COLUMNS = frozenset({"request", "spec", "result", "origin"})
_BOOL_COLUMNS = frozenset({"public", "cancel_requested"})


def _row_to_job(row: Iterable[Any]) -> Job:
    values = dict(zip(_COLUMNS, row, strict=True))
    for k in _JSON_COLUMNS:
        values[k] = json.loads(values[k]) if values[k] is not None else None
    for k in _BOOL_COLUMNS:
        values[k] = bool(values[k])
    values["state"] = JobState(values["state"])
    if values["origin"] is None:
        values["origin"] = {}
    return Job(**values)


def _stored(column: str, value: Any) -> Any:
    if column in _JSON_COLUMNS:
        return json.dumps(value, ensure_ascii=False) if value is not None else None
    if column in _BOOL_COLUMNS:
        return int(value)
    return value


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the job table, or upgrade an older one in place: add the missing columns and move the
    values the first release overloaded `error` with ("cancel_requested", "deleted") into them."""
    with immediate(conn):
        conn.execute(_TABLE)
        have = {row[1] for row in conn.execute("PRAGMA table_info(jobs)")}
        missing = [name for name in _ADDED_COLUMNS if name not in have]
        for name in missing:
            conn.execute(f"ALTER TABLE jobs ADD COLUMN {name} {_ADDED_COLUMNS[name]}")
        if "cancel_requested" in missing:
            conn.execute(
                "UPDATE jobs SET cancel_requested = 1, error = NULL WHERE error = 'cancel_requested'"
            )
        if "deleted_at" in missing:
            conn.execute(
                "UPDATE jobs SET deleted_at = COALESCE(finished_at, created_at), error = NULL"
                " WHERE error = 'deleted'"
            )
        for statement in _INDEXES:
            conn.execute(statement)


def count_by_state(conn: sqlite3.Connection) -> dict[str, int]:
    """How many jobs are in each state (every state listed, 0 included)."""
    counts = {state.value: 0 for state in JobState}
    for state, n in conn.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state"):
        counts[str(state)] = int(n)
    return counts


def states_of(conn: sqlite3.Connection, job_ids: Iterable[str]) -> dict[str, JobState]:
    """The state of each of `job_ids` that has a row (missing ids are left out)."""
    found: dict[str, JobState] = {}
    for job_id in job_ids:
        row = conn.execute("SELECT state FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is not None:
            found[job_id] = JobState(row[0])
    return found


class JobStore:
    """Async access to the job table on the shared Database. Create with `await JobStore.open(db)`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    async def open(cls, db: Database) -> JobStore:
        """The job table on `db`, created (or upgraded in place) if needed."""
        await db.run(create_schema)
        return cls(db)

    # -- writes ---------------------------------------------------------------------------------

    def tx_add(self, conn: sqlite3.Connection, job: Job) -> None:
        """Insert `job` (state as given, normally queued) as a body of the caller's transaction.
        Raises sqlite3.IntegrityError when its id exists."""
        marks = ",".join("?" * len(_COLUMNS))
        conn.execute(
            f"INSERT INTO jobs ({','.join(_COLUMNS)}) VALUES ({marks})",
            [_stored(k, getattr(job, k)) for k in _COLUMNS],
        )

    async def add(self, job: Job) -> None:
        """Insert a new job row in a transaction of its own (a job no credits hang on)."""
        await self.db.transaction(self.tx_add, job)

    async def transition(
        self,
        job_id: str,
        from_states: Iterable[str],
        to_state: str,
        *,
        dispatch_is: str | None = None,
        **fields: Any,
    ) -> bool:
        """Move a job to `to_state` only if it is in one of `from_states` (and, with `dispatch_is`, only if
        its row names that dispatch); set `fields` (columns) too.

        Returns True when the row changed (False: the job was elsewhere, e.g. already cancelled, or a
        newer dispatch runs it).
        Raises IllegalTransition when the table allows none of `from_states` -> `to_state` for one of
        them, ValueError for an unknown column.
        """
        froms = tuple(from_states)
        for state in froms:
            check_transition(state, to_state)
        sets = ["state = ?"]
        args: list[Any] = [JobState(to_state).value]
        for k, v in fields.items():
            if k not in _COLUMNS or k in ("id", "state"):
                raise ValueError(f"unknown job column {k}")
            sets.append(f"{k} = ?")
            args.append(_stored(k, v))
        args.append(job_id)
        args.extend(froms)
        sql = f"UPDATE jobs SET {', '.join(sets)} WHERE id = ? AND state IN ({','.join('?' * len(froms))})"
        if dispatch_is is not None:
            sql += " AND dispatch = ?"
            args.append(dispatch_is)
        return await self.db.transaction(_changed_one, sql, args)

    async def start(self, job_id: str, dispatch: str | None = None) -> bool:
        """queued -> running, counting the attempt and naming its dispatch (None: in-process)."""
        return await self.db.transaction(
            _changed_one,
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?, progress = 0, "
            "dispatch = ? WHERE id = ? AND state = 'queued'",
            [time.time(), dispatch, job_id],
        )

    async def mark_started(self, job_id: str, dispatch: str) -> None:
        """The remote worker began rendering `dispatch` (it may have waited behind another job): the run's
        clock starts now, so ETAs and mean run times leave the wait out."""
        await self.db.transaction(
            _changed_one,
            "UPDATE jobs SET started_at = ? WHERE id = ? AND state = 'running' AND dispatch = ?",
            [time.time(), job_id, dispatch],
        )

    async def request_cancel(self, job_id: str) -> None:
        """Mark a running job as cancelled by its member, durably (a restart then cancels and refunds it)."""
        await self.db.transaction(
            _changed_one, "UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND state = 'running'", [job_id]
        )

    async def set_progress(self, job_id: str, fraction: float) -> None:
        await self.db.transaction(
            _changed_one,
            "UPDATE jobs SET progress = ? WHERE id = ? AND state = 'running'",
            [fraction, job_id],
        )

    async def set_public(self, job_id: str, public: bool) -> None:
        await self.db.transaction(
            _changed_one, "UPDATE jobs SET public = ? WHERE id = ?", [int(public), job_id]
        )

    async def mark_deleted(self, job_id: str) -> bool:
        """Record that the owner deleted a finished clip: hidden from the feed, never redelivered. True
        when this call marked it (False: not done, or deleted already)."""
        return await self.db.transaction(
            _changed_one,
            "UPDATE jobs SET deleted_at = ?, public = 0 WHERE id = ? AND state = 'done' AND deleted_at IS NULL",
            [time.time(), job_id],
        )

    # -- reads ----------------------------------------------------------------------------------

    async def get(self, job_id: str) -> Job | None:
        rows = await self.db.run(_select, " WHERE id = ?", [job_id])
        return rows[0] if rows else None

    async def in_states(self, *states: str, finished_after: float | None = None) -> list[Job]:
        """Jobs in any of `states` (and, if given, finished at or after `finished_after`), oldest first."""
        sql = f" WHERE state IN ({','.join('?' * len(states))})"
        args: list[Any] = list(states)
        if finished_after is not None:
            sql += " AND finished_at >= ?"
            args.append(finished_after)
        return await self.db.run(_select, sql + " ORDER BY created_at, id", args)

    async def of_owner(self, owner: str, *states: str, limit: int = 50) -> list[Job]:
        """The owner's jobs (optionally only in `states`), newest first."""
        sql = " WHERE owner = ?"
        args: list[Any] = [owner]
        if states:
            sql += f" AND state IN ({','.join('?' * len(states))})"
            args.extend(states)
        sql += " ORDER BY created_at DESC LIMIT ?"
        args.append(limit)
        return await self.db.run(_select, sql, args)

    async def recent_public(self, limit: int = 30, before: float | None = None) -> list[Job]:
        """Finished public clips, newest first: the Explore feed."""
        sql = " WHERE state = 'done' AND public = 1 AND deleted_at IS NULL"
        args: list[Any] = []
        if before is not None:
            sql += " AND finished_at < ?"
            args.append(before)
        sql += " ORDER BY finished_at DESC LIMIT ?"
        args.append(limit)
        return await self.db.run(_select, sql, args)

    async def mean_run_seconds(self, limit: int = 20) -> float | None:
        """Mean wall time of the last finished jobs (for ETAs), or None with no history."""
        return await self.db.run(_mean_run_seconds, limit)

    async def counts(self) -> dict[str, int]:
        """How many jobs are in each state (every state listed)."""
        return await self.db.run(count_by_state)


def _changed_one(conn: sqlite3.Connection, sql: str, args: list[Any]) -> bool:
    return conn.execute(sql, args).rowcount == 1


def _select(conn: sqlite3.Connection, where: str, args: list[Any]) -> list[Job]:
    return [_row_to_job(r) for r in conn.execute(_SELECT + where, args).fetchall()]


def _mean_run_seconds(conn: sqlite3.Connection, limit: int) -> float | None:
    row = conn.execute(
        "SELECT AVG(finished_at - started_at) FROM (SELECT finished_at, started_at FROM jobs "
        "WHERE state = 'done' AND started_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?)",
        (limit,),
    ).fetchone()
    return float(row[0]) if row and row[0] is not None else None
