"""Reminders and the catalogue over HTTP: a reminder due while the bot was down, and /reload."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from localbotapi import FakeTelegram
from tests.e2e.bot_process import ROOT, BotProcess, StartBot
from tests.e2e.journey import choose_language, next_new_message, open_info_phase

ORGANIZER = 9001
EXHIBITOR = 60_001
NEW_PLACE = "Ifrane, place du Marché-Solidaire"


@pytest.fixture(scope="module")
def markets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("catalogue") / "markets.toml"
    path.write_text((ROOT / "bot/data/markets.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bot(start_bot: StartBot, markets: Path) -> BotProcess:
    return start_bot(name="reminders", admins=[ORGANIZER], quiet_hours="off", markets=markets)


def reminders_sent(fake: FakeTelegram) -> list[str]:
    return [
        str(call.params.get("text", ""))
        for call in fake.calls("sendMessage", chat_id=EXHIBITOR)
        if call.status == 200 and "Rappel" in str(call.params.get("text", ""))
    ]


def test_a_reminder_due_while_the_bot_was_down_is_sent_at_start_up_once(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    fake.user(EXHIBITOR, first_name="Amina", language_code="fr")
    bot.stop()
    stamp = "2026-11-01T10:00:00+00:00"
    with sqlite3.connect(bot.database) as connection:
        connection.execute(
            "INSERT INTO users (id, locale, first_name, first_seen, last_seen)"
            " VALUES (?, 'fr', 'Amina', ?, ?)",
            (EXHIBITOR, stamp, stamp),
        )
        connection.execute(
            "INSERT INTO applications (user_id, phase_code, status, reference, created_at,"
            " updated_at) VALUES (?, 'ifrane-1', 'confirmed', 'IFR-1-0999', ?, ?)",
            (EXHIBITOR, stamp, stamp),
        )
    bot.start()  # plans the 7-day and 1-day reminders of Ifrane phase 1 (May 2027)
    bot.stop()
    with sqlite3.connect(bot.database) as connection:
        planned = connection.execute(
            "SELECT params FROM deliveries WHERE recipient_id = ? AND status = 'pending'",
            (EXHIBITOR,),
        ).fetchall()
        assert len(planned) == 2
        # Time passes while the bot is down: the 7-day reminder falls due.
        connection.execute(
            "UPDATE deliveries SET not_before = '2026-11-01T09:00:00+00:00'"
            " WHERE recipient_id = ? AND params LIKE '%\"days\": 7%'",
            (EXHIBITOR,),
        )
    assert reminders_sent(fake) == []
    bot.start()
    fake.wait_until(lambda: reminders_sent(fake), timeout=10, message="the reminder")
    (text,) = reminders_sent(fake)
    assert "mai 2027" in text and "Ifrane" in text
    exhibitor = fake.user(EXHIBITOR)
    exhibitor.drain()
    bot.restart()  # and never twice
    exhibitor.expect_no_message(within=3)
    assert len(reminders_sent(fake)) == 1


def test_reload_applies_a_good_catalogue_and_refuses_a_broken_one(
    fake: FakeTelegram, bot: BotProcess, markets: Path
) -> None:
    organizer = fake.user(ORGANIZER, first_name="Nadia", language_code="fr")
    choose_language(organizer, "Français")
    source = markets.read_text(encoding="utf-8")
    markets.write_text(
        source.replace('fr = "Ifrane, centre-ville"', f'fr = "{NEW_PLACE}"', 1), encoding="utf-8"
    )
    organizer.send_command("/reload")
    assert "Catalogue rechargé" in (next_new_message(organizer).text or "")
    _, pin, details = open_info_phase(organizer, "ifrane-1")
    assert NEW_PLACE in (details.text or "") and pin is not None
    assert (pin.venue or {}).get("title") == NEW_PLACE

    broken = re.sub(r"(?m)^(\s*)capacity = 70$", r"\1capacity = 0", source, count=1)
    markets.write_text(broken, encoding="utf-8")
    organizer.send_command("/reload")
    refusal = next_new_message(organizer).text or ""
    assert "non rechargé" in refusal and "capacity" in refusal
    _, _, details = open_info_phase(organizer, "ifrane-1")
    assert NEW_PLACE in (details.text or "")  # still the last good catalogue

    applicant = fake.user(60_002, first_name="Samir", language_code="fr")
    applicant.send_command("/reload")  # not an organizer: the command does not exist
    assert "Catalogue" not in (next_new_message(applicant).text or "")
