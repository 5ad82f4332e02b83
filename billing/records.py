"""The ledger's values and how they map to rows: Balance, Hold, LedgerRow, and the Movement written for
every credit change (one append-only `ledger` row). Also the checks every public amount, user and job id
passes. Decides nothing about credits: accounts.py, movements.py and links.py do.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from billing.errors import BadAmount, BillingError, NotFound

#: The most credits one operation may move; larger amounts are refused as BadAmount.
MAX_CREDITS = 1_000_000_000

HOLD_COLUMNS = "job_id, user, account, amount, from_allowance, from_topup, cycle, state, created_at"
ROW_COLUMNS = "id, key, account, user, kind, allowance_delta, topup_delta, held_delta, job_id, note, at"


def utc_now() -> datetime:
    """The default clock: the current time, timezone-aware UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """`moment` as aware UTC (a naive time is taken to be UTC already)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Balance:
    """An account's credits as seen by one of its ids. `available` = allowance + topup (what a hold
    may take); `held` is reserved by running jobs and already excluded from both."""

    account: int
    plan: str
    allowance: int
    topup: int
    held: int
    available: int
    cycle_start: datetime
    next_reset: datetime
    auto_approve: int | None = None


@dataclass(frozen=True)
class Hold:
    """Credits reserved for one job. state: held, captured or refunded."""

    job_id: str
    user: str
    account: int
    amount: int
    from_allowance: int
    from_topup: int
    cycle: str
    state: str
    created_at: datetime


@dataclass(frozen=True)
class LedgerRow:
    """One append-only credit movement as stored. Deltas are signed changes to allowance, top-up, held."""

    id: int
    key: str
    account: int
    user: str | None
    kind: str
    allowance_delta: int
    topup_delta: int
    held_delta: int
    job_id: str | None
    note: str | None
    at: datetime

    @property
    def spendable_delta(self) -> int:
        """Change to what the account can spend (allowance + topup)."""
        return self.allowance_delta + self.topup_delta


@dataclass(frozen=True)
class Movement:
    """A credit change about to be written: `key` makes it happen once, the deltas are what it did to
    the account's allowance, top-up and held credits (signed)."""

    key: str
    account: int
    kind: str
    user: str | None = None
    allowance: int = 0
    topup: int = 0
    held: int = 0
    job_id: str | None = None
    note: str | None = None


def write(conn: sqlite3.Connection, movement: Movement, now: datetime) -> None:
    """Append `movement` as a ledger row stamped `now`. Raises sqlite3.IntegrityError when its key was
    used already (callers check replays first, so that means a bug, and the savepoint rolls back)."""
    m = movement
    conn.execute(
        "INSERT INTO ledger (key, account, user, kind, allowance_delta, topup_delta, held_delta, job_id,"
        " note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (m.key, m.account, m.user, m.kind, m.allowance, m.topup, m.held, m.job_id, m.note, now.isoformat()),
    )


def key_exists(conn: sqlite3.Connection, key: str) -> bool:
    """Has a movement with this idempotency key been written?"""
    return conn.execute("SELECT 1 FROM ledger WHERE key = ?", (key,)).fetchone() is not None


def hold_of(conn: sqlite3.Connection, job_id: str) -> Hold | None:
    """The hold of `job_id` (any state), or None."""
    row = conn.execute(f"SELECT {HOLD_COLUMNS} FROM holds WHERE job_id = ?", (job_id,)).fetchone()
    return None if row is None else to_hold(row)


def hold_state(conn: sqlite3.Connection, job_id: str) -> str:
    """The state of `job_id`'s hold. Raises NotFound when it has none."""
    row = conn.execute("SELECT state FROM holds WHERE job_id = ?", (job_id,)).fetchone()
    if row is None:
        raise NotFound(what="hold", key=job_id)
    return str(row[0])


def open_holds(conn: sqlite3.Connection) -> list[Hold]:
    """Every hold neither captured nor refunded, oldest first."""
    rows = conn.execute(
        f"SELECT {HOLD_COLUMNS} FROM holds WHERE state = 'held' ORDER BY created_at, job_id"
    ).fetchall()
    return [to_hold(r) for r in rows]


def to_hold(r: tuple[Any, ...]) -> Hold:
    """A `holds` row (HOLD_COLUMNS order) as a Hold."""
    return Hold(
        job_id=r[0],
        user=r[1],
        account=r[2],
        amount=r[3],
        from_allowance=r[4],
        from_topup=r[5],
        cycle=r[6],
        state=r[7],
        created_at=datetime.fromisoformat(r[8]),
    )


def to_row(r: tuple[Any, ...]) -> LedgerRow:
    """A `ledger` row (ROW_COLUMNS order) as a LedgerRow."""
    return LedgerRow(
        id=r[0],
        key=r[1],
        account=r[2],
        user=r[3],
        kind=r[4],
        allowance_delta=r[5],
        topup_delta=r[6],
        held_delta=r[7],
        job_id=r[8],
        note=r[9],
        at=datetime.fromisoformat(r[10]),
    )


# -- checks on what callers pass in -----------------------------------------------------------------


def check_user(user: object) -> None:
    """Raises BillingError("bad_user") unless `user` is platform-qualified (`telegram:1`)."""
    if not isinstance(user, str) or ":" not in user or user.startswith(":") or user.endswith(":"):
        raise BillingError("bad_user", user=user)


def check_job(job_id: object) -> None:
    """Raises BillingError("bad_job") unless `job_id` is a non-empty string."""
    if not isinstance(job_id, str) or not job_id:
        raise BillingError("bad_job", job_id=job_id)


def check_amount(amount: object, *, allow_zero: bool) -> None:
    """Raises BadAmount unless `amount` is an int in 0 (or 1)..MAX_CREDITS."""
    low = 0 if allow_zero else 1
    if isinstance(amount, bool) or not isinstance(amount, int) or not low <= amount <= MAX_CREDITS:
        raise BadAmount(amount=amount)
