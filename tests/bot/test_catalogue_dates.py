"""The catalogue refuses a file with a clear error: dates in the wrong order or in the past, impossible dates, time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.bot.catalogue_mutations import (
    M0,
    M1,
    P0,
    P1,
    T0,
    T2,
    Mutation,
    both,
    check_error,
    setter,
)

CASES: list[tuple[str, Mutation, str, str]] = [
    # dates
    (
        "ends-before-start",
        setter(*P1, "ends", value=datetime(2027, 6, 6, 20)),
        "markets[0].phases[1].ends",
        "ends before it starts",
    ),
    (
        "ends-at-start",
        setter(*P1, "ends", value=datetime(2027, 6, 7, 10)),
        "markets[0].phases[1].ends",
        "ends at the moment it starts",
    ),
    (
        "deadline-after-start",
        setter(*P0, "application_deadline", value=datetime(2027, 5, 3, 10, 1)),
        "markets[0].phases[0].application_deadline",
        "application deadline (2027-05-03 10:01) is after the phase starts (2027-05-03 10:00)",
    ),
    (
        "deadline-after-end",
        setter(*M1, "phases", 0, "application_deadline", value=datetime(2027, 4, 30)),
        "markets[1].phases[0].application_deadline",
        "after the phase starts",
    ),
    (
        "phases-overlap",
        setter(*P1, "starts", value=datetime(2027, 5, 9, 12)),
        "markets[0].phases[1].starts",
        "starts before phase 1 ends (2027-05-09 20:00)",
    ),
    (
        "setup-after-opening",
        setter(*P0, "setup_time", value=time(11, 0)),
        "markets[0].phases[0].setup_time",
        "stand set-up (11:00) is after the opening on the first day (10:00)",
    ),
    (
        "training-before-phase",
        setter(*T0, "starts", value=datetime(2027, 5, 3, 9)),
        "markets[0].trainings[0].starts",
        "training starts (2027-05-03 09:00) before phase 1 starts (2027-05-03 10:00)",
    ),
    (
        "training-after-phase",
        setter(*T2, "starts", value=datetime(2027, 5, 9, 19)),
        "markets[0].trainings[2].duration_minutes",
        "training ends (2027-05-09 21:00) after phase 1 ends (2027-05-09 20:00)",
    ),
    (
        "training-too-long",
        setter(*T2, "duration_minutes", value=60 * 24 * 7),
        "markets[0].trainings[2].duration_minutes",
        "after phase 1 ends",
    ),
    (
        "training-in-wrong-phase",
        setter(*T0, "phase", value=2),
        "markets[0].trainings[0].starts",
        "before phase 2 starts",
    ),
    (
        "training-after-all-phases",
        setter(*T0, "starts", value=datetime(2028, 1, 1, 10)),
        "markets[0].trainings[0].duration_minutes",
        "after phase 1 ends",
    ),
    # bad dates
    (
        "date-as-string",
        setter(*P0, "starts", value="2027-05-03T10:00:00"),
        "markets[0].phases[0].starts",
        'bad date: "2027-05-03T10:00:00" is text in quotes',
    ),
    (
        "date-without-time",
        setter(*P0, "starts", value=date(2027, 5, 3)),
        "markets[0].phases[0].starts",
        "bad date: a date alone is not enough, add the time",
    ),
    (
        "time-without-date",
        setter(*P0, "ends", value=time(18, 0)),
        "markets[0].phases[0].ends",
        "bad date: a time alone is not enough, add the date",
    ),
    (
        "offset-datetime",
        setter(*P0, "starts", value=datetime(2027, 5, 3, 10, tzinfo=UTC)),
        "markets[0].phases[0].starts",
        "bad date: remove the offset or Z",
    ),
    (
        "offset-deadline",
        setter(
            *P0,
            "application_deadline",
            value=datetime(2027, 4, 12, 23, tzinfo=ZoneInfo("Africa/Lagos")),
        ),
        "markets[0].phases[0].application_deadline",
        "remove the offset",
    ),
    (
        "date-as-number",
        setter(*T0, "starts", value=20270504),
        "markets[0].trainings[0].starts",
        "bad date: got a whole number",
    ),
    (
        "nonexistent-local-time",
        both(
            setter(*M1, "timezone", value="Europe/Paris"),
            setter(*M1, "phases", 0, "starts", value=datetime(2027, 3, 28, 2, 30)),
        ),
        "markets[1].phases[0].starts",
        "does not exist in Europe/Paris",
    ),
    # time zones
    (
        "unknown-timezone",
        setter(*M0, "timezone", value="Africa/Casablance"),
        "markets[0].timezone",
        "unknown time zone 'Africa/Casablance'",
    ),
    (
        "empty-timezone",
        setter(*M0, "timezone", value=""),
        "markets[0].timezone",
        "unknown time zone",
    ),
    (
        "path-timezone",
        setter(*M0, "timezone", value="../../etc/passwd"),
        "markets[0].timezone",
        "unknown time zone",
    ),
    (
        "directory-timezone",
        setter(*M0, "timezone", value="Africa"),
        "markets[0].timezone",
        "unknown time zone",
    ),
    (
        "offset-timezone",
        setter(*M0, "timezone", value="+01:00"),
        "markets[0].timezone",
        "unknown time zone",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "key", "reason"),
    [pytest.param(mutate, key, reason, id=name) for name, mutate, key, reason in CASES],
)
def test_validation_errors(mutate: Mutation, key: str, reason: str) -> None:
    check_error(mutate, key, reason)
