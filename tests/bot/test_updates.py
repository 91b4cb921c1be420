"""Updates of different users at once, each user's one after another in order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.updates import PerUserOrder, lane


def update(update_id: int, user_id: int) -> Update:
    sender = User(user_id, "U", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, datetime.now(UTC), chat, from_user=sender))


async def test_each_users_updates_in_order_others_meanwhile() -> None:
    processor = PerUserOrder(limit=10)
    log: list[tuple[str, int, int]] = []
    running: set[int] = set()
    overlap: list[set[int]] = []

    async def handle(number: int, user_id: int) -> None:
        assert user_id not in running, "two updates of one user at once"
        running.add(user_id)
        overlap.append(set(running))
        log.append(("start", user_id, number))
        await asyncio.sleep(0.01 * (3 - number % 3))  # later updates would overtake otherwise
        log.append(("end", user_id, number))
        running.discard(user_id)

    # As PTB does: one task per update, created in the order the updates arrived.
    tasks = [
        asyncio.create_task(processor.process_update(update(n, user), handle(n, user)))
        for n, user in enumerate([1, 2, 1, 3, 1, 2, 1])
    ]
    await asyncio.gather(*tasks)
    for user_id in (1, 2, 3):
        numbers = [n for kind, u, n in log if u == user_id and kind == "start"]
        assert numbers == sorted(numbers)
    assert max(len(users) for users in overlap) >= 2  # different users did overlap


async def test_no_more_than_the_limit_at_once() -> None:
    processor = PerUserOrder(limit=3)
    busy, most = 0, 0

    async def handle() -> None:
        nonlocal busy, most
        busy += 1
        most = max(most, busy)
        await asyncio.sleep(0.01)
        busy -= 1

    await asyncio.gather(
        *(processor.process_update(update(n, 100 + n), handle()) for n in range(12))
    )
    assert most == 3


def test_lanes() -> None:
    assert lane(update(1, 42)) == ("user", 42)
    assert lane(Update(2)) is None  # no user, no chat: the shared lane
    assert lane("not an update") is None
