"""The bot process is killed with SIGKILL at random moments while 50 applicants fill in their
applications and a broadcast to 600 people is sending. After each kill, after each restart and
at the end: every answer the bot acknowledged is in the database, no one got the broadcast
twice, and `PRAGMA integrity_check` says ok. At the end every applicant has sent a complete
application, and whoever did not get the broadcast is among the few deliveries reported as
interrupted. The first kill always catches a broadcast message on its way (the fake holds its
answer), so the report to the organizers is always checked.

The moments come from a seeded random generator; the seed is printed (run with `-s`), and
`CRASH_SEED=<seed>` replays the same schedule (the rest depends on timing, as crashes do).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.catalogue import DEFAULT_CATALOGUE_PATH, load_catalogue
from bot.services.catalogue import sync_catalogue
from localbotapi import FakeTelegram
from storage.catalogue import CatalogueRepository
from storage.db import Database
from tests.e2e.bot_process import BotProcess
from tests.e2e.broadcasting import (
    ORGANIZER,
    compose,
    kill_with_a_send_in_flight,
    press_prefix,
    received,
    seed,
    send_and_count,
)
from tests.e2e.crowd import ApplicantResult, CrowdResult, run_crowd
from tests.e2e.journey import next_new_message

APPLICANTS = 50
FIRST_APPLICANT = 70_001
RECIPIENTS = list(range(60_001, 60_601))
KILLS = 3
MARKER = "ANNONCE-CRASH"
# Replies and the broadcast share this budget: low enough for the broadcast to last through
# the kills, high enough for the whole test to take about a minute.
MESSAGES_PER_SECOND = "100"
RECOVER_AFTER = 3.0  # an applicant with no answer for this long taps Continue
HEAD_START = 4.0  # the applicants start this long after the organizer starts composing
# Applicants read for this long before each tap: replies go before the outbox, so scripts
# answering at once would leave the broadcast no room until they are done.
PAUSE = 0.5
IN_FLIGHT = 4  # bot.services.outbox.IN_FLIGHT: the most one crash can leave uncertain


pytestmark = pytest.mark.timeout(240)  # about a minute; slow machines get some room


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token="123456:TEST-TOKEN") as server:
        yield server


@pytest.fixture
def bot(fake: FakeTelegram, tmp_path: Path) -> Iterator[BotProcess]:
    process = BotProcess(
        fake,
        tmp_path,
        {
            "ADMIN_IDS": str(ORGANIZER),
            "QUIET_HOURS": "off",
            "MESSAGES_PER_SECOND": MESSAGES_PER_SECOND,
        },
    )
    yield process
    if process.process is not None and process.process.poll() is None:
        process.kill()  # a failed test must not leave a bot polling a fake that is gone


def create_database(path: Path) -> None:
    """The schema and the catalogue, as the bot's start-up writes them (seeding after a start
    and a stop of the bot would cost two long polls' time)."""

    async def create() -> None:
        db = await Database.open(path)
        try:
            await sync_catalogue(load_catalogue(DEFAULT_CATALOGUE_PATH), CatalogueRepository(db))
        finally:
            await db.close()

    asyncio.run(create())


def read_only(database: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{database}?mode=ro", uri=True)


def stored_answers(database: Path) -> dict[int, tuple[str, dict[str, Any]]]:
    """user id -> (status, complete answers) of each applicant's application."""
    found: dict[int, tuple[str, dict[str, Any]]] = {}
    with read_only(database) as connection:
        for user_id, status, application_id in connection.execute(
            "SELECT user_id, status, id FROM applications WHERE user_id >= ?", (FIRST_APPLICANT,)
        ).fetchall():
            assert user_id not in found, f"user {user_id} has two applications"
            answers = {
                question: json.loads(value)
                for question, value in connection.execute(
                    "SELECT question, value FROM answers WHERE application_id = ? AND complete = 1",
                    (application_id,),
                )
            }
            found[user_id] = (status, answers)
    return found


def check_database(
    fake: FakeTelegram, database: Path, applicants: list[ApplicantResult], moment: str
) -> int:
    """The promises that hold whenever one looks. Returns how many answers were checked."""
    # What the applicants saw acknowledged BEFORE the file is read: all of it must be there.
    seen = fake.call(lambda: [(a.user_id, dict(a.acknowledged)) for a in applicants])
    with read_only(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)], moment
    stored = stored_answers(database)
    checked = 0
    for user_id, acknowledged in seen:
        if not acknowledged:
            continue
        assert user_id in stored, f"{moment}: user {user_id}'s application is gone"
        _, answers = stored[user_id]
        for key, value in acknowledged.items():
            assert answers.get(key) == value, (
                f"{moment}: user {user_id}'s acknowledged {key}={value!r} is stored as "
                f"{answers.get(key, '<missing>')!r}"
            )
            checked += 1
    twice = {chat: n for chat, n in received(fake, MARKER).items() if n > 1}
    assert not twice, f"{moment}: the broadcast reached these chats more than once: {twice}"
    return checked


def broadcast_sent(fake: FakeTelegram) -> int:
    """Messages the recipients got (nothing but the broadcast reaches them), from the fake's
    counters: cheap enough to poll, unlike the recorded calls `received` goes through."""
    per_chat = fake.stats.sent_per_chat
    return sum(per_chat[chat] for chat in RECIPIENTS)


def interrupted(database: Path) -> set[int]:
    with read_only(database) as connection:
        return {
            row[0]
            for row in connection.execute(
                "SELECT recipient_id FROM deliveries WHERE broadcast_id IS NOT NULL"
                " AND status = 'failed' AND last_error LIKE 'interrupted%'"
            )
        }


