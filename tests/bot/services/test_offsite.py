"""BACKUP_COMMAND (issue 19, item 4): run after each daily backup with the file's path, never
through a shell; a failure reaches the admins as an error report, like any job's error."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot import jobs
from bot.config import SettingsError, load_settings
from bot.context import SERVICES_KEY, Services
from bot.handlers.errors import on_error
from bot.services import offsite
from bot.services.backups import PREFIX
from bot.wiring import render_delivery
from tests.conftest import FakeClock

ADMIN = 9001
# Stands for rclone or scp: `uploader.py SOURCE FOLDER`, or `uploader.py --to FOLDER SOURCE`;
# a FOLDER named FAIL fails, SLOW hangs.
UPLOADER = """
import shutil, sys
args = sys.argv[1:]
path, folder = (args[2], args[1]) if args[0] == "--to" else (args[0], args[1])
assert len(args) == (3 if args[0] == "--to" else 2), args
if folder == "FAIL":
    print("connecting to storage.example...")
    print("ERROR: 403 Forbidden: bucket souk-backups")
    sys.exit(3)
if folder == "SLOW":
    import time
    time.sleep(30)
    sys.exit(0)
shutil.copy(path, folder)
"""


def command(tmp_path: Path, *words: str) -> str:
    script = tmp_path / "uploader.py"
    script.write_text(UPLOADER, encoding="utf-8")
    return " ".join([sys.executable, str(script), *words])


async def test_the_command_gets_the_path_as_one_argument_without_a_shell(tmp_path: Path) -> None:
    # A name a shell would expand: with a shell, `touch` would run and the path would split.
    backup = tmp_path / "a folder" / "souk-backup $(touch pwned) ;x.sqlite3"
    backup.parent.mkdir()
    backup.write_bytes(b"SQLite format 3\x00 backup")
    remote = tmp_path / "remote"
    remote.mkdir()
    settings = load_settings(
        {"BOT_TOKEN": "1:abc", "BACKUP_COMMAND": command(tmp_path, "{}", f"'{remote}'")}
    )
    await offsite.copy_offsite(settings.backup_command, backup)
    assert (remote / backup.name).read_bytes() == backup.read_bytes()
    # Without `{}`, the path comes last.
    (remote / backup.name).unlink()
    appended = load_settings(
        {"BOT_TOKEN": "1:abc", "BACKUP_COMMAND": command(tmp_path, "--to", f"'{remote}'")}
    )
    await offsite.copy_offsite(appended.backup_command, backup)
    assert (remote / backup.name).read_bytes() == backup.read_bytes()
    assert not (Path.cwd() / "pwned").exists() and not (tmp_path / "pwned").exists()


async def test_a_failure_names_the_status_and_the_command_last_words(tmp_path: Path) -> None:
    backup = tmp_path / "b.sqlite3"
    backup.write_bytes(b"x")
    words = tuple(command(tmp_path, "--to", "FAIL").split())
    with pytest.raises(offsite.BackupCommandFailed) as failed:
        await offsite.copy_offsite(words, backup)
    assert "exited with status 3" in str(failed.value)
    assert "403 Forbidden" in str(failed.value)


async def test_a_command_that_hangs_is_stopped(tmp_path: Path) -> None:
    backup = tmp_path / "b.sqlite3"
    backup.write_bytes(b"x")
    words = tuple(command(tmp_path, "{}", "SLOW").split())
    with pytest.raises(offsite.BackupCommandFailed, match="did not finish within 1 s"):
        await offsite.copy_offsite(words, backup, seconds=1)


def test_a_command_that_does_not_exist_is_a_configuration_error() -> None:
    with pytest.raises(SettingsError, match="BACKUP_COMMAND: no such program: rclone-typo"):
        load_settings({"BOT_TOKEN": "1:abc", "BACKUP_COMMAND": "rclone-typo copyto x:"})
    with pytest.raises(SettingsError, match="BACKUP_COMMAND: cannot be split"):
        load_settings({"BOT_TOKEN": "1:abc", "BACKUP_COMMAND": "scp 'unclosed"})
    assert load_settings({"BOT_TOKEN": "1:abc"}).backup_command == ()


async def daily_job(services: Services) -> Any:
    """Run the daily backup job as PTB would, its error going to the bot's error handler."""
    context = SimpleNamespace(
        services=services,
        bot_data={SERVICES_KEY: services},
        job=SimpleNamespace(name="daily_backup"),
        error=None,
    )
    try:
        await jobs.backup_if_due(context)  # type: ignore[arg-type]
    except Exception as error:
        context.error = error
        await on_error(None, context)  # type: ignore[arg-type]
    return context


async def admins_read(services: Services) -> list[str]:
    texts = []
    for delivery in await services.outbox.claim_due(services.clock(), 50, skip=()):
        rendered = await render_delivery(services, delivery)
        assert rendered is not None and delivery.recipient_id == ADMIN
        texts.append(rendered.text)
    return texts


@pytest.fixture
async def team(services: Services, clock: FakeClock) -> Services:
    await services.users.touch(ADMIN, "Admin", clock())
    await services.roles.sync_admins([ADMIN], clock())
    return services


async def test_after_the_daily_backup_the_copy_leaves_and_nobody_is_bothered(
    team: Services, tmp_path: Path
) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    settings = load_settings(
        {
            "BOT_TOKEN": "1:abc",
            "BACKUP_DIR": str(tmp_path / "backups"),
            "BACKUP_COMMAND": command(tmp_path, "{}", str(remote)),
        }
    )
    team.settings = settings
    context = await daily_job(team)
    assert context.error is None
    (made,) = (tmp_path / "backups").iterdir()
    assert made.name.startswith(PREFIX)
    assert (remote / made.name).read_bytes() == made.read_bytes()
    assert await admins_read(team) == []


async def test_a_failed_command_is_reported_to_the_admins(team: Services, tmp_path: Path) -> None:
    settings = load_settings(
        {
            "BOT_TOKEN": "1:abc",
            "BACKUP_DIR": str(tmp_path / "backups"),
            "BACKUP_COMMAND": command(tmp_path, "{}", "FAIL"),
        }
    )
    team.settings = settings
    context = await daily_job(team)
    assert isinstance(context.error, offsite.BackupCommandFailed)
    assert len(list((tmp_path / "backups").iterdir())) == 1  # the backup itself is made
    (text,) = await admins_read(team)
    assert "BackupCommandFailed" in text and "exited with status 3" in text, text
    assert "daily_backup" in text and "403 Forbidden" in text, text
    print(text)
