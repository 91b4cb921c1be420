"""Flood control over HTTP: one user floods, gets one warning in Arabic, others are served."""

from __future__ import annotations

import time

import pytest

from bot.callbacks import MenuItem, OpenMenu
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.journey import buttons_of, choose_language, next_new_message

MAX_UPDATES = 10
WINDOW = 4  # seconds: short, so that the pause ends within the test
SLOW_DOWN_AR = "مهلاً"
HINT_AR = "لم أفهم"


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    env = {"FLOOD_MAX_UPDATES": str(MAX_UPDATES), "FLOOD_WINDOW_SECONDS": str(WINDOW)}
    return start_bot(env=env)


def messages_until_quiet(user: FakeUser, quiet: float = 1.5) -> list[BotMessage]:
    received: list[BotMessage] = []
    while True:
        try:
            received.append(user.expect_message(timeout=quiet))
        except AssertionError:
            return received


def test_flooder_warned_once_while_another_user_is_served(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    flooder = fake.user(new_user_id, first_name="Hamid", language_code="fr")
    other = fake.user(new_user_id + 50_000, first_name="Amina", language_code="fr")
    menu = choose_language(flooder, "العربية")  # 2 updates: /start and the button

    for number in range(40):
        flooder.send_text(f"رسالة {number}")
    other.send_command("/start")

    # Served until the limit (the 2 updates above count), then one warning, in Arabic.
    served = MAX_UPDATES - 2
    for _ in range(served):
        assert HINT_AR in (next_new_message(flooder).text or "")
    warning = next_new_message(flooder)
    assert SLOW_DOWN_AR in (warning.text or "")
    assert f"{WINDOW} ثوانٍ" in (warning.text or "")
    warned_at = time.monotonic()

    # While paused, a button press is still answered (the spinner stops), with nothing else.
    (help_data,) = [b.pack() for b in buttons_of(menu, OpenMenu) if b.item is MenuItem.HELP]
    query_id = flooder.press(callback_data=help_data, message_id=menu.message_id)
    assert flooder.callback_answer(query_id)["text"] is None

    # Meanwhile the other user is served normally.
    picker = next_new_message(other)
    other.press("Français", message_id=picker.message_id)
    assert "Amina" in (next_new_message(other).text or "")
    other.send_command("/help")
    assert "/apply" in (next_new_message(other).text or "")

    assert messages_until_quiet(flooder) == []  # the other 30 messages and the press: ignored
    assert time.monotonic() - warned_at < WINDOW, "the checks above ran into the pause's end"

    # After the pause, the flooder is served again (and warned no more).
    time.sleep(max(0.0, warned_at + WINDOW + 0.2 - time.monotonic()))
    flooder.send_command("/help")
    help_text = next_new_message(flooder).text or ""
    assert "/apply" in help_text and SLOW_DOWN_AR not in help_text
    warnings = [e for e in flooder.events if SLOW_DOWN_AR in (e.text or "")]
    assert len(warnings) == 1
