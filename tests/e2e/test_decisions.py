"""Decisions over HTTP (issue 12, defects 4 and 5): a message that stands alone, Confirm and
Decline from /status and after /start, Decline asked twice, the calendar file."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from bot.callbacks import CalendarFile, CardAction, ConfirmOffer, ReviewCard, Submit
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.journey import (
    buttons_of,
    choose_language,
    next_new_message,
    open_draft,
    press_button,
    press_code,
)
from tests.e2e.test_apply import answer_until

ADMIN = 9301
CASABLANCA = ZoneInfo("Africa/Casablanca")


@pytest.fixture(scope="module")
def bot(fake: FakeTelegram, start_bot: StartBot) -> BotProcess:
    process = start_bot(name="decisions", admins=[ADMIN])
    organizer = fake.user(ADMIN, first_name="Admin", language_code="fr")
    choose_language(organizer, "Français")
    return process


def apply_with_training(user: FakeUser, language: str) -> str:
    """An application to Ifrane's phase 1 with the administration training; its reference."""
    choose_language(user, language)
    phone, register = f"2126{user.id % 100_000_000:08d}", f"{user.id}/2020"
    trainings = answer_until(
        user, open_draft(user, "ifrane-1"), "trainings", phone=phone, register=register
    )
    press_code(user, trainings, ":trainings:ifrane-1-admin")
    # The ticked option, an edit of the question.
    assert any(b.startswith("✅") for b in user.expect_message().button_texts())
    summary = answer_until(user, trainings)
    press_button(user, summary, Submit)
    sent = next_new_message(user).text or ""
    found = re.search(r"IFR-1-\d{4}", sent)
    assert found, sent
    return found.group(0)


def accept(fake: FakeTelegram, reference: str) -> None:
    organizer = fake.user(ADMIN)
    organizer.drain()
    organizer.send_command("/app", reference)
    card = next_new_message(organizer)
    press_code(organizer, card, ":all")  # the first button: Accept
    assert "Décision enregistrée" in (next_new_message(organizer).text or "")
    organizer.drain()


def status_of(bot: BotProcess, user_id: int) -> str:
    with sqlite3.connect(bot.database) as connection:
        (status,) = connection.execute(
            "SELECT status FROM applications WHERE user_id = ? AND status != 'draft'", (user_id,)
        ).fetchone()
    return str(status)


def status_card(user: FakeUser) -> BotMessage:
    user.send_command("/status")
    return next_new_message(user)


def test_acceptance_stands_alone_and_its_calendar_file_opens(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    applicant = fake.user(new_user_id, language_code="ar")
    reference = apply_with_training(applicant, "العربية")
    accept(fake, reference)
    notice = next_new_message(applicant)
    text = notice.text or ""
    for expected in (
        "السوق المتنقل للاقتصاد الاجتماعي والتضامني بإفران",
        "إفران، وسط المدينة",
        "على الساعة 08:00",
        "التدبير الإداري للتعاونية",
        "للتواصل مع المنظمين",
        "على الساعة 23:59",
    ):
        assert expected in text, text
    assert buttons_of(notice, ConfirmOffer) and buttons_of(notice, CalendarFile)

    press_button(applicant, notice, CalendarFile)
    sent = next_new_message(applicant)
    assert sent.document is not None, sent.describe()
    assert (sent.document["file_name"] or "") == f"{reference}.ics"
    calendar = icalendar.Calendar.from_ical(sent.document["content"] or b"")
    phase, training = calendar.walk("VEVENT")
    assert phase["DTSTART"].dt.astimezone(CASABLANCA).replace(tzinfo=None) == datetime(
        2027, 5, 3, 10, 0
    )
    assert str(phase["SUMMARY"]).startswith("السوق المتنقل")
    assert str(phase["LOCATION"]) == "إفران، وسط المدينة"
    assert training["DTSTART"].dt.astimezone(CASABLANCA).replace(tzinfo=None) == datetime(
        2027, 5, 4, 8, 0
    )
    assert status_of(bot, new_user_id) == "accepted"  # the file changes nothing


def test_accepted_applicant_confirms_from_status(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    applicant = fake.user(new_user_id, language_code="fr")
    accept(fake, apply_with_training(applicant, "Français"))
    next_new_message(applicant)  # the decision, left unanswered
    card = status_card(applicant)
    assert "Acceptée" in (card.text or "") and "à 23:59" in (card.text or ""), card.text
    labels = card.button_texts()
    assert "✅ Je confirme ma présence" in labels and "📅 Ajouter à l'agenda" in labels
    press_code(applicant, card, ":y")
    assert "confirmée" in (next_new_message(applicant).text or "")
    assert status_of(bot, new_user_id) == "confirmed"
    again = status_card(applicant)  # confirmed: no more Confirm, the calendar stays
    assert not buttons_of(again, ConfirmOffer)
    assert buttons_of(again, CalendarFile)


def test_decline_asks_first_and_nothing_changes_until_the_second_tap(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    applicant = fake.user(new_user_id, language_code="ar")
    accept(fake, apply_with_training(applicant, "العربية"))
    notice = next_new_message(applicant)
    press_code(applicant, notice, ":n")
    question = next_new_message(applicant)
    assert "هيئة أخرى" in (question.text or ""), question.describe()
    assert status_of(bot, new_user_id) == "accepted"
    press_code(applicant, question, ":k")  # no, keep the place
    kept = next_new_message(applicant)
    assert any(d.endswith(":y") for d in kept.callback_data())
    assert status_of(bot, new_user_id) == "accepted"
    press_code(applicant, notice, ":n")
    press_code(applicant, next_new_message(applicant), ":x")
    assert "هيئة أخرى" in (next_new_message(applicant).text or "")
    assert status_of(bot, new_user_id) == "declined"


def test_after_start_an_accepted_applicant_sees_confirm_and_decline(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    applicant = fake.user(new_user_id, language_code="fr")
    reference = apply_with_training(applicant, "Français")
    accept(fake, reference)
    next_new_message(applicant)  # the decision
    applicant.send_command("/start")
    next_new_message(applicant)  # the menu
    pending = next_new_message(applicant)
    assert reference in (pending.text or "") and "à 23:59" in (pending.text or "")
    data = pending.callback_data()
    assert any(d.endswith(":y") for d in data) and any(d.endswith(":n") for d in data)
    press_code(applicant, pending, ":y")
    next_new_message(applicant)
    assert status_of(bot, new_user_id) == "confirmed"


def test_a_typed_reason_is_asked_in_the_applicant_language_and_isolated(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    applicant = fake.user(new_user_id, language_code="ar")
    reference = apply_with_training(applicant, "العربية")
    organizer = fake.user(ADMIN)
    organizer.drain()
    organizer.send_command("/app", reference)
    card = next_new_message(organizer)
    assert "Langue du candidat : arabe" in (card.text or ""), card.text
    target = buttons_of(card, ReviewCard)[0].application_id
    organizer.press_data(ReviewCard(CardAction.REJECT, target, "all").pack())
    reasons = next_new_message(organizer)
    press_code(organizer, reasons, ":other:all")
    assert "en arabe" in (next_new_message(organizer).text or "")
    organizer.send_text("Stand trop petit, revenez en 2028")
    assert "Décision enregistrée" in (next_new_message(organizer).text or "")
    notice = next_new_message(applicant)
    assert "السبب: \u2068Stand trop petit, revenez en 2028\u2069" in (notice.text or "")
    assert status_of(bot, new_user_id) == "rejected"
