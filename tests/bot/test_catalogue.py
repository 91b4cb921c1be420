"""Tests for the market catalogue: the bundled file, validation errors, lookups."""

from __future__ import annotations

import copy
import dataclasses
import tomllib
import unicodedata
import zoneinfo
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.catalogue import (
    DEFAULT_CATALOGUE_PATH,
    SUPPORTED_TEXT_LOCALES,
    Catalogue,
    CatalogueError,
    LocalizedText,
    load_catalogue,
    parse_catalogue,
)
from bot.catalogue.__main__ import main

# Like the application at start-up: read time zones from the `tzdata` package, never from the
# (older, wrong for Morocco) system files. Clear the cache in case a zone was already loaded.
zoneinfo.reset_tzpath(to=[])
ZoneInfo.clear_cache()

CASABLANCA = ZoneInfo("Africa/Casablanca")
TODAY = datetime(2026, 11, 23, tzinfo=CASABLANCA)
FILE = "markets.toml"
BUNDLED: dict[str, Any] = tomllib.loads(DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(DEFAULT_CATALOGUE_PATH)


def test_morocco_is_utc_all_year_with_tzdata_package() -> None:
    assert datetime(2027, 6, 1, 12, tzinfo=UTC).astimezone(
        ZoneInfo("Africa/Casablanca")
    ).utcoffset() == timedelta(0)
    # Ramadan used to switch Morocco to UTC+0 and back to UTC+1: not any more (tzdb 2026c).
    for month in range(1, 13):
        assert datetime(2027, month, 15, tzinfo=CASABLANCA).utcoffset() == timedelta(0)


# ---- the bundled catalogue -------------------------------------------------------------------


def test_default_path_is_bundled_file() -> None:
    assert Path(__file__).parents[2] / "bot" / "data" / "markets.toml" == DEFAULT_CATALOGUE_PATH
    assert DEFAULT_CATALOGUE_PATH.is_file()


def test_bundled_catalogue_loads(catalogue: Catalogue) -> None:
    assert [market.code for market in catalogue.markets] == ["ifrane", "mohammedia"]
    assert parse_catalogue(copy.deepcopy(BUNDLED), FILE) == catalogue


def test_ifrane_has_three_phases_of_70(catalogue: Catalogue) -> None:
    ifrane = catalogue.market("ifrane")
    assert ifrane is not None
    assert ifrane.ref_prefix == "IFR"
    assert [phase.number for phase in ifrane.phases] == [1, 2, 3]
    assert [phase.code for phase in ifrane.phases] == ["ifrane-1", "ifrane-2", "ifrane-3"]
    assert all(phase.capacity == 70 for phase in ifrane.phases)
    assert sum(phase.capacity for phase in ifrane.phases) == 210
    assert [pole.code for pole in ifrane.poles] == ["exhibition", "institutional", "animation"]
    assert ifrane.place.get("fr") == "Ifrane"
    assert ifrane.place.get("ar") == "إفران"
    assert ifrane.region.get("ar") == "جهة فاس مكناس"
    assert "Fès-Meknès" in ifrane.organizer.get("fr")
    assert "Économie sociale et solidaire" in ifrane.organizer.get("fr")
    assert "الاقتصاد الاجتماعي والتضامني" in ifrane.organizer.get("ar")
    for phase in ifrane.phases:
        assert phase.setup_time == time(8, 0)
        assert phase.setup_at == phase.starts.replace(hour=8, minute=0)
        assert timedelta(days=5) <= phase.ends - phase.starts <= timedelta(days=8)
        assert timedelta(days=18) <= phase.starts - phase.application_deadline <= timedelta(days=28)


def test_ifrane_trainings_each_phase(catalogue: Catalogue) -> None:
    ifrane = catalogue.market("ifrane")
    assert ifrane is not None
    for phase in ifrane.phases:
        trainings = ifrane.trainings_for(phase.number)
        topics = {training.code.removeprefix(f"{phase.code}-") for training in trainings}
        assert topics == {"admin", "finance", "marketing"}
        for training in trainings:
            assert training.market_code == "ifrane"
            assert training.phase_code == phase.code
            assert training.duration == timedelta(hours=2)
            assert 25 <= training.seats <= 35
            assert phase.starts <= training.starts < training.ends <= phase.ends
            assert "إفران" in training.place.get("ar")
    assert ifrane.trainings_for(4) == ()


def test_mohammedia_fair(catalogue: Catalogue) -> None:
    fair = catalogue.market("mohammedia")
    assert fair is not None
    assert fair.area_m2 == 1000
    assert len(fair.phases) == 1
    phase = fair.phases[0]
    assert phase.capacity == 70
    assert (phase.starts.year, phase.starts.month) == (2027, 3)
    assert phase.ends.day >= 20
    assert "CMS" in fair.organizer.get("fr")
    assert fair.place.get("ar") == "المحمدية"
    assert len(fair.trainings) >= 1
    assert fair.poles == ()


def test_bundled_dates_are_future_and_consistent(catalogue: Catalogue) -> None:
    for market in catalogue.markets:
        assert market.timezone.key == market.timezone_name == "Africa/Casablanca"
        previous_end: datetime | None = None
        for phase in market.phases:
            for moment in (phase.application_deadline, phase.starts, phase.ends):
                assert moment.tzinfo is market.timezone
                assert moment.utcoffset() == timedelta(0)
                assert moment > TODAY
            assert phase.application_deadline < phase.starts < phase.ends
            if previous_end is not None:
                assert phase.starts > previous_end
            previous_end = phase.ends
        for training in market.trainings:
            assert training.starts > TODAY


def test_bundled_options(catalogue: Catalogue) -> None:
    assert [o.code for o in catalogue.sectors] == [
        "crafts",
        "beauty",
        "agrifood",
        "services",
        "other",
    ]
    assert [o.code for o in catalogue.provinces] == [
        "fes",
        "meknes",
        "el_hajeb",
        "ifrane",
        "sefrou",
        "boulemane",
        "moulay_yacoub",
        "taza",
        "taounate",
        "mohammedia",
        "casablanca",
    ]
    assert 4 <= len(catalogue.programmes) <= 6
    assert {"tamkine", "mouazara", "indh"} <= {o.code for o in catalogue.programmes}
    assert [o.code for o in catalogue.stand_needs] == [
        "electricity",
        "table",
        "chairs",
        "water",
        "shade",
        "storage",
    ]
    assert [o.code for o in catalogue.reject_reasons] == [
        "phase_full",
        "outside_region",
        "incomplete",
        "too_many_in_category",
        "other",
    ]


def _all_texts(catalogue: Catalogue) -> list[LocalizedText]:
    texts: list[LocalizedText] = []
    for options in (
        catalogue.sectors,
        catalogue.provinces,
        catalogue.programmes,
        catalogue.stand_needs,
        catalogue.reject_reasons,
    ):
        texts.extend(option.name for option in options)
    for market in catalogue.markets:
        texts += [market.name, market.organizer, market.place, market.description, market.region]
        texts += [t for pole in market.poles for t in (pole.name, pole.description)]
        texts += [phase.place for phase in market.phases]
        texts += [t for training in market.trainings for t in (training.title, training.place)]
    return texts


def _is_arabic_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L") and "ARABIC" in unicodedata.name(char, "")


def test_bundled_texts_in_french_and_arabic(catalogue: Catalogue) -> None:
    for text in _all_texts(catalogue):
        assert text.locales[: len(SUPPORTED_TEXT_LOCALES)] == SUPPORTED_TEXT_LOCALES
        french, arabic = text.get("fr"), text.get("ar")
        assert not any(_is_arabic_letter(char) for char in french), french
        assert any(_is_arabic_letter(char) for char in arabic), arabic
        for value in (french, arabic):
            assert value == value.strip()
            assert "  " not in value
            assert unicodedata.normalize("NFC", value) == value


def test_lookups(catalogue: Catalogue) -> None:
    phase = catalogue.phase("ifrane-2")
    assert phase is not None
    assert (phase.market_code, phase.number) == ("ifrane", 2)
    assert catalogue.phase("mohammedia-1") is not None
    for code in ["ifrane", "ifrane-0", "ifrane-4", "nowhere-1", "ifrane-x", "ifrane-+2", ""]:
        assert catalogue.phase(code) is None
    assert catalogue.phase("ifrane-٢") is None
    training = catalogue.training("ifrane-2-finance")
    assert training is not None
    assert training.phase_number == 2
    assert catalogue.training("ifrane-9-finance") is None
    assert catalogue.market("ifrane") is catalogue.markets[0]
    assert catalogue.market("IFRANE") is None
    sector = catalogue.sector("crafts")
    assert sector is not None
    assert sector.name.get("ar") == "الصناعة التقليدية"
    assert catalogue.province("ifrane") is not None
    assert catalogue.province("other") is None  # "Other" is added by the UI
    assert catalogue.reject_reason("phase_full") is not None
    assert catalogue.sector("nope") is None
    ifrane = catalogue.markets[0]
    assert ifrane.phase(3) is ifrane.phases[2]
    assert ifrane.phase(0) is None
    assert ifrane.pole("animation") is not None
    assert ifrane.pole("nope") is None


def test_catalogue_is_immutable_and_hashable(catalogue: Catalogue) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalogue.markets[0].phases[0].capacity = 1  # type: ignore[misc]
    assert hash(catalogue) == hash(load_catalogue(DEFAULT_CATALOGUE_PATH))


# ---- LocalizedText -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr", "Artisanat"),
        ("ar", "الصناعة التقليدية"),
        ("ar_MA", "الصناعة التقليدية (المغرب)"),
        ("ar-MA", "الصناعة التقليدية (المغرب)"),
        ("ar-ma", "الصناعة التقليدية (المغرب)"),
        ("ar_EG", "الصناعة التقليدية"),
        ("ar-SA", "الصناعة التقليدية"),
        ("fr_MA", "Artisanat"),
        ("fr-FR", "Artisanat"),
        ("zgh", "ⵜⴰⵥⵓⵕⵉ"),
        ("zgh_MA", "ⵜⴰⵥⵓⵕⵉ"),
        ("en", "Artisanat"),
        ("en_US", "Artisanat"),
        ("", "Artisanat"),
    ],
)
def test_localized_text_fallback(locale: str, expected: str) -> None:
    text = LocalizedText(
        (
            ("fr", "Artisanat"),
            ("ar", "الصناعة التقليدية"),
            ("ar_MA", "الصناعة التقليدية (المغرب)"),
            ("zgh", "ⵜⴰⵥⵓⵕⵉ"),
        )
    )
    assert text.get(locale) == expected


