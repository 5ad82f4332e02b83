"""billing.ledger transfers (tips) on a real SQLite file: once per key, allowance first, both books balanced."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from billing.errors import BadAmount, BadKey, InsufficientCredits, TransferSelf
from billing.ledger import Ledger
from billing.plans import PlanBook

PLANS = PlanBook.load()


@pytest_asyncio.fixture(loop_scope="function")
async def ledger(tmp_path: Path) -> AsyncIterator[Ledger]:
    opened = await Ledger.open(tmp_path / "ledger.db", PLANS)
    yield opened
    await opened.close()


async def consistent(ledger: Ledger, user: str) -> None:
    balance = await ledger.balance(user)
    assert await ledger.recompute(user) == (balance.allowance, balance.topup)


async def test_a_transfer_moves_credits_once_per_key(ledger: Ledger) -> None:
    assert await ledger.transfer("discord:2", "discord:1", 10, "tip:aaaaaaaaaaaa:discord:2") is True
    assert await ledger.transfer("discord:2", "discord:1", 10, "tip:aaaaaaaaaaaa:discord:2") is False
    payer, payee = await ledger.balance("discord:2"), await ledger.balance("discord:1")
    assert (payer.allowance, payer.topup) == (90, 0)  # the monthly allowance is spent first
    assert (payee.allowance, payee.topup) == (100, 10)  # and lands as top-up, which never expires
    rows = [(r.kind, r.allowance_delta, r.topup_delta) for r in await ledger.history("discord:2")]
    assert rows[0] == ("transfer_out", -10, 0)
    assert [(r.kind, r.topup_delta) for r in await ledger.history("discord:1")][0] == ("transfer_in", 10)
    await consistent(ledger, "discord:1")
    await consistent(ledger, "discord:2")
    assert (await ledger.books()).balanced


async def test_a_transfer_takes_top_ups_after_the_allowance_and_refuses_what_is_not_there(
    ledger: Ledger,
) -> None:
    await ledger.grant("telegram:5", 30, "grant:admin:t1")
    await ledger.hold("telegram:5", "job-1", 95)  # 95 of the 100 allowance held
    assert await ledger.transfer("telegram:5", "web:ann", 20, "tip:one") is True
    payer = await ledger.balance("telegram:5")
    assert (payer.allowance, payer.topup) == (0, 15)  # 5 allowance + 15 top-up
    with pytest.raises(InsufficientCredits) as short:
        await ledger.transfer("telegram:5", "web:ann", 16, "tip:two")
    assert (short.value.needed, short.value.available) == (16, 15)
    assert (await ledger.balance("web:ann")).topup == 20
    # a key that failed for want of credits is not used up
    await ledger.grant("telegram:5", 10, "grant:admin:t2")
    assert await ledger.transfer("telegram:5", "web:ann", 16, "tip:two") is True
    await consistent(ledger, "telegram:5")
    assert (await ledger.books()).balanced


async def test_transfers_within_one_account_and_bad_amounts_or_keys_are_refused(ledger: Ledger) -> None:
    code = await ledger.create_link_code("discord:1")
    await ledger.redeem_link_code("telegram:1", code)
    with pytest.raises(TransferSelf):
        await ledger.transfer("telegram:1", "discord:1", 5, "tip:self")
    with pytest.raises(TransferSelf):
        await ledger.transfer("discord:1", "discord:1", 5, "tip:self2")
    for amount in (0, -3, 2.5, True):
        with pytest.raises(BadAmount):
            await ledger.transfer("discord:2", "discord:1", amount, "tip:x")  # type: ignore[arg-type]
    for key in ("", " ", "hold:job", "transfer:tip:x:out"):
        with pytest.raises(BadKey):
            await ledger.transfer("discord:2", "discord:1", 5, key)
    # nor can a grant forge a transfer row
    with pytest.raises(BadKey):
        await ledger.grant("discord:1", 5, "transfer:tip:x:in")
    assert (await ledger.balance("discord:2")).available == 100
    assert (await ledger.balance("discord:1")).topup == 0


async def test_concurrent_replays_of_one_transfer_move_it_once(ledger: Ledger) -> None:
    results = await asyncio.gather(
        *(ledger.transfer("discord:2", "discord:1", 7, "tip:race") for _ in range(8))
    )
    assert sorted(results) == [False] * 7 + [True]
    assert (await ledger.balance("discord:1")).topup == 7
    assert (await ledger.balance("discord:2")).available == 93
    assert (await ledger.books()).balanced
