"""The dispatcher: sends due outbox rows under Telegram's limits, each at most once.

Limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
about 30 messages per second overall, which the bot's `MessageRateLimiter` keeps for every
message it sends, and 1 per second per chat, which is kept here. A 429 carries `retry_after`,
during which nothing is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot.clock import Clock
from bot.ratelimit import OUTBOX, retry_after_seconds
from storage.outbox import Delivery, OutboxRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """A delivery rendered for its recipient; with a photo, the text is its caption."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    photo: str | None = None


Renderer = Callable[[Delivery], Awaitable[Outgoing | None]]

# Sends on their way at once: enough for 30 a second at Telegram's latency, and the most that a
# crash can leave uncertain (sent or not?) and to be reported.
IN_FLIGHT = 4
PER_CHAT_INTERVAL = 1.0
MAX_ATTEMPTS = 5
IDLE_SECONDS = 0.5


class Dispatcher:
    def __init__(
        self,
        outbox: OutboxRepository,
        bot: ExtBot[Any],
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
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Something was queued to go now: do not wait for the next idle check."""
        self._wake.set()

    async def run(self) -> None:
        """Send until cancelled; idle briefly when nothing is due.

        Up to IN_FLIGHT sends are on their way at once, and a free slot is refilled as soon as
        a send ends, not when the whole batch has: waiting for the slowest of a batch before
        claiming the next one left the pace a few percent under the budget (a broadcast of
        1,000 went at 27.9 a second for a budget of 28.8).
        """
        in_flight: dict[asyncio.Task[int], int] = {}  # send -> its recipient
        try:
            while True:
                claimed = 0
                try:
                    claimed = await self._refill(in_flight)
                except Exception:  # a database hiccup must not stop every future delivery
                    log.exception("the outbox dispatcher failed; retrying in a second")
                    await asyncio.sleep(1)
                if in_flight:
                    timeout = None if len(in_flight) >= IN_FLIGHT else IDLE_SECONDS
                    if claimed == 0 and len(in_flight) < IN_FLIGHT:
                        self._wake.clear()
                    done, _ = await asyncio.wait(
                        in_flight, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
                    )
                    for task in done:
                        del in_flight[task]
                        if not task.cancelled() and task.exception() is not None:
                            log.error("a delivery failed", exc_info=task.exception())
                elif claimed == 0:
                    self._wake.clear()
                    wait = max(IDLE_SECONDS, self._paused_until - time.monotonic())
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), wait)
        finally:
            for task in in_flight:
                task.cancel()
            await asyncio.gather(*in_flight, return_exceptions=True)

    async def _refill(self, in_flight: dict[asyncio.Task[int], int]) -> int:
        """Claim what is due for the free slots; recipients with a message on its way or sent
        less than a second ago wait."""
        moment = time.monotonic()
        free = IN_FLIGHT - len(in_flight)
        if moment < self._paused_until or free <= 0:
            return 0
        self._last_sent = {
            chat: at for chat, at in self._last_sent.items() if moment - at < PER_CHAT_INTERVAL
        }
        skip = {*self._last_sent, *in_flight.values()}
        batch = await self._outbox.claim_due(self._clock(), free, skip=skip, quiet=self._quiet())
        for delivery in batch:
            in_flight[asyncio.create_task(self._send(delivery))] = delivery.recipient_id
        return len(batch)

    async def tick(self) -> int:
        """Send one batch of what is due now; returns how many were sent."""
        _, sent = await self._send_batch()
        return sent

    async def _send_batch(self) -> tuple[int, int]:
        moment = time.monotonic()
        if moment < self._paused_until:
            return 0, 0
        self._last_sent = {
            chat: at for chat, at in self._last_sent.items() if moment - at < PER_CHAT_INTERVAL
        }
        batch = await self._outbox.claim_due(
            self._clock(), IN_FLIGHT, skip=self._last_sent, quiet=self._quiet()
        )
        results = await asyncio.gather(*(self._send(delivery) for delivery in batch))
        return len(batch), sum(results)

    async def _deliver(self, chat_id: int, outgoing: Outgoing) -> Message:
        if outgoing.photo:
            return await self._bot.send_photo(
                chat_id,
                outgoing.photo,
                caption=outgoing.text,
                reply_markup=outgoing.markup,
                rate_limit_args=OUTBOX,
            )
        return await self._bot.send_message(
            chat_id, outgoing.text, reply_markup=outgoing.markup, rate_limit_args=OUTBOX
        )

    async def _send(self, delivery: Delivery) -> int:
        if time.monotonic() < self._paused_until:
            # A 429 arrived while this one was claimed: give it back untried.
            await self._outbox.retry_later(delivery.id, self._clock(), "paused by retry_after")
            return 0
        outgoing = await self._render(delivery)
        if outgoing is None:
            await self._outbox.mark(delivery.id, "cancelled", "no longer relevant")
            return 0
        try:
            message = await self._deliver(delivery.recipient_id, outgoing)
        except RetryAfter as error:
            wait = retry_after_seconds(error)
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
