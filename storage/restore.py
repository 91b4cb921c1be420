"""Putting a backup in place of the database: checked first, the current file kept aside.

The backup is first copied beside the database (0600), and that copy is checked
(`PRAGMA integrity_check`, schema version): a backup on a slow or read-only disk is read once,
and what is put in place is exactly what was checked. The current database and its side files
(a -wal left by a crash holds committed data) are renamed together with a dated name, so that
SQLite can still open the set-aside copy with its journal.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage.checkup import Unreadable, inspect, latest_schema
from storage.files import FILE_MODE, SIDE_FILES, database_files, make_private_folder
from storage.lock import lock_path


class RestoreRefused(Exception):
    """The backup cannot be put in place; the message says why in one line."""


@dataclass(frozen=True)
class Restored:
    schema_version: int
    kept_aside: Path | None  # the previous database, if there was one


def aside_name(database: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    return database.with_name(f"{database.name}.before-restore-{stamp}")


def _copy_private(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    with os.fdopen(fd, "wb") as out, source.open("rb") as copied:
        shutil.copyfileobj(copied, out, 1024 * 1024)
        out.flush()
        os.fsync(out.fileno())


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _give_to_folder_owner(database: Path) -> None:
    """Run as root (`sudo`), the restored file would be root's and the bot's account could not
    open it: it goes to the data folder's owner, as the lock file does."""
    if os.geteuid() != 0:
        return
    folder = database.parent.stat()
    for path in (database, lock_path(database)):
        if path.exists():
            os.chown(path, folder.st_uid, folder.st_gid)


def restore_backup(backup: Path, database: Path, now: datetime) -> Restored:
    """Check `backup` and put it in place of `database`. The caller holds the database's lock
    (storage/lock.py): nothing has the database open."""
    if not backup.is_file():
        raise RestoreRefused(f"{backup}: no such file")
    make_private_folder(database.parent)
    incoming = database.with_name(database.name + ".restoring")
    try:
        _copy_private(backup, incoming)
        try:
            found = inspect(incoming, thorough=True)
        except Unreadable as error:
            raise RestoreRefused(f"{backup}: not a usable database ({error.reason})") from None
        if found.problem is not None:
            raise RestoreRefused(f"{backup}: damaged: {found.problem}")
        latest = latest_schema()
        if found.schema_version == 0:
            raise RestoreRefused(f"{backup}: not a database of this bot (schema version 0)")
        if found.schema_version > latest:
            raise RestoreRefused(
                f"{backup}: its schema version ({found.schema_version}) is newer than this"
                f" bot's ({latest}): restore it with the newer bot"
            )
        kept = None
        if database.exists():
            kept = aside_name(database, now)
            for current, side in zip(database_files(database), ("", *SIDE_FILES), strict=True):
                if current.exists():
                    os.replace(current, kept.with_name(kept.name + side))
        os.replace(incoming, database)
        _give_to_folder_owner(database)
        _sync_folder(database.parent)
    finally:
        # The check's read-only connection may leave an empty -wal and -shm beside the copy.
        for leftover in database_files(incoming):
            leftover.unlink(missing_ok=True)
    return Restored(found.schema_version, kept)
