"""Sliding-window flood limits, amortised O(1) per send (deques of timestamps)."""

from __future__ import annotations

import math
from collections import deque

from .models import RateLimits

_GROUP_WINDOW = 60.0


class RateLimiter:
    """Tracks accepted sends; `check` says how long to wait (None: the send may go now)."""

    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self._global: deque[float] = deque()
        self._private_last: dict[int, float] = {}
        self._group: dict[int, deque[float]] = {}

    def _prune_global(self, now: float) -> None:
        window = self._global
        while window and window[0] <= now - 1.0:
            window.popleft()

    def check(self, chat_id: int | None, is_group: bool, now: float) -> int | None:
        self._prune_global(now)
        if len(self._global) >= self.limits.global_per_second:
            return 1
        if chat_id is None:
            return None
        if is_group:
            window = self._group.get(chat_id)
            if window is None:
                return None
            while window and window[0] <= now - _GROUP_WINDOW:
                window.popleft()
            if len(window) >= self.limits.group_per_minute:
                return max(1, math.ceil(window[0] + _GROUP_WINDOW - now))
            return None
        last = self._private_last.get(chat_id)
        if last is not None and now - last < self.limits.private_interval:
            return 1
        return None

    def record(self, chat_id: int | None, is_group: bool, now: float) -> int:
        """Count an accepted send; returns how many sends the last second holds."""
        self._prune_global(now)
        self._global.append(now)
        if chat_id is not None:
            if is_group:
                window = self._group.setdefault(chat_id, deque())
                while window and window[0] <= now - _GROUP_WINDOW:
                    window.popleft()
                window.append(now)
            else:
                self._private_last[chat_id] = now
        return len(self._global)
