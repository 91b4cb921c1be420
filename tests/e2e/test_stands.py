"""The market day over HTTP: an organizer assigns Ifrane phase 1's stands, each confirmed
exhibitor receives a stand card whose QR code opens the bot with a one-time token; the link
opened by an organizer marks the arrival (once), by the exhibitor shows the card again, by
anyone else changes nothing; /arrivals counts and marks by hand."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator

import pytest
import zxingcpp
from PIL import Image

from bot.callbacks import MarkArrived, StandsAction, StandsButton
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.broadcasting import open_console, pause, press_typed
from tests.e2e.journey import buttons_of, next_new_message

BOT_USERNAME = "souk_stands_bot"
ORGANIZER = 9001
EXHIBITORS = {701: "fr", 702: "ar", 703: "fr"}  # 702: a women's structure that asked for power
STRANGER = 799


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token="123456:TEST-TOKEN", bot_username=BOT_USERNAME) as server:
        yield server


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    return start_bot(name="stands", admins=[ORGANIZER], quiet_hours="off")


def seed_confirmed(database: str) -> None:
    """Confirmed exhibitors written straight into the database (the way there is tested in
    test_decisions.py)."""
    stamp = "2026-11-01T10:00:00+00:00"
    with sqlite3.connect(database) as connection:
        for number, (user_id, locale) in enumerate(EXHIBITORS.items(), start=1):
            connection.execute(
                "INSERT INTO users (id, locale, first_name, first_seen, last_seen)"
                " VALUES (?, ?, 'Coop', ?, ?)",
                (user_id, locale, stamp, stamp),
            )
            cursor = connection.execute(
                "INSERT INTO applications (user_id, phase_code, status, reference, created_at,"
                " updated_at) VALUES (?, 'ifrane-1', 'confirmed', ?, ?, ?)",
                (user_id, f"IFR-1-{number:04d}", stamp, stamp),
            )
            answers = {
                "structure_name": f'"Coop {user_id}"',
                "sector": '"crafts"',
                "led_by": '"women"' if user_id == 702 else '"none"',
                "stand_needs": '["electricity"]' if user_id == 702 else "[]",
            }
            for question, value in answers.items():
                connection.execute(
                    "INSERT INTO answers (application_id, question, value, answered_at)"
                    " VALUES (?, ?, ?, ?)",
                    (cursor.lastrowid, question, value, stamp),
                )


def tokens(bot: BotProcess) -> dict[int, tuple[str, str]]:
    with sqlite3.connect(bot.database) as connection:
        rows = connection.execute(
            "SELECT a.user_id, s.stand, s.token FROM stand_assignments s"
            " JOIN applications a ON a.id = s.application_id"
        ).fetchall()
    return {user_id: (stand, token) for user_id, stand, token in rows}


def arrivals(bot: BotProcess) -> int:
    with sqlite3.connect(bot.database) as connection:
        (count,) = connection.execute("SELECT COUNT(*) FROM arrivals").fetchone()
    return int(count)


def decoded(card: BotMessage) -> list[str]:
    assert card.photo is not None and card.photo["content"], card.describe()
    image = Image.open(io.BytesIO(card.photo["content"]))
    return [found.text for found in zxingcpp.read_barcodes(image.convert("L"))]


@pytest.fixture(scope="module")
def organizer(fake: FakeTelegram, bot: BotProcess) -> FakeUser:
    user = fake.user(ORGANIZER, first_name="Nadia", language_code="fr")
    open_console(user)
    user.drain()
    return user


def test_stands_assigned_cards_with_qr_and_arrival_on_the_day(
    fake: FakeTelegram, bot: BotProcess, organizer: FakeUser
) -> None:
    seed_confirmed(str(bot.database))
    people = {
        user_id: fake.user(user_id, first_name="Coop", language_code=locale)
        for user_id, locale in EXHIBITORS.items()
    }
    pause()
    organizer.send_command("/stands", "ifrane-1")
    board = next_new_message(organizer)
    assert "Règle" in (board.text or "") and (board.text or "").count("📝") >= 3
    assert tokens(bot)[702][0] == "E1"  # the only one who asked for power: an equipped stand
    # The others take the first stands without power (E1-E10, in front, have it).
    assert {tokens(bot)[u][0] for u in (701, 703)} == {"E11", "E12"}
    assert press_typed(organizer, board, StandsButton(StandsAction.ACCEPT, "ifrane-1")).edited
    assert "3 stands confirmés" in (next_new_message(organizer).text or "")

    assigned = tokens(bot)
    for user_id, person in people.items():
        card = next_new_message(person, timeout=20)
        stand, token = assigned[user_id]
        assert decoded(card) == [f"https://t.me/{BOT_USERNAME}?start=arr_{token}"]
        assert stand in (card.text or "")
    assert "رواقكم" in (people[702].last_message.text or "")  # type: ignore[union-attr]
    fr_card = people[701].last_message
    assert fr_card is not None and "Votre stand" in (fr_card.text or "")

    # Anyone else, and the exhibitor, open the link: nothing is marked.
    stranger = fake.user(STRANGER, first_name="Curieux", language_code="fr")
    stranger.send_command("/start", f"arr_{assigned[701][1]}")
    assert "Choisissez votre langue" in (next_new_message(stranger).text or "")  # as /start
    assert arrivals(bot) == 0
    people[701].send_command("/start", f"arr_{assigned[701][1]}")
    assert decoded(next_new_message(people[701])) == decoded(fr_card)
    assert arrivals(bot) == 0

    # The organizer scans: arrived once; a second scan says when.
    pause()
    organizer.send_command("/start", f"arr_{assigned[701][1]}")
    assert "Arrivée enregistrée" in (next_new_message(organizer).text or "")
    pause()
    organizer.send_command("/start", f"arr_{assigned[701][1]}")
    assert "Déjà arrivé à" in (next_new_message(organizer).text or "")
    assert arrivals(bot) == 1

    pause()
    organizer.send_command("/arrivals", "ifrane-1")
    screen = next_new_message(organizer)
    assert "arrivés : 1 · attendus : 2" in (screen.text or "")
    marks = buttons_of(screen, MarkArrived)
    assert len(marks) == 2
    press_typed(organizer, screen, marks[0])
    after = next_new_message(organizer)
    assert "arrivés : 2 · attendus : 1" in (after.text or ""), after.text
    assert arrivals(bot) == 2
