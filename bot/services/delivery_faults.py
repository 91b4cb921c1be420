"""What a failed send means for its message: try again, never again, or nobody knows.

A message is never sent twice, and one that may not have arrived is reported, never resent.
python-telegram-bot's HTTPXRequest (telegram/request/_httpxrequest.py, `do_request`) turns
httpx's exceptions into its own, keeping httpx's as `__cause__`:

- `httpx.ConnectError`, `httpx.ConnectTimeout`: no connection, so the request never left;
  `httpx.PoolTimeout`: no free connection, "Request was *not* sent to Telegram". Safe to retry.
- `httpx.ReadTimeout`, `httpx.WriteTimeout` (`TimedOut`), `httpx.ReadError`,
  `httpx.RemoteProtocolError` (an answer dropped), any other transport error: the request may
  have reached Telegram, which may have sent the message. Uncertain.
- No httpx cause: Telegram (or its front proxy) answered with an error status
  (telegram/request/_baserequest.py, `_request_wrapper`): 5xx and 502 become `NetworkError`,
  and nothing was sent. Safe to retry. 400, 401/404 and 409 are refusals (`BadRequest`,
  `InvalidToken`, `Conflict`): nothing was sent, and trying again would not change that.
- A plain `TelegramError("Invalid server response")`: something answered that was not JSON,
  after the request arrived. Uncertain.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    InvalidToken,
    NetworkError,
    TelegramError,
    TimedOut,
)

from storage.outbox import Delivery

log = logging.getLogger(__name__)


class Outcome(Enum):
    RETRY = "retry"  # nothing was sent; it may work later
    REFUSED = "refused"  # nothing was sent, and never will be
    UNCERTAIN = "uncertain"  # it may have arrived: never resent, reported


NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def classify(error: BaseException) -> Outcome:
    """The outcome of a send that raised `error` (RetryAfter and Forbidden are handled apart)."""
    if isinstance(error, BadRequest | InvalidToken | Conflict | ChatMigrated):
        return Outcome.REFUSED  # BadRequest is a NetworkError in PTB: tested first
    if isinstance(error, NetworkError):  # TimedOut included
        cause = error.__cause__
        if isinstance(cause, NOT_SENT):
            return Outcome.RETRY  # the request never left
        answered = cause is None and not isinstance(error, TimedOut)
        if answered or isinstance(cause, TelegramError):
            return Outcome.RETRY  # an error status came back (an error page, perhaps)
        return Outcome.UNCERTAIN
    if type(error) is TelegramError:  # a 2xx answer that was not JSON
        return Outcome.UNCERTAIN
    if isinstance(error, TelegramError):  # BadRequest and the other refusals
        return Outcome.REFUSED
    return Outcome.UNCERTAIN  # unknown: assume the worst, never resend


# How long a message is worth trying, when nothing else says (see `give_up_at`).
NOTICE_HORIZON = timedelta(days=3)
# An announcement is about the days ahead (a market opening, a change of place, a document to
# bring): a day late it may mislead more than help, and its author sees in /broadcasts how many
# did not get it.
BROADCAST_HORIZON = timedelta(days=1)
MAX_BACKOFF = timedelta(minutes=5)


def give_up_at(delivery: Delivery) -> datetime | None:
    """Until when a temporary failure is worth retrying; None: as long as it renders (a
    reminder's renderer drops it once its event has begun or its deadline has passed)."""
    if delivery.kind == "reminder":
        return None
    deadline = delivery.params.get("deadline")
    if isinstance(deadline, str):  # a decision to confirm: worthless once its deadline passed
        return datetime.fromisoformat(deadline)
    created = delivery.created_at
    if created is None:
        return None
    return created + (BROADCAST_HORIZON if delivery.kind == "broadcast" else NOTICE_HORIZON)


def backoff(attempts: int) -> timedelta:
    """2, 4, 8… seconds after each failed attempt, at most MAX_BACKOFF."""
    return min(timedelta(seconds=2 ** min(attempts, 16)), MAX_BACKOFF)


class Watch(Enum):
    OUTAGE = "outage"
    RECOVERED = "recovered"


# Deliveries failing this long without one success: the admins are told (once).
OUTAGE_AFTER = timedelta(minutes=10)


@dataclass
class DeliveryWatch:
    """Whether sending works: since when every attempt has failed, and whether admins were
    told. In memory: after a restart, the next failures start counting again."""

    failing_since: datetime | None = None
    announced: bool = False
    outage_after: timedelta = OUTAGE_AFTER

    def failed(self, now: datetime) -> Watch | None:
        if self.failing_since is None:
            self.failing_since = now
        if not self.announced and now - self.failing_since >= self.outage_after:
            self.announced = True
            return Watch.OUTAGE
        return None

    def succeeded(self) -> Watch | None:
        announced = self.announced
        self.failing_since, self.announced = None, False
        return Watch.RECOVERED if announced else None

    @property
    def failing(self) -> bool:
        """Failing long enough to have been announced (a single failure is no outage)."""
        return self.announced
