"""One budget for every message the bot sends: replies, notifications, reminders, broadcasts.

Telegram allows about 30 messages per second overall
(https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this) and answers a
burst above it with 429 and `retry_after`. PTB's AIORateLimiter is a leaky bucket: after a pause
it lets a full bucket through at once, so a strict one-second window can see up to twice the
rate. Here sends are spaced evenly instead, and no more than `WINDOW_LIMIT` leave in any second
(a hiccup of the event loop cannot bunch them), which keeps a margin for network jitter.
Messages that are not replies (the outbox, progress edits) also keep to one a second per chat;
replies do not wait: a user who taps expects an answer, and may get two messages in a row.

Replies also go first: while one is waiting for its turn, messages that are not replies wait
(a broadcast of thousands would otherwise sit in front of every answer, and since the bot
handles updates one at a time, everyone's replies would slow down to a few a second while it
sends). Calls that do not count (button answers, reads) wait only for a 429's pause.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

# The methods that count towards the limits (answers to buttons and reads do not).
MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVoice",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "sendSticker",
        "sendLocation",
        "sendContact",
        "sendMediaGroup",
        "sendPoll",
        "sendVenue",
        "sendDice",
        "sendVideoNote",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "editMessageMedia",
    }
)
SPACING = 1 / 29.5  # evenly spaced, 29.5 a second at most
WINDOW_LIMIT = 29  # and never more than 29 in any one second
WINDOW = 1.0
IN_FLIGHT = float("inf")  # window entry of a message whose answer has not come back yet
PER_CHAT_INTERVAL = 1.05  # a margin: Telegram measures when the message arrives, not leaves
# rate_limit_args: `per_chat` waits a second after the chat's last message; `retry` False lets
# the caller handle 429 itself (the dispatcher reschedules the row rather than wait).
PACED = {"per_chat": True}
OUTBOX = {"per_chat": True, "retry": False}


def retry_after_seconds(error: RetryAfter) -> float:
    # PTB 22 warns that `retry_after` becomes a timedelta in a future major version.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def spacing_for(per_second: int) -> float:
    """The even spacing for at most `per_second` in any second, with the same margin as the
    default (29.5 a second for 29)."""
    return 1 / (per_second * 29.5 / WINDOW_LIMIT)


class MessageRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """`window_limit` messages in any second at most, `spacing` seconds apart (MESSAGES_PER_SECOND
    sets both; see `spacing_for`)."""

    def __init__(
        self,
        *,
        spacing: float = SPACING,
        window_limit: int = WINDOW_LIMIT,
        max_retries: int = 1,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._spacing = spacing
        self._window_limit = window_limit
        self._max_retries = max_retries
        self._monotonic = monotonic
        self._sleep = sleep
        self._sent: deque[list[float]] = deque()  # [answer time] of recent messages
        self._last = float("-inf")
        self._paused_until = 0.0
        self._last_in_chat: dict[int, float] = {}  # a chat's last message, sent or reserved
        self._sent_in_chat: dict[int, float] = {}  # when a chat's last message left
        self._lock = asyncio.Lock()
        self._replies_waiting = 0
        self._no_reply_waiting = asyncio.Event()
        self._no_reply_waiting.set()
        self._background = asyncio.Lock()  # one message that is not a reply competes at a time

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing leaves before `seconds` have passed."""
        self._paused_until = max(self._paused_until, self._monotonic() + seconds)

    async def _wait_for_chat(self, chat_id: int) -> None:
        """Reserve the chat's next free second at once, so that two waiters never share it."""
        now = self._monotonic()
        last = self._last_in_chat.get(chat_id)
        slot = now if last is None else max(now, last + PER_CHAT_INTERVAL)
        self._last_in_chat[chat_id] = slot
        if slot > now:
            await self._sleep(slot - now)  # outside the lock: other chats go on meanwhile

    def _note_chat(self, chat_id: object, *, leaving: bool = True) -> None:
        """A message leaves for the chat now (`leaving`), or its answer came back."""
        if not isinstance(chat_id, int):
            return
        now = self._monotonic()
        self._last_in_chat[chat_id] = max(now, self._last_in_chat.get(chat_id, now))
        if leaving:
            self._sent_in_chat[chat_id] = now
        if len(self._last_in_chat) > 10_000:
            self._last_in_chat = {
                chat: at for chat, at in self._last_in_chat.items() if now - at < PER_CHAT_INTERVAL
            }
            self._sent_in_chat = {
                chat: at for chat, at in self._sent_in_chat.items() if now - at < PER_CHAT_INTERVAL
            }

    def _reply_went_meanwhile(self, chat_id: int) -> bool:
        """A message left for the chat less than a second ago (a reply, which does not wait
        for the chat): a paced message that waited for its turn meanwhile must wait again."""
        last = self._sent_in_chat.get(chat_id)
        return last is not None and self._monotonic() - last < PER_CHAT_INTERVAL

    async def _wait_for_turn(self, counted: bool, background: bool) -> list[float] | None:
        """Wait for this call's turn; a counted call gets its entry in the window, whose time
        is set when the answer comes back (see `_done`). Replies go before the others."""
        if not counted:
            while (wait := self._paused_until - self._monotonic()) > 0:
                await self._sleep(wait)
            return None
        if background:
            async with self._background:
                while self._replies_waiting:
                    await self._no_reply_waiting.wait()
                return await self._take_slot()
        self._replies_waiting += 1
        self._no_reply_waiting.clear()
        try:
            return await self._take_slot()
        finally:
            self._replies_waiting -= 1
            if not self._replies_waiting:
                self._no_reply_waiting.set()

    async def _take_slot(self) -> list[float]:
        # The lock makes the queue first come, first served; holding it while sleeping is the point.
        async with self._lock:
            while True:
                now = self._monotonic()
                while self._sent and self._sent[0][0] <= now - WINDOW:
                    self._sent.popleft()
                wait = max(self._paused_until - now, self._last + self._spacing - now)
                if len(self._sent) >= self._window_limit:
                    oldest = self._sent[0][0]
                    # Still on its way: its arrival time is unknown; look again shortly.
                    wait = max(wait, oldest + WINDOW - now if oldest < IN_FLIGHT else 0.005)
                if wait <= 0:
                    break
                await self._sleep(wait)
            # The next slot follows this one's due time, so that the event loop's small lateness
            # at each wake-up does not add up (after a real pause, it starts again from now).
            due = self._last + self._spacing
            self._last = due if now - due < self._spacing else now
            entry = [IN_FLIGHT]
            self._sent.append(entry)
            return entry

    def _done(self, entry: list[float] | None, chat_id: object) -> None:
        """The answer is back, so the message arrived by now: an upper bound of its arrival,
        which is what Telegram counts. Counting from it keeps any 29 in a row more than a
        second apart at Telegram, whatever the network or the event loop delayed."""
        if entry is None:
            return
        entry[0] = self._monotonic()
        self._note_chat(chat_id, leaving=False)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | JSONDict | list[JSONDict]:
        options = rate_limit_args or {}
        counted = endpoint in MESSAGE_METHODS
        chat_id = data.get("chat_id")
        paced_chat = (
            chat_id if counted and options.get("per_chat") and isinstance(chat_id, int) else None
        )
        retries = 0
        while True:
            if paced_chat is not None:
                await self._wait_for_chat(paced_chat)
            entry = await self._wait_for_turn(counted, background=bool(options.get("per_chat")))
            if paced_chat is not None and self._reply_went_meanwhile(paced_chat):
                if entry is not None:
                    entry[0] = self._monotonic()  # the turn taken is lost: rare, a 29th of a second
                continue
            if counted:
                self._note_chat(chat_id)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_after_seconds(error)
                self.pause(seconds)
                log.warning("Telegram asked to wait %ss (%s): everything pauses", seconds, endpoint)
                if not options.get("retry", True) or retries >= self._max_retries:
                    raise
                retries += 1
            finally:
                self._done(entry, chat_id)
