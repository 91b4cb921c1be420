"""Online backups of the SQLite file with `VACUUM INTO`, while the bot keeps running.

The copy is made on a connection of its own, in a worker thread: in WAL mode a reader never
waits for the bot's writes nor holds them up, and the bot's shared connection (and its lock)
stays free for users during the copy. `VACUUM INTO` reads one snapshot, so the copy is
consistent: every transaction committed before it started, nothing half-done.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path

from storage.db import Database
from storage.files import FILE_MODE, make_private_folder


class BackupError(Exception):
    """The copy could not be made or did not pass the integrity check."""


def _vacuum_into(source: Path, target: Path) -> None:
    make_private_folder(target.parent)
    # Written under another name and renamed at the end: a crash or a full disk never leaves a
    # half-written file that looks like a backup (rotation would keep it and drop a good one).
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        # VACUUM INTO writes into an empty file that exists: created 0600 whatever the umask.
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
        connection = sqlite3.connect(source, isolation_level=None, timeout=30)
        try:
            connection.execute("VACUUM INTO ?", (str(partial),))
        finally:
            connection.close()
        copy = sqlite3.connect(partial, isolation_level=None)
        try:
            row = copy.execute("PRAGMA integrity_check").fetchone()
        finally:
            copy.close()
        if row is None or row[0] != "ok":
            raise BackupError(f"{partial.name}: integrity check failed: {row}")
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


async def write_backup(db: Database, target: Path) -> Path:
    """Copy the database into `target` (a single self-contained file, no WAL); return it."""
    if str(db.path) == ":memory:":
        raise BackupError("an in-memory database has no file to copy")
    try:
        await asyncio.to_thread(_vacuum_into, db.path, target)
    except sqlite3.Error as error:
        raise BackupError(f"{target.name}: {error}") from error
    return target
