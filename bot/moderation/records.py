"""What moderation remembers, as rows on the shared Database: each block (who, where, at which stage, which
categories; never the prompt), banned members, and clips hidden by reports until an admin decides.

Rows only; the rules are bot/moderation/policy.py's and the use cases bot/moderation/actions.py's.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from reel.db import Database, immediate

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS moderation_log (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        user TEXT NOT NULL,
        platform TEXT NOT NULL,
        chat TEXT,
        stage TEXT NOT NULL,            -- prompt | image | output
        categories TEXT NOT NULL,       -- JSON list; the prompt itself is never stored
        job_id TEXT)""",
    """CREATE TABLE IF NOT EXISTS bans (
        user TEXT PRIMARY KEY,
        by TEXT NOT NULL,
        at REAL NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS reviews (
        job_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,            -- pending (hidden by reports) | kept | removed
        reports INTEGER NOT NULL,
        at REAL NOT NULL,
        by TEXT)""",
)


@dataclass(frozen=True)
class Block:
    at: float
    user: str
    platform: str
    chat: str | None
    stage: str
    categories: list[str]
    job_id: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "user": self.user,
            "platform": self.platform,
            "chat": self.chat,
            "stage": self.stage,
            "categories": self.categories,
            "job_id": self.job_id,
        }


def _create(conn: sqlite3.Connection) -> None:
    with immediate(conn):
        for statement in _SCHEMA:
            conn.execute(statement)


def _execute(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...]) -> int:
    return conn.execute(sql, args).rowcount


def _fetch(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    return conn.execute(sql, args).fetchall()


def _count_reports(conn: sqlite3.Connection, job_id: str) -> int:
    # the reports themselves are the core state's rows (bot/state.py: one per member and clip)
    return int(conn.execute("SELECT COUNT(*) FROM reports WHERE job_id = ?", (job_id,)).fetchone()[0])


class ModerationRecords:
    """Blocks, bans and report reviews. Create with `await ModerationRecords.open(db)`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._banned: set[str] = set()

    @classmethod
    async def open(cls, db: Database) -> ModerationRecords:
        await db.run(_create)
        records = cls(db)
        records._banned = {str(r[0]) for r in await db.run(_fetch, "SELECT user FROM bans", ())}
        return records

    async def log_block(
        self, user: str, origin: dict[str, Any], stage: str, categories: list[str], job_id: str | None = None
    ) -> None:
        """Record a block for the admins: who, where, at which stage, why. Never the prompt."""
        await self.db.transaction(
            _execute,
            "INSERT INTO moderation_log (at, user, platform, chat, stage, categories, job_id) "
            "VALUES (?,?,?,?,?,?,?)",
            (
                time.time(),
                user,
                str(origin.get("platform", "")),
                _chat(origin),
                stage,
                json.dumps(categories),
                job_id,
            ),
        )

    async def blocks(self, limit: int = 50) -> list[Block]:
        """The newest blocks, newest first."""
        rows = await self.db.run(
            _fetch,
            "SELECT at, user, platform, chat, stage, categories, job_id FROM moderation_log "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            Block(float(r[0]), str(r[1]), str(r[2]), r[3], str(r[4]), json.loads(r[5]), r[6]) for r in rows
        ]

    # -- bans ---------------------------------------------------------------------------------------

    def banned(self, user: str) -> bool:
        return user in self._banned

    async def ban(self, user: str, by: str) -> bool:
        """True when `user` was not banned before."""
        changed = await self.db.transaction(
            _execute, "INSERT OR IGNORE INTO bans (user, by, at) VALUES (?,?,?)", (user, by, time.time())
        )
        self._banned.add(user)
        return changed == 1

    async def unban(self, user: str) -> bool:
        changed = await self.db.transaction(_execute, "DELETE FROM bans WHERE user = ?", (user,))
        self._banned.discard(user)
        return changed == 1

    # -- reports ------------------------------------------------------------------------------------

    async def reports_of(self, job_id: str) -> int:
        return await self.db.run(_count_reports, job_id)

    async def review(self, job_id: str) -> str | None:
        """The clip's review state (pending | kept | removed), None when never hidden."""
        rows = await self.db.run(_fetch, "SELECT state FROM reviews WHERE job_id = ?", (job_id,))
        return str(rows[0][0]) if rows else None

    async def hold_for_review(self, job_id: str, reports: int) -> bool:
        """Mark the clip hidden until an admin decides. True when this call did (not reviewed before)."""
        changed = await self.db.transaction(
            _execute,
            "INSERT OR IGNORE INTO reviews (job_id, state, reports, at) VALUES (?, 'pending', ?, ?)",
            (job_id, reports, time.time()),
        )
        return changed == 1

    async def decide(self, job_id: str, state: str, by: str) -> None:
        """An admin's decision on a clip: kept (shown again, reports no longer hide it) or removed."""
        assert state in ("kept", "removed")
        await self.db.transaction(
            _execute,
            "INSERT INTO reviews (job_id, state, reports, at, by) VALUES (?, ?, 0, ?, ?) "
            "ON CONFLICT (job_id) DO UPDATE SET state = excluded.state, at = excluded.at, by = excluded.by",
            (job_id, state, time.time(), by),
        )

    async def pending_reviews(self) -> list[tuple[str, int]]:
        rows = await self.db.run(
            _fetch, "SELECT job_id, reports FROM reviews WHERE state = 'pending' ORDER BY at", ()
        )
        return [(str(a), int(b)) for a, b in rows]


def _chat(origin: dict[str, Any]) -> str | None:
    chat = origin.get("chat_id", origin.get("chat"))
    return str(chat) if chat is not None else None
