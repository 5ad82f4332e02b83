"""What the bot owes members and has not handed over yet, as rows that survive a crash: the answer to a
request (written before its job, cleared once the answer is out) and, for each finished clip and the
platform it goes to, its delivery (pending, posting: the intent written before each upload, posted, or
given up), with its attempts, when to try next and the upload's anchor.

Rows only, on the shared `reel.db.Database`; when to retry, capture or refund is bot/delivery.py's rule.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from reel.db import Database, immediate

#: a delivery's states: waiting for its (next) attempt; an upload under way (or cut off by a crash, or
#: timed out: its outcome unknown until the platform is asked); on the platform; abandoned and refunded
PENDING, POSTING, POSTED, GIVEN_UP = "pending", "posting", "posted", "given_up"
SETTLED = frozenset({POSTED, GIVEN_UP})

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS deliveries (
        job_id TEXT NOT NULL,
        platform TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at REAL NOT NULL,          -- when the next attempt is due
        anchor TEXT,                    -- the platform's newest message id before the upload (reconcile)
        error TEXT,                     -- what the platform said last (a code, never a token or a prompt)
        updated_at REAL NOT NULL,
        PRIMARY KEY (job_id, platform))""",
    "CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(state, next_at)",
    """CREATE TABLE IF NOT EXISTS taken_requests (
        request TEXT PRIMARY KEY,       -- platform:chat:message of the member's message
        job_id TEXT NOT NULL,
        at REAL NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS owed_answers (
        job_id TEXT PRIMARY KEY,
        origin TEXT NOT NULL,           -- where the request came from (the job's origin), JSON
        created_at REAL NOT NULL)""",
)


@dataclass(frozen=True)
class DeliveryRow:
    """One clip's delivery to one platform."""

    job_id: str
    platform: str
    state: str
    attempts: int
    next_at: float
    anchor: str | None
    error: str | None


@dataclass(frozen=True)
class OwedAnswer:
    """A request whose answer had not been posted when the row was last looked at."""

    job_id: str
    origin: dict[str, Any]
    created_at: float


def _create(conn: sqlite3.Connection) -> None:
    with immediate(conn):
        for statement in _SCHEMA:
            conn.execute(statement)


def _execute(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...]) -> int:
    return conn.execute(sql, args).rowcount


