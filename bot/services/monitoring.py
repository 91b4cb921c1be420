"""What admins need to trust the bot: error reports and the figures of /health.

Error reports go to admins through the outbox, so they respect Telegram's limits and never hold
up the handler that failed. A storm of errors makes one report, and the next one counts what
happened in between. They carry no personal data: the kind of update, the handler, the
exception's class and a scrubbed message; never the user's text, name or phone number.
"""

from __future__ import annotations

import asyncio
import re
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from telegram import Update

from bot.clock import system_clock
from bot.services.backups import newest_backup
from bot.services.delivery_faults import DeliveryWatch
from storage.db import Database
from storage.outbox import NewDelivery, OutboxRepository
from storage.roles import RoleRepository
from storage.templates import Template

REPORT_INTERVAL = timedelta(minutes=10)
MESSAGE_LIMIT = 200

# Exception messages may quote the value that failed (`invalid literal for int(): 'Fatima'`)
# or carry a phone or ICE number: quoted text and long digit runs are masked.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\+?\d(?:[\s.-]?\d){5,}")


def bot_version() -> str:
    try:
        return version("souk-bot")
    except PackageNotFoundError:  # running from a copy that was never installed
        return "?"


def scrub(message: str) -> str:
    text = _NUMBER.sub("#", _QUOTED.sub("'…'", message))
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def update_kind(update: object, job_name: str | None = None) -> str:
    """`message`, `callback_query`…; `job <name>` for a scheduled job; never the content."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return str(kind)
        return "update"
    if job_name is not None:
        return f"job {job_name}"
    return "none" if update is None else type(update).__name__


def handler_name(error: BaseException) -> str | None:
    """The bot's own function that raised, from the traceback: the outermost frame in our code
    (past the access guard, which only wraps), e.g. `handlers.review.review_command`."""
    for frame, _ in traceback.walk_tb(error.__traceback__):
        module = str(frame.f_globals.get("__name__", ""))
        if module.startswith("bot.") and module != "bot.handlers.access":
            return f"{module.removeprefix('bot.')}.{frame.f_code.co_qualname}"
    return None


@dataclass(frozen=True)
class LastError:
    at: datetime
    error: str  # the exception's class


@dataclass(frozen=True)
class ErrorReport:
    count: int  # errors since the previous report, the latest included
    at: datetime  # of the latest
    error: str
    message: str
    update: str
    handler: str | None

    def params(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "at": self.at.isoformat(),
            "error": self.error,
            "message": self.message,
            "update": self.update,
            "handler": self.handler,
        }


class ErrorReporter:
    """In memory: at most one report per `interval`; the errors in between are counted and
    reported by `flush` (called every minute) or with the next error after the interval."""

    def __init__(self, interval: timedelta = REPORT_INTERVAL) -> None:
        self.interval = interval
        self.last: LastError | None = None
        self._latest: ErrorReport | None = None
        self._unreported = 0
        self._last_report: datetime | None = None

    def record(
        self, now: datetime, error: BaseException, update: str, handler: str | None
    ) -> ErrorReport | None:
        """Note an error; return the report to send now, or None while the interval runs."""
        name = type(error).__name__
        self.last = LastError(now, name)
        self._latest = ErrorReport(0, now, name, scrub(str(error)), update, handler)
        self._unreported += 1
        return self.flush(now)

    def flush(self, now: datetime) -> ErrorReport | None:
        """The errors not yet reported, once the interval since the last report has run."""
        if self._latest is None or not self._unreported:
            return None
        if self._last_report is not None and now - self._last_report < self.interval:
            return None
        report = ErrorReport(
            self._unreported,
            self._latest.at,
            self._latest.error,
            self._latest.message,
            self._latest.update,
            self._latest.handler,
        )
        self._unreported, self._last_report = 0, now
        return report


async def queue_error_report(
    roles: RoleRepository, outbox: OutboxRepository, report: ErrorReport, now: datetime
) -> int:
    """One outbox row per admin; each reads it in their own language at send time."""
    admins = [member.user_id for member in await roles.team() if member.role == "admin"]
    params = report.params()
    return await outbox.enqueue(
        [
            NewDelivery(
                admin,
                "notification",
                Template.ERROR_REPORT,
                params,
                now,
                f"error:{report.at.isoformat()}:{report.count}:{admin}",
            )
            for admin in admins
        ],
        now,
    )


@dataclass(frozen=True)
class StorageLoss:
    problem: str  # storage.db.DELETED or REPLACED
    since: datetime


@dataclass
class Operations:
    """State that lives as long as the process: when it started, the error reporter, and
    whether deliveries are failing, whether the database file is still where the bot opened it."""

    started_at: datetime = field(default_factory=system_clock)
    errors: ErrorReporter = field(default_factory=ErrorReporter)
    delivery: DeliveryWatch = field(default_factory=DeliveryWatch)
    storage_loss: StorageLoss | None = None

    def watch_storage(self, db: Database, now: datetime) -> StorageLoss | bool:
        """Compare DATABASE_PATH with the open file. Returns the new loss when it is first
        seen, True when the file is back, False when nothing changed."""
        problem = db.file_problem()
        current = self.storage_loss
        if (current.problem if current else None) == problem:
            return False
        self.storage_loss = StorageLoss(problem, now) if problem else None
        return self.storage_loss or True


@dataclass(frozen=True)
class Health:
    version: str
    uptime: timedelta
    database_bytes: int
    pending: int  # outbox rows waiting to be sent
    last_backup: datetime | None
    last_error: LastError | None
    storage_loss: StorageLoss | None = None
    failing_since: datetime | None = None  # deliveries failing long enough to tell the admins


async def health(
    db: Database,
    outbox: OutboxRepository,
    operations: Operations,
    backup_dir: Path,
    now: datetime,
) -> Health:
    counts = await outbox.counts()
    return Health(
        version=bot_version(),
        uptime=max(now - operations.started_at, timedelta(0)),
        database_bytes=await asyncio.to_thread(db.disk_usage),
        pending=counts.get("pending", 0),
        last_backup=await asyncio.to_thread(newest_backup, backup_dir),
        last_error=operations.errors.last,
        storage_loss=operations.storage_loss,
        failing_since=operations.delivery.failing_since if operations.delivery.failing else None,
    )
