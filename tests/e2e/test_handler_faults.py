"""Faults while handling an update, over HTTP (issue 13, items 4 and 5, and the error handler
that no test ran): a button press Telegram refuses to answer still does its work; a failed
reply gets one apology that says only what is true, and the admins a report."""

from __future__ import annotations

import time

import pytest

from bot.handlers.errors import APOLOGY
from bot.i18n import I18n
from localbotapi import FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.broadcasting import audience_id, press_prefix, seed
from tests.e2e.journey import choose_language, next_new_message, open_draft
from tests.e2e.test_apply import answer_until

ADMIN = 9501
FR_APOLOGY = I18n().translator("fr").gettext(APOLOGY)
OLD_APOLOGY = "Désolé, un problème est survenu"  # the start of the old and the new text


@pytest.fixture(scope="module")
def bot(fake: FakeTelegram, start_bot: StartBot) -> BotProcess:
    # The handlers fail on purpose: their tracebacks are in the log.
    process = start_bot(name="handler-faults", admins=[ADMIN], tracebacks=True)
    organizer = fake.user(ADMIN, first_name="Admin", language_code="fr")
    choose_language(organizer, "Français")
    return process


def apologies(user: FakeUser) -> list[str]:
    return [m.text or "" for m in user.messages if (m.text or "").startswith(OLD_APOLOGY)]


def test_buttons_work_when_telegram_refuses_to_answer_them(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    """Every press is "too old" for Telegram (as after a restart or under load). Before: the
    choice was saved, then "Désolé…" and no next question."""
    fake.expire_callback_queries_after(0.0)
    try:
        applicant = fake.user(new_user_id, language_code="fr")
        menu = choose_language(applicant, "Français")
        assert menu.callback_data(), menu.describe()
        summary = answer_until(applicant, open_draft(applicant))
        assert any(data.startswith("sub:") for data in summary.callback_data())
    finally:
        fake.expire_callback_queries_after(15.0)
    refused = [call for call in fake.calls("answerCallbackQuery") if call.status == 400]
    assert refused, "the fake refused no answer: the test proves nothing"
    assert apologies(applicant) == []


def test_a_failed_reply_gets_one_true_apology_and_the_admins_a_report(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    applicant = fake.user(new_user_id, language_code="fr")
    choose_language(applicant, "Français")
    admin = fake.user(ADMIN)
    admin.drain()
    fake.fail_chat(applicant.id, None, count=1, error_code=400, description="Bad Request: oops")
    applicant.send_command("/help")
    # Written out: the old text said "Vos réponses sont gardées", untrue when the error came
    # before the answer was saved.
    assert next_new_message(applicant).text == (
        "Désolé, un problème est survenu : votre dernier message n'a peut-être pas été pris en"
        " compte. Envoyez /start pour voir où vous en êtes."
    )
    applicant.expect_no_message(1.5)
    report = next_new_message(admin, timeout=15)
    assert "1 erreur du bot" in (report.text or ""), report.text
    assert "Erreur : BadRequest" in (report.text or "") and "Gestionnaire : " in (report.text or "")
    assert "Traceback" in bot.log()  # logged in full, for whoever runs the bot


def test_an_error_in_an_early_handler_group_is_not_handled_again(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    """An organizer's announcement text fails in its own handler group. Before: PTB went on
    to the next groups with the same message, which answered it as an unknown message (and
    with a second failure, a second "Désolé…")."""
    seed(str(bot.database), [95_001, 95_002])  # someone to address
    organizer = fake.user(ADMIN)
    organizer.drain()
    organizer.send_command("/broadcast")
    audience = next_new_message(organizer)
    draft = audience_id(audience)
    options = press_prefix(organizer, audience, f"bc:f:{draft}:market")
    audience = press_prefix(organizer, options, f"bc:v:{draft}:market:ifrane")
    prompt = press_prefix(organizer, audience, "bc:go:")
    assert "français" in (prompt.text or "").lower(), prompt.text
    organizer.drain()
    fake.fail_chat(organizer.id, None, count=1, error_code=400, description="Bad Request: oops")
    organizer.send_text("Le marché d'Ifrane ouvre ses portes.")
    assert next_new_message(organizer).text == FR_APOLOGY
    time.sleep(1.5)
    assert [m.text for m in organizer.drain()] == []  # nothing else: one update, one answer
