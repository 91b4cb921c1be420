"""The running bot's sign of life: one row, rewritten every minute (migration 0017)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database


@dataclass(frozen=True)
class Heartbeat:
    started_at: datetime  # when this process started
    written_at: datetime  # when the row was written: the bot's jobs run
    updates_at: datetime | None  # the last sign that updates come in
    outbox_at: datetime | None  # the last turn of the outbox dispatcher's loop
    mode: str  # polling or webhook
    pid: int


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class HeartbeatRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def write(self, beat: Heartbeat) -> None:
        await self._db.execute(
            "INSERT INTO heartbeat (id, started_at, written_at, updates_at, outbox_at, mode, pid)"
            " VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            " started_at = excluded.started_at, written_at = excluded.written_at, updates_at = excluded.updates_at,"
            " outbox_at = excluded.outbox_at, mode = excluded.mode, pid = excluded.pid",
            (
                beat.started_at.isoformat(),
                beat.written_at.isoformat(),
                beat.updates_at.isoformat() if beat.updates_at else None,
                beat.outbox_at.isoformat() if beat.outbox_at else None,
                beat.mode,
                beat.pid,
            ),
        )


def read_heartbeat(connection: sqlite3.Connection) -> Heartbeat | None:
    """The row, through a plain (read-only) connection: the health check runs outside the bot."""
    row = connection.execute(
        "SELECT started_at, written_at, updates_at, outbox_at, mode, pid FROM heartbeat"
        " WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    started_at, written_at = _time(row[0]), _time(row[1])
    assert started_at is not None and written_at is not None  # NOT NULL
    return Heartbeat(started_at, written_at, _time(row[2]), _time(row[3]), str(row[4]), int(row[5]))
