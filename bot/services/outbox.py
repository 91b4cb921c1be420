"""The dispatcher: sends due outbox rows under Telegram's limits, each at most once.

Limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
about 30 messages per second overall, which the bot's `MessageRateLimiter` keeps for every
message it sends, and 1 per second per chat, which is kept here. A 429 carries `retry_after`,
during which nothing is sent.

Every delivery ends `sent`, `blocked`, `cancelled` or `failed`, or goes back to `pending` to be
tried again later: what a failed send means is in `delivery_faults` (retry, refused, or
uncertain: never resent), and who is told in `delivery_alerts`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, InputFile, Message
from telegram.error import Forbidden, RetryAfter
from telegram.ext import ExtBot

from bot.clock import Clock
from bot.ratelimit import OUTBOX, retry_after_seconds
from bot.services.delivery_alerts import DeliveryAlerts
from bot.services.delivery_faults import (
    DeliveryWatch,
    Outcome,
    Watch,
    backoff,
    classify,
    give_up_at,
)
from bot.services.monitoring import scrub
from storage.outbox import Delivery, OutboxRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """A delivery rendered for its recipient; with a photo or a voice note (Telegram file
    ids), the text is its caption."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    photo: str | bytes | None = None  # a file id, or a picture drawn for this message
    voice: str | None = None
    document: tuple[str, bytes] | None = None  # a file made for this message: name, bytes


Renderer = Callable[[Delivery], Awaitable[Outgoing | None]]

# Sends on their way at once: enough for 30 a second at Telegram's latency, and the most that a
# crash can leave uncertain (sent or not?) and to be reported.
IN_FLIGHT = 4
PER_CHAT_INTERVAL = 1.0
IDLE_SECONDS = 0.5
BEAT_SECONDS = 30.0


