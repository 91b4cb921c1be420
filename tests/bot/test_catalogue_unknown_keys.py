"""The catalogue refuses a file with a clear error: keys the catalogue does not know (a typo must not be ignored)."""

from __future__ import annotations

from datetime import time

import pytest

from tests.bot.catalogue_mutations import (
    M0,
    P0,
    T2,
    Mutation,
    both,
    check_error,
    deleter,
    setter,
)

CASES: list[tuple[str, Mutation, str, str]] = [
    # unknown keys
    (
        "typo-capacity",
        both(deleter(*P0, "capacity"), setter(*P0, "capacty", value=70)),
        "markets[0].phases[0].capacty",
        "unknown key (did you mean 'capacity'?)",
    ),
    (
        "typo-extra-key",
        setter(*P0, "capacty", value=70),
        "markets[0].phases[0].capacty",
        "did you mean 'capacity'?",
    ),
    ("typo-root", setter("market", value=[]), "market", "did you mean 'markets'?"),
    (
        "unknown-market-key",
        setter(*M0, "partners", value="Wilaya"),
        "markets[0].partners",
        "unknown key (allowed keys: code, ref_prefix,",
    ),
    (
        "unknown-option-key",
        setter("sectors", 1, "label", value="x"),
        "sectors[1].label",
        "unknown key",
    ),
    (
        "unknown-training-key",
        setter(*T2, "phase_number", value=1),
        "markets[0].trainings[2].phase_number",
        "did you mean 'phase'?",
    ),
    (
        "unknown-pole-key",
        setter(*M0, "poles", 0, "names", value={}),
        "markets[0].poles[0].names",
        "did you mean 'name'?",
    ),
    ("unknown-quoted-key", setter(*M0, "my key", value=1), 'markets[0]."my key"', "unknown key"),
    (
        "long-name-without-short-name",
        deleter(*M0, "short_name"),
        "markets[0].short_name",
        "the name is longer than 20 characters in 'fr'",
    ),
    (
        "short-name-too-long",
        setter(*M0, "short_name", "ar", value="السوق المتنقل بإفران للاقتصاد"),
        "markets[0].short_name.ar",
        "at most 20 characters",
    ),
    ("contact-empty", setter(*M0, "contact", value={}), "markets[0].contact", "give a phone"),
    (
        "contact-bad-phone",
        setter(*M0, "contact", value={"phone": "12"}),
        "markets[0].contact.phone",
        "not a phone number",
    ),
    (
        "contact-bad-username",
        setter(*M0, "contact", value={"telegram": "@a b"}),
        "markets[0].contact.telegram",
        "not a Telegram username",
    ),
    (
        "hours-reversed",
        setter(*M0, "opening_hours", value={"opens": time(20), "closes": time(10)}),
        "markets[0].opening_hours.closes",
        "closes (10:00) before it opens (20:00)",
    ),
    (
        "hours-missing-close",
        setter(*M0, "opening_hours", value={"opens": time(10)}),
        "markets[0].opening_hours.closes",
        "missing required key",
    ),
    (
        "confirmation-days-zero",
        setter(*M0, "confirmation_days", value=0),
        "markets[0].confirmation_days",
        "greater than 0",
    ),
    (
        "confirmation-days-too-many",
        setter(*M0, "confirmation_days", value=90),
        "markets[0].confirmation_days",
        "must be at most 30 (got 90)",
    ),
    (
        "latitude-out-of-range",
        setter(*M0, "phases", 0, "location", value={"latitude": 133.5, "longitude": -5.1}),
        "markets[0].phases[0].location.latitude",
        "between -90 and 90",
    ),
    (
        "longitude-as-text",
        setter(*M0, "phases", 0, "location", value={"latitude": 33.5, "longitude": "-5.1"}),
        "markets[0].phases[0].location.longitude",
        "must be a number without quotes",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "key", "reason"),
    [pytest.param(mutate, key, reason, id=name) for name, mutate, key, reason in CASES],
)
def test_validation_errors(mutate: Mutation, key: str, reason: str) -> None:
    check_error(mutate, key, reason)
