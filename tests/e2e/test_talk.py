"""What people send instead of pressing a button, over HTTP, in French and in Arabic: greetings
get a greeting and the menu, Darija words open their screen, a voice note at the menu gets
what the bot can do; and mid-form, typed text answers only the question on screen."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from bot.callbacks import ChooseMarket, MenuItem, OpenMenu
from bot.i18n import I18n
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.journey import buttons_of, choose_language, next_new_message, open_draft, press_code

# Read from the catalogs, so that polishing a translation does not break the test.
FIRST_QUESTION = {
    locale: I18n().translator(locale).gettext("Quel est le nom de votre structure ?")
    for locale in ("fr", "ar")
}
RESUMED = {
    "fr": "Votre candidature continue là où vous en étiez",
    "ar": "يتواصل طلبكم من حيث توقفتم",
}
NOT_TAKEN = {"fr": "Votre message n'a pas été pris comme réponse", "ar": "لم تُعتمد رسالتكم جوابا"}
COOPERATIVE = {"legal_form": "cooperative"}  # the answer given before the name
# The bundled catalogue's organizers' numbers (bot/data/markets.toml).
CONTACTS = ("05 35 00 00 00", "05 23 30 00 00")


def draft_answers(bot: BotProcess, user_id: int) -> dict[str, Any]:
    """What the database holds as the user's draft answers."""
    with sqlite3.connect(bot.database) as connection:
        rows = connection.execute(
            "SELECT question, value FROM answers JOIN applications a ON a.id = application_id"
            " WHERE a.user_id = ? AND a.status = 'draft'",
            (user_id,),
        ).fetchall()
    return {key: json.loads(value) for key, value in rows}


def to_structure_name(user: FakeUser) -> BotMessage:
    """A new draft, its first answer given: the first question typed in (the name)."""
    question = open_draft(user)
    press_code(user, question, ":legal_form:cooperative")
    return next_new_message(user)


def is_main_menu(message: BotMessage) -> bool:
    items = {button.item for button in buttons_of(message, OpenMenu)}
    return {MenuItem.APPLY, MenuItem.INFO, MenuItem.STATUS} <= items


def until(user: FakeUser, text: str) -> BotMessage:
    """The bot's messages up to the first one containing `text`."""
    while True:
        message = next_new_message(user)
        if text in (message.text or ""):
            return message


def answer_to(user: FakeUser, send: Callable[[FakeUser], object]) -> list[str | None]:
    """The texts of every message the bot sends in answer, once it has gone quiet."""
    send(user)
    texts = [next_new_message(user).text]
    while True:
        try:
            texts.append(next_new_message(user, timeout=1.5).text)
        except AssertionError:
            return texts


# ---- greetings ------------------------------------------------------------------------------


