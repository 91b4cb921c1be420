"""Personal data over HTTP: /privacy, /mydata, /correct, and /delete_my_data down to the bytes
of the database file."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from bot.callbacks import BackToSummary, Correct, EraseData, Submit
from localbotapi import FakeTelegram, FakeUser
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

ADMIN = 9002

# Values no other test of this module uses: none of them may survive the erasure.
TYPED = {
    "structure_name": "تعاونية تازيري للعسل",
    "coop_register": "5521/2017",
    "town": "Imilchil Tounfite",
    "products": "Miel de thym Aghbalou",
    "contact_name": "Itto Aït Bensaid",
    "phone": "06 61 23 49 87",
}
PHONE_FORMS = ("+212661234987", "212661234987", "0661234987", "06 61 23 49 87", "661234987")


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    return start_bot(name="privacy", admins=[ADMIN])


def submit(user: FakeUser, phase: str, **answers: str) -> str:
    """A complete application in French; returns its reference."""
    choose_language(user, "Français")
    phone, register = f"2126{user.id % 100_000_000:08d}", f"{user.id}/2021"
    summary = answer_until(
        user, open_draft(user, phase), phone=phone, register=register, typed=answers
    )
    press_button(user, summary, Submit)
    match = re.search(r"IFR-\d-\d{4}", next_new_message(user).text or "")
    assert match
    return match.group(0)


def database_bytes(database: Path) -> bytes:
    """The database file and its WAL, after a checkpoint, as a forensic reader would see them."""
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = database.with_name(database.name + "-wal")
    return database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def secrets() -> list[bytes]:
    return [value.encode("utf-8") for value in (*TYPED.values(), *PHONE_FORMS, "Tiziri")]


def test_delete_my_data_leaves_nothing_in_the_file(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, first_name="Tiziri", language_code="fr")
    reference = submit(user, "ifrane-1", **TYPED)
    before = database_bytes(bot.database)
    assert TYPED["town"].encode() in before and b"+212661234987" in before  # a real search

    user.send_command("/delete_my_data")
    question = next_new_message(user)
    assert "définitif" in (question.text or "")
    # "No" keeps everything; a forged or old confirmation erases nothing.
    user.press(callback_data=EraseData(False).pack(), message_id=question.message_id)
    assert "rien n'est effacé" in (next_new_message(user).text or "")
    forged = user.press_data("del:y:1000")
    assert "plus valable" in (user.callback_answer(forged).get("text") or "")
    next_new_message(user)  # the menu that comes with it
    with sqlite3.connect(bot.database) as connection:
        assert connection.execute(
            "SELECT status FROM applications WHERE reference = ?", (reference,)
        ).fetchone() == ("submitted",)

    user.send_command("/delete_my_data")
    question = next_new_message(user)
    press_button(user, question, EraseData, yes=True)
    done = next_new_message(user)
    assert "effacées" in (done.text or "") and "1 candidature" in (done.text or "")

    data = database_bytes(bot.database)
    left = [secret.decode() for secret in secrets() if secret in data]
    assert not left, f"still in the database file: {left}"
    with sqlite3.connect(bot.database) as connection:
        assert connection.execute(
            "SELECT COUNT(*) FROM applications WHERE reference = ?", (reference,)
        ).fetchone() == (0,)
        anonymous = connection.execute(
            "SELECT a.user_id, a.status, a.phone, a.identifier, COUNT(s.id) FROM applications a"
            " JOIN status_changes s ON s.application_id = a.id WHERE a.user_id < 0"
            " GROUP BY a.id"
        ).fetchall()
        assert connection.execute(
            "SELECT COUNT(*) FROM applications WHERE user_id = ?", (new_user_id,)
        ).fetchone() == (0,)
        assert connection.execute(
            "SELECT locale, first_name FROM users WHERE id = ?", (new_user_id,)
        ).fetchone() == ("fr", "")
    # The application is still counted (withdrawn), and its audit trail is kept.
    assert [
        (status, phone, identifier, changes) for _, status, phone, identifier, changes in anonymous
    ] == [("withdrawn", None, None, 2)]
    # The bot still answers, in French.
    user.send_command("/mydata")
    assert "pas encore de candidature" in (next_new_message(user).text or "")


def test_privacy_and_my_data(fake: FakeTelegram, bot: BotProcess, new_user_id: int) -> None:
    user = fake.user(new_user_id, language_code="ar")
    choose_language(user, "العربية")
    user.send_command("/privacy")
    policy = next_new_message(user).text or ""
    assert "/delete_my_data" in policy and "/mydata" in policy and "12" in policy
    summary = answer_until(
        user, open_draft(user, "ifrane-2"), phone="212600000123", register="99/2022"
    )
    press_button(user, summary, Submit)
    next_new_message(user)
    user.send_command("/mydata")
    text = ""
    while True:
        message = next_new_message(user)
        if message.document is not None:
            break
        text += message.text or ""
    assert "Tifawin" in text and "IFR-2-" in text
    assert not text.replace("IFR", "").isascii()  # in Arabic
    assert message.document["file_name"] == "my-data.json"
    document = json.loads((message.document["content"] or b"").decode("utf-8"))
    assert document["user"]["telegram_id"] == new_user_id
    (application,) = document["applications"]
    answers = {answer["question"]: answer for answer in application["answers"]}
    assert answers["phone"]["value"] == "+212600000123"
    assert not answers["town"]["label"].isascii()
    assert [consent["accepted"] for consent in document["consents"]] == [True]


def test_correct_a_sent_application(fake: FakeTelegram, bot: BotProcess, new_user_id: int) -> None:
    user = fake.user(new_user_id, language_code="fr")
    reference = submit(user, "ifrane-3")
    user.send_command("/correct")
    screen = next_new_message(user)
    assert reference in (screen.text or "") and "Azrou" in (screen.text or "")
    press_code(user, screen, ":town")
    question = next_new_message(user)
    assert "ville" in (question.text or "").lower()
    assert buttons_of(question, BackToSummary)
    user.send_text("Ifrane ville")
    screen = next_new_message(user)
    assert "Ifrane ville" in (screen.text or "") and "Azrou" not in (screen.text or "")
    # The structure's stored profile still says Azrou: the bot asks whether to update it.
    offer = next_new_message(user)
    assert "Ville" in (offer.text or "") and "Mettre aussi la fiche à jour" in (offer.text or "")
    # /status offers the correction too.
    user.send_command("/status")
    status = next_new_message(user)
    assert buttons_of(status, Correct)

    organizer = fake.user(ADMIN, language_code="fr")
    choose_language(organizer, "Français")
    organizer.send_command("/app", reference)
    card = next_new_message(organizer).text or ""
    assert "Modifiée par le candidat" in card and "Ville" in card and "Ifrane ville" in card
