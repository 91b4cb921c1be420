"""The real application, in-process, against the fake Bot API: fast enough for property tests.

`build_application` is called as `python -m bot` would, pointed at a `FakeTelegram` on
127.0.0.1. The updates the fake queued for the bot are handed one by one to
`Application.process_update`, which returns once every handler has run: after `pump()`
everything the bot did in reply is in the fake, with no sleeping and no timing guesses.

What differs from production, to keep hundreds of examples within seconds:
- the rate limiter never sleeps (the spacing of messages is tested in tests/bot/test_ratelimit.py);
- flood control allows 10,000 updates per window, and there are no quiet hours (both tested on
  their own); the JobQueue is not started (its jobs are tested on their own), while the outbox
  dispatcher runs as in production;
- the production error handler is replaced by one that records the error: the property under
  test is that it is never reached (any ERROR log record fails the example too).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import traceback
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

from telegram import Update

from bot.app import build_application
from bot.catalogue import DEFAULT_CATALOGUE_PATH, Catalogue, load_catalogue
from bot.config import load_settings
from bot.context import SERVICES_KEY, BotApplication, BotContext, Services
from bot.handlers import errors
from bot.ratelimit import MessageRateLimiter
from localbotapi import BotMessage, FakeTelegram, FakeUser, RecordedCall
from tests.conftest import FakeClock

T = TypeVar("T")

ADMIN_ID = 1_000_001
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # applications to every phase are open


class _InstantTime:
    """The limiter's clock: a wait passes at once (its own time jumps), so that pacing per chat
    and per second costs the tests nothing and stays consistent with itself."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


def _limiter(**_: object) -> MessageRateLimiter:
    """In place of the bot's own (whatever budget the settings give it): no waiting."""
    instant = _InstantTime()
    return MessageRateLimiter(
        spacing=0.0, window_limit=1_000_000, monotonic=instant, sleep=instant.sleep
    )


