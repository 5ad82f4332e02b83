"""The books check: every account's stored allowance, top-up and held credits against the sums of its
ledger rows and its open holds. Read-only; it repairs nothing and knows nothing of jobs (the caller
pairs the open holds with their jobs).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from billing import records
from billing.records import Hold


@dataclass(frozen=True)
class AccountBooks:
    """One account as stored, with the ids that share it."""

    account: int
    users: list[str]
    plan: str
    allowance: int
    topup: int
    held: int

    def to_dict(self) -> dict[str, Any]:
        """The audit's JSON form of the account (stable keys)."""
        return {
            "users": self.users,
            "plan": self.plan,
            "allowance": self.allowance,
            "topup": self.topup,
            "held": self.held,
        }


@dataclass(frozen=True)
class Books:
    """What the check found. `mismatches`: one dict per disagreement, each with `kind` (allowance,
    topup, held, open_holds, orphan_rows), the account, its ids, the stored value and the recomputed one."""

    accounts: list[AccountBooks] = field(default_factory=list)
    mismatches: list[dict[str, Any]] = field(default_factory=list)
    open_holds: list[Hold] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        """True when every stored balance equals its recomputation from the ledger rows."""
        return not self.mismatches


_SUMS = """
SELECT a.id, a.plan, a.allowance, a.topup, a.held,
       COALESCE(l.allowance, 0), COALESCE(l.topup, 0), COALESCE(l.held, 0), COALESCE(h.amount, 0)
FROM accounts a
LEFT JOIN (SELECT account, SUM(allowance_delta) AS allowance, SUM(topup_delta) AS topup,
                  SUM(held_delta) AS held FROM ledger GROUP BY account) l ON l.account = a.id
LEFT JOIN (SELECT account, SUM(amount) AS amount FROM holds WHERE state = 'held' GROUP BY account) h
       ON h.account = a.id
ORDER BY a.id
"""


def check_books(conn: sqlite3.Connection) -> Books:
    """Recompute every account from the ledger rows and compare (run it in one read transaction for
    one consistent snapshot). Returns the Books found."""
    users: dict[int, list[str]] = {}
    for user, account in conn.execute("SELECT user, account FROM identities ORDER BY user"):
        users.setdefault(int(account), []).append(str(user))
    books = Books(open_holds=records.open_holds(conn))
    for row in conn.execute(_SUMS).fetchall():
        account, plan, allowance, topup, held = (
            int(row[0]),
            str(row[1]),
            int(row[2]),
            int(row[3]),
            int(row[4]),
        )
        ids = users.get(account, [])
        books.accounts.append(AccountBooks(account, ids, plan, allowance, topup, held))
        recomputed = {
            "allowance": (allowance, row[5]),
            "topup": (topup, row[6]),
            "held": (held, row[7]),
            "open_holds": (held, row[8]),
        }
        for kind, (stored, summed) in recomputed.items():
            if stored != int(summed):
                books.mismatches.append(
                    {
                        "kind": kind,
                        "account": account,
                        "users": ids,
                        "stored": stored,
                        "recomputed": int(summed),
                    }
                )
    for (account,) in conn.execute(
        "SELECT DISTINCT account FROM ledger WHERE account NOT IN (SELECT id FROM accounts) ORDER BY account"
    ):
        books.mismatches.append(
            {"kind": "orphan_rows", "account": int(account), "users": [], "stored": None, "recomputed": None}
        )
    return books
