"""The outbox dispatcher on a real SQLite file, with a scripted Bot."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.services.outbox import Dispatcher
from storage.db import Database
from storage.outbox import Delivery, NewDelivery, OutboxRepository
from storage.users import UserRepository
from tests.conftest import FakeClock


class ScriptedBot:
    """Records sends; raises the queued errors first."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []
        self.errors: list[Exception] = []

    async def send_message(self, chat_id: int, text: str, **_: Any) -> Any:
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append((chat_id, text))

        class Sent:
            message_id = len(self.sent)

        return Sent()


async def render(delivery: Delivery) -> tuple[str, InlineKeyboardMarkup | None] | None:
    if delivery.template == "stale":
        return None
    return f"{delivery.template} {delivery.params.get('n', '')}".strip(), None


def item(
    recipient: int, key: str, clock: FakeClock, template: str = "hello", **params: Any
) -> NewDelivery:
    return NewDelivery(recipient, "notification", template, params, clock(), key)


@pytest.fixture
async def outbox(db: Database, clock: FakeClock) -> OutboxRepository:
    for user_id in (1, 2, 3):
        await UserRepository(db).touch(user_id, "U", clock())
    return OutboxRepository(db)


async def test_dedupe_key_queues_once(outbox: OutboxRepository, clock: FakeClock) -> None:
    assert await outbox.enqueue([item(1, "k", clock), item(1, "k", clock)], clock()) == 1
    assert await outbox.enqueue([item(1, "k", clock)], clock()) == 0


async def test_sends_due_once_each_and_marks_sent(
    outbox: OutboxRepository, clock: FakeClock
) -> None:
    bot = ScriptedBot()
    later = NewDelivery(3, "reminder", "later", {}, clock() + timedelta(hours=1), "later")
    await outbox.enqueue([item(1, "a", clock), item(2, "b", clock), later], clock())
    dispatcher = Dispatcher(outbox, bot, render, clock)  # type: ignore[arg-type]
    assert await dispatcher.tick() == 2
    assert await dispatcher.tick() == 0
    assert sorted(bot.sent) == [(1, "hello"), (2, "hello")]  # not 3: not yet due
    clock.advance(hours=2)
    assert await dispatcher.tick() == 1
    assert (await outbox.counts()) == {"sent": 3}


async def test_one_message_per_chat_per_tick(outbox: OutboxRepository, clock: FakeClock) -> None:
    bot = ScriptedBot()
    await outbox.enqueue([item(1, f"k{i}", clock, n=i) for i in range(3)], clock())
    dispatcher = Dispatcher(outbox, bot, render, clock)  # type: ignore[arg-type]
    assert await dispatcher.tick() == 1
    assert await dispatcher.tick() == 0  # the same chat again within a second: held back
    assert bot.sent == [(1, "hello 0")]


async def test_retry_after_pauses_everything(outbox: OutboxRepository, clock: FakeClock) -> None:
    bot = ScriptedBot()
    bot.errors.append(RetryAfter(timedelta(seconds=30)))
    await outbox.enqueue([item(1, "a", clock), item(2, "b", clock)], clock())
    dispatcher = Dispatcher(outbox, bot, render, clock)  # type: ignore[arg-type]
    assert await dispatcher.tick() == 0
    assert bot.sent == []
    assert (await outbox.counts()) == {"pending": 2}
    assert await dispatcher.tick() == 0  # still paused


async def test_blocked_user_is_marked_and_skipped(
    outbox: OutboxRepository, db: Database, clock: FakeClock
) -> None:
    bot = ScriptedBot()
    bot.errors.append(Forbidden("Forbidden: bot was blocked by the user"))
    await outbox.enqueue([item(1, "a", clock), item(1, "b", clock)], clock())
    dispatcher = Dispatcher(outbox, bot, render, clock)  # type: ignore[arg-type]
    await dispatcher.tick()
    assert (await outbox.counts()) == {"blocked": 2}
    user = await UserRepository(db).get(1)
    assert user is not None and user.blocked


async def test_bad_request_fails_and_stale_is_cancelled(
    outbox: OutboxRepository, clock: FakeClock
) -> None:
    bot = ScriptedBot()
    bot.errors.append(BadRequest("Chat not found"))
    await outbox.enqueue([item(1, "a", clock), item(2, "b", clock, template="stale")], clock())
    dispatcher = Dispatcher(outbox, bot, render, clock)  # type: ignore[arg-type]
    await dispatcher.tick()
    assert (await outbox.counts()) == {"failed": 1, "cancelled": 1}


async def test_in_flight_after_crash_is_reported_not_resent(
    outbox: OutboxRepository, clock: FakeClock
) -> None:
    await outbox.enqueue([item(1, "a", clock), item(2, "b", clock)], clock())
    claimed = await outbox.claim_due(clock(), 10, skip=())
    assert len(claimed) == 2  # ...and the process dies before sending
    interrupted = await outbox.interrupted()
    assert sorted(d.recipient_id for d in interrupted) == [1, 2]
    bot = ScriptedBot()
    assert await Dispatcher(outbox, bot, render, clock).tick() == 0  # type: ignore[arg-type]
    assert bot.sent == []
    assert (await outbox.counts()) == {"failed": 2}
