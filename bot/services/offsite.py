"""BACKUP_COMMAND: a copy of each daily backup leaves the disk (rclone, scp, aws s3 cp...).

The command is split once (shlex, in bot/config.py) and run without a shell. The backup's path
takes the place of a word `{}` (those tools want the source before the destination:
`rclone copy {} remote:backups`), or is appended as the last argument when there is none; it is
one argument either way, never interpreted. Its exit status is checked; a failure raises, and
the job's error reaches the admins like any other error.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

log = logging.getLogger(__name__)

# An upload of a backup of a few MB; a command that hangs (a prompt for a password, a dead
# network) is stopped rather than left running until the next backup.
TIMEOUT_SECONDS = 15 * 60
_OUTPUT_LIMIT = 200
PLACEHOLDER = "{}"


class BackupCommandFailed(Exception):
    """BACKUP_COMMAND could not start, failed or timed out: the backup stays on this disk."""


def _last_line(output: bytes) -> str:
    lines = [line.strip() for line in output.decode(errors="replace").splitlines()]
    last = next((line for line in reversed(lines) if line), "")
    return last if len(last) <= _OUTPUT_LIMIT else last[: _OUTPUT_LIMIT - 1] + "…"


async def copy_offsite(
    command: tuple[str, ...], backup: Path, seconds: float = TIMEOUT_SECONDS
) -> None:
    """Run `command` with `backup` in place of `{}` (or appended); raise BackupCommandFailed
    unless it exits 0."""
    path = str(backup)
    words = [path if word == PLACEHOLDER else word for word in command]
    if PLACEHOLDER not in command:
        words.append(path)
    try:
        process = await asyncio.create_subprocess_exec(
            *words,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
    except OSError as error:
        raise BackupCommandFailed(
            f"BACKUP_COMMAND could not start {command[0]}: {error.strerror or error}"
        ) from None
    try:
        output, _ = await asyncio.wait_for(process.communicate(), seconds)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        raise BackupCommandFailed(
            f"BACKUP_COMMAND did not finish within {seconds:.0f} s and was stopped:"
            " the backup stays on this disk only"
        ) from None
    if process.returncode != 0:
        said = _last_line(output)
        raise BackupCommandFailed(
            f"BACKUP_COMMAND exited with status {process.returncode}"
            + (f" ({said})" if said else "")
            + "; the backup stays on this disk only"
        )
    log.info("BACKUP_COMMAND copied %s", backup.name)