def test_localized_text_helpers() -> None:
    text = LocalizedText.of(fr="Table", ar="طاولة")
    assert text == LocalizedText((("fr", "Table"), ("ar", "طاولة")))
    assert text.locales == ("fr", "ar")
    assert "ar" in text
    assert "en" not in text
    assert LocalizedText((("ar", "طاولة"),)).get("en") == "طاولة"  # no French at all
    assert LocalizedText(()).get("fr") == ""


def test_optional_locales_are_kept() -> None:
    data = copy.deepcopy(BUNDLED)
    data["sectors"][0]["name"] = {"zgh": "ⵜⴰⵥⵓⵕⵉ", "ar": "الصناعة التقليدية", "fr": "Artisanat"}
    sector = parse_catalogue(data, FILE).sectors[0]
    assert sector.name.locales == ("fr", "ar", "zgh")
    assert sector.name.get("zgh_MA") == "ⵜⴰⵥⵓⵕⵉ"


# ---- validation errors -------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def ifrane(data: dict[str, Any]) -> dict[str, Any]:
    market: dict[str, Any] = data["markets"][0]
    return market


def setter(*path: str | int, value: object) -> Mutation:
    """Set data[path...] = value."""

    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def deleter(*path: str | int) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        for mutation in mutations:
            mutation(data)

    return mutate