def broadcast_pending(database: Path) -> int:
    with read_only(database) as connection:
        (count,) = connection.execute(
            "SELECT COUNT(*) FROM deliveries WHERE broadcast_id IS NOT NULL"
            " AND status IN ('pending', 'sending')"
        ).fetchone()
    return int(count)


def test_killed_at_random_moments_loses_nothing_acknowledged_and_sends_nothing_twice(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    chosen = os.environ.get("CRASH_SEED")
    crash_seed = int(chosen) if chosen else random.SystemRandom().randrange(2**32)
    print(f"\ncrash test seed: CRASH_SEED={crash_seed}")
    rng = random.Random(crash_seed)
    started = time.monotonic()

    create_database(bot.database)
    seed(str(bot.database), RECIPIENTS)
    for user_id in RECIPIENTS:
        fake.user(user_id, first_name="Coop", language_code="fr")
    organizer = fake.user(ORGANIZER, first_name="Nadia", language_code="fr")
    organizer.send_command("/start")  # waiting already: the bot's first poll returns at once
    bot.start()

    # The applicants start while the organizer composes the broadcast, at a person's pace: they
    # are into the questionnaire when it starts. They apply to Mohammedia, so that the
    # broadcast (to Ifrane's applicants) keeps the audience it was composed for.
    applicants: list[ApplicantResult] = []
    outcome: list[CrowdResult] = []

    def apply() -> None:
        time.sleep(HEAD_START)
        crowd = run_crowd(
            fake,
            APPLICANTS,
            first_user_id=FIRST_APPLICANT,
            phases=("mohammedia-1",),
            recover_after=RECOVER_AFTER,
            pause=PAUSE,
            deadline=time.monotonic() + 100,
            results=applicants,
        )
        outcome.append(fake.run_coroutine(crowd))

    crowd = threading.Thread(target=apply, name="applicants")
    crowd.start()
    press_prefix(organizer, next_new_message(organizer), "lang:fr")
    preview = compose(organizer, MARKER)
    assert send_and_count(organizer, preview) == len(RECIPIENTS)
    fake.wait_until(
        lambda: broadcast_sent(fake) > 0, timeout=20, interval=0.1, message="the broadcast starts"
    )

    # The first kill soon after the broadcast starts; each next one once the applicants have
    # had time to notice (RECOVER_AFTER) and go on.
    # The first kill also lands, every time, while a broadcast message is on its way: the
    # fake delivers it and holds its answer, so the bot cannot know whether it arrived.
    checked = 0
    in_flight = 0
    for kill in range(1, KILLS + 1):
        time.sleep(rng.uniform(0.5, 3.0) if kill == 1 else rng.uniform(5.0, 8.0))
        if kill == 1:
            in_flight = kill_with_a_send_in_flight(fake, bot, RECIPIENTS)
        else:
            bot.kill()
        acknowledged = fake.call(lambda: sum(len(a.acknowledged) for a in applicants))
        print(
            f"kill {kill} at {time.monotonic() - started:.1f} s: broadcast "
            f"{broadcast_sent(fake)}/{len(RECIPIENTS)}, answers acknowledged {acknowledged}"
        )
        checked += check_database(fake, bot.database, applicants, f"after kill {kill}")
        restarting = time.monotonic()
        bot.start()
        print(f"  restarted in {time.monotonic() - restarting:.1f} s")
        checked += check_database(fake, bot.database, applicants, f"after restart {kill}")

    crowd.join(timeout=120)
    assert not crowd.is_alive(), "the applicants did not finish"
    (result,) = outcome
    print(f"applicants: {result.summary()}")
    fake.wait_until(
        lambda: broadcast_pending(bot.database) == 0,
        timeout=30,
        interval=0.5,
        message="the broadcast finishes",
    )
    checked += check_database(fake, bot.database, applicants, "at the end")

    # Every applicant sent a complete application: what is stored is the last answer each
    # sent to each question, whether or not they saw it acknowledged.
    failures = [f"user {user}: {error}" for user, error in result.failures.items()]
    assert not failures, f"{len(failures)} applicants failed; the first:\n" + "\n".join(
        failures[:3]
    )
    assert not [a.apologies for a in result.applicants if a.apologies]
    stored = stored_answers(bot.database)
    for applicant in result.applicants:
        status, answers = stored[applicant.user_id]
        assert status == "submitted", (applicant.user_id, status)
        assert answers == applicant.answered, (applicant.user_id, answers, applicant.answered)

    # The broadcast: no one twice; no one left out but the few messages on their way at a
    # crash, which the bot reports to the organizers instead of sending them again.
    counts = received(fake, MARKER)
    assert max(counts.values()) == 1
    uncertain = interrupted(bot.database)
    missing = set(RECIPIENTS) - set(counts)
    assert missing <= uncertain, missing - uncertain
    assert len(uncertain) <= IN_FLIGHT * KILLS
    # The message on its way at the first kill arrived once, is reported, was not resent.
    assert in_flight in uncertain and counts[in_flight] == 1
    fake.wait_until(  # the organizers are told
        lambda: any("redémarrage" in (m.text or "") for m in organizer.messages),
        timeout=20,
        interval=0.2,
        message="the organizer told of the interrupted messages",
    )
    print(
        f"broadcast: {sum(counts.values())}/{len(RECIPIENTS)} received once, "
        f"{len(uncertain)} reported interrupted; {checked} acknowledged answers checked; "
        f"{time.monotonic() - started:.0f} s"
    )
    assert bot.stop() == 0
    assert "Traceback" not in bot.log_path.read_text(errors="replace"), bot.log()
