"""Who a web visitor is: a random member id (`web:<id>`) carried in a signed, HttpOnly cookie, the display
name the member picked (shown as the author, never used as an identity), and the access token a web
channel bound beyond loopback requires.

Owns the signing key (a file in the data folder, made on first start) and the `web_members` table. Knows
nothing of HTTP frameworks beyond plain strings; the server reads and sets the cookies.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import re
import secrets
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from reel.db import Database, immediate

MEMBER_COOKIE: Final = "reelbot_member"
ACCESS_COOKIE: Final = "reelbot_access"
#: a member cookie lives a year; a visit renews nothing (the id is the identity)
COOKIE_MAX_AGE: Final = 365 * 24 * 3600
MAX_NAME: Final = 32
_ID = re.compile(r"[0-9a-f]{16}")

_SCHEMA = """CREATE TABLE IF NOT EXISTS web_members (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    seen_at REAL NOT NULL)"""


@dataclass(frozen=True)
class Member:
    """A web visitor. `user` is their platform-qualified id, what the ledger and the jobs know."""

    id: str
    name: str = ""

    @property
    def user(self) -> str:
        return f"web:{self.id}"

    @property
    def display_name(self) -> str:
        return self.name or f"web-{self.id[:6]}"


def is_loopback(host: str) -> bool:
    """Does binding `host` keep the server on this machine only?"""
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def clean_name(raw: str) -> str:
    """A display name as shown: control and format characters out, spaces collapsed, at most MAX_NAME."""
    spaced = "".join(" " if ch.isspace() else ch for ch in raw)  # a tab or a new line still parts two words
    kept = "".join(ch for ch in spaced if unicodedata.category(ch)[0] != "C")
    return " ".join(kept.split())[:MAX_NAME]


class Signer:
    """HMAC-SHA256 over cookie values with a key that lives in the data folder (0600), so cookies survive a
    restart and a value written by anyone without the key is refused."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def load(cls, data_dir: Path) -> Signer:
        """The key in `data_dir/web_secret`, made (random, 32 bytes) when missing."""
        path = data_dir / "web_secret"
        try:
            key = bytes.fromhex(path.read_text().strip())
        except (FileNotFoundError, ValueError):
            data_dir.mkdir(parents=True, exist_ok=True)
            key = secrets.token_bytes(32)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(key.hex())
        return cls(key)

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self._key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:32]

    def member_cookie(self, member_id: str) -> str:
        """The cookie value for `member_id`."""
        return f"{member_id}.{self._mac('member', member_id)}"

    def member_of(self, cookie: str | None) -> str | None:
        """The member id a cookie value carries, or None when it is absent, malformed or forged."""
        if not cookie:
            return None
        member_id, _, mac = cookie.partition(".")
        if not _ID.fullmatch(member_id) or not _same(mac, self._mac("member", member_id)):
            return None
        return member_id

    def access_cookie(self, token: str) -> str:
        """The cookie that stands for having shown the access token once (the token itself is not stored)."""
        return self._mac("access", token)

    def access_ok(self, token: str, *, header: str | None, cookie: str | None, query: str | None) -> bool:
        """Did the request show the access `token`: a Bearer header, the access cookie, or ?token=."""
        if header and header.startswith("Bearer ") and _same(header[7:].strip(), token):
            return True
        if cookie and _same(cookie, self.access_cookie(token)):
            return True
        return bool(query) and _same(str(query), token)


def _same(a: str, b: str) -> bool:
    """Constant-time equality of two strings (any characters)."""
    return hmac.compare_digest(a.encode(), b.encode())


def new_member_id() -> str:
    """16 random hex characters: unguessable, and the id other members see in nothing but lineage."""
    return secrets.token_hex(8)


def _create(conn: sqlite3.Connection) -> None:
    with immediate(conn):
        conn.execute(_SCHEMA)


def _upsert(conn: sqlite3.Connection, member_id: str, now: float) -> str:
    conn.execute(
        "INSERT OR IGNORE INTO web_members (id, name, created_at, seen_at) VALUES (?, '', ?, ?)",
        (member_id, now, now),
    )
    row = conn.execute("SELECT name FROM web_members WHERE id = ?", (member_id,)).fetchone()
    return str(row[0]) if row else ""


def _rename(conn: sqlite3.Connection, member_id: str, name: str, now: float) -> None:
    conn.execute(
        "INSERT INTO web_members (id, name, created_at, seen_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at",
        (member_id, name, now, now),
    )


def _name(conn: sqlite3.Connection, member_id: str) -> str | None:
    row = conn.execute("SELECT name FROM web_members WHERE id = ?", (member_id,)).fetchone()
    return str(row[0]) if row else None


class Members:
    """Display names of web members, on the shared Database (names are cached: every request reads one)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._names: dict[str, str] = {}

    async def open(self) -> Members:
        await self.db.run(_create)
        return self

    async def get(self, member_id: str) -> Member:
        """The member `member_id` (recorded on first sight)."""
        name = self._names.get(member_id)
        if name is None:
            name = await self.db.run(_name, member_id)
            if name is None:
                name = await self.db.transaction(_upsert, member_id, time.time())
            self._names[member_id] = name
        return Member(member_id, name)

    async def rename(self, member_id: str, raw: str) -> Member:
        """Set the member's display name (cleaned; empty clears it)."""
        name = clean_name(raw)
        await self.db.transaction(_rename, member_id, name, time.time())
        self._names[member_id] = name
        return Member(member_id, name)
