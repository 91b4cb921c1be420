"""`python -m bot restore` (issue 19, item 5) without the bot: refused while the database's
lock is held, a backup checked before anything moves, the current database kept aside."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.restore import restore
from storage.checkup import latest_schema
from storage.db import Database
from storage.lock import DatabaseLock
from storage.users import UserRepository

NOW = datetime(2026, 12, 5, 14, 30, 5, tzinfo=UTC)


def make_database(path: Path, users: list[int]) -> Path:
    async def make() -> None:
        db = await Database.open(path)
        try:
            for user in users:
                await UserRepository(db).touch(user, "Coop", NOW)
        finally:
            await db.close()

    asyncio.run(make())
    return path


def user_ids(path: Path) -> set[int]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return {row[0] for row in connection.execute("SELECT id FROM users")}


def names(folder: Path) -> list[str]:
    """The files in `folder`, but the -wal and -shm that reading a database may create."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm")))


def run(database: Path, backup: Path) -> tuple[int, str]:
    environ = {"BOT_TOKEN": "1:abc", "DATABASE_PATH": str(database)}
    return restore(environ, backup, NOW, dotenv=database.parent / "no.env")


def test_into_a_fresh_data_folder(tmp_path: Path) -> None:
    backup = make_database(tmp_path / "souk-backup.sqlite3", [1, 2])
    database = tmp_path / "fresh" / "data" / "bot.sqlite3"
    code, line = run(database, backup)
    assert code == 0, line
    assert line == f"restored {backup} into {database} (schema version {latest_schema()})"
    # Nothing left behind but the database and its lock (no copy, no -wal or -shm of the check).
    assert sorted(p.name for p in database.parent.iterdir()) == [
        "bot.sqlite3",
        "bot.sqlite3.lock",
    ]
    assert user_ids(database) == {1, 2}
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700


def test_the_current_database_is_kept_aside_with_its_journal(tmp_path: Path) -> None:
    backup = make_database(tmp_path / "backup.sqlite3", [1])
    database = make_database(tmp_path / "data" / "bot.sqlite3", [1, 2, 3])
    wal = database.with_name("bot.sqlite3-wal")
    wal.write_bytes(b"")  # as a crash leaves it
    code, line = run(database, backup)
    assert code == 0, line
    aside = database.with_name("bot.sqlite3.before-restore-2026-12-05T143005Z")
    assert line.endswith(f"; the previous database is kept as {aside}")
    assert aside.with_name(aside.name + "-wal").exists() and not wal.exists()
    assert user_ids(database) == {1}
    assert user_ids(aside) == {1, 2, 3}


def test_refused_while_the_bot_runs(tmp_path: Path) -> None:
    backup = make_database(tmp_path / "backup.sqlite3", [1])
    database = make_database(tmp_path / "data" / "bot.sqlite3", [1, 2])
    running = DatabaseLock.take(database)  # as `python -m bot` holds it
    try:
        code, line = run(database, backup)
    finally:
        running.release()
    assert code == 1
    assert (
        line
        == f"restore refused: {database} is in use: the bot (or a restore) is running on it; stop the bot first"
    )
    assert user_ids(database) == {1, 2}
    assert run(database, backup)[0] == 0  # once it stopped


@pytest.mark.parametrize("damage", ["corrupt", "newer", "empty", "text", "missing"])
def test_a_bad_backup_is_refused_and_nothing_moves(tmp_path: Path, damage: str) -> None:
    backup = make_database(tmp_path / "backup.sqlite3", list(range(1, 400)))
    if damage == "corrupt":
        connection = sqlite3.connect(backup)
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'users'"
        ).fetchone()
        connection.close()
        data = bytearray(backup.read_bytes())
        data[(root - 1) * 4096 : root * 4096] = b"\xff" * 4096  # the users table's first page
        backup.write_bytes(bytes(data))
        expected = "not a usable database (database disk image is malformed)"
    elif damage == "newer":
        connection = sqlite3.connect(backup)
        connection.execute(f"PRAGMA user_version = {latest_schema() + 1}")
        connection.close()
        expected = f"its schema version ({latest_schema() + 1}) is newer than this bot's"
    elif damage == "empty":
        backup.unlink()
        sqlite3.connect(backup).close()
        expected = "not a database of this bot (schema version 0)"
    elif damage == "text":
        backup.write_text("Liste des exposantes\n" * 200, encoding="utf-8")
        expected = "not a usable database"
    else:
        backup = tmp_path / "nowhere.sqlite3"
        expected = f"{backup}: no such file"
    database = make_database(tmp_path / "data" / "bot.sqlite3", [7])
    before = names(database.parent)
    code, line = run(database, backup)
    assert code == 1, line
    assert line.startswith("restore refused: ") and expected in line, line
    assert user_ids(database) == {7}
    assert names(database.parent) == [*before, "bot.sqlite3.lock"]


def test_configuration_error(tmp_path: Path) -> None:
    environ = {"BOT_TOKEN": "nope", "DATABASE_PATH": str(tmp_path / "bot.sqlite3")}
    code, line = restore(environ, tmp_path / "b", NOW, dotenv=tmp_path / "no.env")
    assert code == 2 and line.startswith("configuration error: BOT_TOKEN: "), line


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give files away")
def test_run_as_root_the_files_go_to_the_data_folder_owner(tmp_path: Path) -> None:
    backup = make_database(tmp_path / "backup.sqlite3", [1])
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    os.chown(folder, 12345, 12345)  # the bot's account
    database = folder / "bot.sqlite3"
    assert run(database, backup)[0] == 0
    for path in (database, folder / "bot.sqlite3.lock"):
        assert (path.stat().st_uid, path.stat().st_gid) == (12345, 12345), path
