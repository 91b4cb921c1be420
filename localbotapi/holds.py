"""Held answers: a send is handled (the message reaches the user) and its HTTP answer waits
until the test releases it, or `at_most` seconds.

While the answer is held the bot's request is certainly on its way: a test that kills the bot
then meets, every time, a delivery whose fate the bot cannot know (the case the crash tests
used to meet only when a random kill happened to land on one).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Hold:
    method: str  # lower case
    chat_ids: frozenset[int] | None  # None: any chat
    count: int  # calls still to hold
    at_most: float  # seconds an answer is held if the test never releases it
    held: list[int] = field(default_factory=list)  # chats whose answer was (or is) held
    released: asyncio.Event = field(default_factory=asyncio.Event)

    def matches(self, method: str, chat_id: object) -> bool:
        if self.count <= 0 or self.released.is_set() or method != self.method:
            return False
        return self.chat_ids is None or chat_id in self.chat_ids


class Holds:
    """The holds of one fake; used in the fake's event loop only."""

    def __init__(self) -> None:
        self._holds: list[Hold] = []

    def add(self, method: str, chat_ids: Iterable[int] | None, count: int, at_most: float) -> Hold:
        chats = None if chat_ids is None else frozenset(chat_ids)
        hold = Hold(method.lower(), chats, count, at_most)
        self._holds.append(hold)
        return hold

    def release(self) -> None:
        for hold in self._holds:
            hold.released.set()
        self._holds.clear()

    async def wait(self, method: str, chat_id: object) -> None:
        """Called once the call is handled, before its answer leaves."""
        for hold in self._holds:
            if hold.matches(method, chat_id) and isinstance(chat_id, int):
                hold.count -= 1
                hold.held.append(chat_id)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(hold.released.wait(), hold.at_most)
                return
