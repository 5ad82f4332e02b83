"""The ledger's tables: accounts, identities (platform ids -> account), holds, the append-only ledger rows
and link codes, with the schema version. Creating or upgrading them is all this module does; it moves no
credits and reads no balance.
"""

from __future__ import annotations

import sqlite3

from billing.errors import BillingError
from reel.db import immediate

#: The ledger schema this code reads and writes (PRAGMA user_version of the file).
SCHEMA_VERSION = 1

_TABLES = (
    """CREATE TABLE IF NOT EXISTS accounts (
        id INTEGER PRIMARY KEY,
        plan TEXT NOT NULL,
        allowance INTEGER NOT NULL CHECK (allowance >= 0),
        topup INTEGER NOT NULL CHECK (topup >= 0),
        held INTEGER NOT NULL CHECK (held >= 0),
        cycle TEXT NOT NULL,
        auto_approve INTEGER,
        created_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS identities (
        user TEXT PRIMARY KEY,
        account INTEGER NOT NULL REFERENCES accounts(id),
        since TEXT NOT NULL) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS identities_account ON identities(account)",
    """CREATE TABLE IF NOT EXISTS holds (
        job_id TEXT PRIMARY KEY,
        account INTEGER NOT NULL REFERENCES accounts(id),
        user TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount >= 0),
        from_allowance INTEGER NOT NULL,
        from_topup INTEGER NOT NULL,
        cycle TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('held', 'captured', 'refunded')),
        created_at TEXT NOT NULL,
        settled_at TEXT) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS holds_open ON holds(account, created_at) WHERE state = 'held'",
    """CREATE TABLE IF NOT EXISTS ledger (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        account INTEGER NOT NULL,
        user TEXT,
        kind TEXT NOT NULL,
        allowance_delta INTEGER NOT NULL,
        topup_delta INTEGER NOT NULL,
        held_delta INTEGER NOT NULL,
        job_id TEXT,
        note TEXT,
        at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS ledger_account ON ledger(account, id)",
    """CREATE TRIGGER IF NOT EXISTS ledger_no_update BEFORE UPDATE ON ledger
        BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS ledger_no_delete BEFORE DELETE ON ledger
        BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END""",
    """CREATE TABLE IF NOT EXISTS link_codes (
        code_hash TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT)""",
)


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the ledger tables if missing, in one transaction. Raises BillingError("ledger_schema")
    when the file was made by a newer Reelbot (its schema version is above SCHEMA_VERSION)."""
    with immediate(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise BillingError("ledger_schema", found=version, supported=SCHEMA_VERSION)
        for statement in _TABLES:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
