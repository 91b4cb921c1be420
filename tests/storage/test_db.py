import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.db import Database, DatabaseUnusable, migrations
from storage.users import UserRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_open_applies_every_migration_and_pragmas(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "sub" / "bot.sqlite3")
    try:
        assert await db.schema_version() == len(migrations())
        row = await db.fetchone("PRAGMA foreign_keys")
        assert row is not None and row[0] == 1
        row = await db.fetchone("PRAGMA journal_mode")
        assert row is not None and row[0] == "wal"
    finally:
        await db.close()


async def test_reopen_does_not_reapply(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await UserRepository(db).touch(1, "A", NOW)
    await db.close()
    db = await Database.open(path)
    try:
        assert await UserRepository(db).count() == 1
    finally:
        await db.close()


async def test_failed_transaction_rolls_back(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction() as connection:
                await connection.execute(
                    "INSERT INTO users (id, first_name, first_seen, last_seen) VALUES (1, 'x', 'a', 'a')"
                )
                raise RuntimeError("crash in the middle")
        assert await UserRepository(db).count() == 0
    finally:
        await db.close()


async def test_concurrent_transactions_do_not_commit_each_other(tmp_path: Path) -> None:
    """One coroutine's failure must not be committed by another's success on the shared connection."""
    db = await Database.open(tmp_path / "bot.sqlite3")

    async def failing() -> None:
        async with db.transaction() as connection:
            await connection.execute(
                "INSERT INTO users (id, first_name, first_seen, last_seen) VALUES (99, 'x', 'a', 'a')"
            )
            await asyncio.sleep(0.01)
            raise RuntimeError

    users = UserRepository(db)
    try:
        results = await asyncio.gather(
            failing(), *(users.touch(i, "u", NOW) for i in range(20)), return_exceptions=True
        )
        assert isinstance(results[0], RuntimeError)
        assert await users.get(99) is None
        assert await users.count() == 20
    finally:
        await db.close()


async def test_user_locale_persists(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    users = UserRepository(db)
    created = await users.touch(5, "Fatima", NOW)
    assert created.locale is None
    await users.set_locale(5, "ar")
    await db.close()
    db = await Database.open(path)
    try:
        again = await UserRepository(db).touch(5, "Fatima", NOW)
        assert again.locale == "ar"
    finally:
        await db.close()


async def test_a_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n" * 100)
    with pytest.raises(DatabaseUnusable, match=r"notes\.txt: is not an SQLite database"):
        await Database.open(path)


async def test_a_schema_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await db.execute(f"PRAGMA user_version = {len(migrations()) + 1}")
    await db.close()
    with pytest.raises(DatabaseUnusable, match=r"schema version \(\d+\) is newer"):
        await Database.open(path)


async def test_a_folder_that_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(DatabaseUnusable, match="cannot create the folder"):
        await Database.open(tmp_path / "file" / "bot.sqlite3")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files (see tests/e2e)")
async def test_a_read_only_database_is_refused_at_open(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await (await Database.open(path)).close()
    path.chmod(0o444)
    with pytest.raises(DatabaseUnusable, match="is read-only"):
        await Database.open(path)


async def test_file_problem_tells_a_deleted_or_replaced_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    try:
        assert db.file_problem() is None
        moved = tmp_path / "moved.sqlite3"
        path.rename(moved)
        assert db.file_problem() == "deleted"
        path.write_bytes(b"")
        assert db.file_problem() == "replaced"
        path.unlink()
        moved.rename(path)  # put back: the same file again
        assert db.file_problem() is None
    finally:
        await db.close()
