"""The database, its journal and the backups hold personal data (law 09-08): readable and
writable by the bot's own account only, files 0600 in folders 0700."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
# New files and folders: no access for the group or others. SQLite creates the database with
# 0644 & ~umask, and its -wal and -shm files with the database's own mode.
UMASK = 0o077
# The files SQLite keeps next to a database (https://www.sqlite.org/tempfiles.html).
SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Tightened:
    path: Path
    before: int
    after: int


def make_private_folder(folder: Path) -> None:
    """Create `folder` (and missing parents) accessible to the owner only."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)


def database_files(database: Path) -> list[Path]:
    return [database, *(database.with_name(database.name + side) for side in SIDE_FILES)]


def tighten(files: list[Path], folders: list[Path]) -> list[Tightened]:
    """Take the group's and others' access away from these files and folders, where they exist.

    A folder is changed only if this account owns it and it is not a shared one (sticky bit,
    like /tmp): a database put in /tmp must not close /tmp to everyone else."""
    done: list[Tightened] = []
    for path, mode in [*((f, FILE_MODE) for f in files), *((d, FOLDER_MODE) for d in folders)]:
        try:
            info = path.stat()
        except OSError:  # not there, or under a file: opening the database will say what is wrong
            continue
        current = stat.S_IMODE(info.st_mode)
        if mode == FOLDER_MODE and (info.st_uid != os.getuid() or current & stat.S_ISVTX):
            continue
        if current & 0o077:
            try:
                path.chmod(current & ~0o077 & 0o7777)
            except OSError:  # a read-only file system: opening the database will say so
                continue
            done.append(Tightened(path, current, current & ~0o077))
    return done
