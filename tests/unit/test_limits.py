"""The moving-window rate limit reports the real wait and forgets what left its window; the double-tap
guard counts a repeat once."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from bot.limits import MovingWindow, RepeatGuard, whole_seconds


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_wait_is_until_the_oldest_request_leaves_the_window() -> None:
    clock = Clock()
    limiter = MovingWindow(3, 60.0, clock=clock)
    for step in (0.0, 10.0, 20.0):
        clock.now += step
        assert limiter.hit("ann") == 0.0
    clock.now += 5.0  # 35 s after the first
    assert limiter.hit("ann") == 25.0  # the first leaves at 60 s
    assert limiter.wait_s("ann") == 25.0 and limiter.hit("bob") == 0.0  # others are not slowed
    clock.now += 25.0
    assert limiter.hit("ann") == 0.0  # a refused request was not counted
    assert whole_seconds(0.2) == 1 and whole_seconds(25.0) == 25


@given(st.lists(st.floats(0, 30, allow_nan=False), min_size=1, max_size=60), st.integers(1, 6))
def test_never_more_than_the_limit_in_any_window(gaps: list[float], limit: int) -> None:
    clock = Clock()
    limiter = MovingWindow(limit, 60.0, clock=clock)
    allowed: list[float] = []
    for gap in gaps:
        clock.now += gap
        wait = limiter.hit("ann")
        if wait == 0.0:
            allowed.append(clock.now)
        else:
            assert 0 < wait <= 60.0
            # waiting that long is enough: the next request after it is allowed
            recent = [t for t in allowed if clock.now - t < 60.0]
            assert len(recent) >= limit and math.isclose(
                60.0 - (clock.now - recent[-limit]), wait, abs_tol=1e-9
            )
        assert len([t for t in allowed if clock.now - t < 60.0]) <= limit


def test_keys_that_went_quiet_are_pruned() -> None:
    clock = Clock()
    limiter = MovingWindow(2, 60.0, clock=clock, max_keys=100)
    for i in range(100):
        limiter.hit(i)
    clock.now += 61
    limiter.hit("new")
    assert len(limiter._events) <= 2


def test_a_double_tap_counts_once() -> None:
    clock = Clock()
    guard = RepeatGuard(5.0, clock=clock)
    assert not guard.repeated(("bob", "loop", "j1"))
    assert guard.repeated(("bob", "loop", "j1"))
    assert not guard.repeated(("ann", "loop", "j1"))
    clock.now += 6
    assert not guard.repeated(("bob", "loop", "j1"))
