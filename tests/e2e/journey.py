"""Steps of the application journey, shared by the e2e tests (and usable by benchmarks)."""

from __future__ import annotations

from typing import TypeVar

from bot.callbacks import (
    CallbackData,
    ChooseMarket,
    ChoosePhase,
    Consent,
    EditAnswer,
    MenuItem,
    OpenMenu,
    ShowMarket,
)
from localbotapi import BotMessage, FakeUser

Data = TypeVar("Data", bound=CallbackData)


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


def buttons_of(message: BotMessage, kind: type[Data]) -> list[Data]:
    """The message's buttons of one action (bot/callbacks/), parsed."""
    parsed = (kind.parse(data) for data in message.callback_data())
    return [button for button in parsed if button is not None]


def press_button(user: FakeUser, message: BotMessage, kind: type[Data], **fields: object) -> Data:
    """Press the first button of `kind` whose fields have the values given; returns it."""
    matches = [
        button
        for button in buttons_of(message, kind)
        if all(getattr(button, name) == value for name, value in fields.items())
    ]
    assert matches, f"no {kind.__name__} button with {fields} in {message.describe()}"
    user.press(callback_data=matches[0].pack(), message_id=message.message_id)
    return matches[0]


def choose_language(user: FakeUser, language: str) -> BotMessage:
    user.send_command("/start")
    picker = next_new_message(user)
    user.press(language, message_id=picker.message_id)
    return next_new_message(user)  # the main menu


def open_draft(user: FakeUser, phase_code: str = "ifrane-1") -> BotMessage:
    """From the main menu to the first question: Apply, market, phase, consent."""
    menu = user.last_message
    assert menu is not None
    press_button(user, menu, OpenMenu, item=MenuItem.APPLY)
    markets = next_new_message(user)
    press_button(user, markets, ChooseMarket, market=phase_code.rsplit("-", 1)[0])
    phases = next_new_message(user)
    press_button(user, phases, ChoosePhase, phase=phase_code)
    consent = next_new_message(user)
    press_button(user, consent, Consent, phase=phase_code, yes=True)
    return next_new_message(user)


def open_edit_grid(user: FakeUser, summary: BotMessage) -> BotMessage:
    """Press the summary's "✏️ Modifier une réponse": the same message, now with a ✏️ button
    per answer (and a way back)."""
    press_button(user, summary, EditAnswer, question=None)
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
    wanted = ShowMarket(market_code, int(number))
    card = next(c for c in cards if wanted in buttons_of(c, ShowMarket))
    press_button(user, card, ShowMarket, market=market_code, phase=int(number))
    pin: BotMessage | None = next_new_message(user)
    if pin is not None and pin.venue is None:
        return cards, None, pin
    return cards, pin, next_new_message(user)