M0, M1 = ("markets", 0), ("markets", 1)
P0, P1 = (*M0, "phases", 0), (*M0, "phases", 1)
T0, T2 = (*M0, "trainings", 0), (*M0, "trainings", 2)

ERROR_CASES: list[tuple[str, Mutation, str, str]] = [
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
    [pytest.param(mutate, key, reason, id=name) for name, mutate, key, reason in ERROR_CASES],
)
def test_validation_errors(mutate: Mutation, key: str, reason: str) -> None:
    data = copy.deepcopy(BUNDLED)
    mutate(data)
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(data, FILE)
    error = info.value
    assert (error.file, error.key) == (FILE, key)
    assert reason in error.reason
    assert str(error) == f"{FILE}: {key}: {error.reason}"


def test_error_message_example() -> None:
    data = copy.deepcopy(BUNDLED)
    ifrane(data)["phases"][1]["ends"] = datetime(2027, 6, 1, 18)
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(data, "markets.toml")
    assert str(info.value) == "markets.toml: markets[0].phases[1].ends: ends before it starts"


def test_bundled_data_was_not_mutated() -> None:
    assert parse_catalogue(BUNDLED, FILE) == load_catalogue(DEFAULT_CATALOGUE_PATH)


def test_optional_keys_may_be_left_out() -> None:
    data = copy.deepcopy(BUNDLED)
    for key in ("area_m2", "poles", "trainings"):
        ifrane(data).pop(key, None)
    for phase in ifrane(data)["phases"]:
        del phase["setup_time"]
        phase.pop("stands", None)  # a phase's stands name its market's poles
        phase.pop("plan", None)
    market = parse_catalogue(data, FILE).markets[0]
    assert (market.area_m2, market.poles, market.trainings) == (None, (), ())
    assert (market.phases[0].stands, market.phases[0].plan) == ((), None)
    assert market.phases[0].setup_time is None
    assert market.phases[0].setup_at is None


