"""/reminders as a list of events, each in its own market's time zone, in French and Arabic."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path

from bot.catalogue import DEFAULT_CATALOGUE_PATH, Catalogue, load_catalogue
from bot.i18n import I18n
from bot.services.reminders import events
from bot.views.reminders import reminders_messages
from storage.applications import Application

QUIET = (time(21), time(8))
NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


def paris_fair(tmp_path: Path) -> Catalogue:
    """The bundled catalogue, with the Mohammedia fair moved to Paris time (UTC+1 in March
    2027): its times must not be shown in the first market's zone (Casablanca, UTC+0)."""
    text = DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8")
    head, tail = text.split('code = "mohammedia"\nref_prefix', 1)
    tail = tail.replace('timezone = "Africa/Casablanca"', 'timezone = "Europe/Paris"', 1)
    path = tmp_path / "markets.toml"
    path.write_text(head + 'code = "mohammedia"\nref_prefix' + tail, encoding="utf-8")
    return load_catalogue(path)


def accepted(app_id: int, phase: str, reference: str) -> Application:
    return Application(app_id, 42, phase, "confirmed", reference, None, "x", "y")


def test_each_event_on_its_own_date_in_its_own_market_zone(tmp_path: Path) -> None:
    catalogue = paris_fair(tmp_path)
    sources = [
        (accepted(1, "ifrane-1", "IFR-1-0001"), None, ["ifrane-1-admin"], False),
        (accepted(2, "mohammedia-1", "MOH-1-0002"), None, ["mohammedia-1-digital"], False),
    ]
    t = I18n().translator("fr")
    moh, ifr = reminders_messages(t, events(catalogue, sources, NOW, QUIET), NOW, off=False)
    assert "MOH-1-0002" in moh and "Foire de Mohammedia · phase 1" in moh
    # Tuesday 23 March 2027 10:00 in Paris, not 09:00 (Casablanca) nor the reminder's day.
    assert "📅 mardi 23 mars 2027 à 10:00 (installation des stands à 08:00)" in moh
    assert "🔔 rappel le mardi 16 mars à 10:00" in moh
    assert "📅 jeudi 25 mars 2027 à 08:00" in moh
    assert "🔔 rappel la veille à 20:59" in moh  # 2 h before 08:00 is in quiet hours
    assert "🏪 Marché d'Ifrane · phase 1" in ifr
    assert "📅 lundi 3 mai 2027 à 10:00 (installation des stands à 08:00)" in ifr
    assert "🔔 rappel le lundi 26 avril à 10:00" in ifr
    assert "🔔 rappel la veille à 10:00" in ifr
    assert "🎓 Formation : Gestion administrative" in ifr
    assert "📅 mardi 4 mai 2027 à 08:00" in ifr
    assert "📍 Ifrane, tente de formation du marché" in ifr
    assert "🔔 rappel la veille à 08:00" in ifr
    assert "Le bouton arrête seulement le rappel 7 jours avant le marché" in ifr
    assert all(len(message) < 1000 for message in (moh, ifr))


def test_turned_off_says_which_reminder_stopped_in_arabic(catalogue: Catalogue) -> None:
    sources = [(accepted(1, "ifrane-1", "IFR-1-0001"), None, [], True)]
    t = I18n().translator("ar")
    (text,) = reminders_messages(t, events(catalogue, sources, NOW, QUIET), NOW, off=True)
    assert "يوم الاثنين 3 ماي 2027 على الساعة 10:00" in text
    assert "🔕 تذكير يوم الاثنين 26 أبريل على الساعة 10:00: موقوف" in text
    assert "🔔 تذكير في اليوم السابق على الساعة 10:00" in text
    assert "تم إيقاف التذكير الذي يسبق السوق بسبعة أيام" in text


def test_a_reminder_on_the_day_of_its_event(catalogue: Catalogue) -> None:
    """The 2-hour reminder of a 10:00 training, out of quiet hours: the same day."""
    moved = catalogue.markets[0].trainings[0].starts.replace(hour=10)  # ifrane-1-admin
    market = catalogue.markets[0]
    market = replace(
        market, trainings=(replace(market.trainings[0], starts=moved), *market.trainings[1:])
    )
    shifted = replace(catalogue, markets=(market, *catalogue.markets[1:]))
    sources = [(accepted(1, "ifrane-1", "IFR-1-0001"), None, ["ifrane-1-admin"], False)]
    t = I18n().translator("fr")
    (text,) = reminders_messages(t, events(shifted, sources, NOW, QUIET), NOW, off=False)
    assert "🔔 rappel le jour même à 08:00" in text
