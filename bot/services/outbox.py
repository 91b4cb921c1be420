"""The dispatcher: sends due outbox rows under Telegram's limits, each at most once.

Limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
about 30 messages per second overall and 1 per second per chat; a 429 carries `retry_after`,
during which nothing is sent.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.clock import Clock
from storage.outbox import Delivery, OutboxRepository

log = logging.getLogger(__name__)

Renderer = Callable[[Delivery], Awaitable[tuple[str, InlineKeyboardMarkup | None] | None]]

PER_TICK = 25  # one tick a second: under the 30 per second cap, with room for direct replies
PER_CHAT_INTERVAL = 1.0
MAX_ATTEMPTS = 5


def _seconds(error: RetryAfter) -> float:
    # PTB 22.2 warns that `retry_after` becomes a timedelta in a future major version.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Dispatcher:
    def __init__(
        self,
        outbox: OutboxRepository,
        bot: Bot,
        render: Renderer,
        clock: Clock,
        quiet: Callable[[], bool] = lambda: False,
    ) -> None:
        self._quiet = quiet
        self._outbox = outbox
        self._bot = bot
        self._render = render
        self._clock = clock
        self._last_sent: dict[int, float] = {}
        self._paused_until = 0.0

    async def tick(self) -> int:
        """Send what is due now; returns how many were sent."""
        moment = time.monotonic()
        if moment < self._paused_until:
            return 0
        self._last_sent = {
            chat: at for chat, at in self._last_sent.items() if moment - at < PER_CHAT_INTERVAL
        }
        batch = await self._outbox.claim_due(
            self._clock(), PER_TICK, skip=self._last_sent, quiet=self._quiet()
        )
        sent = 0
        for index, delivery in enumerate(batch):
            if time.monotonic() < self._paused_until:
                # A 429 arrived: give back what was claimed but not tried.
                for rest in batch[index:]:
                    await self._outbox.retry_later(rest.id, self._clock(), "paused by retry_after")
                break
            sent += await self._send(delivery)
        return sent

    async def _send(self, delivery: Delivery) -> int:
        rendered = await self._render(delivery)
        if rendered is None:
            await self._outbox.mark(delivery.id, "cancelled", "no longer relevant")
            return 0
        text, markup = rendered
        try:
            message = await self._bot.send_message(delivery.recipient_id, text, reply_markup=markup)
        except RetryAfter as error:
            wait = _seconds(error)
            self._paused_until = time.monotonic() + wait
            await self._outbox.retry_later(
                delivery.id, self._clock() + timedelta(seconds=wait), f"retry after {wait:g}s"
            )
            log.warning("Telegram asked to wait %ss: the outbox pauses", wait)
            return 0
        except Forbidden:
            await self._outbox.mark_blocked(delivery.id, delivery.recipient_id)
            return 0
        except BadRequest as error:
            await self._outbox.mark(delivery.id, "failed", error.message)
            return 0
        except NetworkError as error:
            if delivery.attempts >= MAX_ATTEMPTS:
                await self._outbox.mark(delivery.id, "failed", str(error))
            else:
                backoff = timedelta(seconds=2**delivery.attempts)
                await self._outbox.retry_later(delivery.id, self._clock() + backoff, str(error))
            return 0
        self._last_sent[delivery.recipient_id] = time.monotonic()
        await self._outbox.mark_sent(delivery.id, message.message_id, self._clock())
        return 1
