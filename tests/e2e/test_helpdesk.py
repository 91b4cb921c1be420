"""The help desk over HTTP: a member's question (voice or text, French or Arabic) reaches the
organizers, an organizer answers (by replying, or with "✍️ Répondre"), the member receives
the answer; /questions lists the open ones; the form's question on screen keeps its answers;
an erasure takes the questions with it."""

from __future__ import annotations

import re
import sqlite3
import time

import pytest

from bot.callbacks import (
    Choose,
    EraseData,
    MenuItem,
    OpenMenu,
    StopAsking,
    TicketAction,
    TicketButton,
)
from bot.i18n import FSI, PDI
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.journey import (
    buttons_of,
    choose_language,
    next_new_message,
    open_draft,
    press_button,
)
from tests.e2e.test_privacy import database_bytes

ADMIN = 9015


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    return start_bot(name="helpdesk", admins=[ADMIN])


@pytest.fixture(scope="module")
def organizer(fake: FakeTelegram, bot: BotProcess) -> FakeUser:
    """The organizer, in French, with a chat open with the bot."""
    user = fake.user(ADMIN, first_name="Samira", language_code="fr")
    choose_language(user, "Français")
    return user


def ask_from_menu(user: FakeUser, language: str) -> BotMessage:
    """Start the bot in `language`, press "💬 Poser une question": the prompt."""
    menu = choose_language(user, language)
    press_button(user, menu, OpenMenu, item=MenuItem.ASK)
    prompt = next_new_message(user)
    assert buttons_of(prompt, StopAsking), prompt.describe()
    return prompt


def reference_in(message: BotMessage) -> str:
    found = re.search(r"Q-\d+", message.text or "")
    assert found, message.describe()
    return found.group(0)


def ticket_for(organizer: FakeUser, reference: str, timeout: float = 10.0) -> BotMessage:
    """The organizer's copy of the ticket, skipping messages about other tickets."""
    deadline = time.monotonic() + timeout
    while True:
        message = organizer.expect_message(timeout=max(deadline - time.monotonic(), 0.1))
        if not message.edited and re.search(rf"\b{reference}\b", message.text or ""):
            return message


def ticket_row(bot: BotProcess, reference: str) -> tuple[str | None, int | None, str | None]:
    with sqlite3.connect(bot.database) as connection:
        row = connection.execute(
            "SELECT answer, answered_by, answered_at FROM tickets WHERE id = ?",
            (int(reference.removeprefix("Q-")),),
        ).fetchone()
    return row if row else (None, None, None)


def test_voice_question_answered_by_reply(
    fake: FakeTelegram, bot: BotProcess, organizer: FakeUser, new_user_id: int
) -> None:
    member = fake.user(new_user_id, first_name="Itto", language_code="fr")
    ask_from_menu(member, "Français")
    member.send_voice(duration=7, content=b"OggS-question-about-the-stand")
    received = next_new_message(member)
    assert "bien reçue" in (received.text or ""), received.describe()
    reference = reference_in(received)

    # The organizer hears the voice note itself, its caption naming the ticket and the member.
    ticket = ticket_for(organizer, reference)
    assert ticket.method == "sendVoice", ticket.describe()
    assert ticket.attachment is not None
    assert ticket.attachment["content"] == b"OggS-question-about-the-stand"
    assert "Itto" in (ticket.text or "") and "français" in (ticket.text or "")
    assert "Pas de candidature" in (ticket.text or "")

    organizer.send_text("Oui, le stand fait 3 mètres sur 3.", reply_to=ticket.message_id)
    assert "Réponse envoyée" in (next_new_message(organizer).text or "")

    answer = next_new_message(member)
    assert "Réponse de l'équipe" in (answer.text or ""), answer.describe()
    assert "Oui, le stand fait 3 mètres sur 3." in (answer.text or "")
    assert buttons_of(answer, OpenMenu) == [OpenMenu(MenuItem.ASK)]
    text, by, at = ticket_row(bot, reference)
    assert (text, by) == ("Oui, le stand fait 3 mètres sur 3.", ADMIN) and at is not None

    # A second reply to the same ticket is refused: the member receives one answer.
    organizer.send_text("Encore une réponse", reply_to=ticket.message_id)
    assert "déjà reçu une réponse de Samira" in (next_new_message(organizer).text or "")
    member.expect_no_message(within=1.5)


