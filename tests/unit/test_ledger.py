"""billing.ledger on a real SQLite file: holds, idempotency, races, monthly cycles, links, recompute."""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.errors import (
    BadAmount,
    BadKey,
    BillingError,
    HoldClosed,
    InsufficientCredits,
    LinkError,
    NotFound,
    UnknownPlan,
)
from billing.ledger import LINK_ALPHABET, MAX_CREDITS, Ledger
from billing.plans import PlanBook

PLANS = PlanBook.load()
JAN = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime = JAN) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest_asyncio.fixture(loop_scope="function")
async def ledger(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Ledger]:
    opened = await Ledger.open(tmp_path / "ledger.db", PLANS, clock=clock)
    yield opened
    await opened.close()


async def assert_consistent(ledger: Ledger, user: str) -> None:
    """The balance equals the sum of the ledger rows, and `held` equals the open holds."""
    balance = await ledger.balance(user)
    assert await ledger.recompute(user) == (balance.allowance, balance.topup)
    open_held = sum(h.amount for h in await ledger.open_holds() if h.account == balance.account)
    assert balance.held == open_held
    assert 0 <= balance.allowance <= PLANS.get(balance.plan).credits_per_month
    assert balance.topup >= 0


# -- accounts and holds -----------------------------------------------------------------------------


async def test_account_is_created_on_first_touch(ledger: Ledger) -> None:
    balance = await ledger.balance("telegram:1")
    assert (balance.plan, balance.allowance, balance.topup, balance.held, balance.available) == (
        "free",
        100,
        0,
        0,
        100,
    )
    assert balance.cycle_start == datetime(2026, 1, 1, tzinfo=UTC)
    assert balance.next_reset == datetime(2026, 2, 1, tzinfo=UTC)
    assert [r.kind for r in await ledger.history("telegram:1")] == ["open"]
    assert (await ledger.balance("discord:1")).account != balance.account


async def test_hold_spends_allowance_first_then_topups(ledger: Ledger) -> None:
    assert await ledger.grant("web:ann", 50, "grant:admin:1")
    first = await ledger.hold("web:ann", "job-1", 60)
    assert (first.from_allowance, first.from_topup, first.state) == (60, 0, "held")
    second = await ledger.hold("web:ann", "job-2", 70)
    assert (second.from_allowance, second.from_topup) == (40, 30)
    balance = await ledger.balance("web:ann")
    assert (balance.allowance, balance.topup, balance.held, balance.available) == (0, 20, 130, 20)
    rows = await ledger.history("web:ann")
    assert rows[0].key == "hold:job-2"
    assert (rows[0].allowance_delta, rows[0].topup_delta, rows[0].held_delta) == (-40, -30, 70)
    await assert_consistent(ledger, "web:ann")


async def test_hold_replay_never_charges_twice(ledger: Ledger) -> None:
    first = await ledger.hold("web:ann", "job-1", 25)
    again = await ledger.hold("web:ann", "job-1", 25)
    assert again == first
    assert await ledger.capture("job-1")
    after_capture = await ledger.hold("web:ann", "job-1", 25)
    assert after_capture.state == "captured" and after_capture.amount == 25
    balance = await ledger.balance("web:ann")
    assert (balance.allowance, balance.held) == (75, 0)
    assert sum(r.kind == "hold" for r in await ledger.history("web:ann")) == 1


async def test_insufficient_credits_changes_nothing(ledger: Ledger) -> None:
    await ledger.hold("web:ann", "job-1", 80)
    before = (await ledger.balance("web:ann"), await ledger.history("web:ann"))
    with pytest.raises(InsufficientCredits) as caught:
        await ledger.hold("web:ann", "job-2", 25)
    assert (caught.value.needed, caught.value.available) == (25, 20)
    assert caught.value.params == {"needed": 25, "available": 20}
    assert (await ledger.balance("web:ann"), await ledger.history("web:ann")) == before
    assert [h.job_id for h in await ledger.open_holds()] == ["job-1"]
    with pytest.raises(NotFound):
        await ledger.capture("job-2")