def test_new_market_fields_are_read(catalogue: Catalogue) -> None:
    ifrane_market, mohammedia = catalogue.markets
    assert ifrane_market.short_name.get("fr") == "Marché d'Ifrane"
    assert ifrane_market.contact is not None and ifrane_market.contact.phone == "+212535000000"
    assert (ifrane_market.opens, ifrane_market.closes) == (time(10), time(20))
    assert ifrane_market.confirmation_days == 3
    location = ifrane_market.phases[1].location
    assert location is not None and (location.latitude, location.longitude) == (33.5331, -5.1069)
    assert mohammedia.short_name.get("ar") == "معرض المحمدية"


def test_short_name_defaults_to_a_short_enough_name() -> None:
    data = copy.deepcopy(BUNDLED)
    ifrane(data)["name"] = {"fr": "Souk d'Ifrane", "ar": "سوق إفران"}
    del ifrane(data)["short_name"]
    for key in ("contact", "opening_hours", "confirmation_days"):
        del ifrane(data)[key]
    market = parse_catalogue(data, FILE).markets[0]
    assert market.short_name == market.name
    assert (market.contact, market.opens, market.confirmation_days) == (None, None, 3)


def test_contact_username_loses_its_at_sign() -> None:
    data = copy.deepcopy(BUNDLED)
    ifrane(data)["contact"] = {"telegram": "@souk_ifrane"}
    contact = parse_catalogue(data, FILE).markets[0].contact
    assert contact is not None and contact.telegram == "souk_ifrane"


def test_other_time_zone_is_honoured() -> None:
    data = copy.deepcopy(BUNDLED)
    ifrane(data)["timezone"] = "Europe/Paris"
    market = parse_catalogue(data, FILE).markets[0]
    starts = market.phases[0].starts
    assert starts.replace(tzinfo=None) == datetime(2027, 5, 3, 10)  # wall time is the truth
    assert starts.utcoffset() == timedelta(hours=2)
    assert starts.astimezone(UTC) == datetime(2027, 5, 3, 8, tzinfo=UTC)


