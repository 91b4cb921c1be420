"""The current time, injectable so that tests can move it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def check_time_zone_data() -> None:
    """Refuse to run on zone data that predates Morocco's permanent UTC+00 (tzdb 2026c)."""
    probe = datetime(2027, 6, 1, 12, tzinfo=UTC).astimezone(ZoneInfo("Africa/Casablanca"))
    if probe.utcoffset() != timedelta(0):
        raise RuntimeError(
            "time-zone data is older than tzdb 2026c: Africa/Casablanca must be UTC+00 in 2027;"
            " install tzdata>=2026.3"
        )
