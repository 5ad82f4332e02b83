"""engine.lineup: the dispatch order. Property: with no cap in the way, `position` is exactly how many jobs
are picked before a job; every job is picked once; fast before relaxed; each account's jobs in order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from engine.jobs import Job
from engine.lineup import Lineup

ACCOUNTS = ("a", "b", "c", "d")


def job(n: int, account: str, lane: str, cap: int = 1) -> Job:
    return Job(
        id=f"j{n}",
        owner=account,
        account=account,
        action="create",
        request={},
        spec={},
        price=1,
        lane=lane,
        max_running=cap,
    )


@given(st.lists(st.tuples(st.sampled_from(ACCOUNTS), st.sampled_from(["fast", "relaxed"])), max_size=40))
def test_position_predicts_the_pick_order(entries: list[tuple[str, str]]) -> None:
    line = Lineup()
    jobs = [job(n, account, lane) for n, (account, lane) in enumerate(entries)]
    for j in jobs:
        line.push(j)
    predicted = {j.id: line.position(j.id) for j in jobs}
    picked: list[Job] = []
    while (nxt := line.pick({})) is not None:
        picked.append(nxt)
    assert len(line) == 0 and sorted(j.id for j in picked) == sorted(j.id for j in jobs)
    assert {j.id: i for i, j in enumerate(picked)} == predicted
    lanes = [j.lane for j in picked]
    assert lanes == sorted(lanes, key=lambda lane: lane != "fast")
    for account in ACCOUNTS:
        mine = [j.id for j in jobs if j.account == account]
        mine_fast = [i for i in mine if next(j for j in jobs if j.id == i).lane == "fast"]
        assert [j.id for j in picked if j.account == account and j.lane == "fast"] == mine_fast


def test_the_cap_holds_an_account_back_and_remove_takes_a_job_out() -> None:
    line = Lineup()
    a1, a2, b1 = job(1, "a", "fast"), job(2, "a", "fast"), job(3, "b", "fast")
    for j in (a1, a2, b1):
        line.push(j)
    assert line.pick({}) is a1
    assert line.pick({"a": 1}) is b1  # a runs its one job: its next one waits
    assert line.pick({"a": 1}) is None and line.position(a2.id) == 0
    assert line.remove(a2) and not line.remove(a2)
    assert len(line) == 0 and a2.id not in line and line.position(a2.id) is None
