"""Decision messages stand alone (issue 12, defect 4): market, phase, dates, place, set-up,
trainings chosen, contact, and a confirmation deadline that is a day, in market time."""

from __future__ import annotations

import copy
import tomllib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.callbacks import CalendarFile, ConfirmOffer, OfferChoice
from bot.catalogue import DEFAULT_CATALOGUE_PATH, Catalogue, Market, parse_catalogue
from bot.context import Services
from bot.i18n import FSI, PDI, I18n
from bot.services.applications import Change, Outcome, confirmation_deadline, decision_deliveries
from bot.services.delivery_facts import Facts
from bot.views import decisions
from bot.views.console import card_text, reason_prompt
from bot.views.outbox import RENDERERS, Scene
from storage.applications import Application
from storage.statuses import Status
from storage.templates import Template
from storage.users import UserRepository
from tests.bot.services.test_applications import fill, started
from tests.conftest import FakeClock

CASABLANCA = ZoneInfo("Africa/Casablanca")
# Saturday 5 December 2026, 11:05 in Morocco (UTC+00 since September 2026).
DECIDED = datetime(2026, 12, 5, 11, 5, tzinfo=UTC)


def _market(**changes: object) -> Market:
    data = tomllib.loads(DEFAULT_CATALOGUE_PATH.read_text("utf-8"))
    market = copy.deepcopy(data["markets"][0])
    market.update(changes)
    data["markets"][0] = market
    return parse_catalogue(data, "markets.toml").markets[0]


def test_deadline_is_the_end_of_the_day_three_days_later(catalogue: Catalogue) -> None:
    market = catalogue.market("ifrane")
    assert market is not None and market.confirmation_days == 3
    deadline = confirmation_deadline(DECIDED, market)
    local = deadline.astimezone(CASABLANCA)
    assert (local.date().isoformat(), local.hour, local.minute) == ("2026-12-08", 23, 59)
    assert deadline - DECIDED >= timedelta(days=3)
    text = decisions.deadline_text(I18n().translator("fr"), deadline, market)
    assert text == "mardi 8 décembre 2026 à 23:59"


def test_deadline_follows_confirmation_days_and_the_market_day() -> None:
    # 23:30 in UTC is already the next day in Paris (UTC+01 in December): the days are counted
    # from the market's day, and the deadline ends at 23:59 there.
    market = _market(confirmation_days=5, timezone="Europe/Paris")
    deadline = confirmation_deadline(datetime(2026, 12, 5, 23, 30, tzinfo=UTC), market)
    local = deadline.astimezone(ZoneInfo("Europe/Paris"))
    assert (local.date().isoformat(), local.hour, local.minute) == ("2026-12-11", 23, 59)
    assert deadline.utcoffset() == timedelta(0)  # stored in UTC: compared as text


async def _accepted(services: Services, clock: FakeClock, user_id: int = 1) -> Application:
    clock.now = DECIDED
    await UserRepository(services.db).touch(user_id, "Fatima", clock())
    service = services.applications
    await started(service, user_id, "ifrane-1")
    draft = await fill(service, user_id, {"trainings": ["ifrane-1-admin", "ifrane-1-marketing"]})
    submitted = await service.submit(draft)
    assert isinstance(submitted, Application)
    outcome, _ = await service.set_status(submitted.id, "accepted", actor_id=9001)
    assert outcome is Outcome.DONE
    application = await service.repository.get(submitted.id)
    assert application is not None
    return application


async def test_set_status_stores_the_day_and_expiry_waits_for_its_end(
    services: Services, clock: FakeClock
) -> None:
    application = await _accepted(services, clock)
    service = services.applications
    stored = await service.repository.decision_deadline(application.id)
    assert stored is not None
    assert datetime.fromisoformat(stored) == datetime(2026, 12, 8, 23, 59, 59, tzinfo=CASABLANCA)
    clock.now = datetime(2026, 12, 8, 23, 59, 30, tzinfo=UTC)  # the last minute: still in time
    assert await service.expire_overdue() == []
    clock.now = datetime(2026, 12, 9, 0, 0, 1, tzinfo=UTC)
    expired = await service.expire_overdue()
    assert [(c.application_id, c.status) for c in expired] == [(application.id, "expired")]


async def _render(services: Services, application: Application, locale: str, **change: object):  # type: ignore[no-untyped-def]
    t = services.i18n.translator(locale)
    status = str(change.pop("status", application.status))
    deadline = await services.applications.repository.decision_deadline(application.id)
    made = Change(
        application.id,
        application.user_id,
        status,
        change.get("reason"),  # type: ignore[arg-type]
        datetime.fromisoformat(deadline) if deadline else None,
        DECIDED,
    )
    trainings = await services.applications.chosen_trainings(application.id)
    [queued] = decision_deliveries([made], application, trainings)
    # As the dispatcher renders it: the application has the status the change gave it.
    scene = Scene(t, services.catalogue, DECIDED, "fr", Facts(status=Status(status)))
    rendered = RENDERERS[Template.DECISION](scene, queued.params)
    assert rendered is not None
    return rendered.text, rendered.markup