async def test_zero_hold_is_recorded(ledger: Ledger) -> None:
    await ledger.hold("web:ann", "relaxed-1", 0)
    assert [(h.job_id, h.amount) for h in await ledger.open_holds()] == [("relaxed-1", 0)]
    assert (await ledger.history("web:ann"))[0].key == "hold:relaxed-1"
    assert await ledger.capture("relaxed-1")
    assert (await ledger.balance("web:ann")).available == 100


@pytest.mark.parametrize("amount", [-1, -100, 1.5, 25.0, "25", None, True, MAX_CREDITS + 1, 10**30])
async def test_bad_amounts_change_nothing(ledger: Ledger, amount: object) -> None:
    before = (await ledger.balance("web:ann"), await ledger.history("web:ann"))
    with pytest.raises(BadAmount):
        await ledger.hold("web:ann", "job-1", amount)  # type: ignore[arg-type]
    with pytest.raises(BadAmount):
        await ledger.grant("web:ann", amount, "grant:admin:x")  # type: ignore[arg-type]
    if amount is not None:  # None is valid there: "use the operator default"
        with pytest.raises(BadAmount):
            await ledger.set_auto_approve("web:ann", amount)  # type: ignore[arg-type]
    assert (await ledger.balance("web:ann"), await ledger.history("web:ann")) == before
    assert await ledger.open_holds() == []
    assert await ledger.grant("web:ann", 5, "grant:admin:x")  # the refused key was not used up


async def test_grant_zero_and_bad_keys_and_ids_are_refused(ledger: Ledger) -> None:
    with pytest.raises(BadAmount):
        await ledger.grant("web:ann", 0, "grant:admin:0")
    for key in ["", "  ", "hold:job-1", "refund:job-1", "reset:1:2026-01"]:
        with pytest.raises(BadKey):
            await ledger.grant("web:ann", 5, key)
    for user in ["ann", ":ann", "web:", 42]:
        with pytest.raises(BillingError) as caught:
            await ledger.balance(user)  # type: ignore[arg-type]
        assert caught.value.code == "bad_user"
    with pytest.raises(BillingError):
        await ledger.hold("web:ann", "", 5)
    assert (await ledger.balance("web:ann")).topup == 0


async def test_capture_and_refund_rules(ledger: Ledger) -> None:
    await ledger.grant("web:ann", 100, "charge:ch_1")
    await ledger.hold("web:ann", "a", 150)  # 100 allowance + 50 top-up
    await ledger.hold("web:ann", "b", 20)
    assert await ledger.refund("a", "engine failed") == 150
    balance = await ledger.balance("web:ann")
    assert (balance.allowance, balance.topup, balance.held) == (100, 80, 20)  # each part went home
    assert await ledger.refund("a", "again") == 0  # replay
    assert await ledger.capture("b") is True
    assert await ledger.capture("b") is False  # replay
    with pytest.raises(HoldClosed) as caught:
        await ledger.refund("b", "too late")
    assert caught.value.params == {"job_id": "b", "state": "captured"}
    assert isinstance(caught.value, NotFound)
    with pytest.raises(HoldClosed):
        await ledger.capture("a")  # refunded holds stay refunded
    with pytest.raises(NotFound):
        await ledger.refund("nope", "x")
    balance = await ledger.balance("web:ann")
    assert (balance.allowance, balance.topup, balance.held) == (100, 80, 0)
    kinds = [r.kind for r in await ledger.history("web:ann")]
    assert kinds.count("refund") == 1 and kinds.count("capture") == 1
    assert [r.note for r in await ledger.history("web:ann") if r.key == "refund:a"] == ["engine failed"]
    await assert_consistent(ledger, "web:ann")


