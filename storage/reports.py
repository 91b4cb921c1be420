"""Read-only queries for organizers: exports and statistics over applications and answers.

Exports read a whole phase at once, in one query (each application with its answers as one
JSON object), so the cost does not grow with a query per application.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from storage.db import Database, marks
from storage.statuses import Status

# Applications that count in statistics: sent, and not taken back by the applicant.
_NOT_COUNTED = (Status.DRAFT, Status.WITHDRAWN)


@dataclass(frozen=True)
class ExportRow:
    """One submitted (non-draft) application with its completed answers, JSON-decoded."""

    id: int
    reference: str
    phase_code: str
    status: str
    user_id: int
    submitted_at: str | None
    updated_at: str
    answers: dict[str, Any]
    created_at: str = ""
    locale: str | None = None  # the applicant's language; None until they chose one
    structure_id: int | None = None
    facilitated: bool = False  # filed by a facilitator, not the structure's contact person


def _export_rows(application_rows: Iterable[Sequence[Any]]) -> list[ExportRow]:
    return [
        ExportRow(
            id=id_,
            reference=reference or "",
            phase_code=phase_code,
            status=status,
            user_id=user_id,
            submitted_at=submitted_at,
            updated_at=updated_at,
            answers=json.loads(answers) if answers else {},
            created_at=created_at,
            locale=locale,
            structure_id=structure_id,
            facilitated=bool(facilitated),
        )
        for (
            id_,
            reference,
            phase_code,
            status,
            user_id,
            created_at,
            submitted_at,
            updated_at,
            answers,
            locale,
            structure_id,
            facilitated,
        ) in application_rows
    ]


class ReportRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def applications_for_export(self, phase_codes: Sequence[str]) -> list[ExportRow]:
        """Every non-draft application of these phases, by phase (market, number), then reference.

        Two queries whatever the number of applications, under one lock so that the answers
        match the applications read; the rows are built in a worker thread afterwards, so a
        large export does not hold the database or the event loop.
        """
        codes = list(dict.fromkeys(phase_codes))
        if not codes:
            return []
        codes_in = marks(codes)
        async with self._db.read() as connection:
            # Each application's completed answers come as one JSON object built by SQLite
            # (json_group_object), decoded with one json.loads: for a phase of 25,000
            # applications that is 25,000 rows instead of 400,000, in half the time.
            cursor = await connection.execute(
                "SELECT a.id, a.reference, a.phase_code, a.status, a.user_id, a.created_at,"
                " a.submitted_at, a.updated_at, (SELECT json_group_object(an.question,"
                " json(an.value)) FROM answers AS an WHERE an.application_id = a.id"
                " AND an.complete = 1), u.locale, a.structure_id, a.facilitated FROM applications a"
                " LEFT JOIN phases p ON p.code = a.phase_code"
                " LEFT JOIN users u ON u.id = a.user_id"
                f" WHERE a.phase_code IN ({codes_in}) AND a.status != '{Status.DRAFT}'"
                " ORDER BY p.market_code, p.number, a.phase_code,"
                " length(a.reference), a.reference, a.id",
                codes,
            )
            cursor.row_factory = None  # plain tuples: much faster than Row for big reads
            application_rows = await cursor.fetchall()
        return await asyncio.to_thread(_export_rows, application_rows)

    async def status_counts(self, phase_code: str) -> dict[str, int]:
        """Number of applications of the phase by status; drafts are not applications yet."""
        rows = await self._db.fetchall(
            "SELECT status, COUNT(*) AS n FROM applications"
            f" WHERE phase_code = ? AND status != '{Status.DRAFT}' GROUP BY status ORDER BY status",
            (phase_code,),
        )
        return {row["status"]: int(row["n"]) for row in rows}

    async def answer_counts(self, phase_code: str, question: str) -> dict[str, int]:
        """Counts by value of a choice answer (e.g. sector), over sent, non-withdrawn ones.

        Skipped answers (JSON null) are left out; keys are the choice codes.
        """
        rows = await self._db.fetchall(
            "SELECT an.value, COUNT(*) AS n FROM answers an"
            " JOIN applications a ON a.id = an.application_id"
            " WHERE a.phase_code = ? AND an.question = ? AND an.complete = 1"
            f" AND a.status NOT IN ({marks(_NOT_COUNTED)}) GROUP BY an.value",
            (phase_code, question, *_NOT_COUNTED),
        )
        counts: dict[str, int] = {}
        for row in rows:
            value = json.loads(row["value"])
            if value is None:
                continue
            key = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            counts[key] = counts.get(key, 0) + int(row["n"])
        return counts

    async def phase_capacity(self, phase_code: str) -> int | None:
        """The capacity recorded for the phase (None if the phase is unknown)."""
        row = await self._db.fetchone("SELECT capacity FROM phases WHERE code = ?", (phase_code,))
        return int(row["capacity"]) if row else None
