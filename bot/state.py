"""The conversation core's own rows: pending confirmations (survive restarts), where each clip was posted,
reports, and which accounts are on a plan their members' roles gave them. Only the core uses it; adapters reach it through the core. Its rows live in the shared
`reel.db.Database` beside the ledger and the job table; it opens no connection of its own.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from reel.db import Database, immediate

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS pending (
        token TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        request TEXT NOT NULL,
        context TEXT NOT NULL,
        price INTEGER NOT NULL,
        created_at REAL NOT NULL,
        used INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS posts (
        platform TEXT NOT NULL,
        chat TEXT NOT NULL,
        message TEXT NOT NULL,
        job_id TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'clip',   -- clip: the clip itself; status: its queue / progress message
        PRIMARY KEY (platform, chat, message))""",
    "CREATE INDEX IF NOT EXISTS posts_job ON posts(job_id)",
    """CREATE TABLE IF NOT EXISTS reports (
        job_id TEXT NOT NULL,
        user TEXT NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (job_id, user))""",
    """CREATE TABLE IF NOT EXISTS role_plans (
        account TEXT PRIMARY KEY,
        plan TEXT NOT NULL,      -- the plan the roles gave
        base TEXT NOT NULL,      -- the plan the account had before, which comes back without the roles
        at REAL NOT NULL)""",
)

#: a confirm / alternative button stays valid this long
PENDING_TTL_S = 24 * 3600


@dataclass
class Pending:
    token: str
    user: str
    request: dict[str, Any]
    context: dict[str, Any]
    price: int


def _create_schema(conn: sqlite3.Connection) -> None:
    with immediate(conn):
        for statement in _SCHEMA:
            conn.execute(statement)


def _execute(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...]) -> int:
    """Run one statement; the rows it changed."""
    return conn.execute(sql, args).rowcount


def _fetch(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    return conn.execute(sql, args).fetchall()


class CoreState:
    """Pending confirmations, the post index and reports, on the shared Database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    async def open(cls, db: Database) -> CoreState:
        """The core's tables on `db`, created if missing."""
        await db.run(_create_schema)
        return cls(db)

    async def add_pending(
        self, user: str, request: dict[str, Any], context: dict[str, Any], price: int
    ) -> str:
        """Store a request waiting for the member's tap; returns its unguessable token (16 hex chars)."""
        token = secrets.token_hex(8)
        await self.db.transaction(
            _execute,
            "INSERT INTO pending (token, user, request, context, price, created_at) VALUES (?,?,?,?,?,?)",
            (
                token,
                user,
                json.dumps(request, ensure_ascii=False),
                json.dumps(context, ensure_ascii=False),
                price,
                time.time(),
            ),
        )
        return token

    async def take_pending(self, token: str, user: str) -> Pending | None:
        """Claim a pending request once: None if unknown, expired, used, or someone else's."""
        rows = await self.db.transaction(
            _fetch,
            "UPDATE pending SET used = 1 WHERE token = ? AND user = ? AND used = 0 AND created_at > ? "
            "RETURNING token, user, request, context, price",
            (token, user, time.time() - PENDING_TTL_S),
        )
        if not rows:
            return None
        row = rows[0]
        return Pending(row[0], row[1], json.loads(row[2]), json.loads(row[3]), int(row[4]))

    async def record_post(
        self, platform: str, chat: str, message: str, job_id: str, kind: str = "clip"
    ) -> None:
        await self.db.transaction(
            _execute,
            "INSERT OR REPLACE INTO posts (platform, chat, message, job_id, kind) VALUES (?,?,?,?,?)",
            (platform, chat, message, job_id, kind),
        )

    async def delivered(self, job_id: str, platform: str) -> bool:
        """Has the clip of `job_id` been posted on `platform`?"""
        rows = await self.db.run(
            _fetch,
            "SELECT 1 FROM posts WHERE job_id = ? AND platform = ? AND kind = 'clip' LIMIT 1",
            (job_id, platform),
        )
        return bool(rows)

    async def job_for_post(self, platform: str, chat: str, message: str) -> str | None:
        rows = await self.db.run(
            _fetch,
            "SELECT job_id FROM posts WHERE platform = ? AND chat = ? AND message = ?",
            (platform, chat, message),
        )
        return str(rows[0][0]) if rows else None

    async def posts_of(self, job_id: str, kind: str | None = None) -> list[tuple[str, str, str]]:
        sql = "SELECT platform, chat, message FROM posts WHERE job_id = ?"
        args: tuple[str, ...] = (job_id,)
        if kind is not None:
            sql += " AND kind = ?"
            args = (job_id, kind)
        rows = await self.db.run(_fetch, sql, args)
        return [(str(a), str(b), str(c)) for a, b, c in rows]

    async def report(self, job_id: str, user: str) -> bool:
        changed = await self.db.transaction(
            _execute,
            "INSERT OR IGNORE INTO reports (job_id, user, at) VALUES (?,?,?)",
            (job_id, user, time.time()),
        )
        return changed == 1

    async def role_plan(self, account: str) -> tuple[str, str] | None:
        """(plan the roles gave, plan before it) of `account`, or None when its plan is its own."""
        rows = await self.db.run(_fetch, "SELECT plan, base FROM role_plans WHERE account = ?", (account,))
        return (str(rows[0][0]), str(rows[0][1])) if rows else None

    async def set_role_plan(self, account: str, plan: str, base: str) -> None:
        await self.db.transaction(
            _execute,
            "INSERT OR REPLACE INTO role_plans (account, plan, base, at) VALUES (?,?,?,?)",
            (account, plan, base, time.time()),
        )

    async def forget_role_plan(self, account: str) -> None:
        await self.db.transaction(_execute, "DELETE FROM role_plans WHERE account = ?", (account,))
