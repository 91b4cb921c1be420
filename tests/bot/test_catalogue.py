"""Tests for the market catalogue: the bundled file, validation errors, lookups."""

from __future__ import annotations

import copy
import dataclasses
import tomllib
import unicodedata
import zoneinfo
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.catalogue import (
    DEFAULT_CATALOGUE_PATH,
    SUPPORTED_TEXT_LOCALES,
    Catalogue,
    LocalizedText,
    load_catalogue,
    parse_catalogue,
)

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
