"""One aiosqlite connection for the whole bot, with serialised transactions and migrations.

SQLite is the source of truth: every accepted answer is committed before the bot replies.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Sequence, Sized
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.files import FILE_MODE, make_private_folder

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

log = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]


def marks(values: Sized) -> str:
    """`?, ?, ?`: one parameter mark per value, for `IN (...)`."""
    return ", ".join(["?"] * len(values))


class DatabaseUnusable(Exception):
    """DATABASE_PATH cannot serve as the bot's database; the message says why in one line."""


class FileIdentity(tuple[int, int]):
    """(st_dev, st_ino): what tells the open file from another one at the same path."""

    @classmethod
    def of(cls, path: Path) -> FileIdentity | None:
        try:
            found = path.stat()
        except FileNotFoundError:
            return None
        return cls((found.st_dev, found.st_ino))


DELETED, REPLACED = "deleted", "replaced"


def _split_statements(script: str) -> list[str]:
    """Split a migration into statements; `executescript` would commit behind our back."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError(f"incomplete SQL statement at the end of a migration: {current[:60]!r}")
    return statements


def migrations(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, Path]]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise ValueError(f"{path}: migration names look like 0002_add_things.sql")
        found.append((int(match.group(1)), path))
    numbers = [number for number, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"{directory}: migrations must be numbered 1..n without gaps: {numbers}")
    return found


def _explain(path: Path, error: sqlite3.Error) -> str:
    """One line an operator can act on, from SQLite's terse message."""
    message = str(error)
    hint = {
        "file is not a database": "is not an SQLite database (another kind of file?)",
        "attempt to write a readonly database": "is read-only: the bot must be able to write"
        " it, and its folder",
        "unable to open database file": "cannot be opened: does its folder exist and can the"
        " bot write in it?",
        "disk I/O error": "cannot be read or written (disk I/O error)",
    }.get(message)
    return f"{path}: {hint}" if hint else f"{path}: {message}"


