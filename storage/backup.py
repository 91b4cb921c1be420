"""Online backups of the SQLite file with `VACUUM INTO`, while the bot keeps running.

The copy is made on a connection of its own, in a worker thread: in WAL mode a reader never
waits for the bot's writes nor holds them up, and the bot's shared connection (and its lock)
stays free for users during the copy. `VACUUM INTO` reads one snapshot, so the copy is
consistent: every transaction committed before it started, nothing half-done.

That connection opens DATABASE_PATH by name, so it is used only while the name still leads
to the bot's open file (checked before and after the copy). Once the file was deleted or
replaced, the copy goes through the bot's own connection: it is the only way to the data the
bot acknowledged, and a connection by name would copy another database, or create an empty one.
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


def _check(partial: Path) -> None:
    copy = sqlite3.connect(partial, isolation_level=None)
    try:
        row = copy.execute("PRAGMA integrity_check").fetchone()
    finally:
        copy.close()
    if row is None or row[0] != "ok":
        raise BackupError(f"{partial.name}: integrity check failed: {row}")


def _partial(target: Path) -> Path:
    # Written under another name and renamed at the end: a crash or a full disk never leaves a
    # half-written file that looks like a backup (rotation would keep it and drop a good one).
    make_private_folder(target.parent)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # VACUUM INTO writes into an empty file that exists: created 0600 whatever the umask.
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
    return partial


def _vacuum_into(source: Path, target: Path) -> None:
    partial = _partial(target)
    try:
        # mode=rw: never create a database where the bot's file was.
        connection = sqlite3.connect(
            f"{source.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None, timeout=30
        )
        try:
            connection.execute("VACUUM INTO ?", (str(partial),))
        finally:
            connection.close()
        _check(partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


async def _through_open_connection(db: Database, target: Path) -> None:
    partial = await asyncio.to_thread(_partial, target)
    try:
        await db.vacuum_into(partial)
        await asyncio.to_thread(_check, partial)
        await asyncio.to_thread(os.replace, partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


async def write_backup(db: Database, target: Path) -> Path:
    """Copy the database into `target` (a single self-contained file, no WAL); return it.
    Always the bot's open database, even once its file is deleted or replaced."""
    if str(db.path) == ":memory:":
        raise BackupError("an in-memory database has no file to copy")
    try:
        if db.file_problem() is None:
            try:
                await asyncio.to_thread(_vacuum_into, db.path, target)
            except sqlite3.Error:
                if db.file_problem() is None:
                    raise
            else:
                if db.file_problem() is None:
                    return target
                # The file changed during the copy: the copy may be of another database.
                await asyncio.to_thread(target.unlink, missing_ok=True)
        await _through_open_connection(db, target)
    except sqlite3.Error as error:
        raise BackupError(f"{target.name}: {error}") from error
    return target
