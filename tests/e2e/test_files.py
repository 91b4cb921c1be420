"""Personal data on disk (law 09-08): the database, its -wal and -shm, and the backups are the
bot's alone, files 0600 in folders 0700, on a fresh start and after an older version left them
open to every account."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from localbotapi import FakeTelegram
from tests.e2e.bot_process import running_bot
from tests.e2e.journey import choose_language

BACKUP = "souk-backup-2026-11-20T0900Z.sqlite3"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Start the bot as a careless shell would: umask 022, files 0644 by default."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_fresh_start_creates_owner_only_files(
    fake: FakeTelegram, tmp_path: Path, open_umask: None
) -> None:
    data = tmp_path / "data"  # does not exist yet: the bot creates it
    env = {"DATABASE_PATH": str(data / "bot.sqlite3"), "BACKUP_DIR": str(data / "backups")}
    with running_bot(fake, tmp_path, env=env):
        choose_language(fake.user(9401, language_code="fr"), "Français")  # something written
        files = [data / name for name in ("bot.sqlite3", "bot.sqlite3-wal", "bot.sqlite3-shm")]
        assert all(path.exists() for path in files)
        assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}
        assert mode(data) == 0o700


def test_files_left_open_by_an_older_version_are_tightened_and_logged(
    fake: FakeTelegram, tmp_path: Path, open_umask: None
) -> None:
    data, backups = tmp_path / "data", tmp_path / "data" / "backups"
    backups.mkdir(parents=True, mode=0o755)
    data.chmod(0o755)
    database = data / "bot.sqlite3"
    with sqlite3.connect(database) as connection:  # an older version's database, 0644
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE kept (x)")
    old_backup = backups / BACKUP
    old_backup.write_bytes(b"")
    for path in (database, old_backup):
        path.chmod(0o644)
    env = {"DATABASE_PATH": str(database), "BACKUP_DIR": str(backups)}
    with running_bot(fake, tmp_path, env=env) as process:  # stopped, without a traceback
        choose_language(fake.user(9402, language_code="fr"), "Français")
        for path in (database, database.with_name("bot.sqlite3-wal"), old_backup):
            assert mode(path) == 0o600, path
        assert mode(data) == 0o700 and mode(backups) == 0o700
    log = process.log()
    for path in (database, old_backup, data, backups):
        lines = [line for line in log.splitlines() if f"{path} was open" in line]
        assert len(lines) == 1 and " WARNING " in lines[0], log