class Database:
    """The shared connection. Reads and writes both go through one lock.

    With a single connection, another coroutine's COMMIT would commit our half-done work and
    its reads would see it: every access is serialised, and writes run in BEGIN IMMEDIATE.
    Never await a Telegram call while holding it.
    """

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._connection = connection
        self._lock = asyncio.Lock()
        self.path = path
        self._reader: sqlite3.Connection | None = None
        # The file opened, to notice when the path no longer names it (see `file_problem`).
        self.identity: FileIdentity | None = None

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open (or create) and migrate the database; `DatabaseUnusable` says in one line why
        a path cannot serve: not a database, read-only, a folder that cannot be written, a
        schema newer than this code. Nothing is left open then, so the process can exit."""
        path = Path(path)
        if str(path) != ":memory:":
            try:
                make_private_folder(path.parent)
            except OSError as error:
                raise DatabaseUnusable(
                    f"cannot create the folder {path.parent}: {error.strerror or error}"
                ) from None
            if not path.exists():
                # Created empty with 0600 (SQLite takes an empty file as a new database), so
                # that whatever the umask, the file and its -wal and -shm (SQLite gives them
                # the database's mode) are the bot's alone.
                try:
                    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
                except OSError as error:
                    raise DatabaseUnusable(
                        f"{path}: cannot be created: can the bot write in {path.parent}?"
                        f" ({error.strerror or error})"
                    ) from None
        try:
            connection = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as error:
            raise DatabaseUnusable(_explain(path, error)) from None
        connection.row_factory = aiosqlite.Row
        try:
            await connection.execute("PRAGMA journal_mode=WAL")
            await connection.execute("PRAGMA synchronous=NORMAL")
            await connection.execute("PRAGMA foreign_keys=ON")
            await connection.execute("PRAGMA busy_timeout=5000")
            # Deleted or overwritten content is zeroed in the file, not left in free space:
            # erasing personal data (law 09-08) must really erase it. Off by default in
            # upstream SQLite builds (some distributions turn it on).
            await connection.execute("PRAGMA secure_delete=ON")
            # A read-only file opens and reads fine (even BEGIN IMMEDIATE succeeds in WAL
            # mode); the first write would fail much later, in the middle of a user's answer.
            # A write, rolled back, fails now instead.
            await connection.execute("BEGIN IMMEDIATE")
            try:
                await connection.execute("CREATE TABLE write_probe (x)")
            finally:
                await connection.rollback()
            database = cls(connection, path)
            await database.migrate()
            database._open_reader()
            if str(path) != ":memory:":
                database.identity = FileIdentity.of(path)
        except sqlite3.Error as error:
            await connection.close()
            raise DatabaseUnusable(_explain(path, error)) from None
        except BaseException:
            await connection.close()
            raise
        return database

    def file_problem(self) -> str | None:
        """`deleted` or `replaced` once DATABASE_PATH no longer names the open file (someone
        deleted or moved it, or put another file in its place); None while it does.

        SQLite goes on reading and writing the open file, deleted or not: without this
        check the bot would acknowledge answers that nobody will ever find again.
        """
        if self.identity is None:
            return None
        now = FileIdentity.of(self.path)
        if now is None:
            return DELETED
        return None if now == self.identity else REPLACED

    async def vacuum_into(self, target: Path) -> None:
        """Copy the open database into `target` through the bot's own connection: the data
        the bot has, even when its file was deleted or replaced (a connection opened by path
        would copy, or create, another file)."""
        async with self._lock:
            await self._connection.execute("VACUUM INTO ?", (str(target),))

    def _open_reader(self) -> None:
        """A second, read-only connection for `lookup`, used in the event loop's own thread."""
        if str(self.path) == ":memory:":  # another connection would see another database
            return
        reader = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        reader.row_factory = sqlite3.Row
        reader.execute("PRAGMA busy_timeout=1000")
        self._reader = reader

    async def close(self) -> None:
        # An unclosed connection keeps aiosqlite's worker thread alive and hangs the exit.
        async with self._lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
            await self._connection.close()

    def disk_usage(self) -> int:
        """Bytes on disk: the file plus its write-ahead log (which holds recent commits until
        a checkpoint copies them into the file, and can be the larger of the two)."""
        if str(self.path) == ":memory:":
            return 0
        total = 0
        for path in (self.path, self.path.with_name(self.path.name + "-wal")):
            try:
                total += path.stat().st_size
            except FileNotFoundError:
                continue
        return total

    async def schema_version(self) -> int:
        async with self.read() as connection:
            cursor = await connection.execute("PRAGMA user_version")
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self, directory: Path = MIGRATIONS_DIR) -> int:
        current = await self.schema_version()
        known = migrations(directory)
        latest = known[-1][0] if known else 0
        if current > latest:
            # Written by a newer version of the bot: this code would misread its tables.
            raise DatabaseUnusable(
                f"{self.path}: its schema version ({current}) is newer than this bot's"
                f" ({latest}): run the newer bot, or restore a backup made by this one"
            )
        applied = current
        for number, path in known:
            if number <= current:
                continue
            async with self.transaction() as connection:
                for statement in _split_statements(path.read_text(encoding="utf-8")):
                    await connection.execute(statement)
                # PRAGMA does not take parameters; `number` comes from a validated file name.
                await connection.execute(f"PRAGMA user_version = {number:d}")
            log.info("applied migration %s", path.name)
            applied = number
        return applied

    async def checkpoint(self) -> None:
        """Copy the WAL into the database file and truncate it to zero bytes.

        The WAL keeps old page images until a checkpoint: after an erasure they would still
        hold the erased data. TRUNCATE (rather than PASSIVE) empties the file itself.
        """
        async with self._lock:
            await self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: committed if the block succeeds, rolled back otherwise."""
        async with self._lock:
            await self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                await self._connection.rollback()
                raise
            else:
                await self._connection.commit()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            yield self._connection

    # Each call to the connection is a round trip to aiosqlite's thread (and back through the
    # event loop): the helpers below make one where they can. Under load, those hops (a dozen
    # or more per update) cost more than the SQL itself.

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self.read() as connection:
            return list(await connection.execute_fetchall(sql, params))

    async def lookup(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """A small indexed read (a few rows by key), run at once in the event loop's thread on
        the read-only connection: for such a read the round trip to aiosqlite's thread costs
        several times the query itself, and every update of the questionnaire makes a few.

        It sees what is committed (write-ahead log): never another coroutine's half-done
        transaction. Not for scans or large results, which would hold up the event loop.
        """
        if self._reader is None:
            return list(await self.fetchall(sql, params))
        return self._reader.execute(sql, params).fetchall()

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One write statement, committed on its own; returns the number of rows changed.

        The connection is in autocommit mode: a single statement is its own transaction, so
        BEGIN and COMMIT would only add round trips."""
        async with self._lock:
            cursor = await self._connection.execute(sql, params)
            return cursor.rowcount

    async def execute_returning(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """One write statement with a RETURNING clause, committed on its own; its rows."""
        async with self._lock:
            return list(await self._connection.execute_fetchall(sql, params))
