"""`python -m bot.sandbox [--port 8765] [--data data/sandbox]`: see bot/sandbox/__init__.py."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web

from bot.sandbox.web import Person, SandboxPage
from localbotapi import FakeTelegram

TOKEN = "123456:SANDBOX-TOKEN"  # the local server's; Telegram never sees it
ORGANIZER = Person(3003, "Samira", "fr", "organisatrice (admin)", "212661000003")
PEOPLE = (
    Person(1001, "Fatima", "ar", "membre", "212661000001"),
    Person(2002, "Khadija", "fr", "membre", "212661000002"),
    ORGANIZER,
)
READY_SECONDS = 30.0


def bot_environment(fake: FakeTelegram, data: Path) -> dict[str, str]:
    """The bot's settings: the local server, a database of its own, the organizer as admin.
    Settings of a real deployment in the environment (a token, a database) are left out."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOT_", "ADMIN_", "DATABASE_", "WEBHOOK_", "BACKUP_"))
    }
    return {
        **inherited,
        "BOT_TOKEN": fake.token,
        "BOT_API_BASE_URL": fake.base_url,
        "DATABASE_PATH": str(data / "bot.sqlite3"),
        "BACKUP_DIR": str(data / "backups"),
        "ADMIN_IDS": str(ORGANIZER.id),
        "PYTHONUNBUFFERED": "1",
    }


def start_bot(fake: FakeTelegram, data: Path) -> subprocess.Popen[bytes]:
    data.mkdir(parents=True, exist_ok=True)
    log = (data / "bot.log").open("ab")
    # The bot's working folder is the sandbox's, so a `.env` of a real deployment is not read.
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=data,
        env=bot_environment(fake, data),
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + READY_SECONDS
    while fake.arrivals("getUpdates") == 0:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"the bot did not start: see {data / 'bot.log'}")
        time.sleep(0.1)
    return process


def stop_bot(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


async def serve(page: SandboxPage, port: int, stop: asyncio.Event) -> None:
    runner = web.AppRunner(page.application())
    await runner.setup()
    # 127.0.0.1 only: the page acts as any of its people, with no password.
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print(f"Sandbox ready: open http://127.0.0.1:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox", description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="the page's port (8765)")
    parser.add_argument(
        "--data", type=Path, default=Path("data/sandbox"), help="the sandbox's own data folder"
    )
    args = parser.parse_args(argv)
    data = args.data.resolve()
    with FakeTelegram(
        token=TOKEN, bot_username="souk_sandbox_bot", bot_first_name="Souk", record_calls=False
    ) as fake:
        page = SandboxPage(fake, PEOPLE)
        bot = start_bot(fake, data)
        try:
            asyncio.run(_run_until_signal(page, args.port))
        finally:
            stop_bot(bot)
    return 0


async def _run_until_signal(page: SandboxPage, port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    await serve(page, port, stop)


if __name__ == "__main__":
    sys.exit(main())
