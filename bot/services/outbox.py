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
        self._in_flight: set[int] = set()  # recipients with a send on its way
        self._tasks: set[asyncio.Task[None]] = set()

    def wake(self) -> None:
        """Something was queued to go now: do not wait for the next idle check."""
        self._wake.set()

    async def run(self) -> None:
        """Send until cancelled: keep up to IN_FLIGHT sends on their way, refilling each free
        slot at once (the rate limiter sets the pace), and idle briefly when nothing is due."""
        slots = asyncio.Semaphore(IN_FLIGHT)
        try:
            while True:
                await slots.acquire()
                pause = self._paused_until - time.monotonic()
                if pause > 0:
                    slots.release()
                    await asyncio.sleep(pause)
                    continue
                try:
                    delivery = await self._claim_one()
                except Exception:  # a database hiccup must not stop every future delivery
                    log.exception("the outbox dispatcher failed; retrying in a second")
                    slots.release()
                    await asyncio.sleep(1)
                    continue
                if delivery is None:
                    slots.release()
                    await self._idle()
                    continue
                self._in_flight.add(delivery.recipient_id)
                task = asyncio.create_task(self._send_then_release(delivery, slots))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        finally:
            # A clean stop lets the sends on their way finish and be recorded as sent: only a
            # crash leaves rows `sending`.
            if self._tasks:
                await asyncio.wait(set(self._tasks), timeout=10)

    async def _idle(self) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), IDLE_SECONDS)

    def _recently_sent(self) -> set[int]:
        """Recipients sent a message less than PER_CHAT_INTERVAL ago: their next one waits."""
        moment = time.monotonic()
        self._last_sent = {
            chat: at for chat, at in self._last_sent.items() if moment - at < PER_CHAT_INTERVAL
        }
        return set(self._last_sent)

    async def _claim_one(self) -> Delivery | None:
        skip = self._recently_sent() | self._in_flight
        claimed = await self._outbox.claim_due(self._clock(), 1, skip=skip, quiet=self._quiet())
        return claimed[0] if claimed else None

    async def _send_then_release(self, delivery: Delivery, slots: asyncio.Semaphore) -> None:
        try:
            await self._send(delivery)
        except Exception:
            log.exception("delivery %s could not be sent", delivery.id)
        finally:
            self._in_flight.discard(delivery.recipient_id)
            slots.release()

    async def tick(self) -> int:
        """Send one batch of what is due now; returns how many were sent."""
        if time.monotonic() < self._paused_until:
            return 0
        batch = await self._outbox.claim_due(
            self._clock(), IN_FLIGHT, skip=self._recently_sent(), quiet=self._quiet()
        )
        results = await asyncio.gather(*(self._send(delivery) for delivery in batch))
        return sum(results)

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
