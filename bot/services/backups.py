"""Backups: one a day into BACKUP_DIR (the 7 newest kept), and one on demand for /backup.

The date of a backup is in its name (`souk-backup-2026-11-23T1200Z.sqlite3`, UTC), not in the
file's mtime, which a copy to another disk would change.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.backup import write_backup
from storage.db import Database

KEEP = 7
PERIOD = timedelta(hours=24)
PREFIX, SUFFIX = "souk-backup-", ".sqlite3"
_STAMP = "%Y-%m-%dT%H%MZ"
# Bots may send documents of up to 50 MB (https://core.telegram.org/bots/api#senddocument).
TELEGRAM_MAX_DOCUMENT = 50 * 1000 * 1000


def backup_filename(now: datetime) -> str:
    return f"{PREFIX}{now.astimezone(UTC).strftime(_STAMP)}{SUFFIX}"


def backup_time(path: Path) -> datetime | None:
    """When a backup was made, from its name; None for any other file."""
    name = path.name
    if not (name.startswith(PREFIX) and name.endswith(SUFFIX)):
        return None
    try:
        parsed = datetime.strptime(name[len(PREFIX) : -len(SUFFIX)], _STAMP)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC)


def list_backups(directory: Path) -> list[tuple[datetime, Path]]:
    """The backups in `directory`, newest first; other files are never touched."""
    if not directory.is_dir():
        return []
    found = [(made, path) for path in directory.iterdir() if (made := backup_time(path))]
    return sorted(found, reverse=True)


def newest_backup(directory: Path) -> datetime | None:
    backups = list_backups(directory)
    return backups[0][0] if backups else None


def is_due(newest: datetime | None, now: datetime) -> bool:
    """A day after the newest; a restart does not make a new one. A newest one "in the future"
    means the clock was wrong then or now: back up rather than wait for it."""
    if newest is None:
        return True
    return now - newest >= PERIOD or newest - now > timedelta(hours=1)


def prune(directory: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the `keep` newest backups; return what was deleted."""
    removed = [path for _, path in list_backups(directory)[keep:]]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


async def daily_backup(
    db: Database, directory: Path, now: datetime, keep: int = KEEP
) -> Path | None:
    """Back up into `directory` if the newest backup there is a day old; then rotate."""
    if not is_due(await asyncio.to_thread(newest_backup, directory), now):
        return None
    target = await write_backup(db, directory / backup_filename(now))
    await asyncio.to_thread(prune, directory, keep)
    return target


@dataclass(frozen=True)
class Download:
    filename: str
    size: int
    content: bytes | None  # None when too large to send through Telegram


def _read_if_sendable(path: Path) -> tuple[int, bytes | None]:
    size = path.stat().st_size
    return size, (path.read_bytes() if size <= TELEGRAM_MAX_DOCUMENT else None)


async def backup_for_download(db: Database, now: datetime) -> Download:
    """A fresh copy for an admin, made in a temporary folder and deleted once read: on-demand
    copies must not push the daily ones out of the rotation."""
    filename = backup_filename(now)
    folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="souk-backup-"))
    try:
        path = await write_backup(db, folder / filename)
        size, content = await asyncio.to_thread(_read_if_sendable, path)
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, ignore_errors=True)
    return Download(filename, size, content)
