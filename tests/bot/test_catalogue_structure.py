"""The catalogue refuses a file with a clear error: missing keys, wrong types, empty lists, references to what does not exist."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.bot.catalogue_mutations import (
    M0,
    M1,
    P0,
    P1,
    T0,
    T2,
    Mutation,
    check_error,
    deleter,
    setter,
)

CASES: list[tuple[str, Mutation, str, str]] = [
    # missing required keys
    (
        "missing-capacity",
        deleter(*P0, "capacity"),
        "markets[0].phases[0].capacity",
        "missing required key",
    ),
    ("missing-sectors", deleter("sectors"), "sectors", "missing required key"),
    ("missing-markets", deleter("markets"), "markets", "missing required key"),
    ("missing-market-code", deleter(*M1, "code"), "markets[1].code", "missing required key"),
    ("missing-timezone", deleter(*M0, "timezone"), "markets[0].timezone", "missing required key"),
    ("missing-phases", deleter(*M0, "phases"), "markets[0].phases", "missing required key"),
    (
        "missing-deadline",
        deleter(*P1, "application_deadline"),
        "markets[0].phases[1].application_deadline",
        "missing required key",
    ),
    (
        "missing-training-seats",
        deleter(*T2, "seats"),
        "markets[0].trainings[2].seats",
        "missing required key",
    ),
    (
        "missing-option-name",
        deleter("stand_needs", 3, "name"),
        "stand_needs[3].name",
        "missing required key",
    ),
    (
        "missing-pole-description",
        deleter(*M0, "poles", 1, "description"),
        "markets[0].poles[1].description",
        "missing required key",
    ),
    # wrong types
    (
        "capacity-text",
        setter(*P0, "capacity", value="70"),
        "markets[0].phases[0].capacity",
        'must be a whole number without quotes (e.g. 70), not text in quotes ("70")',
    ),
    (
        "capacity-bool",
        setter(*P0, "capacity", value=True),
        "markets[0].phases[0].capacity",
        "must be a whole number",
    ),
    (
        "capacity-float",
        setter(*P0, "capacity", value=70.0),
        "markets[0].phases[0].capacity",
        "must be a whole number",
    ),
    (
        "phase-number-text",
        setter(*P1, "number", value="2"),
        "markets[0].phases[1].number",
        "must be a whole number",
    ),
    (
        "training-phase-text",
        setter(*T2, "phase", value="1"),
        "markets[0].trainings[2].phase",
        "must be a whole number",
    ),
    (
        "name-plain-string",
        setter(*M0, "name", value="Ifrane"),
        "markets[0].name",
        'must be a table of translations like { fr = "...", ar = "..." }',
    ),
    (
        "text-value-number",
        setter(*M0, "name", "fr", value=3),
        "markets[0].name.fr",
        "must be text in quotes",
    ),
    ("code-number", setter(*M0, "code", value=5), "markets[0].code", "must be text in quotes"),
    (
        "timezone-number",
        setter(*M0, "timezone", value=1),
        "markets[0].timezone",
        "must be text in quotes",
    ),
    (
        "phases-single-table",
        setter(*M0, "phases", value={"number": 1}),
        "markets[0].phases",
        "must be a list of [[markets.phases]] sections, not a table",
    ),
    (
        "phase-not-table",
        setter(*M0, "phases", value=[1]),
        "markets[0].phases[0]",
        "must be a [[markets.phases]] section",
    ),
    (
        "sectors-not-list",
        setter("sectors", value="crafts"),
        "sectors",
        "must be a list of [[sectors]] sections",
    ),
    (
        "setup-time-text",
        setter(*P0, "setup_time", value="08:00"),
        "markets[0].phases[0].setup_time",
        "must be a local time",
    ),
    (
        "setup-time-datetime",
        setter(*P0, "setup_time", value=datetime(2027, 5, 3, 8)),
        "markets[0].phases[0].setup_time",
        "must be a local time",
    ),
    # empty lists
    (
        "phases-empty",
        setter(*M0, "phases", value=[]),
        "markets[0].phases",
        "needs at least 1 [[markets.phases]] section",
    ),
    (
        "markets-empty",
        setter("markets", value=[]),
        "markets",
        "needs at least 1 [[markets]] section",
    ),
    ("reasons-empty", setter("reject_reasons", value=[]), "reject_reasons", "needs at least 1"),
    # references
    (
        "unknown-phase",
        setter(*T2, "phase", value=9),
        "markets[0].trainings[2].phase",
        "unknown phase 9: this market has phases 1 to 3",
    ),
    (
        "unknown-phase-0",
        setter(*T0, "phase", value=0),
        "markets[0].trainings[0].phase",
        "unknown phase 0",
    ),
    (
        "phase-of-other-market",
        setter(*M1, "trainings", 0, "phase", value=2),
        "markets[1].trainings[0].phase",
        "unknown phase 2: this market has phases 1 to 1",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "key", "reason"),
    [pytest.param(mutate, key, reason, id=name) for name, mutate, key, reason in CASES],
)
def test_validation_errors(mutate: Mutation, key: str, reason: str) -> None:
    check_error(mutate, key, reason)