class Dispatcher:
    def __init__(
        self,
        outbox: OutboxRepository,
        bot: ExtBot[Any],
        render: Renderer,
        clock: Clock,
        quiet: Callable[[], bool] = lambda: False,
        watch: DeliveryWatch | None = None,
        alerts: DeliveryAlerts | None = None,
        *,
        beat: Callable[[], None] = lambda: None,
    ) -> None:
        self._beat = beat  # each turn of the loop: the health check's sign that it runs
        self._quiet = quiet
        self._watch = watch or DeliveryWatch()
        self._alerts = alerts
        self._outbox = outbox
        self._bot = bot
        self._render = render
        self._clock = clock
        self._last_sent: dict[int, float] = {}
        self._paused_until = 0.0
        self._wake = asyncio.Event()
        self._in_flight: set[int] = set()  # recipients with a send on its way
        self._sent_count = 0  # sends that succeeded in the current run
        self._tasks: set[asyncio.Task[None]] = set()

    def wake(self) -> None:
        """Something was queued to go now: do not wait for the next idle check."""
        self._wake.set()

    async def run(self, *, until_idle: bool = False) -> int:
        """Send until cancelled: keep up to IN_FLIGHT sends on their way, refilling each free
        slot at once (the rate limiter sets the pace), and idle briefly when nothing is due.

        With `until_idle` (tests), the same loop stops the first time nothing can be sent (none
        due, or a 429's pause), once the sends on their way have ended; it returns how many
        were sent."""
        slots = asyncio.Semaphore(IN_FLIGHT)
        self._sent_count = 0
        try:
            while True:
                self._beat()
                await slots.acquire()
                pause = self._paused_until - time.monotonic()
                if pause > 0:
                    slots.release()
                    if until_idle:
                        break
                    # A 429's pause can last hours: the loop still turns, and says so.
                    await asyncio.sleep(min(pause, BEAT_SECONDS))
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
                    if until_idle:
                        break
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
        return self._sent_count

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
            # Awaited first: `+=` would read the count before the send and lose a concurrent one.
            sent = await self._send(delivery)
            self._sent_count += sent
        except Exception:  # recording the outcome failed (the database): reported at restart
            log.exception("delivery %s: its outcome could not be recorded", delivery.id)
        finally:
            self._in_flight.discard(delivery.recipient_id)
            slots.release()

    async def _deliver(self, chat_id: int, outgoing: Outgoing) -> Message:
        if outgoing.photo:
            return await self._bot.send_photo(
                chat_id,
                outgoing.photo,
                caption=outgoing.text,
                reply_markup=outgoing.markup,
                rate_limit_args=OUTBOX,
            )
        if outgoing.document:
            name, content = outgoing.document
            return await self._bot.send_document(
                chat_id,
                InputFile(content, filename=name),
                caption=outgoing.text,
                reply_markup=outgoing.markup,
                rate_limit_args=OUTBOX,
            )
        if outgoing.voice:
            return await self._bot.send_voice(
                chat_id,
                outgoing.voice,
                caption=outgoing.text,
                reply_markup=outgoing.markup,
                rate_limit_args=OUTBOX,
            )
        return await self._bot.send_message(
            chat_id, outgoing.text, reply_markup=outgoing.markup, rate_limit_args=OUTBOX
        )

    async def _send(self, delivery: Delivery) -> int:
        """Send one claimed delivery and record how it ended; returns 1 if sent. Whatever
        happens, the row leaves `sending` (only a crash, or the database failing, leaves it
        there, and the next start reports it)."""
        if time.monotonic() < self._paused_until:
            # A 429 arrived while this one was claimed: give it back untried.
            await self._outbox.retry_later(delivery.id, self._clock(), "paused by retry_after")
            return 0
        try:
            outgoing = await self._render(delivery)
        except Exception as error:  # a bug or a bad row: nothing was sent
            # The frames without the exception's message, which may quote personal data.
            log.error(
                "delivery %s could not be rendered: %s\n%s",
                delivery.id,
                describe(error),
                "".join(traceback.format_tb(error.__traceback__)),
            )
            await self._outbox.fail(delivery.id, f"error: rendering failed: {describe(error)}")
            return 0
        if outgoing is None:
            if delivery.attempts > 1:
                # It could not go while it mattered (an acceptance until its deadline, a
                # reminder until its event): the person never had it, the team must know.
                log.warning("delivery %s no longer relevant after failed attempts", delivery.id)
                await self._outbox.fail(delivery.id, "gave up: no longer relevant after failures")
            else:
                await self._outbox.mark(delivery.id, "cancelled", "no longer relevant")
            return 0
        try:
            message = await self._deliver(delivery.recipient_id, outgoing)
        except Exception as error:
            await self._not_sent(delivery, error)
            return 0
        self._last_sent[delivery.recipient_id] = time.monotonic()
        await self._outbox.mark_sent(delivery.id, message.message_id, self._clock())
        since = self._watch.failing_since
        if self._watch.succeeded() is Watch.RECOVERED and since is not None:
            await self._alert(self._alerts_recovered, since, self._clock())
        return 1

    async def _not_sent(self, delivery: Delivery, error: Exception) -> None:
        if isinstance(error, RetryAfter):
            wait = retry_after_seconds(error)
            self._paused_until = time.monotonic() + wait
            await self._outbox.retry_later(
                delivery.id, self._clock() + timedelta(seconds=wait), f"retry after {wait:g}s"
            )
            log.warning("Telegram asked to wait %ss: the outbox pauses", wait)
            return
        if isinstance(error, Forbidden):
            await self._outbox.mark_blocked(delivery.id, delivery.recipient_id)
            return
        outcome = classify(error)
        reason = describe(error)
        now = self._clock()
        if outcome is Outcome.REFUSED:
            log.warning("delivery %s refused by Telegram: %s", delivery.id, reason)
            await self._outbox.fail(delivery.id, f"refused: {reason}")
            return
        if outcome is Outcome.UNCERTAIN:
            log.warning(
                "delivery %s may or may not have arrived (%s): not resent, reported",
                delivery.id,
                reason,
            )
            await self._outbox.fail(delivery.id, f"uncertain: {reason}: may have arrived")
        else:
            limit = give_up_at(delivery)
            if limit is not None and now >= limit:
                log.warning(
                    "delivery %s given up: failing until %s (%s)", delivery.id, limit, reason
                )
                await self._outbox.fail(
                    delivery.id, f"gave up: failing until {limit:%Y-%m-%d %H:%M}"
                )
            else:
                retry = now + backoff(delivery.attempts)
                await self._outbox.retry_later(
                    delivery.id, min(retry, limit) if limit else retry, reason
                )
        since = self._watch.failing_since or now
        if self._watch.failed(now) is Watch.OUTAGE:
            await self._alert(self._alerts_outage, since, now)

    async def report_failures(self) -> int:
        """Tell the team about deliveries that failed for good (a job calls this)."""
        if self._alerts is None:
            return 0
        return await self._alerts.report_failures(self._clock())

    async def _alert(
        self,
        notice: Callable[[datetime, datetime], Awaitable[None]],
        since: datetime,
        now: datetime,
    ) -> None:
        """Queue an outage notice; the delivery's own outcome is recorded already."""
        try:
            await notice(since, now)
        except Exception:  # the database: the WARNING in the log is all there is
            log.exception("could not queue the admins' notice")

    async def _alerts_outage(self, since: datetime, now: datetime) -> None:
        if self._alerts is None:
            return
        counts = await self._outbox.counts()
        await self._alerts.outage(since, now, counts.get("pending", 0) + counts.get("sending", 0))

    async def _alerts_recovered(self, since: datetime, now: datetime) -> None:
        if self._alerts is not None:
            await self._alerts.recovered(since, now)


def describe(error: BaseException) -> str:
    """The exception's class and scrubbed message: no text, name or number of a user."""
    message = scrub(str(error))
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