def test_greetings_get_a_greeting_and_the_menu(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    french = fake.user(new_user_id, language_code="fr")
    choose_language(french, "Français")
    for greeting in ("Bonjour !", "salam", "Merci 🙏"):
        french.send_text(greeting)
        answer = next_new_message(french)
        assert "Je n'ai pas compris" not in (answer.text or ""), answer.describe()
        assert is_main_menu(answer), answer.describe()
    assert "Avec plaisir" in (answer.text or "")

    arabic = fake.user(new_user_id + 50_000, language_code="ar")
    choose_language(arabic, "العربية")
    arabic.send_text("السلام عليكم")
    answer = next_new_message(arabic)
    assert "وعليكم السلام" in (answer.text or ""), answer.describe()
    assert is_main_menu(answer)
    arabic.send_text("شكرا")
    assert "بكل سرور" in (next_new_message(arabic).text or "")


def test_a_greeting_before_choosing_a_language_is_answered_in_its_language(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="en")  # no language chosen: French by default
    user.send_text("Salaaam")
    answer = next_new_message(user)
    assert "وعليكم السلام" in (answer.text or ""), answer.describe()
    assert is_main_menu(answer)


# ---- keywords -------------------------------------------------------------------------------


def test_darija_in_latin_letters_opens_apply(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    for offset, language, asked in (
        (0, "Français", "À quel marché voulez-vous participer ?"),
        (50_000, "العربية", "في أي سوق"),
    ):
        user = fake.user(new_user_id + offset)
        choose_language(user, language)
        user.send_text("Bghit nsjel")
        answer = next_new_message(user)
        assert asked in (answer.text or ""), answer.describe()
        markets = {button.market for button in buttons_of(answer, ChooseMarket)}
        assert {"ifrane", "mohammedia"} <= markets


def test_darija_in_arabic_script_opens_the_markets_and_my_application(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    for offset, language in ((0, "Français"), (50_000, "العربية")):
        user = fake.user(new_user_id + offset)
        choose_language(user, language)
        info = answer_to(user, lambda u: u.send_command("/info"))
        assert answer_to(user, lambda u: u.send_text("فين السوق؟")) == info
        status = answer_to(user, lambda u: u.send_command("/status"))
        assert answer_to(user, lambda u: u.send_text("طلبي")) == status
        assert info != status


def test_a_voice_note_or_sticker_at_the_menu_says_what_the_bot_does(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    french = fake.user(new_user_id)
    choose_language(french, "Français")
    french.send_voice(duration=4)
    answer = next_new_message(french)
    text = answer.text or ""
    assert "assistant automatique" in text and "candidater" in text, answer.describe()
    assert all(contact in text for contact in CONTACTS), text
    assert is_main_menu(answer)

    arabic = fake.user(new_user_id + 50_000)
    choose_language(arabic, "العربية")
    arabic.send_sticker()
    answer = next_new_message(arabic)
    text = answer.text or ""
    assert "مساعد آلي" in text and "تتبع طلبكم" in text, answer.describe()
    assert all(contact in text for contact in CONTACTS), text
    assert is_main_menu(answer)


# ---- the question on screen (defect 6) ------------------------------------------------------


def test_after_language_text_does_not_answer_the_hidden_question(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="fr")
    choose_language(user, "Français")
    question = to_structure_name(user)
    assert FIRST_QUESTION["fr"] in (question.text or "")

    user.send_command("/language")
    picker = next_new_message(user)
    user.send_text("Coopérative Atlas")  # the picker is on screen, not the question
    again = next_new_message(user)
    assert NOT_TAKEN["fr"] in (again.text or "") and FIRST_QUESTION["fr"] in (again.text or "")
    assert draft_answers(bot, user.id) == COOPERATIVE

    # Arabic chosen from the picker: the question comes back in Arabic, below the menu.
    user.press("العربية", message_id=picker.message_id)
    assert is_main_menu(next_new_message(user))
    shown = next_new_message(user)
    assert RESUMED["ar"] in (shown.text or "") and FIRST_QUESTION["ar"] in (shown.text or "")
    assert draft_answers(bot, user.id) == COOPERATIVE

    user.send_text("تعاونية الأمل")  # now on screen: accepted
    assert "السؤال 3" in (next_new_message(user).text or "")
    assert draft_answers(bot, user.id) == {**COOPERATIVE, "structure_name": "تعاونية الأمل"}


def test_after_info_or_help_the_question_is_shown_again_and_answered(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="ar")
    choose_language(user, "العربية")
    to_structure_name(user)
    user.send_command("/info")
    shown = until(user, RESUMED["ar"])
    assert FIRST_QUESTION["ar"] in (shown.text or "")
    user.send_command("/help")
    assert FIRST_QUESTION["ar"] in (until(user, RESUMED["ar"]).text or "")
    user.send_text("تعاونية تيفاوين")
    assert "السؤال 3" in (next_new_message(user).text or "")
    assert draft_answers(bot, user.id) == {**COOPERATIVE, "structure_name": "تعاونية تيفاوين"}


def test_a_hidden_question_stays_hidden_across_a_restart(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="fr")
    choose_language(user, "Français")
    to_structure_name(user)
    user.send_command("/language")
    next_new_message(user)  # the picker
    bot.restart()
    user.send_text("Coopérative Atlas")
    assert NOT_TAKEN["fr"] in (next_new_message(user).text or "")
    assert draft_answers(bot, user.id) == COOPERATIVE
    user.send_text("Coopérative Atlas")
    assert "Question 3" in (next_new_message(user).text or "")
    assert draft_answers(bot, user.id) == {**COOPERATIVE, "structure_name": "Coopérative Atlas"}


def test_a_greeting_mid_form_is_not_an_answer(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="fr")
    choose_language(user, "Français")
    to_structure_name(user)
    user.send_text("Salam !")
    answer = next_new_message(user)
    assert "Bonjour" in (answer.text or "") and FIRST_QUESTION["fr"] in (answer.text or "")
    assert draft_answers(bot, user.id) == COOPERATIVE
