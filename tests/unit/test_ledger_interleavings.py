"""Property: any interleaving of ledger operations keeps the books. Random batches of hold, capture, refund,
admin refund, grant, tip (a transfer between members), monthly reset (time moving on) and plan change run
*concurrently* (asyncio.gather
through the one writer's group commit, replays racing their originals); after every batch the stored
balances equal the ledger rows (billing/audit.py), no balance is negative, held equals the open holds, and
every job's credits were settled at most once, and every tip moved at most once."""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.errors import BillingError
from billing.ledger import Ledger
from billing.plans import PlanBook

PLANS = PlanBook.load()
USERS = ("telegram:1", "discord:2", "web:ann")
JOBS = tuple(f"job{i:02d}" for i in range(12))


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 28, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


op = st.one_of(
    st.tuples(st.just("hold"), st.sampled_from(USERS), st.sampled_from(JOBS), st.integers(0, 120)),
    st.tuples(st.just("capture"), st.sampled_from(JOBS)),
    st.tuples(st.just("refund"), st.sampled_from(JOBS)),
    st.tuples(st.just("admin_refund"), st.sampled_from(JOBS)),
    st.tuples(st.just("grant"), st.sampled_from(USERS), st.integers(1, 300)),
    st.tuples(
        st.just("tip"),
        st.sampled_from(USERS),
        st.sampled_from(USERS),
        st.sampled_from(JOBS),
        st.integers(1, 60),
    ),
    st.tuples(st.just("reset"), st.integers(1, 40)),
    st.tuples(st.just("plan"), st.sampled_from(USERS), st.sampled_from(("free", "plus", "pro"))),
)
batches = st.lists(st.lists(op, min_size=1, max_size=8), min_size=1, max_size=8)


async def run_op(ledger: Ledger, clock: Clock, o: tuple[object, ...], n: int) -> None:
    kind = o[0]
    try:
        if kind == "hold":
            await ledger.hold(str(o[1]), str(o[2]), int(o[3]))  # type: ignore[call-overload]
        elif kind == "capture":
            await ledger.capture(str(o[1]))
        elif kind == "refund":
            await ledger.refund(str(o[1]), "test")
        elif kind == "admin_refund":
            await ledger.admin_refund(str(o[1]), "web:admin")
        elif kind == "grant":
            await ledger.grant(str(o[1]), int(o[2]), f"g:{n}")  # type: ignore[call-overload]
        elif kind == "tip":  # payer, payee, the clip: once per payer per clip, like the core's tips
            await ledger.transfer(str(o[1]), str(o[2]), int(o[4]), f"tip:{o[3]}:{o[1]}")  # type: ignore[call-overload]
        elif kind == "reset":
            clock.now += timedelta(days=int(o[1]))  # type: ignore[call-overload]
        elif kind == "plan":
            await ledger.set_plan(str(o[1]), str(o[2]))
    except BillingError:  # short of credits, unknown job, settled already: refused whole, nothing moved
        pass


async def check(ledger: Ledger) -> None:
    books = await ledger.books()
    assert books.balanced, books.mismatches
    open_by_account = Counter()
    for hold in await ledger.open_holds():
        open_by_account[hold.account] += hold.amount
    for account in books.accounts:
        assert account.allowance >= 0 and account.topup >= 0 and account.held >= 0
    for user in USERS:
        balance = await ledger.balance(user)
        assert balance.held == open_by_account[balance.account]
        assert balance.allowance <= PLANS.get(balance.plan).credits_per_month
        rows = await ledger.history(user, limit=10_000)
        settled = Counter((r.kind, r.job_id) for r in rows if r.kind in ("capture", "refund", "admin_refund"))
        assert all(n == 1 for n in settled.values()), settled  # a job settles once per kind
        tips = Counter(r.key for r in rows if r.key.startswith("transfer:tip:"))
        assert all(n == 1 for n in tips.values()), tips  # each tip key moved once (out or in, per account)
        for job in {r.job_id for r in rows if r.job_id}:
            assert not (settled[("capture", job)] and settled[("refund", job)])  # never both


async def play(plan: list[list[tuple[object, ...]]]) -> None:
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        async with await Ledger.open(Path(tmp) / "books.db", PLANS, clock=clock) as ledger:
            n = 0
            for batch in plan:
                tasks = []
                for o in batch:
                    n += 1
                    tasks.append(run_op(ledger, clock, o, n))
                    if o[0] in ("hold", "capture", "refund", "tip"):
                        tasks.append(run_op(ledger, clock, o, n))  # its replay, racing it
                await asyncio.gather(*tasks)
                await check(ledger)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches)
def test_any_interleaving_keeps_the_books(plan: list[list[tuple[object, ...]]]) -> None:
    asyncio.run(play(plan))
