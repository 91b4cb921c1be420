"""Telegram delivers updates at least once: an update the bot handled but had not yet confirmed
(its next getUpdates, carrying the offset, had not reached Telegram) comes again after a crash.
The bot must not handle it twice (users.last_update_id, migration 0008): a typed answer saved
again would become the answer to the next question."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from localbotapi import FakeTelegram
from tests.e2e.bot_process import BotProcess
from tests.e2e.journey import choose_language, next_new_message, open_draft, press_code

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token="123456:TEST-TOKEN") as server:
        yield server


@pytest.fixture
def bot(fake: FakeTelegram, tmp_path: Path) -> Iterator[BotProcess]:
    process = BotProcess(fake, tmp_path)
    yield process
    if process.process is not None and process.process.poll() is None:
        process.kill()


def answers(database: Path, user_id: int) -> dict[str, str]:
    with sqlite3.connect(database) as connection:
        return dict(
            connection.execute(
                "SELECT question, value FROM answers JOIN applications"
                " ON applications.id = answers.application_id WHERE user_id = ?",
                (user_id,),
            ).fetchall()
        )


def test_an_update_handled_then_redelivered_after_a_crash_is_ignored(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    bot.start()
    applicant = fake.user(10_500, language_code="fr")
    choose_language(applicant, "Français")
    legal_form = open_draft(applicant)
    press_code(applicant, legal_form, ":cooperative")
    name = next_new_message(applicant)
    assert "nom" in (name.text or "").lower(), name.text

    fake.hold_polling()  # from now on, the bot's confirmations do not arrive
    applicant.send_text("Coopérative Tifawin")
    register = next_new_message(applicant)  # handled: saved, and the next question asked
    assert register.message_id != name.message_id
    saved = answers(bot.database, applicant.id)
    assert saved["structure_name"] == '"Coopérative Tifawin"', saved
    assert any("Tifawin" in str(u) for u in fake.pending_updates())  # still unconfirmed
    bot.kill()
    fake.release_polling()

    bot.start()  # Telegram hands the bot the same update again
    deadline = time.monotonic() + 15
    while any("Tifawin" in str(u) for u in fake.pending_updates()):
        assert time.monotonic() < deadline, "the redelivered update was never confirmed"
        time.sleep(0.1)
    redelivered = [
        call
        for call in fake.calls("getUpdates")
        if call.status == 200 and "Tifawin" in str(call.response.get("result"))
    ]
    assert len(redelivered) == 2, "the update was not delivered twice: the test proves nothing"
    applicant.expect_no_message(2.0)  # not answered again
    assert answers(bot.database, applicant.id) == saved  # and not saved again
    assert "already handled: ignored" in bot.log()
    assert bot.stop() == 0
