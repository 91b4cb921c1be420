"""Updates of different users at the same time; each user's one after another, in order.

With python-telegram-bot's default (one update at a time), every update waits for all those
before it, including their calls to Telegram: at a few tens of milliseconds a call and three
calls an update, the whole bot handles a handful of updates a second, however many people are
waiting. Here a user's updates still run one after another in the order Telegram numbered
them (a draft, a questionnaire step, a button press: each user's handlers see what the
previous update saved), while other users' updates run meanwhile, up to `limit` at once.
Writes stay serialised by the database's lock; each service call is one transaction.

Updates without a user (channel posts, polls) share one lane.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's own bound, taken before `do_process_update`: far above `limit`, so that it never makes
# an update wait (a user's queued updates wait for their turn without holding a place).
_PENDING = 100_000


def lane(update: object) -> Hashable:
    """Whose turn an update waits for: its user's (else its chat's, else the shared lane)."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
    return None


class PerUserOrder(BaseUpdateProcessor):
    def __init__(self, limit: int) -> None:
        super().__init__(max_concurrent_updates=_PENDING)
        self.limit = limit
        self._running = asyncio.Semaphore(limit)
        self._last: dict[Hashable, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # No await before the ticket is taken: tasks start in the order updates arrived.
        key = lane(update)
        previous = self._last.get(key)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._last[key] = mine
        started = False
        try:
            if previous is not None:
                await asyncio.shield(previous)  # a cancelled waiter must not cancel it
            async with self._running:
                started = True
                await coroutine
        finally:
            if not started and inspect.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting its turn (shutdown)
            if not mine.done():
                mine.set_result(None)
            if self._last.get(key) is mine:
                del self._last[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
