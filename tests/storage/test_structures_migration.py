"""Migration 0020 on a database made by the code before structures (`data/pre_structures.sql`,
built by `data/make_pre_structures.py` at a277881): drafts, sent, corrected, decided and erased
applications each become a structure with their answers, and nothing is lost."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from storage.applications import ApplicationRepository
from storage.db import Database
from storage.structures import PROFILE

DUMP = Path(__file__).parent / "data" / "pre_structures.sql"


def _old_database(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.executescript(DUMP.read_text(encoding="utf-8"))
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 17


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


async def test_each_application_becomes_a_structure_with_its_answers(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    _old_database(path)
    tables = ("applications", "answers", "consents", "status_changes", "answer_changes")
    before = {table: _rows(path, f"SELECT * FROM {table} ORDER BY rowid") for table in tables}
    applications = _rows(path, "SELECT id, user_id, status, erased_at FROM applications")
    statuses = {status for _, _, status, _ in applications}
    assert {"draft", "submitted", "accepted", "rejected"} <= statuses
    assert any(erased for *_, erased in applications)
    assert _rows(path, "SELECT COUNT(*) FROM answer_changes")[0][0] > 0  # a correction

    db = await Database.open(path)
    try:
        assert await db.schema_version() >= 18
        repository = ApplicationRepository(db)
        for application_id, user_id, _status, erased_at in applications:
            row = await db.fetchone(
                "SELECT structure_id FROM applications WHERE id = ?", (application_id,)
            )
            assert row is not None and row[0] is not None
            structure = await repository.structure(row[0])
            assert structure is not None
            assert structure.filer_id == user_id and structure.contact_is_filer
            assert structure.erased == bool(erased_at)
            answers = {
                question: json.loads(value)
                for question, value in _rows(
                    path,
                    "SELECT question, value FROM answers WHERE complete = 1"
                    f" AND application_id = {application_id:d}",
                )
                if question in PROFILE
            }
            assert structure.profile == answers
    finally:
        await db.close()
    # The old rows are all still there, with the same values (new columns added at the end).
    for table, rows in before.items():
        after = _rows(path, f"SELECT * FROM {table} ORDER BY rowid")
        assert [row[: len(rows[0])] for row in after] == rows
    corrected = _rows(path, "SELECT name, town FROM structures WHERE id = 1")
    assert corrected == [('"Coopérative Tifawin"', '"Azrou centre"')]  # the corrected town
    voice = _rows(path, "SELECT products FROM structures WHERE rnae IS NOT NULL")
    assert json.loads(voice[0][0]) == {"voice": "voice-file-1", "duration": 12}
    draft = _rows(path, "SELECT legal_form, name FROM structures WHERE id = 2")
    assert draft == [('"association"', None)]  # a draft's answers so far