async def test_open_holds_lists_only_held_and_survive_reopen(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "ledger.db"
    async with await Ledger.open(path, PLANS, clock=clock) as ledger:
        for job in ("a", "b", "c"):
            await ledger.hold("web:ann", job, 10)
            clock.advance(seconds=1)
        await ledger.capture("a")
        await ledger.refund("c", "cancelled")
        assert [h.job_id for h in await ledger.open_holds()] == ["b"]
    async with await Ledger.open(path, PLANS, clock=clock) as reopened:  # as after a crash
        holds = await reopened.open_holds()
        assert [(h.job_id, h.user, h.amount, h.state) for h in holds] == [("b", "web:ann", 10, "held")]
        assert (await reopened.balance("web:ann")).available == 80
        assert await reopened.refund("b", "restart") == 10
        await assert_consistent(reopened, "web:ann")


async def test_grant_is_idempotent(ledger: Ledger) -> None:
    assert await ledger.grant("discord:9", 500, "grant:web:admin:n1") is True
    assert await ledger.grant("discord:9", 500, "grant:web:admin:n1") is False
    assert await ledger.grant("discord:9", 7, "charge:ch_42") is True
    assert (await ledger.balance("discord:9")).topup == 507
    await assert_consistent(ledger, "discord:9")


async def test_admin_refund_gives_captured_credits_back_once(ledger: Ledger) -> None:
    await ledger.hold("web:ann", "j", 60)
    with pytest.raises(HoldClosed):
        await ledger.admin_refund("j", by="web:admin")  # still held: use refund
    await ledger.capture("j")
    assert await ledger.admin_refund("j", by="web:admin") == 60
    assert await ledger.admin_refund("j", by="web:admin") == 0
    balance = await ledger.balance("web:ann")
    assert (balance.allowance, balance.topup) == (40, 60)
    assert (await ledger.history("web:ann"))[0].note == "by web:admin"
    with pytest.raises(NotFound):
        await ledger.admin_refund("unknown", by="web:admin")
    await assert_consistent(ledger, "web:ann")


async def test_set_plan_keeps_what_was_spent_this_cycle(ledger: Ledger) -> None:
    await ledger.hold("web:ann", "j", 30)
    assert (await ledger.set_plan("web:ann", "pro")).name == "pro"
    balance = await ledger.balance("web:ann")
    assert (balance.plan, balance.allowance) == ("pro", 9970)
    await ledger.hold("web:ann", "k", 2000)
    await ledger.set_plan("web:ann", "plus")
    assert (await ledger.balance("web:ann")).allowance == 0  # spent 2030 > plus's 1000
    await ledger.set_plan("web:ann", "plus")  # same plan: no-op
    with pytest.raises(UnknownPlan):
        await ledger.set_plan("web:ann", "gold")
    assert await ledger.refund("k", "failed") == 1000  # capped at the plan's credits
    await assert_consistent(ledger, "web:ann")


async def test_auto_approve_setting(ledger: Ledger) -> None:
    assert (await ledger.balance("web:ann")).auto_approve is None
    await ledger.set_auto_approve("web:ann", 50)
    assert (await ledger.balance("web:ann")).auto_approve == 50
    await ledger.set_auto_approve("web:ann", 0)
    assert (await ledger.balance("web:ann")).auto_approve == 0
    await ledger.set_auto_approve("web:ann", None)
    assert (await ledger.balance("web:ann")).auto_approve is None


async def test_history_is_newest_first_and_limited(ledger: Ledger) -> None:
    for n in range(5):
        await ledger.grant("web:ann", n + 1, f"g:{n}")
    rows = await ledger.history("web:ann", limit=3)
    assert [r.key for r in rows] == ["g:4", "g:3", "g:2"]
    assert rows[0].spendable_delta == 5 and rows[0].at == JAN


async def test_ledger_rows_are_append_only(ledger: Ledger, tmp_path: Path) -> None:
    await ledger.grant("web:ann", 5, "g:1")
    raw = sqlite3.connect(tmp_path / "ledger.db")
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            raw.execute("UPDATE ledger SET topup_delta = 500")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            raw.execute("DELETE FROM ledger")
    finally:
        raw.close()


# -- monthly cycles ---------------------------------------------------------------------------------


async def test_monthly_reset_without_rollover_topups_persist(ledger: Ledger, clock: FakeClock) -> None:
    await ledger.grant("web:ann", 50, "g:1")
    await ledger.hold("web:ann", "j1", 40)
    await ledger.capture("j1")
    assert (await ledger.balance("web:ann")).allowance == 60
    clock.now = datetime(2026, 2, 1, 0, 0, tzinfo=UTC)
    balance = await ledger.balance("web:ann")
    assert (balance.allowance, balance.topup) == (100, 50)  # not 160: no rollover
    assert balance.cycle_start == clock.now and balance.next_reset == datetime(2026, 3, 1, tzinfo=UTC)
    assert (await ledger.history("web:ann"))[0].key == f"reset:{balance.account}:2026-02"
    clock.now = datetime(2026, 2, 28, 23, 59, tzinfo=UTC)
    await ledger.hold("web:ann", "j2", 120)  # allowance first, then top-ups
    balance = await ledger.balance("web:ann")
    assert (balance.allowance, balance.topup) == (0, 30)
    clock.now = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)  # months skipped: one reset, no backlog
    assert (await ledger.balance("web:ann")).allowance == 100
    clock.now = datetime(2027, 1, 1, tzinfo=UTC)
    assert (await ledger.balance("web:ann")).next_reset == datetime(2027, 2, 1, tzinfo=UTC)
    assert sum(r.kind == "reset" for r in await ledger.history("web:ann", limit=100)) == 3
    await assert_consistent(ledger, "web:ann")