def _fetch(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    return conn.execute(sql, args).fetchall()


_COLUMNS = "job_id, platform, state, attempts, next_at, anchor, error"


def _row(r: tuple[Any, ...]) -> DeliveryRow:
    return DeliveryRow(str(r[0]), str(r[1]), str(r[2]), int(r[3]), float(r[4]), r[5], r[6])


class RequestTaken(Exception):
    """The member's message was taken already (a platform delivered it twice): `job_id` is its job."""

    def __init__(self, job_id: str) -> None:
        super().__init__(job_id)
        self.job_id = job_id


def tx_take_request(conn: sqlite3.Connection, request: str, job_id: str) -> None:
    """Mark the message `request` as taken by `job_id`, as a body of the submit's own transaction (with the
    hold and the job row). Raises RequestTaken, naming the first job, when it was taken before."""
    found = conn.execute("SELECT job_id FROM taken_requests WHERE request = ?", (request,)).fetchone()
    if found is not None:
        raise RequestTaken(str(found[0]))
    conn.execute(
        "INSERT INTO taken_requests (request, job_id, at) VALUES (?,?,?)", (request, job_id, time.time())
    )


class Outbox:
    """Owed answers and clip deliveries on the shared Database. Create with `await Outbox.open(db)`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    async def open(cls, db: Database) -> Outbox:
        """The outbox tables on `db`, created if missing."""
        await db.run(_create)
        return cls(db)

    # -- answers --------------------------------------------------------------------------------

    async def owe_answer(self, job_id: str, origin: dict[str, Any]) -> None:
        """A request for `job_id` is about to be written: its answer is owed until `answered`."""
        await self.db.transaction(
            _execute,
            "INSERT OR REPLACE INTO owed_answers (job_id, origin, created_at) VALUES (?,?,?)",
            (job_id, json.dumps(origin, ensure_ascii=False), time.time()),
        )

    async def answered(self, job_id: str) -> None:
        await self.db.transaction(_execute, "DELETE FROM owed_answers WHERE job_id = ?", (job_id,))

    async def forget_requests(self, older_than_s: float = 7 * 24 * 3600) -> int:
        """Drop the taken-request marks older than `older_than_s` (a platform redelivers within hours)."""
        return await self.db.transaction(
            _execute, "DELETE FROM taken_requests WHERE at < ?", (time.time() - older_than_s,)
        )

    async def owed_answers(self) -> list[OwedAnswer]:
        """Every answer still owed, oldest first."""
        rows = await self.db.run(
            _fetch, "SELECT job_id, origin, created_at FROM owed_answers ORDER BY created_at", ()
        )
        return [OwedAnswer(str(r[0]), json.loads(r[1]), float(r[2])) for r in rows]

    # -- deliveries -------------------------------------------------------------------------------

    async def get(self, job_id: str, platform: str) -> DeliveryRow | None:
        rows = await self.db.run(
            _fetch, f"SELECT {_COLUMNS} FROM deliveries WHERE job_id = ? AND platform = ?", (job_id, platform)
        )
        return _row(rows[0]) if rows else None

    async def expect(self, job_id: str, platform: str, *, grace_s: float = 30.0) -> None:
        """The clip of `job_id` is to be posted on `platform` now (a no-op when its delivery is known);
        redelivery leaves it to that first post for `grace_s`."""
        now = time.time()
        await self.db.transaction(
            _execute,
            "INSERT OR IGNORE INTO deliveries (job_id, platform, state, attempts, next_at, updated_at) "
            "VALUES (?,?,?,0,?,?)",
            (job_id, platform, PENDING, now + grace_s, now),
        )

    async def posting(self, job_id: str, platform: str, anchor: str | None) -> int:
        """The intent, written before an upload: one more attempt, outcome unknown until it returns.
        Returns the attempt's number (1 for the first)."""
        now = time.time()
        rows = await self.db.transaction(
            _fetch,
            "INSERT INTO deliveries (job_id, platform, state, attempts, next_at, anchor, updated_at) "
            "VALUES (?,?,?,1,?,?,?) ON CONFLICT (job_id, platform) DO UPDATE SET state = excluded.state, "
            "attempts = attempts + 1, next_at = excluded.next_at, anchor = excluded.anchor, "
            "updated_at = excluded.updated_at "
            "RETURNING attempts",
            (job_id, platform, POSTING, now, anchor, now),
        )
        return int(rows[0][0])

    async def retry_at(self, job_id: str, platform: str, when: float, error: str, *, uncertain: bool) -> None:
        """The attempt failed; try again at `when`. `uncertain`: the platform may have taken the upload
        (a timeout), so the next attempt asks it first (the row stays `posting`)."""
        await self.db.transaction(
            _execute,
            "UPDATE deliveries SET state = ?, next_at = ?, error = ?, updated_at = ? "
            "WHERE job_id = ? AND platform = ?",
            (POSTING if uncertain else PENDING, when, error[:200], time.time(), job_id, platform),
        )

    async def settle(self, job_id: str, platform: str, state: str, error: str | None = None) -> None:
        """The delivery is over: `posted` or `given_up`."""
        assert state in SETTLED
        now = time.time()
        await self.db.transaction(
            _execute,
            "INSERT INTO deliveries (job_id, platform, state, attempts, next_at, error, updated_at) "
            "VALUES (?,?,?,0,?,?,?) ON CONFLICT (job_id, platform) DO UPDATE SET state = excluded.state, "
            "error = COALESCE(excluded.error, error), updated_at = excluded.updated_at",
            (job_id, platform, state, now, error, now),
        )

    async def states(self, job_ids: list[str]) -> dict[str, set[str]]:
        """job id -> the states of its deliveries (every platform)."""
        found: dict[str, set[str]] = {}
        for start in range(0, len(job_ids), 500):
            chunk = job_ids[start : start + 500]
            rows = await self.db.run(
                _fetch,
                f"SELECT job_id, state FROM deliveries WHERE job_id IN ({','.join('?' * len(chunk))})",
                tuple(chunk),
            )
            for job_id, state in rows:
                found.setdefault(str(job_id), set()).add(str(state))
        return found
