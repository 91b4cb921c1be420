"""The error handler in-process (issue 13, item 5): one apology per update, and the update
goes to no other handler group."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import Chat, Message, Update, User
from telegram.ext import ApplicationHandlerStop

from bot.handlers.errors import APOLOGY, Apologies, on_error
from bot.i18n import I18n


class Bot:
    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    async def send_message(self, chat_id: int, text: str, **_: Any) -> None:
        self.sent.append((chat_id, text))


def update(update_id: int) -> Update:
    user = User(10_001, "Fatima", is_bot=False)
    chat = Chat(10_001, Chat.PRIVATE)
    message = Message(1, datetime(2026, 12, 5, tzinfo=UTC), chat, from_user=user, text="x")
    return Update(update_id, message=message)


def context(bot: Bot, bot_data: dict[str, Any]) -> Any:
    return SimpleNamespace(
        error=RuntimeError("boom"),
        bot=bot,
        bot_data=bot_data,
        job=None,
        t=I18n().translator("fr"),
    )


async def test_one_apology_per_update_and_no_other_handler_group() -> None:
    bot, data = Bot(), {}
    first = update(700_000_001)
    with pytest.raises(ApplicationHandlerStop):  # PTB: stop, do not try the next groups
        await on_error(first, context(bot, data))
    with pytest.raises(ApplicationHandlerStop):  # the same update fails again (a task)
        await on_error(first, context(bot, data))
    with pytest.raises(ApplicationHandlerStop):
        await on_error(update(700_000_002), context(bot, data))
    apology = I18n().translator("fr").gettext(APOLOGY)
    assert bot.sent == [(10_001, apology), (10_001, apology)]
    assert "gardées" not in apology  # it cannot know whether the answer was saved


async def test_a_job_error_is_logged_only() -> None:
    bot = Bot()
    await on_error(None, context(bot, {}))  # no update: nothing to stop, nobody to tell
    assert bot.sent == []


def test_apologies_remember_a_bounded_number_of_updates() -> None:
    apologies = Apologies(size=2)
    assert apologies.first(1) and apologies.first(2) and not apologies.first(1)
    assert apologies.first(3)  # 1 is forgotten now
    assert apologies.first(1)
