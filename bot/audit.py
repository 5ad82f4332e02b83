"""The operator's check of the books (`reelbot admin audit`): every balance recomputed from the ledger rows,
each open hold paired with its job, and the jobs counted by state, all from one read snapshot.

Read-only: it reports and repairs nothing. It is the one reader outside the core that looks at money and
jobs together (billing/ knows no jobs and engine/ no money), so it lives on the bot side.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from billing.audit import check_books
from billing.schema import create_schema as create_ledger_schema
from engine.jobs import FINAL_STATES, count_by_state, states_of
from engine.jobs import create_schema as create_job_schema
from reel.db import Database


async def audit(db: Database) -> dict[str, Any]:
    """The audit report of `db` (ledger and job tables must exist): a dict with exactly the keys
    `ledger_balanced` (every stored balance equals its ledger rows), `open_holds` (each with its job's
    state, None when it has no job row), `jobs` (count per state), `accounts` (users, plan, allowance,
    topup, held) and `mismatches` (balance disagreements, and open holds whose job is final or missing).
    The books are in order exactly when `mismatches` is empty."""
    return await db.run(_snapshot)


async def audit_file(path: Path) -> dict[str, Any]:
    """`audit` of the database file at `path`, its tables created (or upgraded) first if needed."""
    async with await Database.open(path) as db:
        await db.run(create_ledger_schema)
        await db.run(create_job_schema)
        return await audit(db)


def _snapshot(conn: sqlite3.Connection) -> dict[str, Any]:
    conn.execute("BEGIN")  # one read transaction: the books, the holds and the jobs of the same moment
    try:
        books = check_books(conn)
        jobs = count_by_state(conn)
        states = states_of(conn, [h.job_id for h in books.open_holds])
    finally:
        conn.execute("COMMIT")
    mismatches = list(books.mismatches)
    open_holds = []
    for hold in books.open_holds:
        state = states.get(hold.job_id)
        entry = {
            "job_id": hold.job_id,
            "user": hold.user,
            "account": hold.account,
            "amount": hold.amount,
            "created_at": hold.created_at.isoformat(),
            "job_state": state.value if state else None,
        }
        open_holds.append(entry)
        if state is None:
            mismatches.append({"kind": "hold_without_job", **entry})
        elif state in FINAL_STATES:
            mismatches.append({"kind": "hold_of_final_job", **entry})
    return {
        "ledger_balanced": books.balanced,
        "open_holds": open_holds,
        "jobs": jobs,
        "accounts": [a.to_dict() for a in books.accounts],
        "mismatches": mismatches,
    }
