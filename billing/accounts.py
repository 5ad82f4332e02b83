"""Accounts and their monthly cycles: finding (or opening) a user's account, the allowance reset at each
new calendar month (UTC), plan changes, balances, history and the recompute from ledger rows.

Every function here is a transaction body: it runs on the database thread inside the caller's
transaction and touches only `conn`. Holds, refunds and grants live in movements.py.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from billing import records
from billing.errors import NotFound
from billing.plans import Plan, PlanBook
from billing.records import Balance, LedgerRow, Movement

log = logging.getLogger(__name__)

_ACCOUNT_COLUMNS = "a.id, a.plan, a.allowance, a.topup, a.held, a.cycle, a.auto_approve"


@dataclass
class Account:
    """An account row as read inside a transaction."""

    id: int
    plan: str
    allowance: int
    topup: int
    held: int
    cycle: str
    auto_approve: int | None


class Accounts:
    """Account look-ups and cycle resets under one plan book."""

    def __init__(self, plans: PlanBook) -> None:
        self.plans = plans

    def plan(self, name: str) -> Plan:
        """The plan called `name`; the default plan when the operator removed it from the table."""
        if name in self.plans.plans:
            return self.plans.plans[name]
        log.warning("account plan %r no longer exists; treating it as %r", name, self.plans.default_name)
        return self.plans.default

    def of(self, conn: sqlite3.Connection, now: datetime, user: str) -> Account:
        """`user`'s account, opened on first touch with the default plan, this month's reset applied."""
        row = conn.execute(
            f"SELECT {_ACCOUNT_COLUMNS} FROM identities i JOIN accounts a ON a.id = i.account WHERE i.user = ?",
            (user,),
        ).fetchone()
        cycle = cycle_key(now)
        if row is None:
            plan = self.plans.default
            account_id = open_account(conn, now, user, plan, plan.credits_per_month, "first touch")
            return Account(account_id, plan.name, plan.credits_per_month, 0, 0, cycle, None)
        account = Account(*row)
        if account.cycle < cycle:
            credits = self.plan(account.plan).credits_per_month
            conn.execute(
                "UPDATE accounts SET allowance = ?, cycle = ? WHERE id = ?", (credits, cycle, account.id)
            )
            records.write(
                conn,
                Movement(
                    key=f"reset:{account.id}:{cycle}",
                    account=account.id,
                    kind="reset",
                    allowance=credits - account.allowance,
                    note=f"monthly allowance {cycle}",
                ),
                now,
            )
            account.allowance, account.cycle = credits, cycle
        return account

    def by_id(self, conn: sqlite3.Connection, now: datetime, account_id: int) -> Account:
        """The account with this id, reset applied. Raises NotFound when there is none."""
        row = conn.execute("SELECT user FROM identities WHERE account = ? LIMIT 1", (account_id,)).fetchone()
        if row is not None:
            return self.of(conn, now, row[0])
        # An account no id points at any more (its last id was merged away while nothing was held).
        raw = conn.execute(
            f"SELECT {_ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = ?",
            (account_id,),
        ).fetchone()
        if raw is None:
            raise NotFound(what="account", key=account_id)
        return Account(*raw)

    # -- transaction bodies of Ledger's reads and settings --------------------------------------------

    def balance(self, conn: sqlite3.Connection, now: datetime, user: str) -> Balance:
        a = self.of(conn, now, user)
        start = cycle_start(a.cycle)
        return Balance(
            account=a.id,
            plan=a.plan,
            allowance=a.allowance,
            topup=a.topup,
            held=a.held,
            available=a.allowance + a.topup,
            cycle_start=start,
            next_reset=next_cycle(start),
            auto_approve=a.auto_approve,
        )

    def history(self, conn: sqlite3.Connection, now: datetime, user: str, limit: int) -> list[LedgerRow]:
        a = self.of(conn, now, user)
        rows = conn.execute(
            f"SELECT {records.ROW_COLUMNS} FROM ledger WHERE account = ? ORDER BY id DESC LIMIT ?",
            (a.id, limit),
        ).fetchall()
        return [records.to_row(r) for r in rows]

    def recompute(self, conn: sqlite3.Connection, now: datetime, user: str) -> tuple[int, int]:
        a = self.of(conn, now, user)
        allowance, topup = conn.execute(
            "SELECT COALESCE(SUM(allowance_delta), 0), COALESCE(SUM(topup_delta), 0) FROM ledger"
            " WHERE account = ?",
            (a.id,),
        ).fetchone()
        return int(allowance), int(topup)

    def set_plan(self, conn: sqlite3.Connection, now: datetime, user: str, plan: Plan) -> None:
        a = self.of(conn, now, user)
        if a.plan == plan.name:
            return
        spent = max(0, self.plan(a.plan).credits_per_month - a.allowance)
        allowance = min(plan.credits_per_month, max(0, plan.credits_per_month - spent))
        conn.execute("UPDATE accounts SET plan = ?, allowance = ? WHERE id = ?", (plan.name, allowance, a.id))
        records.write(
            conn,
            Movement(
                key=f"plan:{a.id}:{uuid.uuid4().hex}",
                account=a.id,
                kind="plan",
                user=user,
                allowance=allowance - a.allowance,
                note=f"{a.plan} -> {plan.name}",
            ),
            now,
        )

    def set_auto_approve(
        self, conn: sqlite3.Connection, now: datetime, user: str, credits: int | None
    ) -> None:
        a = self.of(conn, now, user)
        conn.execute("UPDATE accounts SET auto_approve = ? WHERE id = ?", (credits, a.id))


def open_account(
    conn: sqlite3.Connection, now: datetime, user: str, plan: Plan, allowance: int, note: str
) -> int:
    """Open an account for `user` (inserting or moving its identity) with `allowance`; returns its id."""
    stamp = now.isoformat()
    account_id = int(
        conn.execute(
            "INSERT INTO accounts (plan, allowance, topup, held, cycle, created_at) VALUES (?, ?, 0, 0, ?, ?)"
            " RETURNING id",
            (plan.name, allowance, cycle_key(now), stamp),
        ).fetchone()[0]
    )
    conn.execute(
        "INSERT INTO identities (user, account, since) VALUES (?, ?, ?)"
        " ON CONFLICT (user) DO UPDATE SET account = excluded.account, since = excluded.since",
        (user, account_id, stamp),
    )
    records.write(
        conn,
        Movement(
            key=f"open:{account_id}",
            account=account_id,
            kind="open",
            user=user,
            allowance=allowance,
            note=note,
        ),
        now,
    )
    return account_id


def cycle_key(moment: datetime) -> str:
    """The allowance cycle `moment` falls in: "YYYY-MM" (UTC)."""
    return f"{moment.year:04d}-{moment.month:02d}"


def cycle_start(cycle: str) -> datetime:
    """The first instant of a "YYYY-MM" cycle, UTC."""
    year, month = (int(part) for part in cycle.split("-"))
    return datetime(year, month, 1, tzinfo=UTC)


def next_cycle(start: datetime) -> datetime:
    """The start of the cycle after the one starting at `start`."""
    return (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
