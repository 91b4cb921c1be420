"""One aiosqlite connection for the whole bot, with serialised transactions and migrations.

SQLite is the source of truth: every accepted answer is committed before the bot replies.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.files import FILE_MODE, make_private_folder

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

log = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]


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

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        path = Path(path)
        if str(path) != ":memory:":
            make_private_folder(path.parent)
            if not path.exists():
                # Created empty with 0600 (SQLite takes an empty file as a new database), so
                # that whatever the umask, the file and its -wal and -shm (SQLite gives them
                # the database's mode) are the bot's alone.
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
        connection = await aiosqlite.connect(path, isolation_level=None)
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
            database = cls(connection, path)
            await database.migrate()
            database._open_reader()
        except BaseException:
            await connection.close()
            raise
        return database

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
        applied = current
        for number, path in migrations(directory):
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