async def test_refund_after_reset_is_capped_at_the_plan(ledger: Ledger, clock: FakeClock) -> None:
    await ledger.grant("web:ann", 50, "g:1")
    old = await ledger.hold("web:ann", "jan-job", 120)  # January: 100 allowance + 20 top-up
    assert (old.from_allowance, old.from_topup) == (100, 20)
    clock.now = datetime(2026, 2, 1, 0, 5, tzinfo=UTC)
    await ledger.hold("web:ann", "feb-job", 30)
    assert (await ledger.balance("web:ann")).allowance == 70
    # The January allowance part fits only up to February's 100; the rest expired with January.
    assert await ledger.refund("jan-job", "worker lost") == 30 + 20
    balance = await ledger.balance("web:ann")
    assert (balance.allowance, balance.topup, balance.held) == (100, 50, 30)
    row = (await ledger.history("web:ann"))[0]
    assert (row.allowance_delta, row.topup_delta, row.held_delta) == (30, 20, -120)
    assert row.note == "worker lost (70 expired with their cycle)"
    await assert_consistent(ledger, "web:ann")


async def test_refund_within_the_cycle_is_exact(ledger: Ledger, clock: FakeClock) -> None:
    await ledger.hold("web:ann", "j", 100)
    clock.advance(days=10)
    assert await ledger.refund("j", "cancelled") == 100
    assert (await ledger.balance("web:ann")).allowance == 100


# -- races ------------------------------------------------------------------------------------------


async def test_500_concurrent_holds_never_overspend(ledger: Ledger) -> None:
    await ledger.grant("web:ann", 1160, "g:1")  # 100 allowance + 1160 = 1260 = 50 x 25 + 10
    total = 1260

    async def attempt(n: int) -> bool:
        try:
            await ledger.hold("web:ann", f"job-{n}", 25)
        except InsufficientCredits:
            return False
        if n % 3 == 0:
            await ledger.capture(f"job-{n}")
        return True

    results = await asyncio.gather(*(attempt(n) for n in range(500)))
    assert sum(results) == total // 25 == 50
    balance = await ledger.balance("web:ann")
    captured = 25 * sum(1 for n, ok in enumerate(results) if ok and n % 3 == 0)
    assert balance.available + balance.held + captured == total
    assert balance.available == 10 and balance.allowance >= 0 and balance.topup >= 0
    await assert_consistent(ledger, "web:ann")


