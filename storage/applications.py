"""Applications as the applicant fills them in: consents, drafts, answers (one row per
question), corrections. The decisions are in `storage/decisions.py`, the console's lookups in
`storage/console.py`; `ApplicationRepository` gathers the three."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from storage.application_rows import (
    COLUMNS,
    LIVE_STATUSES,
    PLACE_HOLDING_STATUSES,
    PREFIXED,
    Answer,
    Application,
    Conflict,
    application_of,
)
from storage.console import ConsoleQueries
from storage.db import Database, marks
from storage.decisions import Decisions
from storage.statuses import Status
from storage.structures import StructureQueries, copy_profile_in
from storage.trainings import SeatQueries, follow_wishes

__all__ = [
    "LIVE_STATUSES",
    "PLACE_HOLDING_STATUSES",
    "Answer",
    "Application",
    "ApplicationRepository",
    "Conflict",
]


class ApplicationRepository(Decisions, ConsoleQueries, StructureQueries, SeatQueries):
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record_consent(
        self, user_id: int, phase_code: str, version: str, accepted: bool, now: datetime
    ) -> int:
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO consents (user_id, phase_code, version, accepted, decided_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (user_id, phase_code, version, int(accepted), now.isoformat()),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    async def create_draft(
        self,
        user_id: int,
        phase_code: str,
        consent_version: str,
        now: datetime,
        *,
        structure_id: int | None = None,
        through_facilitator: bool = False,
    ) -> Application:
        """Record the consent and open the draft in one transaction. For a structure already
        known, its profile's answers are the draft's first answers: only what the profile
        lacks is asked."""
        stamp = now.isoformat()
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO consents (user_id, phase_code, version, accepted, decided_at,"
                " through_facilitator) VALUES (?, ?, ?, 1, ?, ?)",
                (user_id, phase_code, consent_version, stamp, int(through_facilitator)),
            )
            consent_id = cursor.lastrowid
            cursor = await connection.execute(
                "INSERT INTO applications (user_id, phase_code, consent_id, structure_id,"
                " facilitated, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    phase_code,
                    consent_id,
                    structure_id,
                    int(through_facilitator),
                    stamp,
                    stamp,
                ),
            )
            application_id = cursor.lastrowid
            assert application_id is not None
            if structure_id is not None:
                await copy_profile_in(connection, structure_id, application_id, stamp)
            cursor = await connection.execute(
                f"SELECT {COLUMNS} FROM applications WHERE id = ?", (application_id,)
            )
            row = await cursor.fetchone()
        assert row is not None
        return application_of(row)

    async def live_of_structure(self, structure_id: int, phase_code: str) -> Application | None:
        placeholders = marks(LIVE_STATUSES)
        row = await self._db.fetchone(
            f"SELECT {COLUMNS} FROM applications WHERE structure_id = ? AND phase_code = ?"
            f" AND status IN ({placeholders}) ORDER BY id LIMIT 1",
            (structure_id, phase_code, *LIVE_STATUSES),
        )
        return application_of(row) if row else None

    async def get(self, application_id: int) -> Application | None:
        row = await self._db.fetchone(
            f"SELECT {COLUMNS} FROM applications WHERE id = ?", (application_id,)
        )
        return application_of(row) if row else None

    async def draft_of(self, user_id: int) -> Application | None:
        row = await self._db.fetchone(
            f"SELECT {COLUMNS} FROM applications WHERE user_id = ? AND status = '{Status.DRAFT}'",
            (user_id,),
        )
        return application_of(row) if row else None

    async def of_user(self, user_id: int) -> list[Application]:
        rows = await self._db.fetchall(
            f"SELECT {COLUMNS} FROM applications WHERE user_id = ? AND status != '{Status.DRAFT}'"
            " ORDER BY id",
            (user_id,),
        )
        return [application_of(row) for row in rows]

    async def answers(self, application_id: int) -> dict[str, Answer]:
        rows = await self._db.fetchall(
            "SELECT question, value, complete FROM answers WHERE application_id = ?",
            (application_id,),
        )
        return {
            row["question"]: Answer(json.loads(row["value"]), bool(row["complete"])) for row in rows
        }

    async def _with_answers(
        self, where: str, params: Sequence[Any]
    ) -> list[tuple[Application, dict[str, Answer]]]:
        """Applications and their answers in one query (one round trip): the questionnaire
        reads them on every update."""
        rows = await self._db.lookup(
            f"SELECT {PREFIXED}, an.question, an.value, an.complete FROM applications AS a"
            f" LEFT JOIN answers AS an ON an.application_id = a.id WHERE {where}"
            f" ORDER BY a.status = '{Status.DRAFT}', a.updated_at DESC, a.id DESC",
            params,
        )
        found: dict[int, tuple[Application, dict[str, Answer]]] = {}
        for row in rows:
            if row["id"] not in found:
                found[row["id"]] = (application_of(row), {})
            if row["question"] is not None:
                answer = Answer(json.loads(row["value"]), bool(row["complete"]))
                found[row["id"]][1][row["question"]] = answer
        return list(found.values())

    async def draft_with_answers(
        self, user_id: int
    ) -> tuple[Application, dict[str, Answer]] | None:
        found = await self._with_answers(
            f"a.user_id = ? AND a.status = '{Status.DRAFT}'", (user_id,)
        )
        return found[0] if found else None

    async def get_with_answers(
        self, application_id: int
    ) -> tuple[Application, dict[str, Answer]] | None:
        found = await self._with_answers("a.id = ?", (application_id,))
        return found[0] if found else None

    async def in_progress_of(self, user_id: int) -> list[tuple[Application, dict[str, Answer]]]:
        """The user's sent applications with a correction under way (latest first), then their
        draft, each with its answers."""
        placeholders = marks(LIVE_STATUSES)
        return await self._with_answers(
            f"a.user_id = ? AND (a.status = '{Status.DRAFT}' OR"
            f" (a.editing IS NOT NULL AND a.status IN ({placeholders})))",
            (user_id, *LIVE_STATUSES),
        )

    async def save_answer(
        self,
        application_id: int,
        question: str,
        value: Any,
        now: datetime,
        *,
        complete: bool = True,
        drop: Iterable[str] = (),
        editing_done: bool = False,
    ) -> None:
        """Save one answer; drop answers it made stale; leave edit mode if asked. One commit.

        The application's updated_at follows in the same statement (the trigger of migration
        0024): an answer that drops nothing, ends no edit and moves no seat, most of them, is
        one statement on its own, not BEGIN, statements and COMMIT (a round trip each)."""
        upsert = (
            "INSERT INTO answers (application_id, question, value, complete, answered_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (application_id, question) DO UPDATE SET"
            " value = excluded.value, complete = excluded.complete,"
            " answered_at = excluded.answered_at"
        )
        params = (
            application_id,
            question,
            json.dumps(value, ensure_ascii=False),
            int(complete),
            now.isoformat(),
        )
        stale = list(drop)
        seats = question == "trainings" and complete  # corrected after a place: seats follow
        if not stale and not editing_done and not seats:
            await self._db.execute(upsert, params)
            return
        async with self._db.transaction() as connection:
            await connection.execute(upsert, params)
            for key in stale:
                await connection.execute(
                    "DELETE FROM answers WHERE application_id = ? AND question = ?",
                    (application_id, key),
                )
            if editing_done:
                await connection.execute(
                    "UPDATE applications SET editing = NULL WHERE id = ?", (application_id,)
                )
            if seats:
                await follow_wishes(connection, application_id, now)

    async def set_editing(self, application_id: int, question: str | None) -> None:
        """The question being edited: from a draft's summary, or a correction after sending."""
        placeholders = marks(LIVE_STATUSES)
        await self._db.execute(
            "UPDATE applications SET editing = ? WHERE id = ?"
            f" AND status IN ('{Status.DRAFT}', {placeholders})",
            (question, application_id, *LIVE_STATUSES),
        )

    async def being_corrected(self, user_id: int) -> list[Application]:
        """The user's sent applications with a correction under way (a question being asked)."""
        placeholders = marks(LIVE_STATUSES)
        rows = await self._db.fetchall(
            f"SELECT {COLUMNS} FROM applications WHERE user_id = ? AND editing IS NOT NULL"
            f" AND status IN ({placeholders}) ORDER BY updated_at DESC, id DESC",
            (user_id, *LIVE_STATUSES),
        )
        return [application_of(row) for row in rows]

    async def save_correction(
        self,
        application_id: int,
        question: str,
        value: Any,
        now: datetime,
        *,
        drop: Iterable[str],
        editing: str | None,
        phone: str | None,
        identifier: str | None,
    ) -> bool:
        """An applicant's correction of a sent application, in one commit: the answer, the
        answers it made stale, an `answer_changes` row for each answer that changed, the
        copies used to spot duplicates, and the next question to ask (`editing`), if any.

        False if the application is no longer live (a decision or a withdrawal came first).
        """
        stamp = now.isoformat()
        encoded = json.dumps(value, ensure_ascii=False)
        placeholders = marks(LIVE_STATUSES)
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                f"SELECT 1 FROM applications WHERE id = ? AND status IN ({placeholders})",
                (application_id, *LIVE_STATUSES),
            )
            if await cursor.fetchone() is None:
                return False
            cursor = await connection.execute(
                "SELECT value, complete FROM answers WHERE application_id = ? AND question = ?",
                (application_id, question),
            )
            old = await cursor.fetchone()
            # A multi-select or photos being ticked is saved incomplete as it goes: reaching
            # Done from there is a change even if the final value equals the partial one.
            changed = [question] if old is None or not old[1] or old[0] != encoded else []
            await connection.execute(
                "INSERT INTO answers (application_id, question, value, complete, answered_at)"
                " VALUES (?, ?, ?, 1, ?) ON CONFLICT (application_id, question) DO UPDATE SET"
                " value = excluded.value, complete = 1, answered_at = excluded.answered_at",
                (application_id, question, encoded, stamp),
            )
            for key in drop:
                cursor = await connection.execute(
                    "DELETE FROM answers WHERE application_id = ? AND question = ?",
                    (application_id, key),
                )
                if cursor.rowcount:
                    changed.append(key)
            for key in changed:
                await connection.execute(
                    "INSERT INTO answer_changes (application_id, question, changed_at)"
                    " VALUES (?, ?, ?)",
                    (application_id, key, stamp),
                )
            await connection.execute(
                "UPDATE applications SET editing = ?, phone = ?, identifier = ?, updated_at = ?"
                " WHERE id = ?",
                (editing, phone, identifier, stamp, application_id),
            )
        return True

    async def corrections(self, application_id: int) -> list[tuple[str, str]]:
        """(question key, changed_at) of the applicant's corrections, oldest first."""
        rows = await self._db.fetchall(
            "SELECT question, changed_at FROM answer_changes WHERE application_id = ? ORDER BY id",
            (application_id,),
        )
        return [(row[0], row[1]) for row in rows]

    async def delete_draft(self, application_id: int) -> bool:
        changed = await self._db.execute(
            f"DELETE FROM applications WHERE id = ? AND status = '{Status.DRAFT}'",
            (application_id,),
        )
        return changed > 0
