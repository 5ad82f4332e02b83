"""Cross-platform account links: single-use link codes (only their hash is stored), redeeming one (the
redeeming id joins the code owner's account, bringing its top-ups), unlinking, and listing linked ids.

Transaction bodies only, run on the database thread inside the caller's transaction. A link moves
top-ups but never a hold: an id with open holds cannot be merged away.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import uuid
from datetime import datetime, timedelta

from billing import records
from billing.accounts import Accounts, open_account
from billing.errors import LinkError
from billing.records import Movement

#: Link codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L).
LINK_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LINK_CODE_LENGTH = 8


def new_code() -> str:
    """A fresh random link code."""
    return "".join(secrets.choice(LINK_ALPHABET) for _ in range(LINK_CODE_LENGTH))


def code_hash(code: str) -> str:
    """What is stored of a code: ignoring case, spaces and dashes, its SHA-256 in hex."""
    normal = "".join(ch for ch in str(code).upper() if ch not in " -")
    return hashlib.sha256(normal.encode()).hexdigest()


def create_code(
    conn: sqlite3.Connection, now: datetime, accounts: Accounts, user: str, hashed: str, ttl_s: int
) -> None:
    """Store the code hash `hashed` for `user`, valid `ttl_s` seconds."""
    accounts.of(conn, now, user)
    # Expired codes are kept a day so a late redeem says "expired", not "invalid".
    conn.execute("DELETE FROM link_codes WHERE expires_at < ?", ((now - timedelta(days=1)).isoformat(),))
    conn.execute(
        "INSERT INTO link_codes (code_hash, user, expires_at) VALUES (?, ?, ?)",
        (hashed, user, (now + timedelta(seconds=ttl_s)).isoformat()),
    )


def redeem(conn: sqlite3.Connection, now: datetime, accounts: Accounts, user: str, hashed: str) -> str:
    """Attach `user` to the account of the code's owner; returns the owner's id. Raises LinkError
    (link_code_invalid, link_code_expired, link_self, link_already, link_busy)."""
    row = conn.execute(
        "SELECT user, expires_at, used_at FROM link_codes WHERE code_hash = ?", (hashed,)
    ).fetchone()
    if row is None or row[2] is not None:
        raise LinkError("link_code_invalid")
    owner, expires_at, _ = row
    if now >= datetime.fromisoformat(expires_at):
        raise LinkError("link_code_expired", expires_at=expires_at)
    target = accounts.of(conn, now, owner)
    mine = conn.execute("SELECT account FROM identities WHERE user = ?", (user,)).fetchone()
    stamp = now.isoformat()
    if mine is None:
        conn.execute(
            "INSERT INTO identities (user, account, since) VALUES (?, ?, ?)", (user, target.id, stamp)
        )
        records.write(
            conn,
            Movement(
                key=f"link:{user}:{hashed[:16]}",
                account=target.id,
                kind="link_in",
                user=user,
                note=f"{user} linked",
            ),
            now,
        )
    else:
        _merge(conn, now, accounts, user, owner, int(mine[0]), target.id)
    conn.execute("UPDATE link_codes SET used_at = ? WHERE code_hash = ?", (stamp, hashed))
    return str(owner)


def _merge(
    conn: sqlite3.Connection, now: datetime, accounts: Accounts, user: str, owner: str, mine: int, target: int
) -> None:
    """Move `user` (alone on account `mine`) onto account `target`: its top-ups go along, its allowance,
    plan and auto-approve setting are dropped."""
    if mine == target:
        raise LinkError("link_self", user=user, owner=owner)
    others = conn.execute(
        "SELECT COUNT(*) FROM identities WHERE account = ? AND user != ?", (mine, user)
    ).fetchone()[0]
    if others:
        raise LinkError("link_already", user=user)
    old = accounts.of(conn, now, user)
    busy = conn.execute(
        "SELECT COUNT(*) FROM holds WHERE account = ? AND state = 'held'", (old.id,)
    ).fetchone()[0]
    if busy:
        raise LinkError("link_busy", user=user, jobs=busy)
    conn.execute("UPDATE accounts SET allowance = 0, topup = 0, auto_approve = NULL WHERE id = ?", (old.id,))
    conn.execute("UPDATE accounts SET topup = topup + ? WHERE id = ?", (old.topup, target))
    conn.execute(
        "UPDATE identities SET account = ?, since = ? WHERE user = ?", (target, now.isoformat(), user)
    )
    records.write(
        conn,
        Movement(
            key=f"link_out:{old.id}",
            account=old.id,
            kind="link_out",
            user=user,
            allowance=-old.allowance,
            topup=-old.topup,
            note=f"merged into account {target}; allowance dropped",
        ),
        now,
    )
    records.write(
        conn,
        Movement(
            key=f"link_in:{old.id}",
            account=target,
            kind="link_in",
            user=user,
            topup=old.topup,
            note=f"{user} linked; top-ups moved from account {old.id}",
        ),
        now,
    )


def unlink(conn: sqlite3.Connection, now: datetime, accounts: Accounts, user: str) -> bool:
    """Give `user` a fresh account of its own (default plan, empty allowance until the next cycle).
    True when unlinked, False when it shared its account with nobody."""
    a = accounts.of(conn, now, user)
    count = conn.execute("SELECT COUNT(*) FROM identities WHERE account = ?", (a.id,)).fetchone()[0]
    if count <= 1:
        return False
    fresh = open_account(conn, now, user, accounts.plans.default, 0, f"unlinked from account {a.id}")
    records.write(
        conn,
        Movement(
            key=f"unlink:{user}:{uuid.uuid4().hex}",
            account=a.id,
            kind="unlink",
            user=user,
            note=f"{user} moved to account {fresh}",
        ),
        now,
    )
    return True


def linked_ids(conn: sqlite3.Connection, now: datetime, accounts: Accounts, user: str) -> list[str]:
    """Every id sharing `user`'s account (`user` included), sorted."""
    a = accounts.of(conn, now, user)
    rows = conn.execute("SELECT user FROM identities WHERE account = ? ORDER BY user", (a.id,)).fetchall()
    return [r[0] for r in rows]