async def test_two_connections_racing_on_one_file(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "shared.db"
    first, second = await asyncio.gather(
        Ledger.open(path, PLANS, clock=clock), Ledger.open(path, PLANS, clock=clock)
    )
    try:
        await first.grant("web:ann", 900, "g:1")  # 1000 in all: 40 holds of 25

        async def attempt(ledger: Ledger, n: int) -> bool:
            try:
                await ledger.hold("web:ann", f"job-{n}", 25)
            except InsufficientCredits:
                return False
            return True

        results = await asyncio.gather(*(attempt(first if n % 2 else second, n) for n in range(120)))
        assert sum(results) == 40
        for ledger in (first, second):
            balance = await ledger.balance("web:ann")
            assert (balance.available, balance.held) == (0, 1000)
        # The same job id through both connections is still one hold.
        won = [n for n, ok in enumerate(results) if ok]
        replays = await asyncio.gather(*(one.hold("web:ann", f"job-{won[0]}", 25) for one in (first, second)))
        assert replays[0] == replays[1]
        captures = await asyncio.gather(first.capture(f"job-{won[1]}"), second.capture(f"job-{won[1]}"))
        assert sorted(captures) == [False, True]
        await assert_consistent(second, "web:ann")
    finally:
        await asyncio.gather(first.close(), second.close())


async def test_a_cancelled_caller_leaves_a_whole_operation_or_none(ledger: Ledger) -> None:
    task = asyncio.ensure_future(ledger.hold("web:ann", "j", 40))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    balance = await ledger.balance("web:ann")
    held = [h.job_id for h in await ledger.open_holds()]
    assert (balance.available, balance.held, held) in [(100, 0, []), (60, 40, ["j"])]
    await assert_consistent(ledger, "web:ann")


# -- property: the balance always equals the ledger -------------------------------------------------

USERS = ("telegram:1", "discord:2", "web:ann")
operation = st.one_of(
    st.tuples(st.just("hold"), st.sampled_from(USERS), st.integers(0, 150)),
    st.tuples(st.just("capture"), st.integers(0, 30)),
    st.tuples(st.just("refund"), st.integers(0, 30)),
    st.tuples(st.just("admin_refund"), st.integers(0, 30)),
    st.tuples(st.just("grant"), st.sampled_from(USERS), st.integers(1, 200)),
    st.tuples(st.just("advance"), st.integers(0, 45)),
    st.tuples(st.just("plan"), st.sampled_from(USERS), st.sampled_from(["free", "plus", "pro"])),
    st.tuples(st.just("link"), st.sampled_from(USERS), st.sampled_from(USERS)),
)


async def _play(operations: list[tuple[object, ...]]) -> None:
    clock = FakeClock()
    with tempfile.TemporaryDirectory() as tmp:
        async with await Ledger.open(Path(tmp) / "p.db", PLANS, clock=clock) as ledger:
            jobs: list[str] = []
            for n, op in enumerate(operations):
                kind, args = op[0], [str(a) for a in op[1:]]
                try:
                    if kind == "hold":
                        jobs.append(f"job-{n}")
                        first = await ledger.hold(args[0], jobs[-1], int(args[1]))
                        # A replay racing another replay must not charge again.
                        replays = await asyncio.gather(
                            *(ledger.hold(args[0], jobs[-1], int(args[1])) for _ in "ab")
                        )
                        assert all(r.job_id == first.job_id and r.amount == first.amount for r in replays)
                    elif kind in ("capture", "refund", "admin_refund") and jobs:
                        job = jobs[int(args[0]) % len(jobs)]
                        if kind == "capture":
                            await ledger.capture(job)
                        elif kind == "refund":
                            await ledger.refund(job, "test")
                        else:
                            await ledger.admin_refund(job, "web:admin")
                    elif kind == "grant":
                        await ledger.grant(args[0], int(args[1]), f"g:{n}")
                    elif kind == "advance":
                        clock.advance(days=int(args[0]))
                    elif kind == "plan":
                        await ledger.set_plan(args[0], args[1])
                    elif kind == "link":
                        await ledger.redeem_link_code(args[1], await ledger.create_link_code(args[0]))
                except (InsufficientCredits, NotFound, LinkError):
                    pass
            for user in USERS:
                await assert_consistent(ledger, user)


@settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, max_size=30))
def test_recompute_equals_balance_for_any_sequence(operations: list[tuple[object, ...]]) -> None:
    asyncio.run(_play(operations))


