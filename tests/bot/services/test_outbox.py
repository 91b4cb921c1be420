"""The outbox dispatcher on a real SQLite file, with a scripted Bot."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.services.outbox import Dispatcher, Outgoing
from storage.db import Database
from storage.outbox import Delivery, NewDelivery, OutboxRepository
from storage.users import UserRepository
from tests.conftest import FakeClock


class ScriptedBot:
    """Records sends; raises the queued errors first."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []
        self.errors: list[Exception] = []
        self.photos: list[tuple[int, str]] = []

    async def send_message(self, chat_id: int, text: str, **_: Any) -> Any:
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append((chat_id, text))

        class Sent:
            message_id = len(self.sent)

        return Sent()

    async def send_photo(self, chat_id: int, photo: str, caption: str, **_: Any) -> Any:
        self.photos.append((chat_id, photo))
        return await self.send_message(chat_id, caption)


async def render(delivery: Delivery) -> Outgoing | None:
    if delivery.template == "stale":
        return None
    photo = delivery.params.get("photo")
    return Outgoing(f"{delivery.template} {delivery.params.get('n', '')}".strip(), photo=photo)


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
    assert await dispatcher.run(until_idle=True) == 2
    assert await dispatcher.run(until_idle=True) == 0
    assert sorted(bot.sent) == [(1, "hello"), (2, "hello")]  # not 3: not yet due
    clock.advance(hours=2)
    assert await dispatcher.run(until_idle=True) == 1
    assert (await outbox.counts()) == {"sent": 3}


async def test_one_message_per_chat_per_tick(outbox: OutboxRepository, clock: FakeClock) -> None:
    bot = ScriptedBot()
    await outbox.enqueue([item(1, f"k{i}", clock, n=i) for i in range(3)], clock())
    dispatcher = Dispatcher(outbox, bot, render, clock)  # type: ignore[arg-type]
    assert await dispatcher.run(until_idle=True) == 1
    assert (
        await dispatcher.run(until_idle=True) == 0
    )  # the same chat again within a second: held back
    assert bot.sent == [(1, "hello 0")]


async def test_retry_after_pauses_everything(outbox: OutboxRepository, clock: FakeClock) -> None:
    bot = ScriptedBot()
    bot.errors.append(RetryAfter(timedelta(seconds=30)))
    await outbox.enqueue([item(1, "a", clock), item(2, "b", clock)], clock())
    dispatcher = Dispatcher(outbox, bot, render, clock)  # type: ignore[arg-type]
    assert await dispatcher.run(until_idle=True) == 0
    assert bot.sent == []
    assert (await outbox.counts()) == {"pending": 2}
    assert await dispatcher.run(until_idle=True) == 0  # still paused


async def test_blocked_user_is_marked_and_skipped(
    outbox: OutboxRepository, db: Database, clock: FakeClock
) -> None:
    bot = ScriptedBot()
    bot.errors.append(Forbidden("Forbidden: bot was blocked by the user"))
    await outbox.enqueue([item(1, "a", clock), item(1, "b", clock)], clock())
    dispatcher = Dispatcher(outbox, bot, render, clock)  # type: ignore[arg-type]
    await dispatcher.run(until_idle=True)
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
    await dispatcher.run(until_idle=True)
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
    assert await Dispatcher(outbox, bot, render, clock).run(until_idle=True) == 0  # type: ignore[arg-type]
    assert bot.sent == []
    assert (await outbox.counts()) == {"failed": 2}


async def test_a_photo_goes_with_its_text_as_caption(
    outbox: OutboxRepository, clock: FakeClock
) -> None:
    bot = ScriptedBot()
    await outbox.enqueue([item(1, "a", clock, n=1, photo="AgACfile")], clock())
    assert await Dispatcher(outbox, bot, render, clock).run(until_idle=True) == 1  # type: ignore[arg-type]
    assert bot.photos == [(1, "AgACfile")]
    assert bot.sent == [(1, "hello 1")]


async def test_quiet_hours_hold_broadcasts_only_never_a_reminder(
    outbox: OutboxRepository, clock: FakeClock
) -> None:
    """A reminder planned at 20:59 that the dispatcher reaches at 21:00:30 goes at once: held
    until 08:00 it could arrive after its event (a training at 08:00). Its planned time is
    already outside quiet hours (tests/bot/services/test_reminders.py)."""
    bot = ScriptedBot()
    planned = clock() - timedelta(seconds=90)
    await outbox.enqueue(
        [
            NewDelivery(1, "reminder", "r", {}, planned, "r"),
            NewDelivery(2, "broadcast", "b", {}, planned, "b"),
            NewDelivery(3, "notification", "n", {}, planned, "n"),
        ],
        clock(),
    )
    quiet = True
    dispatcher = Dispatcher(outbox, bot, render, clock, quiet=lambda: quiet)  # type: ignore[arg-type]
    assert await dispatcher.run(until_idle=True) == 2
    assert sorted(bot.sent) == [(1, "r"), (3, "n")]
    quiet = False  # eight in the morning
    assert await dispatcher.run(until_idle=True) == 1
    assert sorted(bot.sent) == [(1, "r"), (2, "b"), (3, "n")]


async def test_a_pending_reminder_moves_to_its_new_planned_time_a_sent_one_stays(
    outbox: OutboxRepository, clock: FakeClock
) -> None:
    """Rescheduling (quiet hours set, an upgrade) moves pending rows earlier, never later,
    and never resends."""
    later = clock() + timedelta(hours=10)
    await outbox.schedule_reminders(
        [
            NewDelivery(1, "reminder", "r", {}, later, "a"),
            NewDelivery(2, "reminder", "r", {}, clock(), "b"),
        ],
        clock(),
    )
    (sent,) = await outbox.claim_due(clock(), 10, skip=())
    await outbox.mark_sent(sent.id, 1, clock())
    earlier = clock() + timedelta(hours=1)
    moved = [
        NewDelivery(1, "reminder", "r", {}, earlier, "a"),
        NewDelivery(2, "reminder", "r", {}, earlier, "b"),
    ]
    assert await outbox.schedule_reminders(moved, clock()) == 1
    assert await outbox.schedule_reminders(moved, clock()) == 0  # nothing left to change
    assert await outbox.schedule_reminders([replace(moved[0], not_before=later)], clock()) == 0
    assert await outbox.claim_due(earlier - timedelta(seconds=1), 10, skip=()) == []
    (due,) = await outbox.claim_due(earlier, 10, skip=())
    assert due.recipient_id == 1
    assert await outbox.counts() == {"sent": 1, "sending": 1}


async def test_running_dispatcher_sends_everything_once_and_stops_cleanly(
    outbox: OutboxRepository, clock: FakeClock
) -> None:
    bot = ScriptedBot()
    await outbox.enqueue([item(user, f"k{user}", clock) for user in (1, 2, 3)], clock())
    dispatcher = Dispatcher(outbox, bot, render, clock)  # type: ignore[arg-type]
    task = asyncio.create_task(dispatcher.run())
    for _ in range(100):
        if (await outbox.counts()).get("sent") == 3:
            break
        await asyncio.sleep(0.02)
    await outbox.enqueue([item(1, "later", clock, n=2)], clock())
    dispatcher.wake()
    for _ in range(200):  # the same chat again: after its second
        if (await outbox.counts()).get("sent") == 4:
            break
        await asyncio.sleep(0.02)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert sorted(bot.sent) == [(1, "hello"), (1, "hello 2"), (2, "hello"), (3, "hello")]
    assert await outbox.counts() == {"sent": 4}
