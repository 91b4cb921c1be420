"""Steps of the application journey, shared by the e2e tests (and usable by benchmarks)."""

from __future__ import annotations

from tests.fake_telegram import BotMessage, FakeUser


def next_new_message(user: FakeUser, timeout: float = 10.0) -> BotMessage:
    """The next message the bot SENT, skipping edits of earlier ones."""
    while True:
        message = user.expect_message(timeout=timeout)
        if not message.edited:
            return message


def press_code(user: FakeUser, message: BotMessage, suffix: str) -> None:
    """Press the button whose callback data ends with `suffix` (language-independent)."""
    matches = [data for data in message.callback_data() if data.endswith(suffix)]
    assert matches, f"no button ending {suffix!r} in {message.describe()}"
    user.press(callback_data=matches[0], message_id=message.message_id)


def question_key(message: BotMessage) -> str | None:
    """The questionnaire key a question message asks (from its buttons), if it has any."""
    for data in message.callback_data():
        parts = data.split(":")
        if parts[0] in {"a", "t", "d", "s"} and len(parts) >= 3:
            return parts[2]
    return None


def choose_language(user: FakeUser, language: str) -> BotMessage:
    user.send_command("/start")
    picker = next_new_message(user)
    user.press(language, message_id=picker.message_id)
    return next_new_message(user)  # the main menu


def open_draft(user: FakeUser, phase_code: str = "ifrane-1") -> BotMessage:
    """From the main menu to the first question: Apply, market, phase, consent."""
    menu = user.last_message
    assert menu is not None
    press_code(user, menu, "menu:apply")
    markets = next_new_message(user)
    press_code(user, markets, f"apply:{phase_code.rsplit('-', 1)[0]}")
    phases = next_new_message(user)
    press_code(user, phases, f"ph:{phase_code}")
    consent = next_new_message(user)
    press_code(user, consent, f"cons:{phase_code}:y")
    return next_new_message(user)


def open_edit_grid(user: FakeUser, summary: BotMessage) -> BotMessage:
    """Press the summary's "✏️ Modifier une réponse": the same message, now with a ✏️ button
    per answer (and a way back)."""
    opener = [
        data for data in summary.callback_data() if data.startswith("e:") and data.count(":") == 1
    ]
    assert opener, f"no ✏️ button in {summary.describe()}"
    user.press(callback_data=opener[0], message_id=summary.message_id)
    while True:
        message = user.expect_message()
        if message.edited and message.message_id == summary.message_id:
            return message


def open_info_phase(
    user: FakeUser, phase_code: str, markets: int = 2
) -> tuple[list[BotMessage], BotMessage | None, BotMessage]:
    """/info (one card per market: `markets` of them), then the button of one phase: the
    cards, the venue pin (None if the next message is not one), and the phase's details."""
    user.send_command("/info")
    cards = [next_new_message(user) for _ in range(markets)]
    market_code, number = phase_code.rsplit("-", 1)
    card = next(c for c in cards if f"mkt:{market_code}:{number}" in c.callback_data())
    press_code(user, card, f"mkt:{market_code}:{number}")
    pin: BotMessage | None = next_new_message(user)
    if pin is not None and pin.venue is None:
        return cards, None, pin
    return cards, pin, next_new_message(user)
