"""VACUUM INTO backups: a valid, self-contained SQLite file with every committed row."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.backup import BackupError, write_backup
from storage.db import Database
from storage.users import UserRepository

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def names(folder: Path, start: str = "backup") -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(start))


async def test_backup_is_a_valid_database_with_the_rows(db: Database, tmp_path: Path) -> None:
    users = UserRepository(db)
    for user_id in range(1, 4):
        await users.touch(user_id, f"U{user_id}", NOW)
    target = tmp_path / "copies" / "backup.sqlite3"
    assert await write_backup(db, target) == target
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]
    assert rows(target, "SELECT id FROM users ORDER BY id") == [(1,), (2,), (3,)]
    # One self-contained file: no write-ahead log to carry along, same schema version.
    assert rows(target, "PRAGMA journal_mode") == [("delete",)]
    assert rows(target, "PRAGMA user_version") == [(await db.schema_version(),)]
    assert names(target.parent, "") == ["backup.sqlite3"]


async def test_backup_runs_beside_an_open_write_and_leaves_it_out(
    db: Database, tmp_path: Path
) -> None:
    """The bot's connection stays in use during the copy; half-done work is not copied."""
    await UserRepository(db).touch(1, "Committed", NOW)
    target = tmp_path / "backup.sqlite3"
    async with db.transaction() as connection:
        await connection.execute(
            "INSERT INTO users (id, first_name, first_seen, last_seen) VALUES (2, 'x', 'a', 'a')"
        )
        await write_backup(db, target)
    assert rows(target, "SELECT id FROM users") == [(1,)]
    assert await UserRepository(db).count() == 2


async def test_stale_partial_file_is_replaced(db: Database, tmp_path: Path) -> None:
    """A crash during an earlier copy left a half-written file: it never becomes a backup."""
    await UserRepository(db).touch(1, "A", NOW)
    (tmp_path / "backup.sqlite3.partial").write_bytes(b"half a database")
    await write_backup(db, tmp_path / "backup.sqlite3")
    assert names(tmp_path) == ["backup.sqlite3"]


async def test_failed_copy_raises_and_leaves_no_file(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_connect = sqlite3.connect

    class FailingConnection:
        def __init__(self, *args: object, **kwargs: object) -> None:
            self._inner = real_connect(*args, **kwargs)  # type: ignore[arg-type]

        def execute(self, sql: str, *params: object) -> object:
            if sql.startswith("VACUUM"):
                Path(str(params[0][0])).write_bytes(b"partial")  # type: ignore[index]
                raise sqlite3.OperationalError("database or disk is full")
            return self._inner.execute(sql, *params)  # type: ignore[arg-type]

        def close(self) -> None:
            self._inner.close()

    monkeypatch.setattr("storage.backup.sqlite3.connect", FailingConnection)
    with pytest.raises(BackupError, match="disk is full"):
        await write_backup(db, tmp_path / "backup.sqlite3")
    assert names(tmp_path) == []


async def test_in_memory_database_cannot_be_backed_up(tmp_path: Path) -> None:
    db = await Database.open(":memory:")
    try:
        with pytest.raises(BackupError):
            await write_backup(db, tmp_path / "backup.sqlite3")
    finally:
        await db.close()


async def test_disk_usage_counts_the_file_and_its_log(db: Database) -> None:
    wal = db.path.with_name(db.path.name + "-wal")
    expected = db.path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    assert db.disk_usage() == expected > 0


@pytest.mark.parametrize("change", ["deleted", "replaced"])
async def test_backup_copies_the_open_database_after_its_file_is_gone(
    db: Database, tmp_path: Path, change: str
) -> None:
    """Someone deletes (or replaces) the database while the bot runs: the backup is still of
    what the bot has open, never of the other file, and no empty database appears."""
    await UserRepository(db).touch(1, "Kept", NOW)
    for suffix in ("", "-wal", "-shm"):
        db.path.with_name(db.path.name + suffix).unlink(missing_ok=True)
    if change == "replaced":
        other = sqlite3.connect(db.path)
        other.execute("CREATE TABLE intruder (x)")
        other.close()
    assert db.file_problem() == change
    target = tmp_path / "copies" / "backup.sqlite3"
    await write_backup(db, target)
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]
    assert rows(target, "SELECT id FROM users") == [(1,)]
    assert db.path.exists() == (change == "replaced")  # nothing created in its place
