"""The impact survey over HTTP: the day after a phase, an exhibitor answers in Arabic by
buttons and a voice note, and the answers appear in /impact (text and the .xlsx read back);
one who does not answer is reminded once, and never more."""

from __future__ import annotations

import io
import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.callbacks import ImpactMarket, SurveyAnswer
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.bot_process import ROOT, BotProcess, StartBot
from tests.e2e.journey import choose_language, next_new_message, press_button

ORGANIZER = 9_401
ANSWERS, SILENT = 70_001, 70_002
# The bundled catalogue's Ifrane phase 1 ends on this day; every date of the file is moved
# so that it ended two days ago: its survey (the next day at 10:00) is due, its reminder not
# (two days after the survey), until the file is moved two days further back.
LAST_DAY = date(2027, 5, 9)
JOB_FIRST_RUN = 10  # seconds after start-up (bot/app.py)


def shifted(text: str, days: int) -> str:
    def move(match: re.Match[str]) -> str:
        return (date.fromisoformat(match.group(0)) + timedelta(days=days)).isoformat()

    return re.sub(r"\d{4}-\d{2}-\d{2}", move, text)


def write_catalogue(markets: Path, ended_days_ago: int) -> None:
    days = (datetime.now(UTC).date() - timedelta(days=ended_days_ago) - LAST_DAY).days
    source = (ROOT / "bot/data/markets.toml").read_text(encoding="utf-8")
    markets.write_text(shifted(source, days), encoding="utf-8")


@pytest.fixture(scope="module")
def markets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("catalogue") / "markets.toml"
    write_catalogue(path, ended_days_ago=2)
    return path


@pytest.fixture(scope="module")
def bot(start_bot: StartBot, markets: Path) -> BotProcess:
    process = start_bot(name="impact", admins=[ORGANIZER], quiet_hours="off", markets=markets)
    process.stop()  # the schema exists: the exhibitors are written in, as if confirmed
    seed(process.database)
    process.start()
    return process


def seed(database: Path) -> None:
    stamp = "2026-11-01T10:00:00+00:00"
    with sqlite3.connect(database) as connection:
        for user_id, led_by in ((ANSWERS, "women"), (SILENT, "youth")):
            connection.execute(
                "INSERT INTO users (id, locale, first_name, first_seen, last_seen)"
                " VALUES (?, 'ar', 'X', ?, ?)",
                (user_id, stamp, stamp),
            )
            cursor = connection.execute(
                "INSERT INTO applications (user_id, phase_code, status, reference, created_at,"
                " updated_at) VALUES (?, 'ifrane-1', 'confirmed', ?, ?, ?)",
                (user_id, f"IFR-1-{user_id % 10_000:04d}", stamp, stamp),
            )
            for question, value in (("led_by", led_by), ("province", "ifrane")):
                connection.execute(
                    "INSERT INTO answers (application_id, question, value, answered_at)"
                    " VALUES (?, ?, ?, ?)",
                    (cursor.lastrowid, question, f'"{value}"', stamp),
                )


def reminders_to(fake: FakeTelegram, user_id: int) -> list[str]:
    return [
        str(call.params.get("text", ""))
        for call in fake.calls("sendMessage", chat_id=user_id)
        if call.status == 200 and "تذكير" in str(call.params.get("text", ""))
    ]


def first_survey(user: FakeUser, timeout: float) -> BotMessage:
    """The survey, past the attestation of participation that confirmed exhibitors also get
    once the phase is over (bot/services/trainings.py): both come the same days."""
    while True:
        message = user.expect_message(timeout=timeout)
        if "📄" not in (message.text or ""):
            return message


