"""The impact survey's answers (migration 0021) and the exhibitors' figures of the funders'
report. Who is surveyed, when, and what the answers mean: `bot/services/impact.py`."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database, marks
from storage.statuses import Status

VOICE = "voice"
SKIPPED = "skip"
# An erased person's voice note: given, no longer kept (their voice is personal data).
ERASED_VOICE = "erased"


@dataclass(frozen=True)
class Surveyed:
    """A confirmed exhibitor of a phase, to be surveyed after it."""

    application_id: int
    user_id: int


@dataclass(frozen=True)
class SurveyRecord:
    """One person's survey, for /mydata."""

    application_id: int
    phase_code: str
    answers: dict[str, str]


@dataclass(frozen=True)
class Exhibitors:
    """A phase's confirmed exhibitors, counted by their application's answers."""

    count: int
    led_by: Counter[str]
    provinces: Counter[str]
    trainings: Counter[str]


async def erase_impact_in(connection: aiosqlite.Connection, application_ids: Sequence[int]) -> None:
    """Erasure (storage/privacy.py): the voice note goes; the answers in bands stay with the
    anonymous application, like its phase and status, for the figures."""
    if application_ids:
        await connection.execute(
            f"UPDATE impact_answers SET value = '{ERASED_VOICE}' WHERE question = '{VOICE}'"
            f" AND value != '{SKIPPED}' AND application_id IN ({marks(application_ids)})",
            list(application_ids),
        )


class ImpactRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def exhibitors_to_survey(self, phase_code: str) -> list[Surveyed]:
        """Confirmed applications of the phase whose person was not erased."""
        rows = await self._db.fetchall(
            "SELECT id, user_id FROM applications WHERE phase_code = ? AND status = ?"
            " AND user_id > 0 ORDER BY id",
            (phase_code, Status.CONFIRMED),
        )
        return [Surveyed(int(row["id"]), int(row["user_id"])) for row in rows]

    async def answers(self, application_id: int) -> dict[str, str]:
        rows = await self._db.fetchall(
            "SELECT question, value FROM impact_answers WHERE application_id = ?",
            (application_id,),
        )
        return {row["question"]: row["value"] for row in rows}

    async def answer(self, application_id: int, question: str, value: str, now: datetime) -> None:
        """Saved as given; pressing again (an old message) changes the answer."""
        await self._db.execute(
            "INSERT INTO impact_answers (application_id, question, value, answered_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (application_id, question)"
            " DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
            (application_id, question, value, now.isoformat()),
        )

    async def of_user(self, user_id: int) -> list[SurveyRecord]:
        """Every survey a person has begun, oldest application first."""
        rows = await self._db.fetchall(
            "SELECT a.id, a.phase_code, i.question, i.value FROM impact_answers i"
            " JOIN applications a ON a.id = i.application_id WHERE a.user_id = ?"
            " ORDER BY a.id, i.answered_at",
            (user_id,),
        )
        surveys: dict[int, SurveyRecord] = {}
        for row in rows:
            record = surveys.setdefault(
                int(row["id"]), SurveyRecord(int(row["id"]), row["phase_code"], {})
            )
            record.answers[row["question"]] = row["value"]
        return list(surveys.values())

    async def survey_counts(self, phase_code: str) -> dict[str, Counter[str]]:
        """Per question, how many gave each answer (every application of the phase)."""
        rows = await self._db.fetchall(
            "SELECT i.question, i.value, COUNT(*) AS n FROM impact_answers i"
            " JOIN applications a ON a.id = i.application_id WHERE a.phase_code = ?"
            " GROUP BY i.question, i.value",
            (phase_code,),
        )
        counts: dict[str, Counter[str]] = {}
        for row in rows:
            value = row["value"]
            if row["question"] == VOICE and value != SKIPPED:
                value = VOICE  # a file id: counted as "a voice note", never shown
            counts.setdefault(row["question"], Counter())[value] += int(row["n"])
        return counts

    async def exhibitors(self, phase_code: str) -> Exhibitors:
        """The phase's confirmed exhibitors and their answers to led_by, province, trainings."""
        rows = await self._db.fetchall(
            "SELECT an.question, an.value FROM answers an"
            " JOIN applications a ON a.id = an.application_id"
            " WHERE a.phase_code = ? AND a.status = ? AND an.complete = 1"
            " AND an.question IN ('led_by', 'province', 'trainings')",
            (phase_code, Status.CONFIRMED),
        )
        found: dict[str, Counter[str]] = {
            "led_by": Counter(),
            "province": Counter(),
            "trainings": Counter(),
        }
        for row in rows:
            value = json.loads(row["value"])
            values = value if isinstance(value, list) else [value]
            found[row["question"]].update(str(item) for item in values if item is not None)
        count = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM applications WHERE phase_code = ? AND status = ?",
            (phase_code, Status.CONFIRMED),
        )
        return Exhibitors(
            int(count["n"]) if count else 0,
            found["led_by"],
            found["province"],
            found["trainings"],
        )
