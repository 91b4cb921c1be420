"""Helpers of the market-day tests (tests/e2e/test_stands.py): confirmed exhibitors written
into the database, the stands and tokens read back, the card's QR code decoded, and the
catalogue moved in time with /reload (arrivals are marked only while the phase runs; the bot
runs on the real clock)."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import zxingcpp
from PIL import Image

from localbotapi import BotMessage, FakeUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.test_trainings import CASABLANCA, TRAINING_STARTS, catalogue

BOT_USERNAME = "souk_stands_bot"
ORGANIZER = 9001
EXHIBITORS = {701: "fr", 702: "ar", 703: "fr"}  # 702: a women's structure that asked for power
STRANGER = 799


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
    """Each exhibitor's (stand, token) now."""
    with sqlite3.connect(bot.database) as connection:
        rows = connection.execute(
            "SELECT a.user_id, s.stand, s.token FROM stand_assignments s"
            " JOIN applications a ON a.id = s.application_id"
        ).fetchall()
    return {user_id: (stand, token) for user_id, stand, token in rows}


def application_of(bot: BotProcess, user_id: int) -> int:
    with sqlite3.connect(bot.database) as connection:
        (found,) = connection.execute(
            "SELECT id FROM applications WHERE user_id = ?", (user_id,)
        ).fetchone()
    return int(found)


def arrivals(bot: BotProcess) -> int:
    with sqlite3.connect(bot.database) as connection:
        (count,) = connection.execute("SELECT COUNT(*) FROM arrivals").fetchone()
    return int(count)


def decoded(card: BotMessage) -> list[str]:
    assert card.photo is not None and card.photo["content"], card.describe()
    image = Image.open(io.BytesIO(card.photo["content"]))
    return [found.text for found in zxingcpp.read_barcodes(image.convert("L"))]


def next_matching(user: FakeUser, found: Callable[[BotMessage], bool]) -> BotMessage:
    """The next message that `found` accepts (a reminder re-planned by /reload may come
    first)."""
    while True:
        message = user.expect_message(timeout=30)
        if not message.edited and found(message):
            return message


def next_card(user: FakeUser) -> BotMessage:
    return next_matching(user, lambda m: m.photo is not None)


def says(*parts: str) -> Callable[[BotMessage], bool]:
    return lambda m: all(part in (m.text or "") for part in parts)


def phase_in_time(first_day: int, last_day: int | None = None, ends: datetime | None = None) -> str:
    """The catalogue with Ifrane phase 1 from `first_day` days from today (10:00, set-up at
    08:00) to 20:00 `last_day` days from today, or to `ends`; its trainings inside it."""
    today = datetime.now(CASABLANCA).replace(hour=10, minute=0, second=0, microsecond=0)
    begin = today + timedelta(days=first_day)
    end = ends or (today + timedelta(days=last_day or first_day + 5)).replace(hour=20)
    trainings = {code: begin + timedelta(hours=2) for code in TRAINING_STARTS}
    return catalogue((begin, end, begin - timedelta(days=2)), trainings)


def reload(organizer: FakeUser, markets: Path, text: str) -> None:
    markets.write_text(text, "utf-8")
    organizer.drain()
    organizer.send_command("/reload")
    reply = next_matching(organizer, says("Catalogue"))
    assert "✅" in (reply.text or ""), reply.text