# -- account links ----------------------------------------------------------------------------------


async def test_link_shares_one_wallet(ledger: Ledger) -> None:
    await ledger.grant("telegram:1", 200, "g:tg")
    code = await ledger.create_link_code("telegram:1")
    assert len(code) == 8 and set(code) <= set(LINK_ALPHABET)
    assert await ledger.redeem_link_code("discord:9", code.lower()[:4] + "-" + code[4:]) == "telegram:1"
    assert await ledger.linked_ids("discord:9") == ["discord:9", "telegram:1"]
    assert await ledger.linked_ids("telegram:1") == ["discord:9", "telegram:1"]
    await ledger.hold("discord:9", "j", 250)
    tg, dc = await ledger.balance("telegram:1"), await ledger.balance("discord:9")
    assert tg == dc and (tg.allowance, tg.topup, tg.held) == (0, 50, 250)
    await ledger.set_plan("telegram:1", "pro")
    assert (await ledger.balance("discord:9")).plan == "pro"
    assert await ledger.history("discord:9") == await ledger.history("telegram:1")
    await ledger.set_auto_approve("discord:9", 75)
    assert (await ledger.balance("telegram:1")).auto_approve == 75
    await assert_consistent(ledger, "telegram:1")


async def test_link_moves_topups_and_drops_the_allowance(ledger: Ledger) -> None:
    await ledger.grant("telegram:1", 10, "g:tg")
    await ledger.grant("discord:9", 40, "g:dc")
    await ledger.hold("discord:9", "spent", 30)  # discord's allowance is 70 now
    await ledger.capture("spent")
    old = await ledger.balance("discord:9")
    code = await ledger.create_link_code("telegram:1")
    await ledger.redeem_link_code("discord:9", code)
    shared = await ledger.balance("discord:9")
    assert shared.account != old.account
    assert (shared.allowance, shared.topup) == (100, 50)  # telegram's allowance, both top-ups
    link_in = (await ledger.history("telegram:1"))[0]
    assert (link_in.kind, link_in.topup_delta, link_in.key) == ("link_in", 40, f"link_in:{old.account}")
    await assert_consistent(ledger, "telegram:1")


async def test_link_codes_are_single_use_and_expire(ledger: Ledger, clock: FakeClock) -> None:
    code = await ledger.create_link_code("telegram:1", ttl_s=600)
    await ledger.redeem_link_code("discord:9", code)
    with pytest.raises(LinkError) as caught:
        await ledger.redeem_link_code("web:ann", code)
    assert caught.value.code == "link_code_invalid"
    with pytest.raises(LinkError) as caught:
        await ledger.redeem_link_code("web:ann", "ZZZZZZZZ")
    assert caught.value.code == "link_code_invalid"
    late = await ledger.create_link_code("telegram:1", ttl_s=600)
    clock.advance(seconds=600)
    with pytest.raises(LinkError) as caught:
        await ledger.redeem_link_code("web:ann", late)
    assert caught.value.code == "link_code_expired"
    assert await ledger.linked_ids("web:ann") == ["web:ann"]


