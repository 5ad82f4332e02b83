"""The conversation core's own rows: pending confirmations (survive restarts), where each clip was posted,
and reports. Only `bot/core.py` uses it; adapters reach it through the core.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending (
    token TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    request TEXT NOT NULL,
    context TEXT NOT NULL,
    price INTEGER NOT NULL,
    created_at REAL NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS posts (
    platform TEXT NOT NULL,
    chat TEXT NOT NULL,
    message TEXT NOT NULL,
    job_id TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'clip',   -- clip: the clip itself; status: its queue / progress message
    PRIMARY KEY (platform, chat, message)
);
CREATE INDEX IF NOT EXISTS posts_job ON posts(job_id);
CREATE TABLE IF NOT EXISTS reports (
    job_id TEXT NOT NULL,
    user TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (job_id, user)
);
"""

#: a confirm / alternative button stays valid this long
PENDING_TTL_S = 24 * 3600


@dataclass
class Pending:
    token: str
    user: str
    request: dict[str, Any]
    context: dict[str, Any]
    price: int


class CoreState:
    """Pending confirmations, the post index and reports, on their own aiosqlite connection."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    @classmethod
    async def open(cls, path: Path) -> CoreState:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path, isolation_level=None)
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA busy_timeout=10000")
        await db.executescript(_SCHEMA)
        return cls(db)

    async def close(self) -> None:
        await self._db.close()

    async def add_pending(self, user: str, request: dict[str, Any], context: dict[str, Any], price: int) -> str:
        """Store a request waiting for the member's tap; returns its unguessable token (16 hex chars)."""
        token = secrets.token_hex(8)
        await self._db.execute(
            "INSERT INTO pending (token, user, request, context, price, created_at) VALUES (?,?,?,?,?,?)",
            (token, user, json.dumps(request, ensure_ascii=False), json.dumps(context, ensure_ascii=False),
             price, time.time()),
        )
        return token

    async def take_pending(self, token: str, user: str) -> Pending | None:
        """Claim a pending request once: None if unknown, expired, used, or someone else's."""
        cur = await self._db.execute(
            "UPDATE pending SET used = 1 WHERE token = ? AND user = ? AND used = 0 AND created_at > ? "
            "RETURNING token, user, request, context, price",
            (token, user, time.time() - PENDING_TTL_S),
        )
        row = await cur.fetchone()
        await cur.close()
        if row is None:
            return None
        return Pending(row[0], row[1], json.loads(row[2]), json.loads(row[3]), int(row[4]))

    async def record_post(self, platform: str, chat: str, message: str, job_id: str, kind: str = "clip") -> None:
        await self._db.execute(
            "INSERT OR REPLACE INTO posts (platform, chat, message, job_id, kind) VALUES (?,?,?,?,?)",
            (platform, chat, message, job_id, kind),
        )

    async def delivered(self, job_id: str, platform: str) -> bool:
        """Has the clip of `job_id` been posted on `platform`?"""
        async with self._db.execute(
            "SELECT 1 FROM posts WHERE job_id = ? AND platform = ? AND kind = 'clip' LIMIT 1", (job_id, platform)
        ) as cur:
            return await cur.fetchone() is not None

    async def job_for_post(self, platform: str, chat: str, message: str) -> str | None:
        async with self._db.execute(
            "SELECT job_id FROM posts WHERE platform = ? AND chat = ? AND message = ?", (platform, chat, message)
        ) as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else None

    async def posts_of(self, job_id: str, kind: str | None = None) -> list[tuple[str, str, str]]:
        sql = "SELECT platform, chat, message FROM posts WHERE job_id = ?"
        args: tuple[str, ...] = (job_id,)
        if kind is not None:
            sql += " AND kind = ?"
            args = (job_id, kind)
        async with self._db.execute(sql, args) as cur:
            rows = await cur.fetchall()
        return [(str(a), str(b), str(c)) for a, b, c in rows]

    async def report(self, job_id: str, user: str) -> bool:
        cur = await self._db.execute(
            "INSERT OR IGNORE INTO reports (job_id, user, at) VALUES (?,?,?)", (job_id, user, time.time())
        )
        return cur.rowcount == 1
