"""The credit ledger: one async facade over accounts, holds, monthly allowances, top-ups and account links.

Owns every credit movement. Each one is a conditional UPDATE plus an append-only ledger row (a
`Movement`) with an idempotency key, written in one `BEGIN IMMEDIATE` transaction of the shared
`reel.db.Database` (group-committed with whatever else queued meanwhile), so a balance can always be
recomputed from the rows (`recompute`, billing/audit.py). It never prices a request or checks a plan's
limits (prices.py, plans.py do), and knows no job beyond its id.

Two ways in. The async methods (`hold`, `capture`, ...) are each one transaction. The `tx_*` methods are
the same operations as synchronous transaction bodies for a caller's own unit of work: the core writes
a hold and its job row in one transaction with `ledger.tx_hold(conn, ...)` beside the job store's
`tx_add(conn, job)`. The rules, module by module:

- accounts.py: an account's allowance is reset to its plan's `credits_per_month` at the first touch in
  each new calendar month (UTC); nothing rolls over. The reset is itself a ledger row
  (`reset:{account}:{YYYY-MM}`). Top-ups never expire. Plan changes keep what was spent this cycle.
- movements.py: a hold takes from the allowance first, then from top-ups, and remembers the split.
  A refund gives the top-up part back to top-ups and the allowance part to the *current* allowance,
  capped at the plan's monthly credits (what does not fit expired with its cycle). Replays: `hold`
  returns the existing hold; `capture` returns False; `refund` and `admin_refund` return 0; `grant`
  and `transfer` return False; none moves credits twice. `capture` of a refunded hold and `refund` of a
  captured one raise HoldClosed. A transfer (a tip) spends like a hold, allowance first, and lands in
  the payee's top-ups.
- links.py: `redeem_link_code(user, code)` attaches `user` to the code owner's account, moving its
  top-ups over (rows `link_out:{old}` / `link_in:{old}`) and dropping its allowance, plan and
  auto-approve setting; `unlink` gives the id a fresh account whose allowance starts empty (so
  link/unlink cannot mint allowances).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Concatenate, ParamSpec, TypeVar

from billing import links, movements, records
from billing.accounts import Accounts
from billing.audit import Books, check_books
from billing.errors import BadKey
from billing.links import LINK_ALPHABET, LINK_CODE_LENGTH
from billing.plans import Plan, PlanBook
from billing.records import MAX_CREDITS, Balance, Hold, LedgerRow, Movement, utc_now
from billing.schema import SCHEMA_VERSION, create_schema
from reel.db import Database

__all__ = [
    "LINK_ALPHABET",
    "LINK_CODE_LENGTH",
    "MAX_CREDITS",
    "RESERVED_PREFIXES",
    "SCHEMA_VERSION",
    "Balance",
    "Books",
    "Hold",
    "Ledger",
    "LedgerRow",
    "Movement",
    "utc_now",
]

T = TypeVar("T")
P = ParamSpec("P")

#: Key prefixes the ledger writes itself; `grant` refuses them so a grant can never shadow a hold.
RESERVED_PREFIXES = (
    "hold:",
    "capture:",
    "refund:",
    "admin_refund:",
    "reset:",
    "open:",
    "plan:",
    "link",
    "unlink:",
    "revoke:",
    "transfer:",
)


class Ledger:
    """The credit ledger on a shared Database. Create with `await Ledger.open(db, plans)`."""

    def __init__(
        self,
        db: Database,
        plans: PlanBook,
        clock: Callable[[], datetime] = utc_now,
        *,
        owns_db: bool = False,
    ) -> None:
        self.db = db
        self._accounts = Accounts(plans)
        self._plans = plans
        self._clock = clock
        self._owns_db = owns_db

    # -- life cycle ---------------------------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        db: Database | Path,
        plans: PlanBook,
        *,
        clock: Callable[[], datetime] = utc_now,
        busy_timeout_ms: int = 10_000,
    ) -> Ledger:
        """The ledger on `db`, its tables created if missing.

        Pass the process's shared Database. A path opens a Database of the ledger's own (for tools
        that use nothing else: the CLI's admin commands, the benchmark), which `close` then closes;
        `busy_timeout_ms` applies to that case only. `clock` returns the current time (aware, or naive
        meaning UTC); tests pass a fake to move time. Raises BillingError("ledger_schema") when the
        file was made by a newer Reelbot.
        """
        if isinstance(db, Database):
            database, owns = db, False
        else:
            database, owns = await Database.open(db, busy_timeout_ms=busy_timeout_ms), True
        try:
            await database.run(create_schema)
        except BaseException:
            if owns:
                await database.close()
            raise
        return cls(database, plans, clock, owns_db=owns)

    async def close(self) -> None:
        """Close the Database if the ledger opened it itself (its owner closes a shared one)."""
        if self._owns_db:
            await self.db.close()

    async def __aenter__(self) -> Ledger:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # -- transaction bodies for a caller's unit of work ---------------------------------------------

    def tx_hold(self, conn: sqlite3.Connection, user: str, job_id: str, amount: int) -> Hold:
        """`hold` as a body of the caller's transaction (on the database thread): the hold commits or
        rolls back with whatever else the caller writes. Same checks, result and errors as `hold`."""
        records.check_user(user)
        records.check_job(job_id)
        records.check_amount(amount, allow_zero=True)
        return movements.hold(conn, self._now(), self._accounts, user, job_id, amount)

    # -- reads --------------------------------------------------------------------------------------

    async def balance(self, user: str) -> Balance:
        """The balance of `user`'s account (created on first touch with the default plan)."""
        records.check_user(user)
        return await self._write(self._accounts.balance, user)

    async def history(self, user: str, limit: int = 20) -> list[LedgerRow]:
        """The newest `limit` ledger rows of `user`'s account, newest first."""
        records.check_user(user)
        return await self._write(self._accounts.history, user, max(0, int(limit)))

    async def open_holds(self) -> list[Hold]:
        """Every hold that is neither captured nor refunded, oldest first (for crash recovery)."""
        return await self.db.run(records.open_holds)

    async def recompute(self, user: str) -> tuple[int, int]:
        """(allowance, topup) of `user`'s account summed from its ledger rows alone; equal to
        `balance()` unless the database was edited behind the ledger's back."""
        records.check_user(user)
        return await self._write(self._accounts.recompute, user)

    async def books(self) -> Books:
        """Every account checked against its ledger rows and open holds (billing/audit.py)."""
        return await self.db.run(check_books)

    # -- job credits --------------------------------------------------------------------------------

    async def hold(self, user: str, job_id: str, amount: int) -> Hold:
        """Reserve `amount` credits of `user`'s account for `job_id` (allowance first, then top-ups).

        Idempotent on job_id: a replay returns the existing hold (whatever its state) and moves
        nothing. amount 0 is allowed and recorded. Raises InsufficientCredits(needed, available) and
        changes nothing when short; BadAmount for a negative, non-int or too large amount.
        """
        records.check_user(user)
        records.check_job(job_id)
        records.check_amount(amount, allow_zero=True)
        return await self._write(movements.hold, self._accounts, user, job_id, amount)

    async def capture(self, job_id: str) -> bool:
        """Make `job_id`'s hold final (the clip was delivered). True when this call captured it, False
        when it was already captured. Raises NotFound for an unknown job, HoldClosed when refunded."""
        records.check_job(job_id)
        return await self._write(movements.capture, job_id)

    async def refund(self, job_id: str, reason: str) -> int:
        """Give `job_id`'s held credits back (failure, cancel, moderation). Returns the credits this
        call returned: the whole hold within its cycle; after a monthly reset the allowance part only
        as far as the plan's monthly credits allow; 0 on a replay. Raises NotFound for an unknown job,
        HoldClosed when the hold was captured (use admin_refund)."""
        records.check_job(job_id)
        return await self._write(movements.refund, self._accounts, job_id, str(reason))

    async def admin_refund(self, job_id: str, by: str) -> int:
        """Give a captured job's credits back to its user's current account as top-up, once. Returns
        the credits given (0 on a replay). Raises NotFound for an unknown job, HoldClosed when the
        job's hold is not captured (an open hold is refunded with `refund`)."""
        records.check_job(job_id)
        return await self._write(movements.admin_refund, self._accounts, job_id, str(by))

    # -- admin --------------------------------------------------------------------------------------

    async def grant(self, user: str, amount: int, key: str) -> bool:
        """Add `amount` top-up credits to `user`'s account. `key` makes it idempotent (e.g.
        `grant:{admin}:{nonce}` or a payment charge id): True when granted, False on a replay.
        Raises BadAmount (amount not a positive int up to MAX_CREDITS), BadKey (empty or reserved)."""
        records.check_user(user)
        records.check_amount(amount, allow_zero=False)
        if not isinstance(key, str) or not key.strip() or key.startswith(RESERVED_PREFIXES):
            raise BadKey(key=key)
        return await self._write(movements.grant, self._accounts, user, amount, key)

    async def revoke(self, grant_key: str, reason: str) -> int:
        """Take back the top-up credits that the grant with key `grant_key` added (a refunded payment).

        Takes what is left of them: never more than the grant, never below zero top-up (credits already
        spent stay spent). Idempotent: a replay returns 0. Returns the credits taken back.
        Raises NotFound when no grant has that key."""
        if not isinstance(grant_key, str) or not grant_key.strip():
            raise BadKey(key=grant_key)
        return await self._write(movements.revoke, grant_key, str(reason))

    async def transfer(self, payer: str, payee: str, amount: int, key: str) -> bool:
        """Move `amount` credits from `payer` (allowance first, then top-ups) to `payee`'s top-ups, once
        per `key` (e.g. `tip:{job}:{payer}`): True when moved, False on a replay (nothing moves twice).
        Raises BadAmount, BadKey (empty or reserved), TransferSelf (one account), InsufficientCredits."""
        records.check_user(payer)
        records.check_user(payee)
        records.check_amount(amount, allow_zero=False)
        if not isinstance(key, str) or not key.strip() or key.startswith(RESERVED_PREFIXES):
            raise BadKey(key=key)
        return await self._write(movements.transfer, self._accounts, payer, payee, amount, key)

    async def set_plan(self, user: str, plan_name: str) -> Plan:
        """Move `user`'s account to plan `plan_name` and return it. The current cycle's allowance
        becomes the new plan's credits minus what was already spent this cycle (never below 0).
        Raises UnknownPlan."""
        records.check_user(user)
        plan = self._plans.get(plan_name)
        await self._write(self._accounts.set_plan, user, plan)
        return plan

    async def set_auto_approve(self, user: str, credits: int | None) -> None:
        """Set the account's auto-approve limit (read back in `balance().auto_approve`); None returns it
        to the operator default."""
        records.check_user(user)
        if credits is not None:
            records.check_amount(credits, allow_zero=True)
        await self._write(self._accounts.set_auto_approve, user, credits)

    # -- account links ------------------------------------------------------------------------------

    async def create_link_code(self, user: str, ttl_s: int = 600) -> str:
        """A single-use code (8 characters, no look-alikes) that links another id to `user`'s account
        when redeemed within `ttl_s` seconds. Only its hash is stored."""
        records.check_user(user)
        code = links.new_code()
        await self._write(links.create_code, self._accounts, user, links.code_hash(code), int(ttl_s))
        return code

    async def redeem_link_code(self, user: str, code: str) -> str:
        """Link `user` to the account of the code's owner; returns the owner's id. Case, spaces and
        dashes in `code` are ignored. Raises LinkError with code link_code_invalid (unknown or used),
        link_code_expired, link_self (already that account), link_already (`user` is linked to other
        ids; unlink first) or link_busy (`user` has jobs holding credits)."""
        records.check_user(user)
        return await self._write(links.redeem, self._accounts, user, links.code_hash(code))

    async def unlink(self, user: str) -> bool:
        """Detach `user` from a shared account onto a fresh one of its own (empty allowance until the
        next cycle, no top-ups). True when unlinked, False when `user` was not linked to anything."""
        records.check_user(user)
        return await self._write(links.unlink, self._accounts, user)

    async def linked_ids(self, user: str) -> list[str]:
        """Every id sharing `user`'s account (`user` included), sorted."""
        records.check_user(user)
        return await self._write(links.linked_ids, self._accounts, user)

    # -- plumbing -----------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return records.as_utc(self._clock())

    async def _write(
        self, body: Callable[Concatenate[sqlite3.Connection, datetime, P], T], *args: P.args, **kw: P.kwargs
    ) -> T:
        """`body(conn, now, *args)` as one transaction; `now` is read when the call is made, so a
        batch that waited for the write lock still stamps each operation with its own time."""
        return await self.db.transaction(body, self._now(), *args, **kw)
