"""The catalogue refuses a file with a clear error: numbers, translations, duplicates, phase numbering, code formats."""

from __future__ import annotations

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
    # positive numbers
    (
        "capacity-zero",
        setter(*P0, "capacity", value=0),
        "markets[0].phases[0].capacity",
        "must be greater than 0 (got 0)",
    ),
    (
        "capacity-negative",
        setter(*P1, "capacity", value=-70),
        "markets[0].phases[1].capacity",
        "must be greater than 0 (got -70)",
    ),
    (
        "seats-zero",
        setter(*T2, "seats", value=0),
        "markets[0].trainings[2].seats",
        "must be greater than 0",
    ),
    (
        "duration-zero",
        setter(*T2, "duration_minutes", value=0),
        "markets[0].trainings[2].duration_minutes",
        "must be greater than 0",
    ),
    ("area-zero", setter(*M1, "area_m2", value=0), "markets[1].area_m2", "must be greater than 0"),
    # a number SQLite cannot store (64 bits) must stop the start-up here, not in the database
    (
        "capacity-huge",
        setter(*P0, "capacity", value=99999999999999999999),
        "markets[0].phases[0].capacity",
        "must be at most 10000 (got 99999999999999999999)",
    ),
    (
        "seats-huge",
        setter(*T2, "seats", value=2**63),
        "markets[0].trainings[2].seats",
        "must be at most 10000",
    ),
    (
        "duration-huge",
        setter(*T2, "duration_minutes", value=10**6),
        "markets[0].trainings[2].duration_minutes",
        "must be at most 527040",
    ),
    (
        "area-huge",
        setter(*M1, "area_m2", value=10**30),
        "markets[1].area_m2",
        "must be at most 1000000",
    ),
    (
        "area-text",
        setter(*M1, "area_m2", value="1.000"),
        "markets[1].area_m2",
        "must be a whole number",
    ),
    # translations
    (
        "missing-ar",
        deleter(*M0, "name", "ar"),
        "markets[0].name.ar",
        "missing translation: every text needs 'fr' and 'ar'",
    ),
    (
        "missing-fr-option",
        deleter("sectors", 0, "name", "fr"),
        "sectors[0].name.fr",
        "missing translation",
    ),
    (
        "missing-ar-training",
        deleter(*T2, "title", "ar"),
        "markets[0].trainings[2].title.ar",
        "missing translation",
    ),
    (
        "empty-translations",
        setter(*M0, "description", value={}),
        "markets[0].description.fr",
        "missing translation",
    ),
    (
        "blank-text",
        setter(*P0, "place", "ar", value="  "),
        "markets[0].phases[0].place.ar",
        "empty text",
    ),
    (
        "bad-locale",
        setter(*M0, "name", "Arabic", value="إفران"),
        "markets[0].name.Arabic",
        "unknown language code",
    ),
    (
        "quoted-locale",
        setter(*M0, "name", "ar MA", value="إفران"),
        'markets[0].name."ar MA"',
        "unknown language code",
    ),
    # duplicates
    (
        "duplicate-market-code",
        setter(*M1, "code", value="ifrane"),
        "markets[1].code",
        "duplicate market code 'ifrane' (already used at markets[0].code)",
    ),
    (
        "duplicate-ref-prefix",
        setter(*M1, "ref_prefix", value="IFR"),
        "markets[1].ref_prefix",
        "duplicate reference prefix 'IFR'",
    ),
    (
        "duplicate-training-code",
        setter(*T2, "code", value="ifrane-1-admin"),
        "markets[0].trainings[2].code",
        "duplicate training code 'ifrane-1-admin' (already used at markets[0].trainings[0].code)",
    ),
    (
        "duplicate-training-code-across-markets",
        setter(*M1, "trainings", 0, "code", value="ifrane-3-admin"),
        "markets[1].trainings[0].code",
        "duplicate training code 'ifrane-3-admin' (already used at markets[0].trainings[6].code)",
    ),
    (
        "duplicate-option-code",
        setter("provinces", 4, "code", value="fes"),
        "provinces[4].code",
        "duplicate code 'fes' (already used at provinces[0].code)",
    ),
    (
        "duplicate-pole-code",
        setter(*M0, "poles", 2, "code", value="exhibition"),
        "markets[0].poles[2].code",
        "duplicate pole code 'exhibition'",
    ),
    (
        "duplicate-phase-number",
        setter(*P1, "number", value=1),
        "markets[0].phases[1].number",
        "duplicate phase number 1",
    ),
    # phase numbering
    (
        "phase-number-gap",
        setter(*P1, "number", value=3),
        "markets[0].phases[1].number",
        "phase numbers must be 1, 2, 3... in order: expected 2, got 3",
    ),
    (
        "phase-number-zero",
        setter(*P0, "number", value=0),
        "markets[0].phases[0].number",
        "expected 1, got 0",
    ),
    # code formats
    (
        "market-code-capitals",
        setter(*M0, "code", value="Ifrane"),
        "markets[0].code",
        "invalid code 'Ifrane': use 2 to 20 characters",
    ),
    ("market-code-short", setter(*M0, "code", value="i"), "markets[0].code", "invalid code 'i'"),
    ("market-code-long", setter(*M0, "code", value="i" * 21), "markets[0].code", "invalid code"),
    (
        "market-code-underscore",
        setter(*M0, "code", value="ifrane_1"),
        "markets[0].code",
        "invalid code",
    ),
    (
        "market-code-leading-dash",
        setter(*M0, "code", value="-ifrane"),
        "markets[0].code",
        "invalid code",
    ),
    ("market-code-space", setter(*M0, "code", value="ifr ane"), "markets[0].code", "invalid code"),
    ("market-code-arabic", setter(*M0, "code", value="إفران"), "markets[0].code", "invalid code"),
    (
        "ref-prefix-lowercase",
        setter(*M0, "ref_prefix", value="ifr"),
        "markets[0].ref_prefix",
        "invalid code 'ifr': use 2 to 5 capital letters A-Z",
    ),
    (
        "ref-prefix-long",
        setter(*M0, "ref_prefix", value="IFRANE"),
        "markets[0].ref_prefix",
        "invalid code",
    ),
    (
        "ref-prefix-digit",
        setter(*M0, "ref_prefix", value="IF1"),
        "markets[0].ref_prefix",
        "invalid code",
    ),
    (
        "option-code-capitals",
        setter("sectors", 0, "code", value="Crafts"),
        "sectors[0].code",
        "invalid code 'Crafts'",
    ),
    (
        "option-code-dash",
        setter("reject_reasons", 0, "code", value="phase-full"),
        "reject_reasons[0].code",
        "invalid code",
    ),
    (
        "option-code-digit-first",
        setter("programmes", 0, "code", value="1prog"),
        "programmes[0].code",
        "invalid code",
    ),
    (
        "pole-code",
        setter(*M0, "poles", 0, "code", value="Expo"),
        "markets[0].poles[0].code",
        "invalid code",
    ),
    (
        "training-code",
        setter(*T0, "code", value="X"),
        "markets[0].trainings[0].code",
        "invalid code 'X'",
    ),
    (
        "training-code-trailing-dash",
        setter(*T0, "code", value="ifrane-1-"),
        "markets[0].trainings[0].code",
        "invalid code",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "key", "reason"),
    [pytest.param(mutate, key, reason, id=name) for name, mutate, key, reason in CASES],
)
def test_validation_errors(mutate: Mutation, key: str, reason: str) -> None:
    check_error(mutate, key, reason)
