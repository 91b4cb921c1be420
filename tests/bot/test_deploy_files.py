"""The ways to run the bot on a server (issue 19, items 1 and 2): the systemd units carry the
hardening and use the health check, the image runs unprivileged with its data on one volume
and the health check as HEALTHCHECK; both are checked by their own tools where present."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = ("souk-bot.service", "souk-bot-check.service", "souk-bot-check.timer")
PYTHON = "/opt/souk-bot/venv/bin/python"
DATA = "/var/lib/souk-bot"

Unit = dict[str, dict[str, list[str]]]


def parse_unit(path: Path) -> Unit:
    """Sections -> key -> every value given (systemd allows a key several times)."""
    unit: Unit = defaultdict(lambda: defaultdict(list))
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, _, value = line.partition("=")
        assert section, f"{path.name}: {line!r} outside a section"
        unit[section][key.strip()].append(value.strip())
    return unit


def one(unit: Unit, section: str, key: str) -> str:
    values = unit[section][key]
    assert len(values) == 1, f"[{section}] {key}: {values}"
    return values[0]


def environment(unit: Unit) -> dict[str, str]:
    pairs = (value.split("=", 1) for value in unit["Service"]["Environment"])
    return dict((name, value) for name, value in pairs)


def test_the_service_is_hardened_and_restarts_on_failure() -> None:
    unit = parse_unit(DEPLOY / "souk-bot.service")
    service = "Service"
    assert one(unit, service, "User") == "souk-bot"
    assert one(unit, service, "Restart") == "on-failure"
    assert one(unit, service, "ProtectSystem") == "strict"
    assert one(unit, service, "NoNewPrivileges") == "true"
    assert one(unit, service, "PrivateTmp") == "true"
    assert one(unit, service, "EnvironmentFile") == "/etc/souk-bot/env"
    assert one(unit, service, "ExecStart") == f"{PYTHON} -m bot"
    # The only place it may write holds the database and the backups.
    assert one(unit, service, "ReadWritePaths") == DATA
    env = environment(unit)
    for setting in ("DATABASE_PATH", "BACKUP_DIR"):
        assert Path(env[setting]).is_relative_to(DATA), setting
    assert "multi-user.target" in unit["Install"]["WantedBy"]


def test_the_timer_runs_the_health_check_which_restarts_an_unhealthy_bot() -> None:
    check = parse_unit(DEPLOY / "souk-bot-check.service")
    bot = parse_unit(DEPLOY / "souk-bot.service")
    assert one(check, "Service", "ExecStart") == f"{PYTHON} -m bot check"
    assert one(check, "Service", "Type") == "oneshot"
    for key in ("User", "EnvironmentFile", "ProtectSystem", "ReadWritePaths", "NoNewPrivileges"):
        assert one(check, "Service", key) == one(bot, "Service", key), key
    assert environment(check) == {
        k: v for k, v in environment(bot).items() if k != "PYTHONUNBUFFERED"
    }
    (after,) = check["Service"]["ExecStopPost"]
    assert after.startswith("+") and '"$EXIT_STATUS" = 1' in after
    assert "restart souk-bot.service" in after
    timer = parse_unit(DEPLOY / "souk-bot-check.timer")
    assert one(timer, "Timer", "OnUnitActiveSec") == "2min"
    assert "timers.target" in timer["Install"]["WantedBy"]


def test_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here: the units were not verified")
    # verify checks that ExecStart's program exists: this Python stands for the venv's.
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace(PYTHON, sys.executable), encoding="utf-8")
    result = subprocess.run(
        [analyze, "verify", *(str(tmp_path / name) for name in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) of the Dockerfile's last stage, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    instructions = [
        tuple(line.split(None, 1)) for line in lines if line and not line.startswith("#")
    ]
    last_from = max(i for i, (name, _) in enumerate(instructions) if name == "FROM")
    assert all(len(item) == 2 for item in instructions)
    return [(name, args) for name, args in instructions[last_from:]]  # type: ignore[misc]


def test_the_image_runs_the_bot_unprivileged_with_its_data_on_one_volume() -> None:
    stage = dockerfile()
    found = {name: args for name, args in stage}
    assert found["FROM"] == "python:3.11-slim"
    assert found["USER"] not in {"root", "0"}
    assert found["CMD"] == '["python", "-m", "bot"]'
    assert found["VOLUME"] == '["/data"]'
    assert found["HEALTHCHECK"].endswith('CMD ["python", "-m", "bot", "check"]')
    env = dict(shlex.split(word)[0].split("=", 1) for word in found["ENV"].split())
    assert env["DATABASE_PATH"].startswith("/data/") and env["BACKUP_DIR"].startswith("/data/")
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    # The runtime dependencies only (no [dev] extras), then the bot itself on top of them.
    assert "['project']['dependencies']" in text and "[dev]" not in text
    assert "pip install --no-cache-dir --no-compile --no-deps ." in text
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", "data/", ".venv/"} <= set(ignored)


def test_compose_has_the_volume_the_env_file_a_restart_policy_and_the_check() -> None:
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    lines = [line.split("#")[0].rstrip() for line in text.splitlines()]
    assert "    env_file: .env" in lines
    assert "    restart: unless-stopped" in lines
    assert "      - souk-data:/data" in lines
    assert '      test: ["CMD", "python", "-m", "bot", "check"]' in lines
    assert "  souk-data:" in lines


# pyproject's 120 s per test would cut the build short (a cold build took 59 s here, pip
# fetching matplotlib and numpy): the subprocess's own timeout is the limit.
@pytest.mark.timeout(1200)
def test_container_smoke() -> None:
    """Builds and starts the image where a container engine runs (scripts/container_smoke.sh)."""
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "container_smoke.sh")],
        capture_output=True,
        text=True,
        timeout=1200,
        env={
            "PYTHON": sys.executable,
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            # A daemon without a default bridge builds on the host's network (the script's header).
            **{k: v for k, v in os.environ.items() if k == "CONTAINER_BUILD_NETWORK"},
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    if "skipped" in result.stdout:
        pytest.skip(result.stdout.strip())
    assert "container: healthy:" in result.stdout and "image size:" in result.stdout
