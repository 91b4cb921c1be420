"""A wrong setting or file stops `python -m bot` with exit status 2 and one line naming it;
no failed start leaves the process running (a supervisor would take it for a live bot)."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from localbotapi import FakeTelegram
from storage.db import Database, migrations
from tests.e2e.bot_process import ROOT, BotProcess, free_port, running_bot
from tests.e2e.journey import choose_language, next_new_message

TOKEN = "123456:TEST-TOKEN"
# Long enough for a start on two busy cores; a hung process is killed after it.
PATIENCE = 30.0


@dataclass
class Outcome:
    code: int
    stderr: str
    seconds: float

    def assert_one_line(self, prefix: str, *needles: str) -> str:
        """Status 2, no traceback, and the last line is the one naming the problem."""
        assert self.code == 2, f"exit status {self.code}:\n{self.stderr}"
        assert self.seconds < PATIENCE / 2, f"{self.seconds:.1f} s to stop"
        assert "Traceback" not in self.stderr, self.stderr
        last = self.stderr.strip().splitlines()[-1]
        assert last.startswith(prefix), self.stderr
        assert sum(line.startswith(prefix) for line in self.stderr.splitlines()) == 1
        for needle in needles:
            assert needle in last, last
        assert TOKEN not in self.stderr
        return last


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        yield server


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "bot"
    folder.mkdir()
    yield folder
    if os.geteuid() == 0:  # undo `read_only` below, or pytest cannot clean up
        subprocess.run(["chattr", "-R", "-i", str(folder)], capture_output=True, check=False)


def read_only(*paths: Path) -> None:
    """Files and folders the bot cannot write. Root writes a 0444 file all the same: for
    root (a container's usual user) the immutable attribute does it, where the file system
    has one."""
    for path in paths:
        path.chmod(0o555 if path.is_dir() else 0o444)
    if os.geteuid() != 0:
        return
    done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"running as root, and no immutable files here: {done.stderr.strip()}")


def run(fake: FakeTelegram | None, workdir: Path, env: dict[str, str]) -> Outcome:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOT_", "ADMIN_", "DATABASE_", "WEBHOOK_", "MARKETS_", "TELEGRAM_"))
    }
    base = {
        "BOT_TOKEN": TOKEN,
        "BOT_API_BASE_URL": fake.base_url if fake else "http://127.0.0.1:9",
        "DATABASE_PATH": str(workdir / "bot.sqlite3"),
        "PYTHONUNBUFFERED": "1",
    }
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=workdir,
        env={**clean, **base, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, stderr = process.communicate(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        raise AssertionError(f"the bot did not exit within {PATIENCE} s:\n{stderr}") from None
    return Outcome(process.returncode, stderr, time.monotonic() - started)


def make_database(path: Path, user_version: int | None = None) -> None:
    async def create() -> None:
        db = await Database.open(path)
        if user_version is not None:
            await db.execute(f"PRAGMA user_version = {user_version:d}")
        await db.close()

    asyncio.run(create())


def catalogue_copy(workdir: Path, pattern: str, replacement: str) -> Path:
    source = (ROOT / "bot" / "data" / "markets.toml").read_text(encoding="utf-8")
    changed, count = re.subn(pattern, replacement, source, count=1, flags=re.MULTILINE)
    assert count == 1
    path = workdir / "markets.toml"
    path.write_text(changed, encoding="utf-8")
    return path


# -- item 15: failures after the database opened used to hang the process -------------------


def test_admin_id_too_large_for_sqlite(fake: FakeTelegram, workdir: Path) -> None:
    outcome = run(fake, workdir, {"ADMIN_IDS": "99999999999999999999999"})
    outcome.assert_one_line("configuration error: ADMIN_IDS:", "99999999999999999999999")


def test_capacity_too_large_for_sqlite(fake: FakeTelegram, workdir: Path) -> None:
    markets = catalogue_copy(workdir, r"^(\s*)capacity = 70$", r"\1capacity = 99999999999999999999")
    outcome = run(fake, workdir, {"MARKETS_FILE": str(markets)})
    outcome.assert_one_line("catalogue error:", "capacity", "at most")


def test_read_only_database(fake: FakeTelegram, workdir: Path) -> None:
    database = workdir / "bot.sqlite3"
    make_database(database)
    read_only(*workdir.iterdir())
    outcome = run(fake, workdir, {})
    outcome.assert_one_line("configuration error: DATABASE_PATH:", "read-only")


def test_database_newer_than_the_code(fake: FakeTelegram, workdir: Path) -> None:
    make_database(workdir / "bot.sqlite3", user_version=len(migrations()) + 3)
    outcome = run(fake, workdir, {})
    outcome.assert_one_line("configuration error: DATABASE_PATH:", "schema version", "newer")


# -- item 16: bad settings that ended in a traceback and exit status 1 -----------------------


def test_database_path_is_a_text_file(fake: FakeTelegram, workdir: Path) -> None:
    notes = workdir / "notes.txt"
    notes.write_text("Liste des exposantes\n" * 200, encoding="utf-8")
    outcome = run(fake, workdir, {"DATABASE_PATH": str(notes)})
    outcome.assert_one_line("configuration error: DATABASE_PATH:", "not an SQLite database")
    assert notes.read_text(encoding="utf-8").startswith("Liste des exposantes")


def test_database_in_a_folder_that_cannot_be_written(fake: FakeTelegram, workdir: Path) -> None:
    locked = workdir / "locked"
    locked.mkdir()
    read_only(locked)
    outcome = run(fake, workdir, {"DATABASE_PATH": str(locked / "bot.sqlite3")})
    outcome.assert_one_line("configuration error: DATABASE_PATH:", "folder")


def test_database_folder_is_a_file(fake: FakeTelegram, workdir: Path) -> None:
    (workdir / "data").write_text("x")
    outcome = run(fake, workdir, {"DATABASE_PATH": str(workdir / "data" / "bot.sqlite3")})
    outcome.assert_one_line("configuration error: DATABASE_PATH:", "cannot create the folder")


def webhook_env(port: int, listen: str = "127.0.0.1") -> dict[str, str]:
    return {
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
        "WEBHOOK_SECRET": "s" * 32,
        "WEBHOOK_LISTEN": listen,
        "WEBHOOK_PORT": str(port),
    }


def test_webhook_port_in_use(fake: FakeTelegram, workdir: Path) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        outcome = run(fake, workdir, webhook_env(port))
    outcome.assert_one_line("configuration error: WEBHOOK_PORT:", str(port), "in use")
    assert not (workdir / "bot.sqlite3").exists()  # said before anything was opened
    assert fake.arrivals("setWebhook") == 0


def test_unknown_webhook_host(fake: FakeTelegram, workdir: Path) -> None:
    outcome = run(fake, workdir, webhook_env(free_port(), listen="no-such-host.invalid"))
    outcome.assert_one_line("configuration error: WEBHOOK_LISTEN:", "no-such-host.invalid")


def test_token_refused_by_telegram(fake: FakeTelegram, workdir: Path) -> None:
    outcome = run(fake, workdir, {"BOT_TOKEN": "654321:REFUSED-TOKEN"})
    last = outcome.assert_one_line("configuration error: BOT_TOKEN:", "Telegram refused this token")
    assert "REFUSED-TOKEN" not in outcome.stderr, last


def test_catalogue_nested_too_deeply(fake: FakeTelegram, workdir: Path) -> None:
    markets = workdir / "markets.toml"
    markets.write_text("a = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    outcome = run(fake, workdir, {"MARKETS_FILE": str(markets)})
    outcome.assert_one_line("catalogue error:", "markets.toml", "nested too deeply")


def test_telegram_unreachable_is_tried_again_then_one_line(workdir: Path) -> None:
    with socket.socket() as closed:  # a port nobody listens on: connection refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    outcome = run(
        None,
        workdir,
        {"BOT_API_BASE_URL": f"http://127.0.0.1:{port}", "TELEGRAM_WAIT_SECONDS": "4"},
    )
    last = outcome.assert_one_line("start-up error:", f"127.0.0.1:{port}", "could not be reached")
    tries = [line for line in outcome.stderr.splitlines() if "Telegram not reachable" in line]
    assert len(tries) >= 2 and all(" WARNING " in line for line in tries), outcome.stderr
    assert "next try in 1 s" in tries[0] and "next try in 2 s" in tries[1]
    assert 2 <= outcome.seconds < 15, last
    assert not (workdir / "bot.sqlite3").exists()


def test_telegram_back_within_the_wait_starts_the_bot(fake: FakeTelegram, workdir: Path) -> None:
    """A network that comes up after the bot: the tries go on until Telegram answers."""
    fake.fail_next("getMe", 502, "Bad Gateway")
    bot = BotProcess(fake, workdir)
    bot.start()
    assert bot.stop() == 0
    assert "Telegram not reachable at start-up (try 1" in bot.log()
    assert sqlite3.connect(workdir / "bot.sqlite3").execute("PRAGMA user_version").fetchone()


def test_reload_of_a_catalogue_nested_too_deeply_quotes_the_error(
    fake: FakeTelegram, workdir: Path
) -> None:
    """It used to answer only "Désolé, un problème est survenu" (a RecursionError)."""
    admin_id = 9501
    markets = catalogue_copy(workdir, r"^(\s*)capacity = 70$", r"\1capacity = 70")
    with running_bot(fake, workdir, admins=[admin_id], markets=markets):
        admin = fake.user(admin_id, language_code="fr")
        choose_language(admin, "Français")
        markets.write_text("a = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
        admin.send_command("/reload")
        refusal = next_new_message(admin).text or ""
        assert "Catalogue non rechargé" in refusal and "nested too deeply" in refusal, refusal
        assert "Désolé" not in refusal
