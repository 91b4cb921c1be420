"""`python -m bot check` (issue 19, item 3): exit 0 healthy, 1 unhealthy with one line why,
2 for a configuration error naming the setting."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.check import check
from storage.checkup import latest_schema
from storage.db import Database
from storage.heartbeat import Heartbeat, HeartbeatRepository

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def environ(database: Path, **more: str) -> dict[str, str]:
    return {"BOT_TOKEN": "1:abc", "DATABASE_PATH": str(database), **more}


def run(database: Path, now: datetime = NOW, **more: str) -> tuple[int, str]:
    # No .env: the developer's own must not change what the test sees.
    return check(environ(database, **more), now, dotenv=database.parent / "no.env")


async def database_with(path: Path, beat: Heartbeat | None) -> Path:
    db = await Database.open(path)
    try:
        if beat is not None:
            await HeartbeatRepository(db).write(beat)
    finally:
        await db.close()
    return path


def beat(
    written: float = 30,
    updates: float | None = 5,
    outbox: float | None = 1,
    mode: str = "polling",
    started: float = 600,
) -> Heartbeat:
    """A heartbeat whose parts are that many seconds old."""

    def ago(seconds: float) -> datetime:
        return NOW - timedelta(seconds=seconds)

    return Heartbeat(
        ago(started),
        ago(written),
        None if updates is None else ago(updates),
        None if outbox is None else ago(outbox),
        mode,
        4242,
    )


async def test_healthy(tmp_path: Path) -> None:
    database = await database_with(tmp_path / "bot.sqlite3", beat())
    code, line = run(database)
    assert code == 0, line
    assert line.startswith("healthy: polling, process 4242, heartbeat 30 s ago"), line


async def test_healthy_just_after_the_start(tmp_path: Path) -> None:
    # The first long poll has not returned yet: the start is the reference for a while.
    young = beat(written=20, updates=None, outbox=None, started=25)
    code, line = run(await database_with(tmp_path / "bot.sqlite3", young))
    assert code == 0, line
    assert line.endswith(
        "updates not yet (the bot has just started), outbox not yet (the bot has just started)"
    )


async def test_healthy_through_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = await database_with(tmp_path / "bot.sqlite3", beat(written=0))
    monkeypatch.chdir(tmp_path)
    for name, value in environ(database).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("bot.__main__.datetime", _FrozenDatetime)
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith("healthy: polling")


class _FrozenDatetime(datetime):
    @classmethod
    def now(cls, tz: object = None) -> _FrozenDatetime:  # type: ignore[override]
        return cls.fromtimestamp(NOW.timestamp(), UTC)


@pytest.mark.parametrize(
    ("heartbeat", "why"),
    [
        (None, "no heartbeat"),
        (beat(written=4 * 60), "last heartbeat is 4 min old: is it running?"),
        (beat(updates=10 * 60), "Telegram has not answered getUpdates for 10 min"),
        (
            beat(updates=None),
            "Telegram has not answered getUpdates since the bot started, 10 min ago",
        ),
        (beat(updates=300, mode="webhook"), "webhook server has not been serving for 5 min"),
        (beat(outbox=200), "outbox dispatcher has not run for 3 min"),
        (beat(outbox=None, started=200), "outbox dispatcher has not run since the bot started"),
    ],
)
async def test_stale_or_missing_heartbeat(
    tmp_path: Path, heartbeat: Heartbeat | None, why: str
) -> None:
    database = await database_with(tmp_path / "bot.sqlite3", heartbeat)
    code, line = run(database)
    assert code == 1, line
    assert line.startswith("unhealthy: ") and why in line, line
    assert "\n" not in line


async def test_schema_not_the_latest(tmp_path: Path) -> None:
    database = await database_with(tmp_path / "bot.sqlite3", beat())
    with sqlite3.connect(database) as connection:
        connection.execute(f"PRAGMA user_version = {latest_schema() - 1}")
    code, line = run(database)
    assert code == 1, line
    assert f"schema version {latest_schema() - 1}, this bot's is {latest_schema()}" in line


async def test_corrupt_file(tmp_path: Path) -> None:
    database = await database_with(tmp_path / "bot.sqlite3", beat())
    # Scramble pages in the middle of the file (a bad disk, a copy cut short and patched).
    data = bytearray(database.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[2 * page : 5 * page] = bytes(range(256)) * (3 * page // 256)
    database.write_bytes(bytes(data))
    code, line = run(database)
    assert code == 1, line
    assert line.startswith(f"unhealthy: {database}") or line.startswith("unhealthy: DATABASE_PATH")
    assert "damaged" in line or "malformed" in line, line


async def test_missing_or_foreign_file(tmp_path: Path) -> None:
    code, line = run(tmp_path / "nothing.sqlite3")
    assert (code, line) == (
        1,
        f"unhealthy: DATABASE_PATH: {tmp_path / 'nothing.sqlite3'}: no such file",
    )
    notes = tmp_path / "notes.txt"
    notes.write_text("Liste des exposantes\n" * 300, encoding="utf-8")
    code, line = run(notes)
    assert code == 1 and "file is not a database" in line, line


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("BOT_TOKEN", "not-a-token"),
        ("QUIET_HOURS", "25:00-08:00"),
        ("MARKETS_FILE", "/nowhere/markets.toml"),
        ("BACKUP_COMMAND", "rclone-that-is-not-installed copy"),
    ],
)
async def test_configuration_error_names_the_setting(
    tmp_path: Path, setting: str, value: str
) -> None:
    database = await database_with(tmp_path / "bot.sqlite3", beat())
    code, line = run(database, **{setting: value})
    assert code == 2, line
    assert line.startswith(f"configuration error: {setting}: "), line


async def test_catalogue_error(tmp_path: Path) -> None:
    database = await database_with(tmp_path / "bot.sqlite3", beat())
    markets = tmp_path / "markets.toml"
    markets.write_text("[[markets]]\ncode = 'x'\n", encoding="utf-8")
    code, line = run(database, MARKETS_FILE=str(markets))
    assert code == 2 and line.startswith("catalogue error: "), line


def test_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chek"]) == 2
    assert "usage: python -m bot [check | restore <backup file>]" in capsys.readouterr().err
