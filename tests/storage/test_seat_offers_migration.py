"""Migration 0023 on a database made by the migrations before it: an offer already made holds
48 hours from when it was made (then passes on), and the offer terms have their defaults."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from storage.db import Database, migrations
from storage.trainings import TrainingRepository

MADE = datetime.fromisoformat("2027-04-01T09:15:00+00:00")


def _before_0023(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        for number, script in migrations():
            if number >= 23:
                break
            connection.executescript(script.read_text(encoding="utf-8"))
            connection.execute(f"PRAGMA user_version = {number:d}")
        for application_id, state in ((1, "proposed"), (2, "held"), (3, "queued")):
            connection.execute(
                "INSERT INTO training_seats (application_id, training_code, user_id, state,"
                " asked_at, changed_at) VALUES (?, 'ifrane-1-admin', ?, ?, ?, ?)",
                (application_id, application_id, state, MADE.isoformat(), MADE.isoformat()),
            )


async def test_an_offer_made_before_holds_48_hours(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    _before_0023(path)
    db = await Database.open(path)
    try:
        assert await db.schema_version() >= 23
        rows = await db.fetchall(
            "SELECT application_id, offer_expires_at, lapsed_at FROM training_seats"
            " ORDER BY application_id"
        )
        expires = {row[0]: row[1] for row in rows}
        assert datetime.fromisoformat(expires[1]) == MADE + timedelta(hours=48)
        assert expires[2] is None and expires[3] is None
        assert all(row[2] is None for row in rows)
        terms = await db.fetchone("SELECT hours, cutoff_hours FROM seat_offer_terms")
        assert terms is not None and tuple(terms) == (48, 24)
        assert await TrainingRepository(db).held_trainings(2) == ["ifrane-1-admin"]
    finally:
        await db.close()
