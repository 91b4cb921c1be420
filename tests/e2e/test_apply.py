"""Applying over HTTP, in French and Arabic: the whole journey, edits, errors, resume."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from bot.callbacks import (
    CLOSE_GRID,
    Choose,
    ChooseMarket,
    ChoosePhase,
    Consent,
    Done,
    EditAnswer,
    MenuItem,
    OpenMenu,
    Resume,
    Submit,
)
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.journey import (
    buttons_of,
    choose_language,
    next_new_message,
    open_draft,
    open_edit_grid,
    press_button,
    press_code,
)
from tests.e2e.screens import question_key


def answer_until(
    user: FakeUser,
    question: BotMessage,
    stop_before: str | None = None,
    phone: str = "212612345678",
    register: str = "1234/2019",
    typed: dict[str, str] | None = None,
) -> BotMessage:
    """Answer every question with valid values, as a careful applicant would.

    `typed` replaces the default texts; with `products` or `phone` in it, those are typed too
    (instead of a voice note and the share-contact button).
    """
    typed = typed or {}
    texts = {
        "structure_name": "Coopérative Tifawin",
        "coop_register": register,
        "town": "Azrou",
        "women_members": "9",
        "contact_name": "Fatima Zahra",
        **typed,
    }
    choices = {
        "legal_form": "cooperative",
        "province": "ifrane",
        "sector": "crafts",
        "led_by": "women",
    }
    while True:
        key = question_key(question)
        if stop_before is not None and key == stop_before:
            return question
        if key is None:
            return question  # the summary
        if key in choices:
            press_code(user, question, f":{key}:{choices[key]}")
        elif key == "products" and key not in typed:
            user.send_voice(duration=7)
        elif key == "members":
            user.send_text("١٢")  # Arabic-Indic digits
        elif key == "phone" and key in typed:
            user.send_text(typed[key])
            assert "+212" in (next_new_message(user).text or "")
        elif key == "phone":
            user.send_contact(phone)  # own contact, without the "+"
            assert f"+{phone}" in (next_new_message(user).text or "")
        elif key in {"stand_needs", "trainings", "programmes"}:
            if key == "stand_needs":
                press_code(user, question, ":stand_needs:electricity")
                assert any(b.startswith("✅") for b in user.expect_message().button_texts())
            press_button(user, question, Done, question=key)
        elif key == "photos":
            press_code(user, question, f":{key}")
        else:
            user.send_text(texts[key])
        question = next_new_message(user)


def test_full_application_in_french(fake: FakeTelegram, bot: BotProcess, new_user_id: int) -> None:
    user = fake.user(new_user_id, first_name="Fatima", language_code="fr")
    choose_language(user, "Français")
    first = open_draft(user, "ifrane-1")
    assert "Question 1" in (first.text or "")

    # A wrong phone is refused with a reason, then a typed number is accepted.
    phone_question = answer_until(user, first, stop_before="phone")
    user.send_text("12345")
    refusal = next_new_message(user)
    assert "numéro" in (refusal.text or "").lower()
    again = next_new_message(user)
    assert any(b.request_contact for row in (again.reply_keyboard or []) for b in row)
    # Someone else's contact is refused too.
    user.send_contact("+212699999999", user_id=new_user_id + 1)
    assert "propre numéro" in (next_new_message(user).text or "")
    next_new_message(user)
    user.send_text("06 12 34 56 78")
    assert "+212612345678" in (next_new_message(user).text or "")
    assert phone_question.message_id != again.message_id

    summary = answer_until(user, next_new_message(user))
    assert "Vérifiez" in (summary.text or "")
    assert "Azrou" in (summary.text or "")
    assert "message vocal" in (summary.text or "")

    # Edit the town from the summary, and come back to the summary.
    assert Submit.parse(summary.callback_data()[0])  # Send comes first
    assert not any(":town" in data for data in summary.callback_data())  # ✏️ behind one button
    grid = open_edit_grid(user, summary)
    assert grid.text == summary.text and any(":town" in d for d in grid.callback_data())
    press_button(
        user, grid, EditAnswer, question=CLOSE_GRID
    )  # back: the summary's own buttons again
    back = user.expect_message()
    assert back.edited and back.callback_data() == summary.callback_data()
    press_button(user, open_edit_grid(user, back), EditAnswer, question="town")
    town = next_new_message(user)
    assert "ville" in (town.text or "").lower()
    user.send_text("Ifrane")
    summary = next_new_message(user)
    assert "Ifrane" in (summary.text or "") and "Azrou" not in (summary.text or "")

    press_button(user, summary, Submit)
    confirmation = next_new_message(user)
    match = re.search(r"IFR-1-\d{4}", confirmation.text or "")
    assert match, confirmation.text
    user.send_command("/status")
    status = next_new_message(user)
    assert match.group(0) in (status.text or "") and "attente d'examen" in (status.text or "")


def test_full_application_in_arabic(fake: FakeTelegram, bot: BotProcess, new_user_id: int) -> None:
    user = fake.user(new_user_id, first_name="خديجة", language_code="ar")
    choose_language(user, "العربية")
    first = open_draft(user, "ifrane-2")
    assert not (first.text or "").isascii()
    summary = answer_until(user, first)
    assert "أزرو" in (summary.text or "") or "Azrou" in (summary.text or "")
    press_button(user, open_edit_grid(user, summary), EditAnswer, question="photos")
    photos = next_new_message(user)
    user.send_photo()
    after_one = next_new_message(user)
    assert "1" in (after_one.text or "")
    press_button(user, after_one, Done, question="photos")
    summary = next_new_message(user)
    press_button(user, summary, Submit)
    confirmation = next_new_message(user)
    assert re.search(r"IFR-2-\d{4}", confirmation.text or "")
    assert not (confirmation.text or "").replace("IFR", "").isascii()
    assert photos.message_id


def test_wrong_kinds_of_input_get_a_hint_and_lose_nothing(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="fr")
    choose_language(user, "Français")
    first = open_draft(user, "ifrane-3")
    user.send_photo()  # a photo where a button is expected
    assert "boutons" in (next_new_message(user).text or "")
    repeated = next_new_message(user)
    assert repeated.callback_data() == first.callback_data()
    press_code(user, repeated, ":legal_form:association")
    name_question = next_new_message(user)
    user.send_sticker()
    assert "Écrivez" in (next_new_message(user).text or "")
    next_new_message(user)
    user.send_text("Association Amal")
    province = next_new_message(user)
    user.edit_message(province.message_id - 1, "autre chose")
    assert "résumé" in (next_new_message(user).text or "")
    next_new_message(user)
    # A stale button from an earlier question changes nothing.
    query = user.press(callback_data=first.callback_data()[0], message_id=first.message_id)
    assert "plus valable" in (user.callback_answer(query).get("text") or "")
    # A forged answer for the current question is refused.
    draft = buttons_of(first, Choose)[0].application_id
    forged = user.press_data(Choose(draft, "province", "atlantis").pack())
    assert "plus valable" in (user.callback_answer(forged).get("text") or "")
    assert name_question.message_id


def test_decline_consent_stores_only_the_refusal(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="fr")
    menu = choose_language(user, "Français")
    press_button(user, menu, OpenMenu, item=MenuItem.APPLY)
    press_button(user, next_new_message(user), ChooseMarket, market="mohammedia")
    press_button(user, next_new_message(user), ChoosePhase, phase="mohammedia-1")
    press_button(user, next_new_message(user), Consent, phase="mohammedia-1", yes=False)
    assert "Aucune donnée" in (next_new_message(user).text or "")
    with sqlite3.connect(bot.database) as connection:
        assert connection.execute(
            "SELECT COUNT(*) FROM applications WHERE user_id = ?", (new_user_id,)
        ).fetchone() == (0,)
        assert connection.execute(
            "SELECT accepted FROM consents WHERE user_id = ?", (new_user_id,)
        ).fetchall() == [(0,)]


def test_restart_mid_questionnaire_loses_nothing(tmp_path: Path) -> None:
    with FakeTelegram(token="123456:TEST-TOKEN") as fake:
        bot = BotProcess(fake, tmp_path)
        bot.start()
        user = fake.user(4242, language_code="fr")
        choose_language(user, "Français")
        first = open_draft(user, "ifrane-1")
        members = answer_until(user, first, stop_before="women_members")
        bot.kill()  # a crash, not a clean stop
        bot.start()
        user.drain()
        user.send_command("/start")
        next_new_message(user)  # menu
        offer = next_new_message(user)
        assert "en cours" in (offer.text or "")
        press_button(user, offer, Resume)
        resumed = next_new_message(user)
        assert "femmes parmi" in (resumed.text or ""), resumed.text
        summary = answer_until(user, resumed)
        text = summary.text or ""
        for kept in ("Coopérative Tifawin", "1234/2019", "Azrou", "12"):
            assert kept in text
        asked = [
            m.text for m in user.messages if m.text and "femmes parmi" in m.text and not m.edited
        ]
        assert members.message_id and len(asked) == 2  # once before the crash, once after
        bot.stop()
