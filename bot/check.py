"""`python -m bot check`: is the bot healthy? For a supervisor (Docker's HEALTHCHECK, a systemd
timer) and for a person: one line, and the exit status.

0 healthy; 1 unhealthy, the line says why; 2 a configuration error, the line names the setting
(as `python -m bot` says it). It reads the settings and the catalogue, then the database
read-only: its schema version, `PRAGMA quick_check`, and the heartbeat the running bot writes
every minute (bot/heartbeat.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path

from bot.catalogue import CatalogueError, load_catalogue
from bot.config import SettingsError, load_settings, read_environment
from bot.talk import KeywordsError, bundled_keywords
from storage.checkup import Unreadable, inspect, latest_schema
from storage.heartbeat import Heartbeat

HEALTHY, UNHEALTHY, CONFIG_ERROR = 0, 1, 2
# The bot writes its heartbeat every minute: three missed ones are not a slow minute.
STALE = timedelta(minutes=3)


def _age(then: datetime, now: datetime) -> str:
    seconds = max(int((now - then).total_seconds()), 0)
    return f"{seconds} s" if seconds < 120 else f"{seconds // 60} min"


def heartbeat_problem(beat: Heartbeat | None, now: datetime) -> str | None:
    if beat is None:
        return "no heartbeat: the bot has not run on this database yet (or has just started)"
    if now - beat.written_at > STALE:
        return f"the bot's last heartbeat is {_age(beat.written_at, now)} old: is it running?"
    # Before the first sign (a long poll takes up to its timeout), the start is the reference.
    updates = _since(beat.updates_at, beat.started_at, now)
    if updates is not None:
        if beat.mode == "webhook":
            return f"the webhook server has not been serving {updates}"
        return f"Telegram has not answered getUpdates {updates}"
    outbox = _since(beat.outbox_at, beat.started_at, now)
    if outbox is not None:
        return f"the outbox dispatcher has not run {outbox}"
    return None


def _since(last: datetime | None, started: datetime, now: datetime) -> str | None:
    """How long a sign of life has been missing, when that is too long; else None."""
    if now - (last or started) <= STALE:
        return None
    if last is None:
        return f"since the bot started, {_age(started, now)} ago"
    return f"for {_age(last, now)}"


def check(
    environ: Mapping[str, str], now: datetime, dotenv: Path = Path(".env")
) -> tuple[int, str]:
    """The exit status and the one line to print."""
    try:
        settings = load_settings(read_environment(environ, dotenv))
    except SettingsError as error:
        return CONFIG_ERROR, f"configuration error: {error}"
    try:
        load_catalogue(settings.markets_file)
    except CatalogueError as error:
        return CONFIG_ERROR, f"catalogue error: {error}"
    try:
        bundled_keywords()
    except KeywordsError as error:
        return CONFIG_ERROR, f"keywords error: {error}"
    database = settings.database_path
    try:
        found = inspect(database)
    except Unreadable as error:
        return UNHEALTHY, f"unhealthy: DATABASE_PATH: {error}"
    if found.problem is not None:
        return UNHEALTHY, f"unhealthy: {database}: damaged: {found.problem}"
    latest = latest_schema()
    if found.schema_version != latest:
        return UNHEALTHY, (
            f"unhealthy: {database}: schema version {found.schema_version}, this bot's is"
            f" {latest} (a restore not yet started, or another version of the bot?)"
        )
    problem = heartbeat_problem(found.heartbeat, now)
    if problem is not None:
        return UNHEALTHY, f"unhealthy: {problem}"
    beat = found.heartbeat
    assert beat is not None
    return HEALTHY, (
        f"healthy: {beat.mode}, process {beat.pid}, heartbeat {_age(beat.written_at, now)} ago,"
        f" updates {_seen(beat.updates_at, now)}, outbox {_seen(beat.outbox_at, now)}"
    )


def _seen(last: datetime | None, now: datetime) -> str:
    return f"{_age(last, now)} ago" if last else "not yet (the bot has just started)"