class _ErrorLog(logging.Handler):
    """Every log record at ERROR or above, wherever it comes from (the outbox task too)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


@dataclass
class Reaction:
    """What the bot did after one update (or a few), as seen by the fake."""

    events: list[BotMessage]  # new messages and edits in the user's private chat
    calls: list[RecordedCall]  # every Bot API call the bot made meanwhile

    def calls_for(self, chat_id: int) -> list[RecordedCall]:
        return [call for call in self.calls if call.params.get("chat_id") == chat_id]

    def callback_answer(self, query_id: str) -> RecordedCall | None:
        for call in self.calls:
            if (
                call.method == "answerCallbackQuery"
                and str(call.params.get("callback_query_id")) == query_id
            ):
                return call
        return None


@dataclass
class Harness:
    workdir: Path
    clock: FakeClock = field(default_factory=lambda: FakeClock(NOW))
    catalogue: Catalogue = field(default_factory=lambda: load_catalogue(DEFAULT_CATALOGUE_PATH))
    errors: list[str] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(2_000_001))
    _offset: int | None = None
    _pumps: int = 0
    _inaccessible: set[str] = field(default_factory=set)  # callback query ids
    _fake: FakeTelegram | None = None
    _app: BotApplication | None = None
    _runner: asyncio.Runner | None = None
    _log: _ErrorLog = field(default_factory=_ErrorLog)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Harness:
        self._fake = FakeTelegram(token="123456:FUZZ-TOKEN").start()
        settings = load_settings(
            {
                "BOT_TOKEN": self.fake.token,
                "BOT_API_BASE_URL": self.fake.base_url,
                "DATABASE_PATH": str(self.workdir / "bot.sqlite3"),
                "BACKUP_DIR": str(self.workdir / "backups"),
                "ADMIN_IDS": str(ADMIN_ID),
                "QUIET_HOURS": "off",
                # Each example is a new user sending a handful of updates; flood control is
                # tested on its own (tests/bot/test_flood.py, tests/e2e/test_flood.py).
                "FLOOD_MAX_UPDATES": "10000",
            }
        )
        with mock.patch("bot.app.MessageRateLimiter", _limiter):
            self._app = build_application(settings, self.catalogue, clock=self.clock)
        self.app.remove_error_handler(errors.on_error)
        self.app.add_error_handler(self._record_error)
        logging.getLogger().addHandler(self._log)
        self._runner = asyncio.Runner()
        self.run(self._initialize())
        return self

    async def _initialize(self) -> None:
        app = self.app
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)

    def close(self) -> None:
        logging.getLogger().removeHandler(self._log)
        if self._runner is not None:
            self.run(self._shutdown())
            self._runner.close()
        if self._fake is not None:
            self._fake.stop()

    async def _shutdown(self) -> None:
        app = self.app
        if app.post_stop is not None:
            await app.post_stop(app)  # stops the outbox task
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)  # closes the database

    async def _record_error(self, update: object, context: BotContext) -> None:
        error = context.error
        assert error is not None
        trace = "".join(traceback.format_exception(error))
        self.errors.append(f"while handling {update!r}:\n{trace}")

    # -- access ------------------------------------------------------------------------------

    @property
    def fake(self) -> FakeTelegram:
        assert self._fake is not None
        return self._fake

    @property
    def app(self) -> BotApplication:
        assert self._app is not None
        return self._app

    @property
    def services(self) -> Services:
        services = self.app.bot_data[SERVICES_KEY]
        assert isinstance(services, Services)
        return services

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        assert self._runner is not None
        return self._runner.run(coro)

    # -- users -------------------------------------------------------------------------------

    def new_id(self) -> int:
        return next(self._ids)

    def new_user(
        self,
        locale: str | None,
        *,
        language_code: str | None = None,
        role: str | None = None,
        first_name: str | None = None,
    ) -> FakeUser:
        """A user never seen before, with `locale` chosen (None: not chosen yet)."""
        return self.run(
            self.add_user(locale, language_code=language_code, role=role, first_name=first_name)
        )

    async def add_user(
        self,
        locale: str | None,
        *,
        language_code: str | None = None,
        role: str | None = None,
        first_name: str | None = None,
    ) -> FakeUser:
        user_id = self.new_id()
        name = first_name or f"User{user_id}"
        user = self.fake.user(user_id, first_name=name, language_code=language_code)
        services = self.services
        await services.users.touch(user_id, user.first_name, self.clock())
        if locale is not None:
            await services.users.set_locale(user_id, locale)
        if role is not None:
            await services.roles.grant(user_id, role, ADMIN_ID, self.clock())
        return user

    # -- driving -----------------------------------------------------------------------------

    def pump(self) -> int:
        """Deliver every queued update to the application; returns how many."""
        return self.run(self._pump())

    async def _pump(self) -> int:
        # Users' actions queue their updates synchronously, before this is called. They are
        # read from the fake's queue and handed over as `Update.de_json` would make them from
        # getUpdates; a getUpdates now and then confirms them, so the queue stays short.
        bot = self.app.bot
        pending = [u for u in self.fake.pending_updates() if u["update_id"] >= (self._offset or 0)]
        for data in pending:
            self._offset = int(data["update_id"]) + 1
            query = data.get("callback_query")
            if query is not None and query.get("id") in self._inaccessible:
                # A button pressed on a message deleted meanwhile: Telegram sends it as an
                # InaccessibleMessage (date 0), and refuses to edit it.
                message = query["message"]
                await bot.delete_message(message["chat"]["id"], message["message_id"])
                query["message"] = {
                    "chat": message["chat"],
                    "message_id": message["message_id"],
                    "date": 0,
                }
            update = Update.de_json(data, bot)
            assert update is not None
            await self.app.process_update(update)
        self._pumps += 1
        if self._pumps % 50 == 0:
            await bot.get_updates(offset=self._offset, limit=1, timeout=0)
        return len(pending)

    @contextmanager
    def watching(self, user: FakeUser) -> Iterator[Reaction]:
        """Collect what the bot does inside the block (the block sends, then pumps)."""
        user.drain()
        since = len(self.fake.requests)
        errors_before, logs_before = len(self.errors), len(self._log.records)
        reaction = Reaction([], [])
        yield reaction
        reaction.events.extend(user.drain())
        reaction.calls.extend(self.fake.requests[since:])
        new_errors = self.errors[errors_before:] + self._log.records[logs_before:]
        assert not new_errors, "\n".join(new_errors)

    def make_inaccessible(self, query_id: str) -> None:
        """Deliver this button press with its message inaccessible to the bot."""
        self._inaccessible.add(query_id)

    def skip_pending(self) -> None:
        """Confirm the queued updates without handling them (sent while the bot was away)."""
        self.run(self._skip())

    async def _skip(self) -> None:
        pending = self.fake.pending_updates()
        if pending:
            self._offset = int(pending[-1]["update_id"]) + 1
