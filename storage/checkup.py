"""Looking into a database file without changing it: the health check reads the bot's live
database, the restore reads a backup before putting it in place. Plain sqlite3, read-only."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from storage.db import migrations
from storage.heartbeat import Heartbeat, read_heartbeat


class Unreadable(Exception):
    """The file cannot be read as a database; the message says why in one line."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class Inspection:
    schema_version: int
    problem: str | None  # the first line of quick_check (or integrity_check), None when ok
    heartbeat: Heartbeat | None


def latest_schema() -> int:
    """The schema version this code writes: its last migration's number."""
    return migrations()[-1][0]


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    if not path.is_file():
        raise Unreadable(path, "no such file")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as error:
        raise Unreadable(path, f"cannot be opened ({error})") from None
    try:
        yield connection
    finally:
        connection.close()


def inspect(path: Path, *, thorough: bool = False) -> Inspection:
    """Schema version, `PRAGMA quick_check` (`integrity_check` when `thorough`: slower, it also
    checks the indexes' contents) and the heartbeat row, if the schema has one."""
    pragma = "integrity_check" if thorough else "quick_check"
    with read_only(path) as connection:
        try:
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
            lines = [str(row[0]) for row in connection.execute(f"PRAGMA {pragma}")]
            problem = None if lines == ["ok"] else f"{pragma}: {'; '.join(lines[:3])}"
            has_heartbeat = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'heartbeat'"
            ).fetchone()
            beat = read_heartbeat(connection) if has_heartbeat and problem is None else None
        except (sqlite3.Error, ValueError) as error:
            raise Unreadable(path, str(error)) from None
    return Inspection(version, problem, beat)
