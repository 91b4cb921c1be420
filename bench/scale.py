"""Scale: the console over a national-size database, the real bot against the fake.

Morocco has about 40,000 cooperatives: the database is seeded directly (one transaction of
`executemany`) with USERS users and APPLICATIONS applications spread over the catalogue's
phases, each with a full set of answers, then the bot is started on it and an admin times
/stats, /export of one phase, the review queue and /find over HTTP, from the command to the
last message of its reply. Also measured: the database's size and the bot's start-up time.
"""

from __future__ import annotations

import json
import random
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.process import MeasuredBot
from localbotapi import FakeTelegram, FakeUser
from tests.e2e.journey import next_new_message

ADMIN = 9001
FIRST_USER = 3_000_001
PHASES: tuple[tuple[str, str, int], ...] = (
    ("ifrane-1", "IFR", 1),
    ("ifrane-2", "IFR", 2),
    ("ifrane-3", "IFR", 3),
    ("mohammedia-1", "MOH", 1),
)
STAMP = "2026-11-01T10:00:00+00:00"
SECTORS = ("crafts", "beauty", "agrifood", "services", "other")
PROVINCES = ("fes", "meknes", "el_hajeb", "ifrane", "sefrou", "taza", "mohammedia", "other")
FORMS = ("cooperative", "cooperative", "cooperative", "association", "auto_entrepreneur", "tpe")
LED_BY = ("women", "youth", "women_youth", "none")
NEEDS = ("electricity", "table", "chairs", "water", "shade", "storage")
WORDS = ("Tifawin", "Amal", "Argan", "Atlas", "Nour", "Zitoun", "Taddart", "Izourane", "Assafou")


@dataclass
class ScaleResult:
    users: int
    applications: int
    answers: int = 0
    seed_seconds: float = 0.0
    database_bytes: int = 0
    startup_seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # command -> seconds
    errors: list[str] = field(default_factory=list)


def _status(index: int) -> str:
    """Statuses of one phase's applications by their rank: places given (capacity 70), then
    decisions, withdrawals, a waiting list, and mostly applications waiting for review."""
    if index < 40:
        return "confirmed"
    if index < 70:
        return "accepted"
    if index % 10 == 0:
        return "rejected"
    if index % 25 == 1:
        return "withdrawn"
    if index % 9 == 2:
        return "waitlisted"
    return "submitted"


def _answers(rng: random.Random, number: int, phone: str, form: str) -> dict[str, object]:
    name = f"{rng.choice(('Coopérative', 'Association'))} {rng.choice(WORDS)} {number}"
    answers: dict[str, object] = {
        "legal_form": form,
        "structure_name": name,
        "province": rng.choice(PROVINCES),
        "town": rng.choice(("Azrou", "Ifrane", "Fès", "Meknès", "Sefrou", "Mohammedia")),
        "sector": rng.choice(SECTORS),
        "products": "Huile d'argan, amlou, savon beldi"
        if number % 3
        else {"voice": f"AwACAgQ{number}", "duration": 7},
        "members": rng.randint(7, 120),
        "led_by": rng.choice(LED_BY),
        "contact_name": f"Fatima Zahra {number}",
        "phone": phone,
        "stand_needs": rng.sample(NEEDS, rng.randint(0, 3)),
        "trainings": [],
        "programmes": [],
        "photos": None,
    }
    answers["women_members"] = rng.randint(0, int(answers["members"]))  # type: ignore[call-overload]
    if form == "cooperative":
        answers["coop_register"] = f"{number % 9000 + 1000}/{2000 + number % 25}"
    elif form == "tpe":
        answers["ice"] = f"{number:015d}"
    elif form == "auto_entrepreneur":
        answers["rnae"] = f"{number:08d}"
    return answers


