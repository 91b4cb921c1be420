"""What every question costs: its reads go through `Database.lookup` (the read-only
connection, in the event loop's thread), no round trip to aiosqlite's thread, which costs
several times such a read (bench/RESULTS.md), and still what is committed, never a copy; most
answers are saved with one statement, the application marked changed by a trigger."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest

from bot.catalogue import Catalogue
from storage.applications import ApplicationRepository
from storage.catalogue import CatalogueRepository
from storage.db import Database
from storage.users import UserRepository
from storage.voice import Recording, VoicePromptRepository
from tests.conftest import FakeClock

ORGANIZER, APPLICANT = 7, 8


async def test_the_reads_of_each_question_stay_in_the_event_loop_thread(
    db: Database, catalogue: Catalogue, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    voice = VoicePromptRepository(db)
    await voice.save(Recording("fr", "town"), "first", 3, ORGANIZER, clock())
    phase = catalogue.markets[0].phases[0]

    async def round_trip(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a round trip to aiosqlite's thread")

    monkeypatch.setattr(db, "fetchall", round_trip)  # fetchone goes through it too
    prompt = await voice.get("fr", "town")
    assert prompt is not None and prompt.file_id == "first"
    assert await voice.get("ar", "town") is None
    assert await CatalogueRepository(db).phase_state(phase.code) == (phase.capacity, True)
    applications = ApplicationRepository(db)
    assert await applications.places_taken(phase.code) == 0
    assert await applications.full_trainings(phase.code) == frozenset()
    # A recording made again is heard at once: read from SQLite, not remembered.
    await voice.save(Recording("fr", "town"), "second", 4, ORGANIZER, clock())
    prompt = await voice.get("fr", "town")
    assert prompt is not None and prompt.file_id == "second"


async def test_a_saved_answer_marks_its_application_changed_in_one_statement(
    db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await UserRepository(db).touch(APPLICANT, "", clock())
    applications = ApplicationRepository(db)
    draft = await applications.create_draft(APPLICANT, "ifrane-1", "v1", clock())
    transactions = []
    opened = db.transaction

    def counted() -> AbstractAsyncContextManager[Any]:
        transactions.append(1)
        return opened()

    monkeypatch.setattr(db, "transaction", counted)
    for town in ("Ifrane", "Azrou"):  # a new answer, then the same one changed
        clock.advance(minutes=5)
        await applications.save_answer(draft.id, "town", town, clock())
        rows = await db.lookup("SELECT updated_at FROM applications WHERE id = ?", (draft.id,))
        assert rows[0][0] == clock().isoformat()
    assert transactions == []
    found = await applications.get_with_answers(draft.id)
    assert found is not None and found[1]["town"].value == "Azrou"