async def test_link_refusals(ledger: Ledger) -> None:
    own = await ledger.create_link_code("telegram:1")
    with pytest.raises(LinkError) as caught:
        await ledger.redeem_link_code("telegram:1", own)
    assert caught.value.code == "link_self"
    await ledger.redeem_link_code("discord:9", own)
    again = await ledger.create_link_code("telegram:1")
    with pytest.raises(LinkError) as caught:
        await ledger.redeem_link_code("discord:9", again)  # already on that account
    assert caught.value.code == "link_self"
    other = await ledger.create_link_code("web:bob")
    with pytest.raises(LinkError) as caught:
        await ledger.redeem_link_code("discord:9", other)  # linked elsewhere: unlink first
    assert caught.value.code == "link_already"
    await ledger.hold("web:cat", "running", 10)
    with pytest.raises(LinkError) as caught:
        await ledger.redeem_link_code("web:cat", other)
    assert caught.value.code == "link_busy"
    await ledger.capture("running")
    assert await ledger.redeem_link_code("web:cat", other) == "web:bob"  # refused codes stay usable


async def test_unlink_gives_a_fresh_account_with_no_free_allowance(ledger: Ledger, clock: FakeClock) -> None:
    await ledger.grant("telegram:1", 30, "g:tg")
    await ledger.redeem_link_code("discord:9", await ledger.create_link_code("telegram:1"))
    assert await ledger.unlink("discord:9") is True
    assert await ledger.unlink("discord:9") is False
    assert await ledger.linked_ids("telegram:1") == ["telegram:1"]
    mine = await ledger.balance("discord:9")
    assert (mine.plan, mine.allowance, mine.topup) == ("free", 0, 0)
    assert (await ledger.balance("telegram:1")).available == 130
    clock.now = datetime(2026, 2, 1, tzinfo=UTC)
    assert (await ledger.balance("discord:9")).allowance == 100
    await assert_consistent(ledger, "discord:9")
    await assert_consistent(ledger, "telegram:1")


async def test_a_locked_database_fails_the_callers_and_changes_nothing(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "ledger.db"
    async with await Ledger.open(path, PLANS, clock=clock, busy_timeout_ms=50) as ledger:
        await ledger.balance("web:ann")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            results = await asyncio.gather(
                ledger.hold("web:ann", "a", 10), ledger.grant("web:ann", 5, "g:1"), return_exceptions=True
            )
            assert all(isinstance(r, sqlite3.OperationalError) for r in results), results
        finally:
            other.execute("ROLLBACK")
            other.close()
        balance = await ledger.balance("web:ann")
        assert (balance.available, balance.held) == (100, 0)
        assert await ledger.grant("web:ann", 5, "g:1")  # the key was not used up
    with pytest.raises(ValueError):
        await ledger.balance("web:ann")  # closed: an error, never a hang


async def test_revoke_takes_back_a_refunded_grant_once(tmp_path: Path) -> None:
    ledger = await Ledger.open(tmp_path / "revoke.db", PlanBook.load())
    try:
        await ledger.grant("telegram:1", 500, "payment:charge-9")
        await ledger.hold("telegram:1", "job-1", 100 + 50)  # 100 allowance + 50 of the top-up
        await ledger.capture("job-1")
        assert await ledger.revoke("payment:charge-9", "stars refund") == 450
        assert await ledger.revoke("payment:charge-9", "stars refund") == 0
        bal = await ledger.balance("telegram:1")
        assert (bal.allowance, bal.topup) == (0, 0)
        assert await ledger.recompute("telegram:1") == (0, 0)
        with pytest.raises(NotFound):
            await ledger.revoke("payment:nope", "x")
    finally:
        await ledger.close()