def seed(database: Path, users: int, applications: int, seed_value: int = 7) -> int:
    """Users, applications and answers straight into the bot's (migrated) database, in one
    transaction; returns the number of answer rows."""
    rng = random.Random(seed_value)
    user_ids = list(range(FIRST_USER, FIRST_USER + users))
    # Each user applies to one phase, the first ones to a second phase too.
    per_phase: dict[str, int] = {code: 0 for code, _, _ in PHASES}
    application_rows: list[tuple[object, ...]] = []
    answer_rows: list[tuple[object, ...]] = []

    def applicants() -> Iterator[tuple[int, int]]:
        for rank in range(applications):
            yield rank, user_ids[rank % users]

    for number, (rank, user_id) in enumerate(applicants(), start=1):
        code, prefix, phase_number = PHASES[(rank // users + rank) % len(PHASES)]
        index = per_phase[code]
        per_phase[code] += 1
        status = _status(index)
        phone = f"+2126{number:08d}"
        form = FORMS[number % len(FORMS)]
        answers = _answers(rng, number, phone, form)
        identifier = next(
            (str(answers[k]) for k in ("coop_register", "ice", "rnae") if k in answers), None
        )
        application_rows.append(
            (
                number,
                user_id,
                code,
                status,
                f"{prefix}-{phase_number}-{index + 1:04d}",
                phone,
                identifier,
                STAMP,
                STAMP,
                STAMP,
            )
        )
        answer_rows.extend(
            (number, key, json.dumps(value, ensure_ascii=False), STAMP)
            for key, value in answers.items()
        )
    with sqlite3.connect(database) as connection:
        connection.executemany(
            "INSERT INTO users (id, locale, first_name, first_seen, last_seen)"
            " VALUES (?, ?, '', ?, ?)",
            ((user_id, "ar" if user_id % 2 else "fr", STAMP, STAMP) for user_id in user_ids),
        )
        connection.executemany(
            "INSERT INTO applications (id, user_id, phase_code, status, reference, phone,"
            " identifier, created_at, updated_at, submitted_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            application_rows,
        )
        connection.executemany(
            "INSERT INTO answers (application_id, question, value, answered_at)"
            " VALUES (?, ?, ?, ?)",
            answer_rows,
        )
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return len(answer_rows)


def _size(database: Path) -> int:
    wal = database.with_name(database.name + "-wal")
    return database.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def _timed(user: FakeUser, command: str, *args: str, replies: int, timeout: float) -> float:
    """Seconds from sending the command to the last of its `replies` new messages."""
    user.drain()
    began = time.monotonic()
    user.send_command(command, *args)
    for _ in range(replies):
        next_new_message(user, timeout=timeout)
    return time.monotonic() - began


def run(users: int = 60_000, applications: int = 100_000, timeout: float = 120.0) -> ScaleResult:
    result = ScaleResult(users, applications)
    with tempfile.TemporaryDirectory() as workdir, FakeTelegram() as fake:
        bot = MeasuredBot(fake, Path(workdir), {"ADMIN_IDS": str(ADMIN), "QUIET_HOURS": "off"})
        bot.start()  # creates and migrates the database
        bot.stop()
        began = time.monotonic()
        result.answers = seed(bot.database, users, applications)
        result.seed_seconds = time.monotonic() - began
        bot.start(timeout=timeout)
        result.startup_seconds = bot.startup_seconds
        try:
            admin = fake.user(ADMIN, first_name="Nadia", language_code="fr")
            admin.send_command("/start")
            picker = next_new_message(admin, timeout=timeout)
            admin.press(callback_data="lang:fr", message_id=picker.message_id)
            next_new_message(admin, timeout=timeout)
            commands = (
                ("/stats", ("ifrane",), 2),  # the text, then the chart
                ("/export", ("ifrane", "1"), 2),  # the .xlsx, then the .csv
                ("/review", ("ifrane", "1"), 2),  # the count, then the first card
                ("/find", ("Tifawin", "4242"), 1),  # part of a name
                ("/find", ("+212600004242",), 1),  # a phone number
            )
            for command, args, replies in commands:
                name = " ".join((command, *args))
                try:
                    result.timings[name] = _timed(
                        admin, command, *args, replies=replies, timeout=timeout
                    )
                except AssertionError as error:
                    result.errors.append(f"{name}: {str(error)[:500]}")
            result.database_bytes = _size(bot.database)
        finally:
            code = bot.stop(timeout=60)
            if code != 0 or "Traceback" in bot.log():
                result.errors.append(f"bot exited with {code}: {bot.log()[-3000:]}")
    return result
