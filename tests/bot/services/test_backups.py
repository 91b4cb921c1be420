"""Daily backups: one a day whatever the restarts, the 7 newest kept, other files untouched."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.services import backups
from storage.db import Database
from storage.users import UserRepository
from tests.conftest import FakeClock


def test_name_carries_the_time_in_utc() -> None:
    made = datetime(2026, 11, 23, 12, 5, 59, tzinfo=UTC)
    name = backups.backup_filename(made)
    assert name == "souk-backup-2026-11-23T1205Z.sqlite3"
    assert backups.backup_time(Path(name)) == made.replace(second=0)
    assert backups.backup_time(Path("souk-backup-nonsense.sqlite3")) is None
    assert backups.backup_time(Path("notes.txt")) is None


def test_due_a_day_after_the_newest() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert backups.is_due(None, now)
    assert not backups.is_due(now - timedelta(hours=23, minutes=59), now)
    assert backups.is_due(now - timedelta(hours=24), now)
    assert backups.is_due(now + timedelta(days=30), now)  # the clock was wrong: do not wait


async def test_daily_backup_once_a_day_and_seven_kept(
    db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "README.txt").write_text("not a backup: never deleted")
    await UserRepository(db).touch(1, "A", clock())
    made = []
    for _ in range(10):
        path = await backups.daily_backup(db, folder, clock())
        assert path is not None
        made.append(path.name)
        # Restarts within the day (the job runs again at each start): no new backup.
        clock.advance(hours=5)
        assert await backups.daily_backup(db, folder, clock()) is None
        clock.advance(hours=19)
    kept = sorted(p.name for p in folder.iterdir() if p.name.startswith(backups.PREFIX))
    assert kept == sorted(made[-7:])
    assert (folder / "README.txt").exists()


def test_prune_keeps_the_newest_by_name(tmp_path: Path) -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for day in range(9):
        (tmp_path / backups.backup_filename(start + timedelta(days=day))).write_bytes(b"")
    removed = backups.prune(tmp_path, keep=7)
    assert [p.name for p in removed] == [
        backups.backup_filename(start + timedelta(days=1)),
        backups.backup_filename(start),
    ]
    assert backups.newest_backup(tmp_path) == start + timedelta(days=8)
    assert backups.newest_backup(tmp_path / "missing") is None


async def test_backup_for_download_is_a_database_and_leaves_nothing(
    db: Database, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    await UserRepository(db).touch(7, "A", clock())
    download = await backups.backup_for_download(db, clock())
    assert list(scratch.iterdir()) == []  # the copy was deleted once read
    assert download.filename == "souk-backup-2026-11-23T0900Z.sqlite3"
    assert download.content is not None and download.size == len(download.content)
    copy = tmp_path / "received.sqlite3"
    copy.write_bytes(download.content)
    connection = sqlite3.connect(copy)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT id FROM users").fetchall() == [(7,)]
    finally:
        connection.close()


async def test_backups_and_a_new_database_are_the_bots_alone_whatever_the_umask(
    clock: FakeClock, tmp_path: Path
) -> None:
    """Without the start-up umask (a test, an import from another program), still 0600 in
    0700: the backups hold every applicant's personal data."""
    import os
    import stat

    previous = os.umask(0o022)
    try:
        database = await Database.open(tmp_path / "data" / "bot.sqlite3")
        try:
            await UserRepository(database).touch(1, "Fatima", clock())
            made = await backups.daily_backup(database, tmp_path / "backups", clock())
        finally:
            await database.close()
    finally:
        os.umask(previous)
    assert made is not None

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(made) == 0o600 and mode(made.parent) == 0o700
    assert mode(tmp_path / "data" / "bot.sqlite3") == 0o600 and mode(tmp_path / "data") == 0o700
