"""One budget for every message the bot sends: replies, notifications, reminders, broadcasts.

Telegram allows about 30 messages per second overall
(https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this) and answers a
burst above it with 429 and `retry_after`. PTB's AIORateLimiter is a leaky bucket: after a pause
it lets a full bucket through at once, so a strict one-second window can see up to twice the
rate. Here sends are spaced evenly instead, and no more than `WINDOW_LIMIT` leave in any second
(a hiccup of the event loop cannot bunch them), which keeps a margin for network jitter.
The per-chat limit (1 per second) is the outbox dispatcher's business: replies may come in twos.
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

# The methods Telegram counts as messages (edits, answers to buttons and reads are not limited
# the same way).
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
    }
)
SPACING = 1 / 28.6  # 28.6 messages a second at most: 95% of the cap
WINDOW_LIMIT = 29  # and never more than 29 in any one second
WINDOW = 1.0
OUTBOX = {"outbox": True}  # rate_limit_args of the dispatcher's sends: it handles 429 itself


def retry_after_seconds(error: RetryAfter) -> float:
    # PTB 22 warns that `retry_after` becomes a timedelta in a future major version.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class MessageRateLimiter(BaseRateLimiter[dict[str, Any]]):
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
        self._sent: deque[float] = deque()
        self._last = float("-inf")
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing leaves before `seconds` have passed."""
        self._paused_until = max(self._paused_until, self._monotonic() + seconds)

    async def _wait_for_turn(self, counted: bool) -> None:
        # The lock makes the queue first come, first served; holding it while sleeping is the point.
        async with self._lock:
            while True:
                now = self._monotonic()
                while self._sent and self._sent[0] <= now - WINDOW:
                    self._sent.popleft()
                wait = self._paused_until - now
                if counted:
                    wait = max(wait, self._last + self._spacing - now)
                    if len(self._sent) >= self._window_limit:
                        wait = max(wait, self._sent[0] + WINDOW - now)
                if wait <= 0:
                    break
                await self._sleep(wait)
            if counted:
                self._sent.append(now)
                self._last = now

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | JSONDict | list[JSONDict]:
        from_outbox = bool(rate_limit_args and rate_limit_args.get("outbox"))
        retries = 0
        while True:
            await self._wait_for_turn(endpoint in MESSAGE_METHODS)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_after_seconds(error)
                self.pause(seconds)
                log.warning("Telegram asked to wait %ss (%s): everything pauses", seconds, endpoint)
                if from_outbox or retries >= self._max_retries:
                    raise
                retries += 1
