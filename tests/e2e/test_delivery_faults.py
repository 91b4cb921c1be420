"""The outbox against Telegram's faults, over HTTP (issue 13, items 1 to 3): a decision is
delivered once, or the team is told; never twice.

The fake Bot API plays the faults: 5xx for one chat for a while, the message delivered and
its answer coming after the bot's read timeout (5 s, python-telegram-bot's default), a
refusal (401)."""

from __future__ import annotations

import sqlite3
import time

import pytest

from localbotapi import BotMessage, FakeTelegram, FakeUser
from storage.templates import Template
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.test_decisions import ADMIN, accept, apply_with_training

pytestmark = pytest.mark.timeout(240)

REPORT = "n'ont pas été remis avec certitude"


@pytest.fixture(scope="module")
def bot(fake: FakeTelegram, start_bot: StartBot) -> BotProcess:
    process = start_bot(name="delivery", admins=[ADMIN], quiet_hours="off")
    organizer = fake.user(ADMIN, first_name="Admin", language_code="fr")
    organizer.send_command("/start")
    organizer.expect_message()
    organizer.press("Français")
    organizer.expect_message()
    return process


def decisions(user: FakeUser) -> list[BotMessage]:
    """The decision messages (they carry Confirm and Decline) among the unread ones."""
    return [m for m in user.drain() if any(d.startswith("cf:") for d in m.callback_data())]


def delivery_rows(bot: BotProcess, user_id: int) -> list[tuple[str, str | None]]:
    """The decision's delivery (an acceptance also queues the training seat's confirmation)."""
    with sqlite3.connect(bot.database) as connection:
        return list(
            connection.execute(
                "SELECT status, last_error FROM deliveries WHERE recipient_id = ?"
                f" AND kind = 'notification' AND template = '{Template.DECISION}' ORDER BY id",
                (user_id,),
            )
        )


def wait_for_report(organizer: FakeUser, timeout: float = 40.0) -> BotMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in organizer.drain():
            if REPORT in (message.text or ""):
                return message
        time.sleep(0.2)
    raise AssertionError("the organizer was not told")


def test_a_decision_survives_a_server_error_longer_than_thirty_seconds(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    """Before: five tries in 30 s (2, 4, 8, 16 s), then `failed` and nobody told."""
    applicant = fake.user(new_user_id, language_code="fr")
    reference = apply_with_training(applicant, "Français")
    applicant.drain()
    fake.fail_chat(applicant.id, 36.0)  # 500 Internal Server Error to every send
    accept(fake, reference)
    deadline = time.monotonic() + 120
    received: list[BotMessage] = []
    while not received and time.monotonic() < deadline:
        received = decisions(applicant)
        time.sleep(0.5)
    assert len(received) == 1, delivery_rows(bot, applicant.id)
    time.sleep(3)
    assert decisions(applicant) == []  # once
    statuses = [status for status, _ in delivery_rows(bot, applicant.id)]
    assert statuses[-1] == "sent", statuses


def test_a_decision_answered_late_is_not_sent_again_and_the_team_is_told(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    """Before: the bot took the read timeout for a failure and sent the acceptance again."""
    applicant = fake.user(new_user_id, language_code="fr")
    reference = apply_with_training(applicant, "Français")
    applicant.drain()
    organizer = fake.user(ADMIN)
    fake.answer_late(7.0, "sendMessage", chat_id=applicant.id)
    accept(fake, reference)
    report = wait_for_report(organizer)
    assert reference in (report.text or ""), report.text
    assert "peut-être été reçu" in (report.text or ""), report.text
    time.sleep(4)  # well past any retry
    assert len(decisions(applicant)) == 1  # the one that arrived, answered late
    ((status, error),) = delivery_rows(bot, applicant.id)
    assert status == "failed" and (error or "").startswith("uncertain"), error


def test_a_refused_send_ends_failed_and_the_team_is_told(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    """Before: an unexpected error (401 here) left the row `sending` until a restart. (The
    team's report is rate-limited: the previous test had this run's first one; the unit tests
    check the report of each kind of failure.)"""
    applicant = fake.user(new_user_id, language_code="fr")
    reference = apply_with_training(applicant, "Français")
    applicant.drain()
    fake.fail_chat(applicant.id, None, count=1, error_code=401, description="Unauthorized")
    accept(fake, reference)
    deadline = time.monotonic() + 20
    while delivery_rows(bot, applicant.id)[0][0] in ("pending", "sending"):
        assert time.monotonic() < deadline, delivery_rows(bot, applicant.id)
        time.sleep(0.2)
    ((status, error),) = delivery_rows(bot, applicant.id)
    assert status == "failed" and "InvalidToken" in (error or ""), error
    with sqlite3.connect(bot.database) as connection:
        ((to_report,),) = connection.execute(
            "SELECT COUNT(*) FROM deliveries WHERE recipient_id = ? AND report = 1",
            (applicant.id,),
        )
    assert to_report == 1  # reported with the next report
    assert decisions(applicant) == []