async def test_acceptance_in_french_stands_alone(services: Services, clock: FakeClock) -> None:
    application = await _accepted(services, clock)
    text, markup = await _render(services, application, "fr")
    for expected in (
        application.reference or "?",
        "Marché itinérant de l'économie sociale et solidaire d'Ifrane",
        "Phase 1 : du 3 mai 2027 au 9 mai 2027",
        "📍 Ifrane, centre-ville",
        "Installation du stand : lundi 3 mai 2027 à 08:00",
        "Gestion administrative : mardi 4 mai 2027 à 08:00",
        "Marketing et vente : jeudi 6 mai 2027 à 08:00",
        "Organisateurs : 05 35 00 00 00",
        "avant le mardi 8 décembre 2026 à 23:59.",
    ):
        assert expected in text, (expected, text)
    assert "finance" not in text.lower()  # a training not chosen
    assert "11:05" not in text
    assert max(len(line) for line in text.splitlines()) <= 90  # short lines on a phone
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    offer = application.id
    yes, no = ConfirmOffer(offer, OfferChoice.YES), ConfirmOffer(offer, OfferChoice.NO)
    assert data == [yes.pack(), no.pack(), CalendarFile(offer).pack()]


async def test_acceptance_in_arabic_stands_alone(services: Services, clock: FakeClock) -> None:
    application = await _accepted(services, clock)
    text, markup = await _render(services, application, "ar")
    for expected in (
        "السوق المتنقل للاقتصاد الاجتماعي والتضامني بإفران",
        f"المرحلة {FSI}1{PDI}: من 3 ماي 2027 إلى 9 ماي 2027",
        "إفران، وسط المدينة",
        "تركيب الرواق: الاثنين 3 ماي 2027 على الساعة 08:00",
        "التدبير الإداري للتعاونية: الثلاثاء 4 ماي 2027 على الساعة 08:00",
        f"{FSI}05 35 00 00 00{PDI}",
        "قبل يوم الثلاثاء 8 دجنبر 2026 على الساعة 23:59",
        f"{FSI}{application.reference}{PDI}",
    ):
        assert expected in text, (expected, text)
    assert text.startswith("\u200f") and "Phase" not in text and "11:05" not in text
    labels = [b.text for row in markup.inline_keyboard for b in row]
    assert labels == ["✅ أؤكد حضوري", "❌ لن أحضر", "📅 إضافة إلى المفكرة"]


@pytest.mark.parametrize("status", ["waitlisted", "rejected", "expired"])
async def test_other_decisions_name_market_phase_place_and_contact(
    services: Services, clock: FakeClock, status: str
) -> None:
    application = await _accepted(services, clock)
    for locale, market, contact in (
        ("fr", "d'Ifrane", "Organisateurs"),
        ("ar", "بإفران", "المنظمين"),
    ):
        text, markup = await _render(services, application, locale, status=status)
        assert market in text and contact in text and "2027" in text, text
        assert ("Ifrane, centre-ville" if locale == "fr" else "إفران، وسط المدينة") in text
        assert markup is None or not any(
            ConfirmOffer.parse(b.callback_data)  # type: ignore[arg-type]
            for row in markup.inline_keyboard
            for b in row
        )


async def test_organizer_reason_is_isolated_in_the_applicant_message(
    services: Services, clock: FakeClock
) -> None:
    application = await _accepted(services, clock)
    reason = "Dossier incomplet, merci de revenir l'an prochain"
    text, _ = await _render(services, application, "ar", status="rejected", reason=reason)
    assert f"السبب: {FSI}{reason}{PDI}" in text
    french, _ = await _render(services, application, "fr", status="rejected", reason="غير مكتمل")
    assert f"Motif : {FSI}غير مكتمل{PDI}" in french
    listed, _ = await _render(services, application, "ar", status="rejected", reason="phase_full")
    assert FSI + "phase_full" not in listed and "phase_full" not in listed


async def test_review_card_shows_the_applicant_language_and_asks_the_reason_in_it(
    services: Services, clock: FakeClock
) -> None:
    application = await _accepted(services, clock)
    card = await services.applications.correction_of(application.user_id, application.id)
    assert card is not None
    organizer = services.i18n.translator("fr")
    text = card_text(organizer, services.catalogue, card, [], (), "ar")
    assert "🌐 Langue du candidat : arabe" in text
    assert "en arabe" in reason_prompt(organizer, "ar")
    assert "باللغة الفرنسية" in reason_prompt(services.i18n.translator("ar"), "fr")


async def test_decline_asks_first_and_says_the_place_goes_to_another(
    services: Services, clock: FakeClock
) -> None:
    application = await _accepted(services, clock)
    decided = decisions.Decided.of(services.catalogue, application, [])
    assert decided is not None
    t = services.i18n.translator("fr")
    question = decisions.decline_question(t, decided)
    assert "autre structure" in question and "d'Ifrane" in question
    data = [
        b.callback_data for row in decisions.decline_keyboard(t, 7).inline_keyboard for b in row
    ]
    assert data == [
        ConfirmOffer(7, OfferChoice.NO_CONFIRMED).pack(),
        ConfirmOffer(7, OfferChoice.KEEP).pack(),
    ]
    assert all(
        len(decisions.decline_keyboard(services.i18n.translator(loc), 7).inline_keyboard[0][0].text)
        <= 30
        for loc in ("fr", "ar")
    )


def test_help_says_how_to_reach_each_market(catalogue: Catalogue) -> None:
    from types import SimpleNamespace

    from bot.handlers.help import help_text

    for locale, phone in (("fr", "05 23 30 00 00"), ("ar", f"{FSI}05 23 30 00 00{PDI}")):
        context = SimpleNamespace(
            t=I18n().translator(locale),
            services=SimpleNamespace(catalogue=catalogue),
            role=None,
        )
        text = help_text(context)  # type: ignore[arg-type]
        assert phone in text and text.count("☎️") == len(catalogue.markets), text
