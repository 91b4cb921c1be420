"""Network and server faults the real Telegram shows and the fake plays on demand.

Each rule matches calls by method (case-insensitive; None: every method that posts or edits a
message) and optionally by chat, for a number of calls (`count`) or for a while (`seconds`):

- latency: the call waits before Telegram handles it (a slow network or a busy server);
- late answer: Telegram handles the call (the message is stored and the user sees it), then
  its HTTP answer comes only after `seconds`, past the client's read timeout
  (python-telegram-bot: `TimedOut`);
- dropped answer: Telegram handles the call, then the connection closes without an answer
  (python-telegram-bot: `NetworkError("httpx.RemoteProtocolError: ...")`);
- server error: the call answers a 5xx and nothing is sent (Telegram's own hiccups and its
  front proxies' 502).

Nothing here is active unless a test asks for it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum

from .errors import ApiError
from .params import SENDING_METHODS


class Fault(Enum):
    LATENCY = "latency"
    LATE_ANSWER = "late answer"
    DROPPED_ANSWER = "dropped answer"
    SERVER_ERROR = "server error"


BEFORE = frozenset({Fault.LATENCY, Fault.SERVER_ERROR})  # played before the call is handled


@dataclass
class Rule:
    fault: Fault
    method: str | None  # lower case; None: every sending method
    chat_id: int | None
    seconds: float  # the delay (latency, late answer)
    count: int | None  # calls left; None: until `until`
    until: float | None  # monotonic; None: until `count` runs out
    error: ApiError | None = None

    def matches(self, method: str, chat_id: object, now: float) -> bool:
        if self.until is not None and now >= self.until:
            return False
        if self.count is not None and self.count <= 0:
            return False
        if self.method is None:
            if method not in SENDING_METHODS:
                return False
        elif self.method != method:
            return False
        return self.chat_id is None or self.chat_id == chat_id


class Faults:
    """The active rules; the first matching rule of each stage plays."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.played: list[tuple[Fault, str, object]] = []  # (fault, method, chat id)

    def add(self, rule: Rule) -> None:
        self.rules.append(rule)

    def take(self, method: str, chat_id: object, before: bool) -> Rule | None:
        """The rule to play for this call at this stage (before or after handling), used up."""
        now = time.monotonic()
        for rule in self.rules:
            if (rule.fault in BEFORE) != before or not rule.matches(method, chat_id, now):
                continue
            if rule.count is not None:
                rule.count -= 1
            self.played.append((rule.fault, method, chat_id))
            return rule
        return None


def window(seconds: float | None) -> float | None:
    return None if seconds is None else time.monotonic() + seconds
