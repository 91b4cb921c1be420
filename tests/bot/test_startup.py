"""Start-up checks: Telegram tried again with backoff, a refused token, a failed post_init."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest
from telegram.error import InvalidToken, NetworkError, TimedOut

from bot.catalogue import Catalogue
from bot.config import SettingsError, load_settings
from bot.startup import StartupError, check_listen, reach_telegram
from storage.db import Database


class FlakyBot:
    """Stands for telegram.Bot: `initialize` fails with each error in turn, then works."""

    base_url = "http://127.0.0.1:9/bot1:abc"
    token = "1:abc"

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def initialize(self) -> None:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)


class Time:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


async def test_telegram_out_of_reach_is_tried_again_with_backoff(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot, time = FlakyBot(*[NetworkError("connect failed")] * 6), Time()
    with caplog.at_level(logging.WARNING, logger="bot.startup"):
        await reach_telegram(bot, 120, sleep=time.sleep, clock=time.clock)  # type: ignore[arg-type]
    assert bot.calls == 7
    assert time.sleeps == [1, 2, 4, 8, 16, 30]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 6 and "try 1: NetworkError: connect failed" in warnings[0].message


async def test_telegram_out_of_reach_for_too_long_is_one_line() -> None:
    bot, time = FlakyBot(*[TimedOut("Timed out")] * 100), Time()
    with pytest.raises(StartupError) as caught:
        await reach_telegram(bot, 10, sleep=time.sleep, clock=time.clock)  # type: ignore[arg-type]
    assert time.sleeps == [1, 2, 4]  # the next wait (8 s) would go past 10 s
    message = str(caught.value)
    assert "\n" not in message and "http://127.0.0.1:9" in message and "1:abc" not in message
    assert "4 tries" in message and "TimedOut" in message


@pytest.mark.parametrize("cause", ["Unauthorized", "Not Found"])
async def test_a_refused_token_is_not_tried_again(cause: str) -> None:
    refused = InvalidToken("The token `1:abc` was rejected by the server.")
    refused.__cause__ = InvalidToken(cause)
    bot, time = FlakyBot(refused), Time()
    with pytest.raises(SettingsError) as caught:
        await reach_telegram(bot, 60, sleep=time.sleep, clock=time.clock)  # type: ignore[arg-type]
    assert caught.value.name == "BOT_TOKEN" and "refused this token" in caught.value.reason
    assert "1:abc" not in str(caught.value) and time.sleeps == []


def test_a_port_in_use_is_named() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SettingsError) as caught:
            check_listen("127.0.0.1", port)
    assert caught.value.name == "WEBHOOK_PORT" and str(port) in caught.value.reason
    check_listen("127.0.0.1", port)  # free again


def test_an_unknown_host_is_named() -> None:
    with pytest.raises(SettingsError) as caught:
        check_listen("no-such-host.invalid", 8443)
    assert caught.value.name == "WEBHOOK_LISTEN"


async def test_a_failed_post_init_closes_the_database(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PTB calls post_shutdown after a failed post_init, but the services were never set: the
    connection stayed open and its thread kept the process alive for ever."""
    from bot import app as composition

    opened: list[Database] = []
    real_open = Database.open

    async def open_and_keep(path: Path | str) -> Database:
        opened.append(await real_open(path))
        return opened[-1]

    async def broken_sync(*args: object) -> None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(composition.Database, "open", open_and_keep)
    monkeypatch.setattr(composition, "sync_catalogue", broken_sync)
    settings = load_settings({"BOT_TOKEN": "1:abc", "DATABASE_PATH": str(tmp_path / "b.db")})
    application = composition.build_application(settings, catalogue)
    assert application.post_init is not None
    with pytest.raises(OverflowError):
        await application.post_init(application)
    assert len(opened) == 1
    with pytest.raises(ValueError, match="Connection closed"):
        await opened[0].fetchone("SELECT 1")


async def test_the_storage_watch_reports_a_loss_once_and_the_return(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from bot.services.monitoring import Operations, StorageLoss

    now = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    operations = Operations(started_at=now)
    try:
        assert operations.watch_storage(db, now) is False
        path.rename(tmp_path / "elsewhere.sqlite3")
        assert operations.watch_storage(db, now) == StorageLoss("deleted", now)
        assert operations.watch_storage(db, now) is False  # told once
        assert operations.storage_loss == StorageLoss("deleted", now)
        (tmp_path / "elsewhere.sqlite3").rename(path)
        assert operations.watch_storage(db, now) is True
        assert operations.storage_loss is None
    finally:
        await db.close()
