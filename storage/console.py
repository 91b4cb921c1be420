"""The review console's read-only queries: the queue, a reference, a search, look-alikes."""

from __future__ import annotations

import json
from collections.abc import Sequence

from storage.application_rows import COLUMNS, Application, application_of
from storage.db import Database, marks
from storage.statuses import Status


class ConsoleQueries:
    """Part of `ApplicationRepository`: what organizers look up; nothing here writes."""

    _db: Database

    async def review_queue(self, phase_codes: Sequence[str]) -> list[int]:
        """Ids of the submitted applications awaiting a decision, oldest first."""
        placeholders = marks(phase_codes)
        rows = await self._db.fetchall(
            f"SELECT id FROM applications WHERE status = '{Status.SUBMITTED}'"
            f" AND phase_code IN ({placeholders}) ORDER BY submitted_at, id",
            tuple(phase_codes),
        )
        return [int(row["id"]) for row in rows]

    async def by_reference(self, reference: str) -> Application | None:
        row = await self._db.fetchone(
            f"SELECT {COLUMNS} FROM applications WHERE reference = ?", (reference.upper(),)
        )
        return application_of(row) if row else None

    async def search(
        self, text: str, limit: int = 10, *, phone: str | None = None
    ) -> list[Application]:
        """By reference, phone (`phone`: the text in E.164 form, if it reads as a number),
        identifier, or a part of the structure's or contact's name."""
        # `%` and `_` are LIKE's wildcards: typed in /find they must match themselves.
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        rows = await self._db.fetchall(
            f"SELECT {COLUMNS} FROM applications WHERE status != '{Status.DRAFT}' AND ("
            " reference = ? OR phone = ? OR identifier = ? OR id IN ("
            "  SELECT application_id FROM answers WHERE question IN"
            "  ('structure_name', 'contact_name') AND value LIKE ? ESCAPE '\\')"
            # By structure: every application of a structure whose stored name matches.
            "  OR structure_id IN (SELECT id FROM structures WHERE name LIKE ? ESCAPE '\\'))"
            " ORDER BY id DESC LIMIT ?",
            (text.upper(), phone or text, text, pattern, pattern, limit),
        )
        return [application_of(row) for row in rows]

    async def structure_names(self, application_ids: Sequence[int]) -> dict[int, str]:
        """The structure's name of each application that has one (for lists of results)."""
        placeholders = marks(application_ids)
        rows = await self._db.fetchall(
            "SELECT application_id, value FROM answers WHERE question = 'structure_name'"
            f" AND application_id IN ({placeholders})",
            tuple(application_ids),
        )
        names = {int(row["application_id"]): json.loads(row["value"]) for row in rows}
        return {key: value for key, value in names.items() if isinstance(value, str)}

    async def structures_filed(self, user_id: int) -> int:
        """How many structures this account files for (a facilitator's card says so)."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM structures WHERE filer_id = ? AND erased_at IS NULL", (user_id,)
        )
        return int(row[0]) if row else 0

    async def others_with_same_contact(self, application_id: int) -> list[Application]:
        """Other applications sharing this one's phone or identifier (possible duplicates)."""
        rows = await self._db.fetchall(
            f"SELECT {COLUMNS} FROM applications WHERE id != ? AND status != '{Status.DRAFT}' AND ("
            " phone IN (SELECT phone FROM applications WHERE id = ? AND phone IS NOT NULL)"
            " OR identifier IN (SELECT identifier FROM applications"
            "  WHERE id = ? AND identifier IS NOT NULL)) ORDER BY id",
            (application_id, application_id, application_id),
        )
        return [application_of(row) for row in rows]
