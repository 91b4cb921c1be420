"""Run the real bot (`python -m bot`) as a subprocess against the fake Bot API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    """One bot process at a time; `restart` keeps the database, like an operator would."""

    def __init__(
        self, fake: FakeTelegram, workdir: Path, extra_env: Mapping[str, str] | None = None
    ) -> None:
        self.fake = fake
        self.workdir = workdir
        self.database = workdir / "bot.sqlite3"
        self.log_path = workdir / "bot.log"
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("BOT_", "ADMIN_", "DATABASE_"))
            },
            "BOT_TOKEN": fake.token,
            "BOT_API_BASE_URL": fake.base_url,
            "DATABASE_PATH": str(self.database),
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20.0) -> None:
        polls_before = len(self.fake.calls("getUpdates"))
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=self.workdir, env=self.env, stdout=log, stderr=log
        )
        deadline = time.monotonic() + timeout
        while len(self.fake.calls("getUpdates")) <= polls_before:
            if self.process.poll() is not None:
                raise AssertionError(f"bot exited with {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"bot not polling after {timeout}s:\n{self.log()}")
            time.sleep(0.05)

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
