"""The credit ledger: accounts, holds, monthly allowances, top-ups and cross-platform account links.

Owns every credit movement. Each one is a conditional UPDATE plus an append-only ledger row with an
idempotency key, written in one `BEGIN IMMEDIATE` transaction, so a balance can always be recomputed from
the rows (`recompute`). It never prices a request or checks a plan's limits (prices.py, plans.py do).

Concurrency. aiosqlite gives each `Ledger` one connection served by one thread. No operation awaits
between its statements: each is one plain function (`_tx_*`) run on that thread, so statements of two
operations can never interleave, and a caller cancelled mid-await cannot leave a transaction half-open.
That is what an asyncio.Lock around multi-await transactions would give, with one thread hop instead of
one per statement. Operations are queued and a single writer task sends them to the thread in batches
(group commit): one `BEGIN IMMEDIATE ... COMMIT` per batch, each operation inside its own SAVEPOINT, so
an operation that fails (e.g. InsufficientCredits) is rolled back alone while the others commit, and no
caller hears "done" before the COMMIT that made its change durable. Under load this writes each WAL
page once per batch instead of once per operation (several times the throughput; bench/ledger.py).
Other processes (or other `Ledger`s on the same file) are kept out by `BEGIN IMMEDIATE` (the write lock
is taken up front, waiting up to `busy_timeout`) and by the conditional
`UPDATE ... WHERE allowance + topup >= amount`.

Rules worth knowing (tested in tests/unit/test_ledger.py):

- Allowance and cycles: an account's allowance is reset to its plan's `credits_per_month` at the first
  touch in each new calendar month (UTC); nothing rolls over. The reset is itself a ledger row
  (`reset:{account}:{YYYY-MM}`). Top-ups never expire. A hold takes from the allowance first, then from
  top-ups, and remembers the split.
- Refunds: the top-up part always goes back to top-ups. The allowance part goes back to the *current*
  allowance, capped at the plan's monthly credits (the allowance never exceeds them); whatever does not
  fit has expired with its cycle and is not returned. Inside one cycle the cap never bites, so a refund
  is exact; after a reset it mostly does. `refund` returns the credits actually returned by that call.
- Replays: `hold` returns the existing hold; `capture` returns False; `refund` and `admin_refund`
  return 0; `grant` returns False. None of them moves credits twice. `capture` of a refunded hold and
  `refund` of a captured one raise HoldClosed.
- Links: `redeem_link_code(user, code)` attaches `user` to the code owner's account. If `user` already
  had an account of its own (and no other linked ids, and no open holds), its top-ups move over
  (ledger rows `link_out:{old}` / `link_in:{old}`) and its monthly allowance, plan and auto-approve
  setting are dropped; the owner's account keeps its plan, allowance and history. `unlink` gives the id a
  fresh account on the default plan whose allowance starts empty and fills at the next cycle (so
  link/unlink cannot mint allowances); credits stay with the shared account.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar, cast

import aiosqlite

from billing.errors import (
    BadAmount,
    BadKey,
    BillingError,
    HoldClosed,
    InsufficientCredits,
    LinkError,
    NotFound,
)
from billing.plans import Plan, PlanBook

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Most operations one group commit carries (bounds how long the write lock is held).
MAX_BATCH = 256
#: The most credits one operation may move; larger amounts are refused as BadAmount.
MAX_CREDITS = 1_000_000_000
#: Link codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L).
LINK_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LINK_CODE_LENGTH = 8
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
)
SCHEMA_VERSION = 1

_SCHEMA = (
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

_LEDGER_INSERT = (
    "INSERT INTO ledger (key, account, user, kind, allowance_delta, topup_delta, held_delta, job_id,"
    " note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_ACCOUNT_OF = (
    "SELECT a.id, a.plan, a.allowance, a.topup, a.held, a.cycle, a.auto_approve"
    " FROM identities i JOIN accounts a ON a.id = i.account WHERE i.user = ?"
)
_HOLD_COLUMNS = "job_id, user, account, amount, from_allowance, from_topup, cycle, state, created_at"


def utc_now() -> datetime:
    """The default clock: the current time, timezone-aware UTC."""
    return datetime.now(UTC)


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
    """One append-only credit movement. Deltas are signed changes to allowance, top-up and held."""

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


@dataclass
class _Op:
    """A queued operation: body(conn, now, *args), and the future its caller awaits."""

    body: Callable[..., Any]
    now: datetime
    args: tuple[Any, ...]
    future: asyncio.Future[Any]


@dataclass
class _Account:
    id: int
    plan: str
    allowance: int
    topup: int
    held: int
    cycle: str
    auto_approve: int | None


class Ledger:
    """The credit ledger on one SQLite file. Create with `await Ledger.open(path, plans)`."""

    def __init__(
        self,
        db: aiosqlite.Connection,
        plans: PlanBook,
        clock: Callable[[], datetime],
    ) -> None:
        self._db = db
        self._plans = plans
        self._clock = clock
        self._queue: list[_Op] = []
        self._writer: asyncio.Task[None] | None = None

    # -- life cycle ---------------------------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        path: Path,
        plans: PlanBook,
        *,
        clock: Callable[[], datetime] = utc_now,
        busy_timeout_ms: int = 10_000,
    ) -> Ledger:
        """Open (creating if needed) the ledger database at `path` in WAL mode.

        `clock` returns the current time (aware, or naive meaning UTC); tests pass a fake to move
        time. Raises BillingError("ledger_schema") when the file was made by a newer Reelbot.
        """
        if not hasattr(aiosqlite.Connection, "_execute"):  # pragma: no cover - guards an upgrade
            raise RuntimeError("this aiosqlite has no Connection._execute; pin aiosqlite<1")
        db = await aiosqlite.connect(str(path), isolation_level=None)
        ledger = cls(db, plans, clock)
        try:
            await ledger._run(_init_schema, busy_timeout_ms)
        except BaseException:
            await db.close()
            raise
        return ledger

    async def close(self) -> None:
        """Finish queued operations, then close the connection. Safe to call twice."""
        if self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)
        await self._db.close()

    async def __aenter__(self) -> Ledger:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # -- reads --------------------------------------------------------------------------------------

    async def balance(self, user: str) -> Balance:
        """The balance of `user`'s account (created on first touch with the default plan)."""
        _check_user(user)
        return await self._transaction(self._tx_balance, user)

    async def history(self, user: str, limit: int = 20) -> list[LedgerRow]:
        """The newest `limit` ledger rows of `user`'s account, newest first."""
        _check_user(user)
        return await self._transaction(self._tx_history, user, max(0, int(limit)))

    async def open_holds(self) -> list[Hold]:
        """Every hold that is neither captured nor refunded, oldest first (for crash recovery)."""
        return await self._run(_open_holds)

    async def recompute(self, user: str) -> tuple[int, int]:
        """(allowance, topup) of `user`'s account summed from its ledger rows alone; equal to
        `balance()` unless the database was edited behind the ledger's back."""
        _check_user(user)
        return await self._transaction(self._tx_recompute, user)

    # -- job credits --------------------------------------------------------------------------------

    async def hold(self, user: str, job_id: str, amount: int) -> Hold:
        """Reserve `amount` credits of `user`'s account for `job_id` (allowance first, then top-ups).

        Idempotent on job_id: a replay returns the existing hold (whatever its state) and moves
        nothing. amount 0 is allowed and recorded. Raises InsufficientCredits(needed, available) and
        changes nothing when short; BadAmount for a negative, non-int or too large amount.
        """
        _check_user(user)
        _check_job(job_id)
        _check_amount(amount, allow_zero=True)
        return await self._transaction(self._tx_hold, user, job_id, amount)

    async def capture(self, job_id: str) -> bool:
        """Make `job_id`'s hold final (the clip was delivered). True when this call captured it, False
        when it was already captured. Raises NotFound for an unknown job, HoldClosed when refunded."""
        _check_job(job_id)
        return await self._transaction(_tx_capture, job_id)

    async def refund(self, job_id: str, reason: str) -> int:
        """Give `job_id`'s held credits back (failure, cancel, moderation). Returns the credits this
        call returned: the whole hold within its cycle; after a monthly reset the allowance part only
        as far as the plan's monthly credits allow; 0 on a replay. Raises NotFound for an unknown job,
        HoldClosed when the hold was captured (use admin_refund)."""
        _check_job(job_id)
        return await self._transaction(self._tx_refund, job_id, str(reason))

    async def admin_refund(self, job_id: str, by: str) -> int:
        """Give a captured job's credits back to its user's current account as top-up, once. Returns
        the credits given (0 on a replay). Raises NotFound for an unknown job, HoldClosed when the
        job's hold is not captured (an open hold is refunded with `refund`)."""
        _check_job(job_id)
        return await self._transaction(self._tx_admin_refund, job_id, str(by))

    # -- admin --------------------------------------------------------------------------------------

    async def grant(self, user: str, amount: int, key: str) -> bool:
        """Add `amount` top-up credits to `user`'s account. `key` makes it idempotent (e.g.
        `grant:{admin}:{nonce}` or a payment charge id): True when granted, False on a replay.
        Raises BadAmount (amount not a positive int up to MAX_CREDITS), BadKey (empty or reserved)."""
        _check_user(user)
        _check_amount(amount, allow_zero=False)
        if not isinstance(key, str) or not key.strip() or key.startswith(RESERVED_PREFIXES):
            raise BadKey(key=key)
        return await self._transaction(self._tx_grant, user, amount, key)

    async def revoke(self, grant_key: str, reason: str) -> int:
        """Take back the top-up credits that the grant with key `grant_key` added (a refunded payment).

        Takes what is left of them: never more than the grant, never below zero top-up (credits already
        spent stay spent). Idempotent: a replay returns 0. Returns the credits taken back.
        Raises NotFound when no grant has that key."""
        if not isinstance(grant_key, str) or not grant_key.strip():
            raise BadKey(key=grant_key)
        return await self._transaction(self._tx_revoke, grant_key, reason)

    async def set_plan(self, user: str, plan_name: str) -> Plan:
        """Move `user`'s account to plan `plan_name` and return it. The current cycle's allowance
        becomes the new plan's credits minus what was already spent this cycle (never below 0).
        Raises UnknownPlan."""
        _check_user(user)
        plan = self._plans.get(plan_name)
        await self._transaction(self._tx_set_plan, user, plan)
        return plan

    async def auto_approve(self, user: str) -> int | None:
        """The account's auto-approve limit in credits, or None (the caller's default applies)."""
        _check_user(user)
        return (await self.balance(user)).auto_approve

    async def set_auto_approve(self, user: str, credits: int | None) -> None:
        """Set the account's auto-approve limit; None returns it to the operator default."""
        _check_user(user)
        if credits is not None:
            _check_amount(credits, allow_zero=True)
        await self._transaction(self._tx_set_auto_approve, user, credits)

    # -- account links ------------------------------------------------------------------------------

    async def create_link_code(self, user: str, ttl_s: int = 600) -> str:
        """A single-use code (8 characters, no look-alikes) that links another id to `user`'s account
        when redeemed within `ttl_s` seconds. Only its hash is stored."""
        _check_user(user)
        code = "".join(secrets.choice(LINK_ALPHABET) for _ in range(LINK_CODE_LENGTH))
        await self._transaction(self._tx_create_link_code, user, _code_hash(code), int(ttl_s))
        return code

    async def redeem_link_code(self, user: str, code: str) -> str:
        """Link `user` to the account of the code's owner; returns the owner's id. Case, spaces and
        dashes in `code` are ignored. Raises LinkError with code link_code_invalid (unknown or used),
        link_code_expired, link_self (already that account), link_already (`user` is linked to other
        ids; unlink first) or link_busy (`user` has jobs holding credits)."""
        _check_user(user)
        normal = "".join(ch for ch in str(code).upper() if ch not in " -")
        return await self._transaction(self._tx_redeem_link_code, user, _code_hash(normal))

    async def unlink(self, user: str) -> bool:
        """Detach `user` from a shared account onto a fresh one of its own (empty allowance until the
        next cycle, no top-ups). True when unlinked, False when `user` was not linked to anything."""
        _check_user(user)
        return await self._transaction(self._tx_unlink, user)

    async def linked_ids(self, user: str) -> list[str]:
        """Every id sharing `user`'s account (`user` included), sorted."""
        _check_user(user)
        return await self._transaction(self._tx_linked_ids, user)

    # -- plumbing -----------------------------------------------------------------------------------

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(conn, *args)` on the connection's own thread as one unit (see module docstring).

        aiosqlite has no public "run this callable on your thread"; `_execute` is what its own
        methods use, and it has kept this signature since 0.17 (pyproject pins aiosqlite<1). Open()
        checks it exists.
        """
        conn = self._db._conn
        result = await self._db._execute(fn, conn, *args)  # type: ignore[no-untyped-call]
        return cast(T, result)

    async def _transaction(self, body: Callable[..., T], *args: Any) -> T:
        """Queue `body(conn, now, *args)` for the writer; its result once its batch has committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append(_Op(body, _as_utc(self._clock()), args, future))
        # No await between the writer's last look at the queue and its end, so a writer that is not
        # done will still see this operation.
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._write_batches())
        return await future

    async def _write_batches(self) -> None:
        """Drain the queue: each round sends what queued up meanwhile (at most MAX_BATCH) as one batch."""
        while self._queue:
            batch = self._queue[:MAX_BATCH]
            del self._queue[:MAX_BATCH]
            try:
                outcomes = await self._run(_run_batch, [(op.body, op.now, op.args) for op in batch])
            except asyncio.CancelledError:  # loop shutting down: nobody is left to answer
                for op in batch + self._queue:
                    op.future.cancel()
                self._queue.clear()
                raise
            except Exception as e:  # the whole batch rolled back: busy too long, I/O error, closed
                for op in batch:
                    if not op.future.done():
                        op.future.set_exception(e)
                continue
            for op, (ok, value) in zip(batch, outcomes, strict=True):
                if op.future.done():  # the caller gave up waiting; the operation still happened
                    continue
                if ok:
                    op.future.set_result(value)
                else:
                    op.future.set_exception(value)

    def _plan(self, name: str) -> Plan:
        if name in self._plans.plans:
            return self._plans.plans[name]
        log.warning("account plan %r no longer exists; treating it as %r", name, self._plans.default_name)
        return self._plans.default

    # Operation bodies. They run on the connection thread inside a savepoint of a BEGIN IMMEDIATE
    # transaction (see _run_batch) and must only touch `conn` and immutable state.

    def _account(self, conn: sqlite3.Connection, now: datetime, user: str) -> _Account:
        """`user`'s account, created on first touch, with this month's reset applied."""
        row = conn.execute(_ACCOUNT_OF, (user,)).fetchone()
        cycle = _cycle_key(now)
        if row is None:
            plan = self._plans.default
            account_id = _new_account(conn, now, user, plan, plan.credits_per_month, "first touch")
            return _Account(account_id, plan.name, plan.credits_per_month, 0, 0, cycle, None)
        account = _Account(*row)
        if account.cycle < cycle:
            credits = self._plan(account.plan).credits_per_month
            conn.execute(
                "UPDATE accounts SET allowance = ?, cycle = ? WHERE id = ?", (credits, cycle, account.id)
            )
            _write_row(
                conn,
                f"reset:{account.id}:{cycle}",
                account.id,
                None,
                "reset",
                credits - account.allowance,
                0,
                0,
                None,
                f"monthly allowance {cycle}",
                now,
            )
            account.allowance, account.cycle = credits, cycle
        return account

    def _tx_balance(self, conn: sqlite3.Connection, now: datetime, user: str) -> Balance:
        a = self._account(conn, now, user)
        start = _cycle_start(a.cycle)
        return Balance(
            account=a.id,
            plan=a.plan,
            allowance=a.allowance,
            topup=a.topup,
            held=a.held,
            available=a.allowance + a.topup,
            cycle_start=start,
            next_reset=_next_cycle(start),
            auto_approve=a.auto_approve,
        )

    def _tx_history(self, conn: sqlite3.Connection, now: datetime, user: str, limit: int) -> list[LedgerRow]:
        a = self._account(conn, now, user)
        rows = conn.execute(
            "SELECT id, key, account, user, kind, allowance_delta, topup_delta, held_delta, job_id, note,"
            " at FROM ledger WHERE account = ? ORDER BY id DESC LIMIT ?",
            (a.id, limit),
        ).fetchall()
        return [_to_row(r) for r in rows]

    def _tx_recompute(self, conn: sqlite3.Connection, now: datetime, user: str) -> tuple[int, int]:
        a = self._account(conn, now, user)
        allowance, topup = conn.execute(
            "SELECT COALESCE(SUM(allowance_delta), 0), COALESCE(SUM(topup_delta), 0) FROM ledger"
            " WHERE account = ?",
            (a.id,),
        ).fetchone()
        return int(allowance), int(topup)

    def _tx_hold(self, conn: sqlite3.Connection, now: datetime, user: str, job_id: str, amount: int) -> Hold:
        existing = _hold_row(conn, job_id)
        if existing is not None:
            return existing
        a = self._account(conn, now, user)
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
        stamp = now.isoformat()
        conn.execute(
            f"INSERT INTO holds ({_HOLD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, 'held', ?)",
            (job_id, user, a.id, amount, from_allowance, from_topup, a.cycle, stamp),
        )
        _write_row(
            conn,
            f"hold:{job_id}",
            a.id,
            user,
            "hold",
            -from_allowance,
            -from_topup,
            amount,
            job_id,
            None,
            now,
        )
        return Hold(job_id, user, a.id, amount, from_allowance, from_topup, a.cycle, "held", now)

    def _tx_refund(self, conn: sqlite3.Connection, now: datetime, job_id: str, reason: str) -> int:
        row = conn.execute(
            "UPDATE holds SET state = 'refunded', settled_at = ? WHERE job_id = ? AND state = 'held'"
            " RETURNING user, account, amount, from_allowance, from_topup",
            (now.isoformat(), job_id),
        ).fetchone()
        if row is None:
            state = _hold_state(conn, job_id)
            if state == "refunded":
                return 0
            raise HoldClosed(job_id=job_id, state=state)
        user, account_id, amount, from_allowance, from_topup = row
        account = self._account_by_id(conn, now, account_id)
        room = max(0, self._plan(account.plan).credits_per_month - account.allowance)
        back = min(from_allowance, room)
        conn.execute(
            "UPDATE accounts SET allowance = allowance + ?, topup = topup + ?, held = held - ? WHERE id = ?",
            (back, from_topup, amount, account_id),
        )
        note = (
            reason
            if back == from_allowance
            else f"{reason} ({from_allowance - back} expired with their cycle)"
        )
        _write_row(
            conn, f"refund:{job_id}", account_id, user, "refund", back, from_topup, -amount, job_id, note, now
        )
        return int(back + from_topup)

    def _account_by_id(self, conn: sqlite3.Connection, now: datetime, account_id: int) -> _Account:
        """The account with this id, reset applied (an account always has an id; links move ids, not
        holds, so a hold's account still exists)."""
        row = conn.execute("SELECT user FROM identities WHERE account = ? LIMIT 1", (account_id,)).fetchone()
        if row is not None:
            return self._account(conn, now, row[0])
        # An account no id points at any more (its last id was merged away while nothing was held).
        raw = conn.execute(
            "SELECT id, plan, allowance, topup, held, cycle, auto_approve FROM accounts WHERE id = ?",
            (account_id,),
        ).fetchone()
        if raw is None:
            raise NotFound(what="account", key=account_id)
        return _Account(*raw)

    def _tx_admin_refund(self, conn: sqlite3.Connection, now: datetime, job_id: str, by: str) -> int:
        key = f"admin_refund:{job_id}"
        if _key_exists(conn, key):
            return 0
        hold = _hold_row(conn, job_id)
        if hold is None:
            raise NotFound(what="job", key=job_id)
        if hold.state != "captured":
            raise HoldClosed(job_id=job_id, state=hold.state)
        a = self._account(conn, now, hold.user)
        conn.execute("UPDATE accounts SET topup = topup + ? WHERE id = ?", (hold.amount, a.id))
        _write_row(conn, key, a.id, hold.user, "admin_refund", 0, hold.amount, 0, job_id, f"by {by}", now)
        return hold.amount

    def _tx_grant(self, conn: sqlite3.Connection, now: datetime, user: str, amount: int, key: str) -> bool:
        if _key_exists(conn, key):
            return False
        a = self._account(conn, now, user)
        conn.execute("UPDATE accounts SET topup = topup + ? WHERE id = ?", (amount, a.id))
        _write_row(conn, key, a.id, user, "grant", 0, amount, 0, None, None, now)
        return True

    def _tx_revoke(self, conn: sqlite3.Connection, now: datetime, grant_key: str, reason: str) -> int:
        row = conn.execute(
            "SELECT account, user, topup_delta FROM ledger WHERE key = ? AND kind = 'grant'", (grant_key,)
        ).fetchone()
        if row is None:
            raise NotFound(what="grant", key=grant_key)
        key = f"revoke:{grant_key}"
        if _key_exists(conn, key):
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
        _write_row(conn, key, account, user, "revoke", 0, -taken, 0, None, reason[:200], now)
        return taken

    def _tx_set_plan(self, conn: sqlite3.Connection, now: datetime, user: str, plan: Plan) -> None:
        a = self._account(conn, now, user)
        if a.plan == plan.name:
            return
        spent = max(0, self._plan(a.plan).credits_per_month - a.allowance)
        allowance = min(plan.credits_per_month, max(0, plan.credits_per_month - spent))
        conn.execute("UPDATE accounts SET plan = ?, allowance = ? WHERE id = ?", (plan.name, allowance, a.id))
        _write_row(
            conn,
            f"plan:{a.id}:{uuid.uuid4().hex}",
            a.id,
            user,
            "plan",
            allowance - a.allowance,
            0,
            0,
            None,
            f"{a.plan} -> {plan.name}",
            now,
        )

    def _tx_set_auto_approve(
        self, conn: sqlite3.Connection, now: datetime, user: str, credits: int | None
    ) -> None:
        a = self._account(conn, now, user)
        conn.execute("UPDATE accounts SET auto_approve = ? WHERE id = ?", (credits, a.id))

    def _tx_create_link_code(
        self, conn: sqlite3.Connection, now: datetime, user: str, code_hash: str, ttl_s: int
    ) -> None:
        self._account(conn, now, user)
        # Expired codes are kept a day so a late redeem says "expired", not "invalid".
        conn.execute("DELETE FROM link_codes WHERE expires_at < ?", ((now - timedelta(days=1)).isoformat(),))
        conn.execute(
            "INSERT INTO link_codes (code_hash, user, expires_at) VALUES (?, ?, ?)",
            (code_hash, user, (now + timedelta(seconds=ttl_s)).isoformat()),
        )

    def _tx_redeem_link_code(self, conn: sqlite3.Connection, now: datetime, user: str, code_hash: str) -> str:
        row = conn.execute(
            "SELECT user, expires_at, used_at FROM link_codes WHERE code_hash = ?", (code_hash,)
        ).fetchone()
        if row is None or row[2] is not None:
            raise LinkError("link_code_invalid")
        owner, expires_at, _ = row
        if now >= datetime.fromisoformat(expires_at):
            raise LinkError("link_code_expired", expires_at=expires_at)
        target = self._account(conn, now, owner)
        mine = conn.execute("SELECT account FROM identities WHERE user = ?", (user,)).fetchone()
        stamp = now.isoformat()
        if mine is None:
            conn.execute(
                "INSERT INTO identities (user, account, since) VALUES (?, ?, ?)", (user, target.id, stamp)
            )
        else:
            if mine[0] == target.id:
                raise LinkError("link_self", user=user, owner=owner)
            others = conn.execute(
                "SELECT COUNT(*) FROM identities WHERE account = ? AND user != ?", (mine[0], user)
            ).fetchone()[0]
            if others:
                raise LinkError("link_already", user=user)
            old = self._account(conn, now, user)
            busy = conn.execute(
                "SELECT COUNT(*) FROM holds WHERE account = ? AND state = 'held'", (old.id,)
            ).fetchone()[0]
            if busy:
                raise LinkError("link_busy", user=user, jobs=busy)
            conn.execute(
                "UPDATE accounts SET allowance = 0, topup = 0, auto_approve = NULL WHERE id = ?", (old.id,)
            )
            conn.execute("UPDATE accounts SET topup = topup + ? WHERE id = ?", (old.topup, target.id))
            conn.execute(
                "UPDATE identities SET account = ?, since = ? WHERE user = ?", (target.id, stamp, user)
            )
            _write_row(
                conn,
                f"link_out:{old.id}",
                old.id,
                user,
                "link_out",
                -old.allowance,
                -old.topup,
                0,
                None,
                f"merged into account {target.id}; allowance dropped",
                now,
            )
            _write_row(
                conn,
                f"link_in:{old.id}",
                target.id,
                user,
                "link_in",
                0,
                old.topup,
                0,
                None,
                f"{user} linked; top-ups moved from account {old.id}",
                now,
            )
        conn.execute("UPDATE link_codes SET used_at = ? WHERE code_hash = ?", (stamp, code_hash))
        if mine is None:
            _write_row(
                conn,
                f"link:{user}:{code_hash[:16]}",
                target.id,
                user,
                "link_in",
                0,
                0,
                0,
                None,
                f"{user} linked",
                now,
            )
        return str(owner)

    def _tx_unlink(self, conn: sqlite3.Connection, now: datetime, user: str) -> bool:
        a = self._account(conn, now, user)
        count = conn.execute("SELECT COUNT(*) FROM identities WHERE account = ?", (a.id,)).fetchone()[0]
        if count <= 1:
            return False
        fresh = _new_account(conn, now, user, self._plans.default, 0, f"unlinked from account {a.id}")
        _write_row(
            conn,
            f"unlink:{user}:{uuid.uuid4().hex}",
            a.id,
            user,
            "unlink",
            0,
            0,
            0,
            None,
            f"{user} moved to account {fresh}",
            now,
        )
        return True

    def _tx_linked_ids(self, conn: sqlite3.Connection, now: datetime, user: str) -> list[str]:
        a = self._account(conn, now, user)
        rows = conn.execute("SELECT user FROM identities WHERE account = ? ORDER BY user", (a.id,)).fetchall()
        return [r[0] for r in rows]


# -- thread-side functions that need no Ledger state ------------------------------------------------


def _init_schema(conn: sqlite3.Connection, busy_timeout_ms: int) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    _use_wal(conn, busy_timeout_ms / 1000)
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise BillingError("ledger_schema", found=version, supported=SCHEMA_VERSION)
        for statement in _SCHEMA:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _use_wal(conn: sqlite3.Connection, patience_s: float) -> None:
    """Switch the file to WAL. Two connections switching a fresh file at once get "database is locked"
    at once (SQLite does not call the busy handler for this), so retry, on this connection's thread."""
    deadline = time.monotonic() + patience_s
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)
    if str(mode).lower() != "wal":
        log.warning("SQLite refused WAL mode (journal_mode=%s); concurrent readers will wait", mode)


def _run_batch(
    conn: sqlite3.Connection, items: list[tuple[Callable[..., Any], datetime, tuple[Any, ...]]]
) -> list[tuple[bool, Any]]:
    """Run each `body(conn, now, *args)` in its own savepoint of one BEGIN IMMEDIATE transaction.

    Returns (True, result) or (False, exception) per item, in order. An item that raises is rolled
    back to its savepoint and the rest go on. If the transaction itself is lost (SQLite rolled it back,
    or COMMIT failed) everything is rolled back and the error is raised for the whole batch.
    """
    outcomes: list[tuple[bool, Any]] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for body, now, args in items:
            conn.execute("SAVEPOINT op")
            try:
                result = body(conn, now, *args)
            except Exception as e:
                if not conn.in_transaction:
                    raise
                conn.execute("ROLLBACK TO op")
                conn.execute("RELEASE op")
                outcomes.append((False, e))
            else:
                conn.execute("RELEASE op")
                outcomes.append((True, result))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


def _tx_capture(conn: sqlite3.Connection, now: datetime, job_id: str) -> bool:
    row = conn.execute(
        "UPDATE holds SET state = 'captured', settled_at = ? WHERE job_id = ? AND state = 'held'"
        " RETURNING user, account, amount",
        (now.isoformat(), job_id),
    ).fetchone()
    if row is None:
        state = _hold_state(conn, job_id)
        if state == "captured":
            return False
        raise HoldClosed(job_id=job_id, state=state)
    user, account_id, amount = row
    conn.execute("UPDATE accounts SET held = held - ? WHERE id = ?", (amount, account_id))
    _write_row(conn, f"capture:{job_id}", account_id, user, "capture", 0, 0, -amount, job_id, None, now)
    return True


def _open_holds(conn: sqlite3.Connection) -> list[Hold]:
    rows = conn.execute(
        f"SELECT {_HOLD_COLUMNS} FROM holds WHERE state = 'held' ORDER BY created_at, job_id"
    ).fetchall()
    return [_to_hold(r) for r in rows]


def _new_account(
    conn: sqlite3.Connection, now: datetime, user: str, plan: Plan, allowance: int, note: str
) -> int:
    """Create an account for `user` (inserting or moving its identity) with `allowance`; its id."""
    stamp = now.isoformat()
    account_id = int(
        conn.execute(
            "INSERT INTO accounts (plan, allowance, topup, held, cycle, created_at) VALUES (?, ?, 0, 0, ?, ?)"
            " RETURNING id",
            (plan.name, allowance, _cycle_key(now), stamp),
        ).fetchone()[0]
    )
    conn.execute(
        "INSERT INTO identities (user, account, since) VALUES (?, ?, ?)"
        " ON CONFLICT (user) DO UPDATE SET account = excluded.account, since = excluded.since",
        (user, account_id, stamp),
    )
    _write_row(conn, f"open:{account_id}", account_id, user, "open", allowance, 0, 0, None, note, now)
    return account_id


def _write_row(
    conn: sqlite3.Connection,
    key: str,
    account: int,
    user: str | None,
    kind: str,
    allowance_delta: int,
    topup_delta: int,
    held_delta: int,
    job_id: str | None,
    note: str | None,
    now: datetime,
) -> None:
    conn.execute(
        _LEDGER_INSERT,
        (key, account, user, kind, allowance_delta, topup_delta, held_delta, job_id, note, now.isoformat()),
    )


def _hold_row(conn: sqlite3.Connection, job_id: str) -> Hold | None:
    row = conn.execute(f"SELECT {_HOLD_COLUMNS} FROM holds WHERE job_id = ?", (job_id,)).fetchone()
    return None if row is None else _to_hold(row)


def _hold_state(conn: sqlite3.Connection, job_id: str) -> str:
    row = conn.execute("SELECT state FROM holds WHERE job_id = ?", (job_id,)).fetchone()
    if row is None:
        raise NotFound(what="hold", key=job_id)
    return str(row[0])


def _key_exists(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("SELECT 1 FROM ledger WHERE key = ?", (key,)).fetchone() is not None


def _to_hold(r: tuple[Any, ...]) -> Hold:
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


def _to_row(r: tuple[Any, ...]) -> LedgerRow:
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


# -- values -----------------------------------------------------------------------------------------


def _check_user(user: object) -> None:
    if not isinstance(user, str) or ":" not in user or user.startswith(":") or user.endswith(":"):
        raise BillingError("bad_user", user=user)


def _check_job(job_id: object) -> None:
    if not isinstance(job_id, str) or not job_id:
        raise BillingError("bad_job", job_id=job_id)


def _check_amount(amount: object, *, allow_zero: bool) -> None:
    low = 0 if allow_zero else 1
    if isinstance(amount, bool) or not isinstance(amount, int) or not low <= amount <= MAX_CREDITS:
        raise BadAmount(amount=amount)


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _cycle_key(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _cycle_start(cycle: str) -> datetime:
    year, month = (int(part) for part in cycle.split("-"))
    return datetime(year, month, 1, tzinfo=UTC)


def _next_cycle(start: datetime) -> datetime:
    return (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
