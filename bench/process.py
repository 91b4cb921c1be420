"""A bot process under measurement: start-up time, CPU seconds and peak memory from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from localbotapi import FakeTelegram
from tests.e2e.bot_process import ROOT, BotProcess

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process, every thread included (Linux /proc)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the name in parentheses may hold spaces
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / CLOCK_TICKS


def peak_rss(pid: int) -> int:
    """The process's peak resident set size in bytes (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


class MeasuredBot(BotProcess):
    """`python -m <module>` against the fake; `start` returns the start-up time: from the
    process's start to its first getUpdates reaching the fake (it then takes updates)."""

    def __init__(
        self,
        fake: FakeTelegram,
        workdir: Path,
        extra_env: Mapping[str, str] | None = None,
        *,
        module: str = "bot",
    ) -> None:
        super().__init__(fake, workdir, extra_env)
        self.module = module
        # The process runs in `workdir`: the repository must be importable (bench.baseline_bot).
        paths = [str(ROOT), *filter(None, [self.env.get("PYTHONPATH")])]
        self.env["PYTHONPATH"] = os.pathsep.join(paths)
        self.startup_seconds = 0.0

    def start(self, timeout: float = 60.0) -> None:
        before = self.fake.arrivals("getUpdates")
        log = self.log_path.open("ab")
        began = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", self.module],
            cwd=self.workdir,
            env=self.env,
            stdout=log,
            stderr=log,
        )
        deadline = began + timeout
        while self.fake.arrivals("getUpdates") <= before:
            if self.process.poll() is not None:
                raise AssertionError(f"bot exited with {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"bot not polling after {timeout}s:\n{self.log()}")
            time.sleep(0.01)
        self.startup_seconds = time.monotonic() - began

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def peak_rss(self) -> int:
        return peak_rss(self.pid)