def test_arabic_text_question_answered_with_the_button(
    fake: FakeTelegram, bot: BotProcess, organizer: FakeUser, new_user_id: int
) -> None:
    member = fake.user(new_user_id, first_name="Khadija", language_code="ar")
    prompt = ask_from_menu(member, "العربية")
    assert "سؤال" in (prompt.text or ""), prompt.describe()
    member.send_text("السلام عليكم")  # a greeting first is no question: the prompt again
    greeted = next_new_message(member)
    assert "سؤال" in (greeted.text or "") and buttons_of(greeted, StopAsking)
    member.send_text("متى يبدأ تسجيل المشاركين في سوق إفران؟")
    received = next_new_message(member)
    reference = reference_in(received)
    assert (received.text or "").startswith("\u200f") and "✅" in (received.text or "")

    ticket = ticket_for(organizer, reference)
    assert ticket.method == "sendMessage"
    assert "متى يبدأ تسجيل المشاركين" in (ticket.text or "")
    assert "Langue du membre : arabe" in (ticket.text or ""), ticket.describe()
    press_button(organizer, ticket, TicketButton, action=TicketAction.ANSWER)
    prompt_to_answer = next_new_message(organizer)
    assert "en arabe" in (prompt_to_answer.text or ""), prompt_to_answer.describe()
    organizer.send_text("التسجيل مفتوح حتى 15 ماي، Ifrane Expo")
    assert "Réponse envoyée" in (next_new_message(organizer).text or "")

    answer = next_new_message(member)
    text = answer.text or ""
    assert text.startswith("\u200f") and reference in text
    assert f"{FSI}التسجيل مفتوح حتى 15 ماي، Ifrane Expo{PDI}" in text, answer.describe()
    assert "Réponse" not in text  # the frame is in Arabic too
    assert ticket_row(bot, reference)[1] == ADMIN


def test_questions_lists_the_open_queue_oldest_first(
    fake: FakeTelegram, bot: BotProcess, organizer: FakeUser
) -> None:
    references = []
    for offset, (language, words) in enumerate(
        [("Français", "Faut-il apporter une table ?"), ("العربية", "هل الكهرباء متوفرة؟")]
    ):
        member = fake.user(20_150 + offset, first_name=f"Membre{offset}", language_code="fr")
        ask_from_menu(member, language)
        member.send_text(words)
        references.append(reference_in(next_new_message(member)))
    for reference in references:
        ticket_for(organizer, reference)

    organizer.send_command("/questions")
    queue = next_new_message(organizer)
    text = queue.text or ""
    assert all(reference in text for reference in references), queue.describe()
    assert text.index(references[0]) < text.index(references[1])
    assert "Faut-il apporter une table" in text and "arabe" in text
    opened = [b.ticket_id for b in buttons_of(queue, TicketButton)]
    assert [f"Q-{number}" for number in opened][-2:] == references

    press_button(organizer, queue, TicketButton, ticket_id=opened[-1])
    shown = next_new_message(organizer)
    assert references[1] in (shown.text or "") and "هل الكهرباء متوفرة" in (shown.text or "")
    assert buttons_of(shown, TicketButton) == [TicketButton(TicketAction.ANSWER, opened[-1])]


def test_a_question_typed_in_the_form_is_not_an_answer(
    fake: FakeTelegram, bot: BotProcess, organizer: FakeUser, new_user_id: int
) -> None:
    member = fake.user(new_user_id, language_code="fr")
    choose_language(member, "Français")
    press_button(member, open_draft(member), Choose, choice="cooperative")
    typed_question = next_new_message(member)  # the structure's name: typed text
    member.send_command("/ask")
    next_new_message(member)
    member.send_text("Est-ce que je peux venir avec ma fille ?")
    received = next_new_message(member)
    reference_in(received)
    again = next_new_message(member)  # the form's question, on screen again
    assert "continue" in (again.text or ""), again.describe()
    assert typed_question.text and typed_question.text in (again.text or "")
    member.send_text("Coopérative Tamount")
    next_new_message(member)
    with sqlite3.connect(bot.database) as connection:
        answers = connection.execute(
            "SELECT value FROM answers JOIN applications ON applications.id = application_id"
            " WHERE user_id = ?",
            (new_user_id,),
        ).fetchall()
        asked = connection.execute(
            "SELECT text FROM tickets WHERE user_id = ?", (new_user_id,)
        ).fetchall()
    assert ('"Coopérative Tamount"',) in answers
    assert asked == [("Est-ce que je peux venir avec ma fille ?",)]


