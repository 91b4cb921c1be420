"""Per-user flood control: a sliding window of each user's recent updates. Pure: no Telegram.

A user whose update would be the (max_updates + 1)-th within `window` seconds is told once to
slow down (WARN), then ignored (IGNORE) for `mute` seconds; afterwards they start afresh.
Memory stays bounded: a user idle for longer than both the window and the mute is forgotten,
and past `max_users` tracked users the least recently seen is dropped (they simply start a new
window: the limiter fails open, never shut).
"""

from __future__ import annotations

import enum
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

MonotonicClock = Callable[[], float]


class Verdict(enum.Enum):
    ALLOW = "allow"
    WARN = "warn"  # this update went over the limit: tell the user once, drop the update
    IGNORE = "ignore"  # still within the pause after a warning: drop silently


@dataclass
class _Recent:
    times: deque[float]  # when the user's accepted updates arrived, oldest first
    last_seen: float
    muted_until: float = field(default=-math.inf)


class FloodControl:
    """`check(user_id)` once per incoming update; the answer says what to do with it."""

    def __init__(
        self,
        max_updates: int,
        window: float,
        *,
        mute: float | None = None,
        clock: MonotonicClock = time.monotonic,
        max_users: int = 10_000,
    ) -> None:
        if max_updates < 1 or window <= 0 or max_users < 1 or (mute is not None and mute <= 0):
            raise ValueError("max_updates, window, mute and max_users must be positive")
        self.max_updates = max_updates
        self.window = float(window)
        self.mute = float(window if mute is None else mute)
        self._clock = clock
        self._max_users = max_users
        # Ordered by last_seen (oldest first): the idle users to forget are at the front.
        self._users: OrderedDict[int, _Recent] = OrderedDict()

    def __len__(self) -> int:
        """How many users are tracked now."""
        return len(self._users)

    def check(self, user_id: int) -> Verdict:
        now = self._clock()
        self._forget_idle(now)
        recent = self._users.get(user_id)
        if recent is None:
            recent = _Recent(deque(maxlen=self.max_updates), now)
            self._users[user_id] = recent
            if len(self._users) > self._max_users:
                self._users.popitem(last=False)
        else:
            self._users.move_to_end(user_id)
            recent.last_seen = now
        if now < recent.muted_until:
            return Verdict.IGNORE
        times = recent.times
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.max_updates:
            times.clear()
            recent.muted_until = now + self.mute
            return Verdict.WARN
        times.append(now)
        return Verdict.ALLOW

    def _forget_idle(self, now: float) -> None:
        # Idle that long, a user has no update left in the window and no pause running
        # (muted_until <= last warning + mute <= last_seen + mute).
        horizon = max(self.window, self.mute)
        users = self._users
        while users:
            user_id, recent = next(iter(users.items()))
            if now - recent.last_seen < horizon:
                return
            del users[user_id]