def test_an_exhibitor_answers_in_arabic_and_the_answers_are_in_the_report(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    exhibitor = fake.user(ANSWERS, first_name="Amina", language_code="ar")
    silent = fake.user(SILENT, first_name="Hafsa", language_code="ar")
    survey = first_survey(exhibitor, timeout=JOB_FIRST_RUN + 20)
    assert "شكرا على مشاركتكم" in (survey.text or "")
    assert "كم كانت مبيعاتكم" in (survey.text or "")
    assert "كم كانت مبيعاتكم" in (first_survey(silent, 10).text or "")  # the other one too

    for question, choice in (
        ("sales", "5k_20k"),
        ("customers", "several"),
        ("contacts", "yes"),
        ("satisfaction", "4"),
        ("again", "maybe"),
    ):
        press_button(exhibitor, survey, SurveyAnswer, question=question, choice=choice)
        survey = next_new_message(exhibitor)
    assert "رسالة صوتية" in (survey.text or "")  # the optional voice note, with Skip
    exhibitor.send_voice(duration=5)
    assert "تم تسجيل أجوبتكم" in (next_new_message(exhibitor).text or "")

    organizer = fake.user(ORGANIZER, language_code="fr")
    choose_language(organizer, "Français")
    organizer.send_command("/impact")
    choice = next_new_message(organizer)
    press_button(organizer, choice, ImpactMarket, market="ifrane")
    report = next_new_message(organizer).text or ""
    assert "2 exposants confirmés" in report
    assert "Structures de femmes : 50% · de jeunes : 50%" in report
    assert "Enquête : 1 réponse sur 2 exposants" in report
    assert "5 000 à 20 000 DH : 1" in report
    assert "Oui, plusieurs : 1" in report and "Peut-être : 1" in report
    assert "Satisfaction moyenne : 4,0 / 5" in report
    assert "Messages vocaux : 1" in report
    chart = next_new_message(organizer)
    assert chart.photo is not None
    spreadsheet = next_new_message(organizer)
    assert spreadsheet.document is not None
    sheet = load_workbook(io.BytesIO(spreadsheet.document["content"] or b"")).active
    assert sheet is not None
    rows = {row[1]: row[2:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Confirmés"][0] == 2
    assert rows["Ventes pendant le marché : 5 000 à 20 000 DH"][0] == 1
    assert rows["Ventes pendant le marché : Moins de 1 000 DH"][0] == 0
    assert rows["Satisfaction (1 à 5) : 😀 5"][0] == 0
    assert rows["Satisfaction (1 à 5) : 🙂 4"][0] == 1
    assert rows["Reviendraient : Peut-être"][0] == 1

    organizer.send_command("/stats", "ifrane")  # the same survey figures, short
    assert "Satisfaction moyenne : 4,0 / 5" in (next_new_message(organizer).text or "")
    next_new_message(organizer)  # its chart


def test_the_reminder_comes_once_and_never_more(
    fake: FakeTelegram, bot: BotProcess, markets: Path
) -> None:
    silent = fake.user(SILENT, first_name="Hafsa", language_code="ar")
    answered = fake.user(ANSWERS, first_name="Amina", language_code="ar")
    assert reminders_to(fake, SILENT) == []
    bot.stop()
    write_catalogue(markets, ended_days_ago=4)  # two days pass
    silent.drain()
    answered.drain()
    bot.start()
    reminder = silent.expect_message(timeout=JOB_FIRST_RUN + 20)
    assert "تذكير" in (reminder.text or "") and "كم كانت مبيعاتكم" in (reminder.text or "")
    answered.expect_no_message(within=3)  # finished: no reminder
    # Restarts and the job's runs send nothing more, ever.
    bot.stop()
    bot.start()
    silent.expect_no_message(within=JOB_FIRST_RUN + 5)
    assert len(reminders_to(fake, SILENT)) == 1
    assert reminders_to(fake, ANSWERS) == []
    with sqlite3.connect(bot.database) as connection:
        rows = connection.execute(
            "SELECT COUNT(*) FROM deliveries WHERE template LIKE 'impact_%' AND recipient_id = ?",
            (SILENT,),
        ).fetchone()
    assert rows == (2,)  # the survey and its one reminder