def test_cancel_then_text_is_no_question(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    member = fake.user(new_user_id, language_code="fr")
    prompt = ask_from_menu(member, "Français")
    press_button(member, prompt, StopAsking)
    assert "aucune question" in (next_new_message(member).text or "")
    member.send_text("Bonjour")
    greeting = next_new_message(member)
    assert "Bonjour" in (greeting.text or "")

    # The prompt's ❌ pressed after a question was sent cancels nothing: it says so.
    press_button(member, greeting, OpenMenu, item=MenuItem.ASK)
    prompt = next_new_message(member)
    member.send_text("Le parking est-il gratuit ?")
    assert "bien reçue" in (next_new_message(member).text or "")
    query = member.press(callback_data=StopAsking().pack(), message_id=prompt.message_id)
    assert "plus valable" in (member.callback_answer(query).get("text") or "")
    with sqlite3.connect(bot.database) as connection:
        asked = connection.execute(
            "SELECT text FROM tickets WHERE user_id = ?", (new_user_id,)
        ).fetchall()
    assert asked == [("Le parking est-il gratuit ?",)]  # "Bonjour" was no question


def test_mydata_shows_questions_and_erasure_removes_them(
    fake: FakeTelegram, bot: BotProcess, organizer: FakeUser, new_user_id: int
) -> None:
    words = "Ma coopérative Aït Bouguemez peut-elle vendre du safran ?"
    member = fake.user(new_user_id, language_code="fr")
    ask_from_menu(member, "Français")
    member.send_text(words)
    reference = reference_in(next_new_message(member))
    ticket_for(organizer, reference)

    member.send_command("/mydata")
    shown = []
    while True:
        message = next_new_message(member)
        if message.document is not None:
            break
        shown.append(message.text or "")
    assert any(words in text and reference in text for text in shown), shown
    assert message.document["content"] is not None
    assert words.encode() in message.document["content"]

    member.send_command("/delete_my_data")
    confirm = next_new_message(member)
    press_button(member, confirm, EraseData, yes=True)
    assert "effacées" in (next_new_message(member).text or "")
    assert words.encode("utf-8") not in database_bytes(bot.database)
    with sqlite3.connect(bot.database) as connection:
        left = connection.execute(
            "SELECT COUNT(*) FROM tickets WHERE user_id = ?", (new_user_id,)
        ).fetchone()
    assert left == (0,)
    organizer.send_command("/questions")
    assert reference not in (next_new_message(organizer).text or "")


def test_the_form_back_on_screen_takes_the_text_again(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    """ "Poser une question", then /help (which shows the form's question again below it): the
    next text answers the form, and no question is sent to the team."""
    member = fake.user(new_user_id, language_code="fr")
    choose_language(member, "Français")
    press_button(member, open_draft(member), Choose, choice="cooperative")
    next_new_message(member)
    member.send_command("/ask")
    next_new_message(member)
    member.send_command("/help")
    next_new_message(member)
    assert "continue" in (next_new_message(member).text or "")
    member.send_text("Coopérative Aguerd")
    next_new_message(member)
    with sqlite3.connect(bot.database) as connection:
        answers = connection.execute(
            "SELECT value FROM answers JOIN applications ON applications.id = application_id"
            " WHERE user_id = ?",
            (new_user_id,),
        ).fetchall()
        asked = connection.execute(
            "SELECT COUNT(*) FROM tickets WHERE user_id = ?", (new_user_id,)
        ).fetchone()
    assert ('"Coopérative Aguerd"',) in answers and asked == (0,)


def test_a_photo_question_reaches_the_team_with_its_caption(
    fake: FakeTelegram, bot: BotProcess, organizer: FakeUser, new_user_id: int
) -> None:
    member = fake.user(new_user_id, first_name="Aicha", language_code="fr")
    ask_from_menu(member, "Français")
    member.send_photo(caption="Ce panneau convient-il au stand ?", content=b"\xff\xd8-sign")
    reference = reference_in(next_new_message(member))
    ticket = ticket_for(organizer, reference)
    assert ticket.method == "sendPhoto" and ticket.photo is not None
    assert ticket.photo["content"] == b"\xff\xd8-sign"
    assert "Ce panneau convient-il au stand ?" in (ticket.text or "")
    organizer.send_text("Oui, 1 mètre au plus.", reply_to=ticket.message_id)
    assert "Réponse envoyée" in (next_new_message(organizer).text or "")
    assert "Oui, 1 mètre au plus." in (next_new_message(member).text or "")
