"""Broadcasts over HTTP with the fake enforcing Telegram's limits (30/s overall, 1/s per chat).

300 applicants are written straight into the database (filling 300 questionnaires over HTTP
would take minutes and is covered elsewhere); the organizer uses the real console, at a human
pace (more than a second between the taps that make the bot send a message).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

import pytest

from bot.callbacks import BroadcastAction, BroadcastStep
from localbotapi import FakeTelegram
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.broadcasting import (
    ORGANIZER,
    compose,
    kill_with_a_send_in_flight,
    open_console,
    pause,
    received,
    report_of,
    seed,
    send_and_count,
    throttled_recipients,
    wait_for,
)
from tests.e2e.journey import buttons_of, next_new_message

RECIPIENTS = list(range(50_001, 50_301))
BEAUTY = RECIPIENTS[:20]  # the sector of the smaller broadcasts


@pytest.fixture(scope="module")
def limited() -> Iterator[FakeTelegram]:
    with FakeTelegram(token="123456:TEST-TOKEN", enforce_limits=True) as server:
        yield server


@pytest.fixture(scope="module")
def bot(limited: FakeTelegram, start_bot: StartBot) -> BotProcess:
    process = start_bot(name="broadcast", admins=[ORGANIZER], quiet_hours="off", fake=limited)
    assert process.stop() == 0  # it created the database
    seed(str(process.database), RECIPIENTS, BEAUTY)
    for user_id in RECIPIENTS:
        limited.user(user_id, first_name="Coop", language_code="fr")
    process.start()
    return process


def test_300_recipients_exactly_once_and_no_429(limited: FakeTelegram, bot: BotProcess) -> None:
    organizer = limited.user(ORGANIZER, first_name="Nadia", language_code="fr")
    open_console(organizer)
    preview = compose(organizer, "ANNONCE-1")
    assert "ANNONCE-1" in (preview.text or "")  # the preview is the message itself
    assert send_and_count(organizer, preview) == 300
    wait_for(limited, "ANNONCE-1", 300, timeout=40)
    counts = received(limited, "ANNONCE-1")
    assert sorted(counts) == RECIPIENTS and set(counts.values()) == {1}
    assert throttled_recipients(limited) == {}
    # Each recipient read it in their own language.
    arabic = limited.calls("sendMessage", chat_id=RECIPIENTS[0])[-1].params["text"]  # odd: ar
    assert "سوق إفران" in str(arabic)
    # The progress message ends as a report, and a report message follows.
    assert "Envoyés : 300" in report_of(organizer, 1)


def test_a_recipient_who_blocked_the_bot_is_marked_then_skipped(
    limited: FakeTelegram, bot: BotProcess
) -> None:
    organizer = limited.user(ORGANIZER)
    blocked = BEAUTY[0]
    limited.block(blocked, notify=False)
    assert send_and_count(organizer, compose(organizer, "ANNONCE-2", "beauty")) == 20
    wait_for(limited, "ANNONCE-2", 19, timeout=20)
    assert "bloqué le bot : 1" in report_of(organizer, 2)
    with sqlite3.connect(bot.database) as connection:
        (flag,) = connection.execute(
            "SELECT blocked FROM users WHERE id = ?", (blocked,)
        ).fetchone()
    assert flag == 1
    attempts_before = len(limited.calls("sendMessage", chat_id=blocked))
    assert send_and_count(organizer, compose(organizer, "ANNONCE-3", "beauty")) == 19
    wait_for(limited, "ANNONCE-3", 19, timeout=20)
    assert "Envoyés : 19" in report_of(organizer, 3)
    assert len(limited.calls("sendMessage", chat_id=blocked)) == attempts_before
    assert throttled_recipients(limited) == {}


def test_killed_mid_broadcast_it_resumes_with_no_duplicate(
    limited: FakeTelegram, bot: BotProcess
) -> None:
    organizer = limited.user(ORGANIZER)
    assert send_and_count(organizer, compose(organizer, "ANNONCE-4")) == 299  # one blocked
    wait_for(limited, "ANNONCE-4", 100, timeout=20)
    in_flight = kill_with_a_send_in_flight(limited, bot, RECIPIENTS)
    before = sum(received(limited, "ANNONCE-4").values())
    assert before < 299
    bot.start()
    wait_for(limited, "ANNONCE-4", 299 - 4, timeout=40)
    report_of(organizer, 4, timeout=30)
    counts = received(limited, "ANNONCE-4")
    assert max(counts.values()) == 1  # no one twice
    with sqlite3.connect(bot.database) as connection:
        uncertain = {
            row[0]
            for row in connection.execute(
                "SELECT recipient_id FROM deliveries WHERE status = 'failed'"
                " AND last_error LIKE 'interrupted%' AND broadcast_id IS NOT NULL"
            )
        }
    expected = set(RECIPIENTS) - {BEAUTY[0]}
    # No one skipped: everyone got it, except at most the few messages that were on their way
    # when the process died, which the bot cannot know about and reports instead of resending.
    assert expected - set(counts) <= uncertain
    assert in_flight in uncertain and counts[in_flight] == 1  # delivered, reported, not resent
    assert len(uncertain) <= 4
    # The organizers are told.
    limited.wait_until(
        lambda: any("redémarrage" in (message.text or "") for message in organizer.messages),
        timeout=20,
        interval=0.2,
        message="the organizer told of the interrupted messages",
    )
    assert throttled_recipients(limited) == {}


def test_broadcasts_lists_them_and_stops_one_still_sending(
    limited: FakeTelegram, bot: BotProcess
) -> None:
    organizer = limited.user(ORGANIZER)
    organizer.drain()
    assert send_and_count(organizer, compose(organizer, "ANNONCE-5")) == 299
    wait_for(limited, "ANNONCE-5", 30, timeout=20)
    pause()
    organizer.send_command("/broadcasts")
    history = next_new_message(organizer)
    while "Dernières annonces" not in (history.text or ""):  # past the progress message
        history = next_new_message(organizer)
    assert "n°5 : envoi en cours" in (history.text or "")
    assert "n°1 : envoi terminé" in (history.text or "")
    stop = [
        button.pack()
        for button in buttons_of(history, BroadcastStep)
        if button.action is BroadcastAction.STOP
    ]
    assert stop == ["bc:stop:5"]  # only the one still sending can be stopped
    pause()
    organizer.press(callback_data=stop[0], message_id=history.message_id)
    limited.wait_until(
        lambda: any("n°5 : envoi arrêté" in (m.text or "") for m in organizer.messages),
        timeout=15,
        interval=0.3,
    )
    time.sleep(2)  # what was on its way has arrived; nothing more comes
    count = sum(received(limited, "ANNONCE-5").values())
    time.sleep(2)
    assert sum(received(limited, "ANNONCE-5").values()) == count < 299
    with sqlite3.connect(bot.database) as connection:
        (cancelled,) = connection.execute(
            "SELECT COUNT(*) FROM deliveries WHERE broadcast_id = 5 AND status = 'cancelled'"
        ).fetchone()
    assert cancelled == 299 - count
