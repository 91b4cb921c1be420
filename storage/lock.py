"""A lock file beside the database, held by the running bot for its whole life, so that a
restore (or a second bot) never works on the file while the bot has it open.

`flock` rather than `fcntl` record locks: it belongs to the open file, not the process, and
the kernel lets go of it when the process ends, however it ends (a crash leaves no stale
lock). It is advisory: it stops our own commands, not another program.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from storage.files import FILE_MODE, make_private_folder


class DatabaseBusy(Exception):
    """Another process (the bot, or a restore) holds the database's lock."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class DatabaseLock:
    def __init__(self, fd: int, path: Path) -> None:
        self._fd = fd
        self.path = path

    @classmethod
    def take(cls, database: Path) -> DatabaseLock:
        """Take the lock at once or raise `DatabaseBusy`; OSError if the file cannot be made."""
        path = lock_path(database)
        make_private_folder(path.parent)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DatabaseBusy(
                f"{database} is in use: the bot (or a restore) is running on it"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        return cls(fd, path)

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing the file lets go of the lock
            self._fd = -1
