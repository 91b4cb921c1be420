"""Run the real bot (`python -m bot`) as a subprocess against the fake Bot API."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from localbotapi import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for the bot's webhook server)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class BotProcess:
    """One bot process at a time; `restart` keeps the database, like an operator would.

    `start` returns once the bot takes updates: after its first getUpdates in polling mode;
    with `BOT_MODE=webhook` in `extra_env`, after its setWebhook and once its webhook server
    (`WEBHOOK_LISTEN`:`WEBHOOK_PORT`) accepts connections. `ready_method` overrides the call
    waited for.
    """

    def __init__(
        self,
        fake: FakeTelegram,
        workdir: Path,
        extra_env: Mapping[str, str] | None = None,
        *,
        ready_method: str | None = None,
    ) -> None:
        self.fake = fake
        self.workdir = workdir
        self.log_path = workdir / "bot.log"
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("BOT_", "ADMIN_", "DATABASE_", "WEBHOOK_", "FLOOD_"))
            },
            "BOT_TOKEN": fake.token,
            "BOT_API_BASE_URL": fake.base_url,
            "DATABASE_PATH": str(workdir / "bot.sqlite3"),
            "PYTHONUNBUFFERED": "1",
            # Scripted users answer a whole questionnaire in a few seconds, far faster than
            # people; flood control would stop them. tests/e2e/test_flood.py sets its own limit.
            "FLOOD_MAX_UPDATES": "10000",
            **(extra_env or {}),
        }
        self.database = Path(self.env["DATABASE_PATH"])  # the test's own, if it sets one
        self.webhook_mode = self.env.get("BOT_MODE", "").strip().lower() == "webhook"
        self.ready_method = ready_method or ("setWebhook" if self.webhook_mode else "getUpdates")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20.0) -> None:
        calls_before = self.fake.arrivals(self.ready_method)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=self.workdir, env=self.env, stdout=log, stderr=log
        )
        deadline = time.monotonic() + timeout
        while not self._ready(calls_before):
            if self.process.poll() is not None:
                raise AssertionError(f"bot exited with {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"bot not ready ({self.ready_method}) after {timeout}s:\n{self.log()}"
                )
            time.sleep(0.05)

    def _ready(self, calls_before: int) -> bool:
        if self.fake.arrivals(self.ready_method) <= calls_before:
            return False
        if not self.webhook_mode or "WEBHOOK_PORT" not in self.env:
            return True
        # PTB calls setWebhook before its server listens (Updater._start_webhook).
        host = self.env.get("WEBHOOK_LISTEN", "127.0.0.1")
        try:
            socket.create_connection((host, int(self.env["WEBHOOK_PORT"])), timeout=0.5).close()
        except OSError:
            return False
        return True

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"bot did not stop on {sig}:\n{self.log()}") from None
        return self.process.returncode

    def kill(self) -> None:
        """A crash: no shutdown code runs."""
        self.stop(signal.SIGKILL)

    def restart(self) -> None:
        self.stop()
        self.start()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:] if self.log_path.exists() else ""


@contextmanager
def running_bot(
    fake: FakeTelegram,
    workdir: Path,
    *,
    admins: Iterable[int] = (),
    quiet_hours: str | None = None,
    markets: Path | None = None,
    backups: bool = False,
    env: Mapping[str, str] | None = None,
    tracebacks: bool = False,
) -> Iterator[BotProcess]:
    """A bot started in `workdir`; on leaving, it must stop with exit code 0 and, unless
    `tracebacks` (a test that makes handlers fail on purpose), no traceback in its log.

    `admins` is ADMIN_IDS, `quiet_hours` QUIET_HOURS ("off" for none), `markets` the catalogue
    (MARKETS_FILE), `backups` a BACKUP_DIR `backups` in `workdir`; `env` sets anything else.
    If the body fails, the bot is stopped and the body's error is the one reported.
    """
    settings: dict[str, str] = {}
    if admins:
        settings["ADMIN_IDS"] = ",".join(str(admin) for admin in admins)
    if quiet_hours is not None:
        settings["QUIET_HOURS"] = quiet_hours
    if markets is not None:
        settings["MARKETS_FILE"] = str(markets)
    if backups:
        settings["BACKUP_DIR"] = str(workdir / "backups")
    process = BotProcess(fake, workdir, {**settings, **(env or {})})
    process.start()
    try:
        yield process
    finally:
        code = process.stop()
    assert code == 0, f"bot exited with {code}:\n{process.log()}"
    if not tracebacks:
        assert "Traceback" not in process.log(), process.log()


class StartBot(Protocol):
    """`start_bot(...)`: a started bot in a fresh folder `name`, stopped and checked (exit
    code 0, no traceback) after the module's last test. The keywords are `running_bot`'s;
    `fake` replaces the module's `fake` (a Bot API that enforces limits, say)."""

    def __call__(
        self,
        *,
        name: str = "bot",
        admins: Iterable[int] = (),
        quiet_hours: str | None = None,
        markets: Path | None = None,
        backups: bool = False,
        env: Mapping[str, str] | None = None,
        tracebacks: bool = False,
        fake: FakeTelegram | None = None,
    ) -> BotProcess: ...
