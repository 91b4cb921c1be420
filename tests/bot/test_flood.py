"""Flood control: the sliding window, the single warning, the pause, and bounded memory."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.flood import FloodControl, Verdict

ALLOW, WARN, IGNORE = Verdict.ALLOW, Verdict.WARN, Verdict.IGNORE


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_over_the_limit_one_warning_then_silence_then_afresh(clock: Clock) -> None:
    flood = FloodControl(3, 10, clock=clock)
    assert [flood.check(1) for _ in range(3)] == [ALLOW] * 3
    assert flood.check(1) is WARN
    assert [flood.check(1) for _ in range(20)] == [IGNORE] * 20
    clock.now += 9.9
    assert flood.check(1) is IGNORE
    clock.now += 0.1  # the pause (= the window by default) is over: a fresh window
    assert [flood.check(1) for _ in range(4)] == [ALLOW, ALLOW, ALLOW, WARN]


def test_window_slides(clock: Clock) -> None:
    flood = FloodControl(3, 10, clock=clock)
    for _ in range(3):
        assert flood.check(1) is ALLOW
        clock.now += 4  # 0, 4, 8
    # now 12: the update at 0 left the window (12 - 10 = 2 > 0); 4 and 8 remain.
    assert flood.check(1) is ALLOW
    assert flood.check(1) is WARN


def test_exactly_window_old_has_left(clock: Clock) -> None:
    flood = FloodControl(1, 5, clock=clock)
    assert flood.check(1) is ALLOW
    clock.now += 5
    assert flood.check(1) is ALLOW


def test_users_are_counted_apart(clock: Clock) -> None:
    flood = FloodControl(2, 10, clock=clock)
    assert [flood.check(1) for _ in range(3)] == [ALLOW, ALLOW, WARN]
    assert [flood.check(2) for _ in range(2)] == [ALLOW, ALLOW]
    assert flood.check(1) is IGNORE


def test_own_mute_length(clock: Clock) -> None:
    flood = FloodControl(1, 2, mute=30, clock=clock)
    assert [flood.check(1), flood.check(1)] == [ALLOW, WARN]
    clock.now += 29
    assert flood.check(1) is IGNORE
    clock.now += 1
    assert flood.check(1) is ALLOW


def test_idle_users_are_forgotten(clock: Clock) -> None:
    flood = FloodControl(2, 10, mute=20, clock=clock)
    for user_id in range(100):
        flood.check(user_id)
    assert [flood.check(7), flood.check(7)] == [ALLOW, WARN]  # 7 is paused for 20 s
    assert len(flood) == 100
    clock.now += 19.9
    assert flood.check(7) is IGNORE  # which also counts as being seen
    assert len(flood) == 100
    clock.now += 0.1
    flood.check(1000)
    # Idle for 20 s (the longer of the window and the pause): the 99 others are gone.
    assert len(flood) == 2
    clock.now += 20
    flood.check(1001)
    assert len(flood) == 1


def test_at_most_max_users_tracked(clock: Clock) -> None:
    flood = FloodControl(1, 10, clock=clock, max_users=3)
    for user_id in (1, 2, 3):
        assert flood.check(user_id) is ALLOW
        clock.now += 0.1
    assert flood.check(1) is WARN  # seen again: now the most recently seen
    flood.check(4)  # over the cap: 2, the least recently seen, is dropped
    assert len(flood) == 3
    assert flood.check(2) is ALLOW  # forgotten, so a fresh window (fails open)
    assert flood.check(1) is IGNORE  # 1 was kept, still paused


@pytest.mark.parametrize(
    "arguments",
    [
        {"max_updates": 0, "window": 1},
        {"max_updates": 1, "window": 0},
        {"max_updates": 1, "window": 1, "mute": 0},
        {"max_updates": 1, "window": 1, "max_users": 0},
    ],
)
def test_bad_parameters(arguments: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        FloodControl(**arguments)  # type: ignore[arg-type]


@given(
    max_updates=st.integers(1, 5),
    window=st.integers(1, 10),
    gaps=st.lists(st.floats(0, 4, allow_nan=False), min_size=1, max_size=80),
)
def test_never_more_than_the_limit_in_any_window(
    max_updates: int, window: int, gaps: list[float]
) -> None:
    clock = Clock()
    flood = FloodControl(max_updates, window, clock=clock)
    allowed: list[float] = []
    verdicts: list[Verdict] = []
    for gap in gaps:
        clock.now += gap
        verdict = flood.check(1)
        verdicts.append(verdict)
        if verdict is ALLOW:
            allowed.append(clock.now)
            in_window = [t for t in allowed if t > clock.now - window]
            assert len(in_window) <= max_updates
        if verdict is IGNORE:
            assert verdicts[-2] in (WARN, IGNORE)  # silence only follows a warning
    # A warning is never repeated without a served update or a pause in between.
    assert all(not (a is WARN and b is WARN) for a, b in itertools.pairwise(verdicts))
