"""The calendar file (.ics) read back by a real parser: RFC 5545 structure, local times,
Arabic titles, escaping and folding."""

from __future__ import annotations

import copy
import tomllib
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar

from bot.catalogue import DEFAULT_CATALOGUE_PATH, Catalogue, parse_catalogue
from bot.i18n import I18n
from bot.views.calendar import calendar_file, escape, fold
from bot.views.decisions import Decided
from storage.applications import Application

CASABLANCA = ZoneInfo("Africa/Casablanca")
NOW = datetime(2026, 12, 5, 11, 5, tzinfo=UTC)
APPLICATION = Application(42, 7, "ifrane-1", "accepted", "IFR-1-0042", None, "", None)


def _events(catalogue: Catalogue, locale: str, now: datetime = NOW) -> list[icalendar.Event]:
    decided = Decided.of(catalogue, APPLICATION, ["ifrane-1-admin"])
    assert decided is not None
    raw = calendar_file(I18n().translator(locale), decided, now)
    parsed = icalendar.Calendar.from_ical(raw)
    assert str(parsed["VERSION"]) == "2.0" and "PRODID" in parsed
    return list(parsed.walk("VEVENT"))


def test_phase_and_chosen_training_at_their_local_times(catalogue: Catalogue) -> None:
    phase, training = _events(catalogue, "fr")
    assert phase["DTSTART"].dt.astimezone(CASABLANCA).replace(tzinfo=None) == datetime(
        2027, 5, 3, 10, 0
    )
    assert phase["DTEND"].dt.astimezone(CASABLANCA).replace(tzinfo=None) == datetime(
        2027, 5, 9, 20, 0
    )
    assert str(phase["SUMMARY"]).endswith("d'Ifrane — phase 1")
    assert str(phase["LOCATION"]) == "Ifrane, centre-ville"  # the comma came back unescaped
    assert "Installation du stand : lundi 3 mai 2027 à 08:00" in str(phase["DESCRIPTION"])
    assert training["DTSTART"].dt.astimezone(CASABLANCA).replace(tzinfo=None) == datetime(
        2027, 5, 4, 8, 0
    )
    assert training["DTEND"].dt.astimezone(CASABLANCA).replace(tzinfo=None) == datetime(
        2027, 5, 4, 10, 0
    )
    assert str(training["SUMMARY"]) == "Formation : Gestion administrative"
    assert phase["DTSTAMP"].dt == NOW


def test_arabic_titles(catalogue: Catalogue) -> None:
    phase, training = _events(catalogue, "ar")
    assert str(phase["SUMMARY"]) == "السوق المتنقل للاقتصاد الاجتماعي والتضامني بإفران — المرحلة 1"
    assert str(training["SUMMARY"]) == "دورة تكوينية: التدبير الإداري للتعاونية"
    assert str(phase["LOCATION"]) == "إفران، وسط المدينة"


def test_uids_are_stable_and_distinct(catalogue: Catalogue) -> None:
    first = [str(e["UID"]) for e in _events(catalogue, "fr")]
    later = [str(e["UID"]) for e in _events(catalogue, "ar", datetime(2027, 1, 2, tzinfo=UTC))]
    assert first == later and len(set(first)) == 2


def test_times_are_converted_from_the_market_zone() -> None:
    """Morocco is on UTC+00 in 2027: a market in Paris (UTC+02 in May) proves the conversion."""
    data = tomllib.loads(DEFAULT_CATALOGUE_PATH.read_text("utf-8"))
    data = copy.deepcopy(data)
    data["markets"][0]["timezone"] = "Europe/Paris"
    catalogue = parse_catalogue(data, "markets.toml")
    phase, training = _events(catalogue, "fr")
    assert phase["DTSTART"].dt == datetime(2027, 5, 3, 8, 0, tzinfo=UTC)
    paris = ZoneInfo("Europe/Paris")
    assert training["DTSTART"].dt.astimezone(paris).hour == 8


def test_lines_are_folded_at_75_octets_with_crlf(catalogue: Catalogue) -> None:
    decided = Decided.of(catalogue, APPLICATION, ["ifrane-1-admin"])
    assert decided is not None
    raw = calendar_file(I18n().translator("ar"), decided, NOW)
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the Arabic title was folded
    for line in lines:
        line.decode("utf-8")  # never cut inside a character


def test_escape_and_fold() -> None:
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("SUMMARY:" + "ب" * 80)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts) and all(p.startswith(" ") for p in parts[1:])
    assert "".join(p.removeprefix(" ") if i else p for i, p in enumerate(parts)) == (
        "SUMMARY:" + "ب" * 80
    )
