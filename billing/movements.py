"""Credit movements: hold, capture, refund, admin refund, grant, revoke and transfer. Each is one
conditional UPDATE of the account (a transfer: of both accounts) plus its Movement rows, keyed so a replay
moves nothing.

Transaction bodies only: each runs on the database thread inside the caller's transaction (the
Ledger's group commit, or a unit of work of the core that also writes the job row) and touches only
`conn`. Knows nothing of jobs beyond their id, and nothing of chat platforms.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from billing import records
from billing.accounts import Accounts
from billing.errors import HoldClosed, InsufficientCredits, NotFound, TransferSelf
from billing.records import Hold, Movement


def hold(
    conn: sqlite3.Connection, now: datetime, accounts: Accounts, user: str, job_id: str, amount: int
) -> Hold:
    """Reserve `amount` of `user`'s credits for `job_id`: allowance first, then top-ups. A replay returns
    the existing hold. Raises InsufficientCredits (nothing written) when short."""
    existing = records.hold_of(conn, job_id)
    if existing is not None:
        return existing
    a = accounts.of(conn, now, user)
    # The one conditional UPDATE: SET expressions see the old row, so MIN(allowance, ?) is the
    # allowance part and the rest comes from top-ups. No row back means not enough credits.
    taken = conn.execute(
        "UPDATE accounts SET allowance = allowance - MIN(allowance, ?1),"
        " topup = topup - (?1 - MIN(allowance, ?1)), held = held + ?1"
        " WHERE id = ?2 AND allowance + topup >= ?1 RETURNING allowance",
        (amount, a.id),
    ).fetchone()
    if taken is None:
        raise InsufficientCredits(needed=amount, available=a.allowance + a.topup)
    from_allowance = a.allowance - taken[0]
    from_topup = amount - from_allowance
    conn.execute(
        f"INSERT INTO holds ({records.HOLD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, 'held', ?)",
        (job_id, user, a.id, amount, from_allowance, from_topup, a.cycle, now.isoformat()),
    )
    records.write(
        conn,
        Movement(
            key=f"hold:{job_id}",
            account=a.id,
            kind="hold",
            user=user,
            allowance=-from_allowance,
            topup=-from_topup,
            held=amount,
            job_id=job_id,
        ),
        now,
    )
    return Hold(job_id, user, a.id, amount, from_allowance, from_topup, a.cycle, "held", now)


def capture(conn: sqlite3.Connection, now: datetime, job_id: str) -> bool:
    """Make `job_id`'s hold final. True when this call captured it, False when it was already captured.
    Raises NotFound (no hold), HoldClosed (refunded)."""
    row = conn.execute(
        "UPDATE holds SET state = 'captured', settled_at = ? WHERE job_id = ? AND state = 'held'"
        " RETURNING user, account, amount",
        (now.isoformat(), job_id),
    ).fetchone()
    if row is None:
        state = records.hold_state(conn, job_id)
        if state == "captured":
            return False
        raise HoldClosed(job_id=job_id, state=state)
    user, account_id, amount = row
    conn.execute("UPDATE accounts SET held = held - ? WHERE id = ?", (amount, account_id))
    records.write(
        conn,
        Movement(
            key=f"capture:{job_id}",
            account=account_id,
            kind="capture",
            user=user,
            held=-amount,
            job_id=job_id,
        ),
        now,
    )
    return True


def refund(conn: sqlite3.Connection, now: datetime, accounts: Accounts, job_id: str, reason: str) -> int:
    """Give `job_id`'s held credits back; returns how many this call returned (0 on a replay). The
    allowance part is capped at the plan's monthly credits (what does not fit expired with its cycle).
    Raises NotFound (no hold), HoldClosed (captured)."""
    row = conn.execute(
        "UPDATE holds SET state = 'refunded', settled_at = ? WHERE job_id = ? AND state = 'held'"
        " RETURNING user, account, amount, from_allowance, from_topup",
        (now.isoformat(), job_id),
    ).fetchone()
    if row is None:
        state = records.hold_state(conn, job_id)
        if state == "refunded":
            return 0
        raise HoldClosed(job_id=job_id, state=state)
    user, account_id, amount, from_allowance, from_topup = row
    account = accounts.by_id(conn, now, account_id)
    room = max(0, accounts.plan(account.plan).credits_per_month - account.allowance)
    back = min(from_allowance, room)
    conn.execute(
        "UPDATE accounts SET allowance = allowance + ?, topup = topup + ?, held = held - ? WHERE id = ?",
        (back, from_topup, amount, account_id),
    )
    note = (
        reason if back == from_allowance else f"{reason} ({from_allowance - back} expired with their cycle)"
    )
    records.write(
        conn,
        Movement(
            key=f"refund:{job_id}",
            account=account_id,
            kind="refund",
            user=user,
            allowance=back,
            topup=from_topup,
            held=-amount,
            job_id=job_id,
            note=note,
        ),
        now,
    )
    return int(back + from_topup)


def admin_refund(conn: sqlite3.Connection, now: datetime, accounts: Accounts, job_id: str, by: str) -> int:
    """Give a captured job's credits back as top-up, once; returns them (0 on a replay). Raises
    NotFound (no such job), HoldClosed (the hold is not captured)."""
    key = f"admin_refund:{job_id}"
    if records.key_exists(conn, key):
        return 0
    held = records.hold_of(conn, job_id)
    if held is None:
        raise NotFound(what="job", key=job_id)
    if held.state != "captured":
        raise HoldClosed(job_id=job_id, state=held.state)
    a = accounts.of(conn, now, held.user)
    conn.execute("UPDATE accounts SET topup = topup + ? WHERE id = ?", (held.amount, a.id))
    records.write(
        conn,
        Movement(
            key=key,
            account=a.id,
            kind="admin_refund",
            user=held.user,
            topup=held.amount,
            job_id=job_id,
            note=f"by {by}",
        ),
        now,
    )
    return held.amount


def grant(
    conn: sqlite3.Connection, now: datetime, accounts: Accounts, user: str, amount: int, key: str
) -> bool:
    """Add `amount` top-up credits under idempotency `key`: True when granted, False on a replay."""
    if records.key_exists(conn, key):
        return False
    a = accounts.of(conn, now, user)
    conn.execute("UPDATE accounts SET topup = topup + ? WHERE id = ?", (amount, a.id))
    records.write(conn, Movement(key=key, account=a.id, kind="grant", user=user, topup=amount), now)
    return True


def revoke(conn: sqlite3.Connection, now: datetime, grant_key: str, reason: str) -> int:
    """Take back what is left of the grant `grant_key` (never below zero top-up), once; returns the
    credits taken (0 on a replay). Raises NotFound when no grant has that key."""
    row = conn.execute(
        "SELECT account, user, topup_delta FROM ledger WHERE key = ? AND kind = 'grant'", (grant_key,)
    ).fetchone()
    if row is None:
        raise NotFound(what="grant", key=grant_key)
    key = f"revoke:{grant_key}"
    if records.key_exists(conn, key):
        return 0
    account, user, granted = int(row[0]), row[1], int(row[2])
    # the credits went where the grant's account was merged (a link moves top-ups: link_in:{old}); an
    # id that unlinked since owns a fresh account, and the credits stayed with the shared wallet
    for _ in range(100):
        merged = conn.execute("SELECT account FROM ledger WHERE key = ?", (f"link_in:{account}",)).fetchone()
        if merged is None:
            break
        account = int(merged[0])
    topup = conn.execute("SELECT topup FROM accounts WHERE id = ?", (account,)).fetchone()
    taken = max(0, min(granted, int(topup[0]) if topup else 0))
    conn.execute("UPDATE accounts SET topup = topup - ? WHERE id = ?", (taken, account))
    records.write(
        conn,
        Movement(key=key, account=account, kind="revoke", user=user, topup=-taken, note=reason[:200]),
        now,
    )
    return taken


def transfer(
    conn: sqlite3.Connection, now: datetime, accounts: Accounts, payer: str, payee: str, amount: int, key: str
) -> bool:
    """Move `amount` credits from `payer`'s account (allowance first, then top-ups, like any spend) to
    `payee`'s top-ups (which never expire), once per `key`: True when moved, False on a replay. Two rows,
    `transfer:{key}:out` and `transfer:{key}:in`, one per account, so each account's books add up alone.
    Raises TransferSelf (both ids share one account) or InsufficientCredits (nothing written)."""
    out_key, in_key = f"transfer:{key}:out", f"transfer:{key}:in"
    if records.key_exists(conn, out_key):
        return False
    source = accounts.of(conn, now, payer)
    target = accounts.of(conn, now, payee)
    if source.id == target.id:
        raise TransferSelf(payer=payer, payee=payee)
    # the same conditional UPDATE as a hold: SET sees the old row, no row back means not enough credits
    taken = conn.execute(
        "UPDATE accounts SET allowance = allowance - MIN(allowance, ?1),"
        " topup = topup - (?1 - MIN(allowance, ?1))"
        " WHERE id = ?2 AND allowance + topup >= ?1 RETURNING allowance",
        (amount, source.id),
    ).fetchone()
    if taken is None:
        raise InsufficientCredits(needed=amount, available=source.allowance + source.topup)
    from_allowance = source.allowance - taken[0]
    conn.execute("UPDATE accounts SET topup = topup + ? WHERE id = ?", (amount, target.id))
    records.write(
        conn,
        Movement(
            key=out_key,
            account=source.id,
            kind="transfer_out",
            user=payer,
            allowance=-from_allowance,
            topup=-(amount - from_allowance),
            note=f"to {payee}"[:200],
        ),
        now,
    )
    records.write(
        conn,
        Movement(
            key=in_key,
            account=target.id,
            kind="transfer_in",
            user=payee,
            topup=amount,
            note=f"from {payer}"[:200],
        ),
        now,
    )
    return True