# ---- files -------------------------------------------------------------------------------------


def test_load_from_str_path(tmp_path: Path) -> None:
    path = tmp_path / "markets.toml"
    path.write_bytes(DEFAULT_CATALOGUE_PATH.read_bytes())
    assert load_catalogue(str(path)) == load_catalogue(path)


@pytest.mark.parametrize(
    ("content", "key", "reason"),
    [
        ("[[sectors]]\ncode = \n", "line 2", "invalid TOML syntax: "),
        ('[[markets]]\ncode = "a"\ncode = "b"\n', "line 3", "invalid TOML syntax"),
        ("starts = 2027-05-03 10:00\n", "line 1", "invalid TOML syntax"),
        ('name = { fr = "a",\n ar = "b" }\n', "line 1", "invalid TOML syntax"),
        ('[[markets]]\nname = "a', "line 2", "invalid TOML syntax"),
    ],
)
def test_invalid_toml_syntax(tmp_path: Path, content: str, key: str, reason: str) -> None:
    path = tmp_path / "markets.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert (info.value.file, info.value.key) == (str(path), key)
    assert info.value.reason.startswith(reason)
    assert str(info.value).startswith(f"{path}: {key}: invalid TOML syntax")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("a = " + "[" * 50_000 + "]" * 50_000 + "\n", "nested too deeply"),
        ("a = " + "{ b = " * 50_000 + "1" + " }" * 50_000 + "\n", "nested too deeply"),
        ("a = " + "9" * 5000 + "\n", "thousands of digits"),
    ],
)
def test_pathological_toml_is_a_catalogue_error(tmp_path: Path, content: str, reason: str) -> None:
    """tomllib raises RecursionError and ValueError on these, not TOMLDecodeError: they must
    still stop the start-up with one line, and /reload must quote them."""
    path = tmp_path / "markets.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert str(info.value) == f"{path}: (file): {info.value.reason}"
    assert reason in info.value.reason


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.key == "(file)"
    assert "cannot read the file" in str(info.value)


def test_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "markets.toml"
    path.write_bytes("# ok\n# caf\xe9\n".encode("latin-1"))
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert (info.value.key, info.value.reason) == (
        "line 2",
        "the file is not UTF-8 text (save it as UTF-8)",
    )


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "markets.toml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert (info.value.key, info.value.reason) == ("sectors", "missing required key")


def test_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(DEFAULT_CATALOGUE_PATH)]) == 0
    assert "OK" in capsys.readouterr().out
    bad = tmp_path / "markets.toml"
    bad.write_text("x = \n", encoding="utf-8")
    assert main([str(bad)]) == 1
    assert "invalid TOML syntax" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("key", "index", "field"),
    [
        ("sectors", 0, "name"),
        ("provinces", 3, "name"),
        ("programmes", 1, "name"),
        ("stand_needs", 2, "name"),
        ("reject_reasons", 4, "name"),
    ],
)
def test_names_on_buttons_fit_a_phone(key: str, index: int, field: str) -> None:
    """27 characters (plus a 3-character tick makes the 30 a phone shows) pass; 28 do not."""
    data = copy.deepcopy(BUNDLED)
    data[key][index][field] = {"fr": "W" * 27, "ar": "م" * 27}
    assert len(getattr(parse_catalogue(data, FILE), key)[index].name.get("ar")) == 27
    data[key][index][field] = {"fr": "W" * 27, "ar": "م" * 28}
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(data, FILE)
    assert error.value.key == f"{key}[{index}].{field}.ar"
    assert "at most 27 characters, it goes on buttons (got 28" in error.value.reason


def test_training_titles_fit_a_phone() -> None:
    data = copy.deepcopy(BUNDLED)
    ifrane(data)["trainings"][1]["title"]["fr"] = "Gestion financière et comptabilité simple"
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(data, FILE)
    assert error.value.key == "markets[0].trainings[1].title.fr"
