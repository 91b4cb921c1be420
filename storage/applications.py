"""Applications, their answers (one row per question) and consents."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Database
from storage.outbox import NewDelivery, ReminderPlan, apply_reminder_plan, insert_deliveries
from storage.statuses import HOLDS_A_PLACE, LIVE, NEEDS_CONFIRMATION, Status, sql_list

# As query parameters, in a stable order.
LIVE_STATUSES = tuple(sorted(LIVE))
PLACE_HOLDING_STATUSES = tuple(sorted(HOLDS_A_PLACE))


@dataclass(frozen=True)
class Application:
    id: int
    user_id: int
    phase_code: str
    status: Status
    reference: str | None
    editing: str | None
    created_at: str
    submitted_at: str | None


@dataclass(frozen=True)
class Conflict:
    """Submitting found another live application for the phase from the same user, phone or
    register number."""

    existing: Application


@dataclass(frozen=True)
class Answer:
    value: Any
    complete: bool


_COLUMNS = "id, user_id, phase_code, status, reference, editing, created_at, submitted_at"
_PREFIXED = ", ".join(f"a.{column}" for column in _COLUMNS.split(", "))


def _application(row: aiosqlite.Row) -> Application:
    return Application(
        row["id"],
        row["user_id"],
        row["phase_code"],
        Status(row["status"]),
        row["reference"],
        row["editing"],
        row["created_at"],
        row["submitted_at"],
    )


async def _consequences(
    connection: aiosqlite.Connection,
    application_id: int,
    old: str,
    new: str,
    actor_id: int | None,
    reason: str | None,
    now: datetime,
    messages: Iterable[NewDelivery],
    reminders: ReminderPlan | None,
) -> None:
    """What every status change writes with it, submission included: the audit row, the
    messages it sends and the reminders it plans or cancels."""
    await connection.execute(
        "INSERT INTO status_changes (application_id, from_status, to_status, actor_id,"
        " reason, changed_at) VALUES (?, ?, ?, ?, ?, ?)",
        (application_id, old, new, actor_id, reason, now.isoformat()),
    )
    await insert_deliveries(connection, messages, now)
    if reminders is not None:
        await apply_reminder_plan(connection, reminders, now)


class ApplicationRepository:
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
        self, user_id: int, phase_code: str, consent_version: str, now: datetime
    ) -> Application:
        """Record the consent and open the draft in one transaction."""
        stamp = now.isoformat()
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO consents (user_id, phase_code, version, accepted, decided_at)"
                " VALUES (?, ?, ?, 1, ?)",
                (user_id, phase_code, consent_version, stamp),
            )
            consent_id = cursor.lastrowid
            cursor = await connection.execute(
                "INSERT INTO applications (user_id, phase_code, consent_id, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (user_id, phase_code, consent_id, stamp, stamp),
            )
            cursor = await connection.execute(
                f"SELECT {_COLUMNS} FROM applications WHERE id = ?", (cursor.lastrowid,)
            )
            row = await cursor.fetchone()
        assert row is not None
        return _application(row)

    async def get(self, application_id: int) -> Application | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM applications WHERE id = ?", (application_id,)
        )
        return _application(row) if row else None

    async def draft_of(self, user_id: int) -> Application | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM applications WHERE user_id = ? AND status = '{Status.DRAFT}'",
            (user_id,),
        )
        return _application(row) if row else None

    async def of_user(self, user_id: int) -> list[Application]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM applications WHERE user_id = ? AND status != '{Status.DRAFT}'"
            " ORDER BY id",
            (user_id,),
        )
        return [_application(row) for row in rows]

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
            f"SELECT {_PREFIXED}, an.question, an.value, an.complete FROM applications AS a"
            f" LEFT JOIN answers AS an ON an.application_id = a.id WHERE {where}"
            f" ORDER BY a.status = '{Status.DRAFT}', a.updated_at DESC, a.id DESC",
            params,
        )
        found: dict[int, tuple[Application, dict[str, Answer]]] = {}
        for row in rows:
            if row["id"] not in found:
                found[row["id"]] = (_application(row), {})
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
        placeholders = ", ".join("?" for _ in LIVE_STATUSES)
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
        """Save one answer; drop answers it made stale; leave edit mode if asked. One commit."""
        stamp = now.isoformat()
        async with self._db.transaction() as connection:
            await connection.execute(
                "INSERT INTO answers (application_id, question, value, complete, answered_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (application_id, question) DO UPDATE SET"
                " value = excluded.value, complete = excluded.complete,"
                " answered_at = excluded.answered_at",
                (
                    application_id,
                    question,
                    json.dumps(value, ensure_ascii=False),
                    int(complete),
                    stamp,
                ),
            )
            for key in drop:
                await connection.execute(
                    "DELETE FROM answers WHERE application_id = ? AND question = ?",
                    (application_id, key),
                )
            editing_sql = ", editing = NULL" if editing_done else ""
            await connection.execute(
                f"UPDATE applications SET updated_at = ?{editing_sql} WHERE id = ?",
                (stamp, application_id),
            )

    async def drop_answers(self, application_id: int, keys: Iterable[str]) -> None:
        async with self._db.transaction() as connection:
            for key in keys:
                await connection.execute(
                    "DELETE FROM answers WHERE application_id = ? AND question = ?",
                    (application_id, key),
                )

    async def set_editing(self, application_id: int, question: str | None) -> None:
        """The question being edited: from a draft's summary, or a correction after sending."""
        placeholders = ", ".join("?" for _ in LIVE_STATUSES)
        await self._db.execute(
            "UPDATE applications SET editing = ? WHERE id = ?"
            f" AND status IN ('{Status.DRAFT}', {placeholders})",
            (question, application_id, *LIVE_STATUSES),
        )

    async def being_corrected(self, user_id: int) -> list[Application]:
        """The user's sent applications with a correction under way (a question being asked)."""
        placeholders = ", ".join("?" for _ in LIVE_STATUSES)
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM applications WHERE user_id = ? AND editing IS NOT NULL"
            f" AND status IN ({placeholders}) ORDER BY updated_at DESC, id DESC",
            (user_id, *LIVE_STATUSES),
        )
        return [_application(row) for row in rows]

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
        placeholders = ", ".join("?" for _ in LIVE_STATUSES)
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

    async def find_live_duplicate(
        self,
        phase_code: str,
        user_id: int,
        phone: str | None,
        identifier: str | None,
        exclude_id: int,
    ) -> Application | None:
        placeholders = ", ".join("?" for _ in LIVE_STATUSES)
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM applications WHERE phase_code = ? AND id != ?"
            f" AND status IN ({placeholders})"
            " AND (user_id = ? OR (phone IS NOT NULL AND phone = ?)"
            " OR (identifier IS NOT NULL AND identifier = ?)) ORDER BY id LIMIT 1",
            (phase_code, exclude_id, *LIVE_STATUSES, user_id, phone, identifier),
        )
        return _application(row) if row else None

    async def submit(
        self,
        application_id: int,
        ref_prefix: str,
        phase_number: int,
        phone: str | None,
        identifier: str | None,
        now: datetime,
        *,
        reminders: ReminderPlan | None = None,
    ) -> Application | Conflict | None:
        """Give the draft its reference and status `submitted`; None if it is no longer a draft.

        The duplicate check is in the same transaction: two drafts with the same phone, sent
        at the same moment by two people (updates of different users run concurrently), cannot
        both become live."""
        stamp = now.isoformat()
        placeholders = ", ".join("?" for _ in LIVE_STATUSES)
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                f"SELECT phase_code, user_id FROM applications WHERE id = ? AND status = '{Status.DRAFT}'",
                (application_id,),
            )
            row = await cursor.fetchone()
            if row is None:
                return None
            cursor = await connection.execute(
                f"SELECT {_COLUMNS} FROM applications WHERE phase_code = ? AND id != ?"
                f" AND status IN ({placeholders})"
                " AND (user_id = ? OR (phone IS NOT NULL AND phone = ?)"
                " OR (identifier IS NOT NULL AND identifier = ?)) ORDER BY id LIMIT 1",
                (
                    row["phase_code"],
                    application_id,
                    *LIVE_STATUSES,
                    row["user_id"],
                    phone,
                    identifier,
                ),
            )
            duplicate = await cursor.fetchone()
            if duplicate is not None:
                return Conflict(_application(duplicate))
            cursor = await connection.execute(
                "SELECT COUNT(*) FROM applications WHERE phase_code = ? AND reference IS NOT NULL",
                (row["phase_code"],),
            )
            count_row = await cursor.fetchone()
            sequence = (count_row[0] if count_row else 0) + 1
            reference = f"{ref_prefix}-{phase_number}-{sequence:04d}"
            await connection.execute(
                f"UPDATE applications SET status = '{Status.SUBMITTED}', reference = ?, phone = ?,"
                " identifier = ?, editing = NULL, submitted_at = ?, updated_at = ? WHERE id = ?",
                (reference, phone, identifier, stamp, stamp, application_id),
            )
            await _consequences(
                connection,
                application_id,
                Status.DRAFT,
                Status.SUBMITTED,
                None,
                None,
                now,
                (),
                reminders,
            )
            cursor = await connection.execute(
                f"SELECT {_COLUMNS} FROM applications WHERE id = ?", (application_id,)
            )
            updated = await cursor.fetchone()
        return _application(updated) if updated else None

    async def change_status(
        self,
        application_id: int,
        expected: str,
        new: str,
        actor_id: int | None,
        reason: str | None,
        now: datetime,
        *,
        capacity: int | None = None,
        decision_deadline: datetime | None = None,
        messages: Iterable[NewDelivery] = (),
        reminders: ReminderPlan | None = None,
    ) -> bool:
        """Move from `expected` to `new` with its consequences, in one transaction: the audit
        row, the applicant's message (an outbox row) and the application's reminders. A crash
        cannot keep the change and lose the message, or leave a reminder of the old status.

        False if the status was no longer `expected`, or if `capacity` is given and the phase
        already holds that many places: two organizers accepting at once cannot overfill it.
        """
        stamp = now.isoformat()
        deadline = decision_deadline.isoformat() if decision_deadline else None
        holding = ", ".join("?" for _ in PLACE_HOLDING_STATUSES)
        capacity_sql = (
            f" AND (SELECT COUNT(*) FROM applications AS other WHERE"
            f" other.phase_code = applications.phase_code AND other.status IN ({holding})) < ?"
            if capacity is not None
            else ""
        )
        capacity_params = (*PLACE_HOLDING_STATUSES, capacity) if capacity is not None else ()
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE applications SET status = ?, updated_at = ?, decision_deadline = ?,"
                " reject_reason = COALESCE(?, reject_reason)"
                f" WHERE id = ? AND status = ?{capacity_sql}",
                (new, stamp, deadline, reason, application_id, expected, *capacity_params),
            )
            if cursor.rowcount == 0:
                return False
            await _consequences(
                connection,
                application_id,
                expected,
                new,
                actor_id,
                reason,
                now,
                messages,
                reminders,
            )
        return True

    async def replace_reminders(self, reminders: ReminderPlan, now: datetime) -> None:
        async with self._db.transaction() as connection:
            await apply_reminder_plan(connection, reminders, now)

    async def first_waitlisted(self, phase_code: str) -> Application | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM applications WHERE phase_code = ? AND status = '{Status.WAITLISTED}'"
            " ORDER BY submitted_at, id LIMIT 1",
            (phase_code,),
        )
        return _application(row) if row else None

    async def past_decision_deadline(self, now: datetime) -> list[Application]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM applications WHERE status IN {sql_list(NEEDS_CONFIRMATION)}"
            " AND decision_deadline IS NOT NULL AND decision_deadline < ? ORDER BY id",
            (now.isoformat(),),
        )
        return [_application(row) for row in rows]

    async def decision_deadline(self, application_id: int) -> str | None:
        row = await self._db.fetchone(
            "SELECT decision_deadline FROM applications WHERE id = ?", (application_id,)
        )
        return str(row[0]) if row and row[0] else None

    async def review_queue(self, phase_codes: Sequence[str]) -> list[int]:
        """Ids of the submitted applications awaiting a decision, oldest first."""
        placeholders = ", ".join("?" for _ in phase_codes)
        rows = await self._db.fetchall(
            f"SELECT id FROM applications WHERE status = '{Status.SUBMITTED}'"
            f" AND phase_code IN ({placeholders}) ORDER BY submitted_at, id",
            tuple(phase_codes),
        )
        return [int(row["id"]) for row in rows]

    async def by_reference(self, reference: str) -> Application | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM applications WHERE reference = ?", (reference.upper(),)
        )
        return _application(row) if row else None

    async def search(self, text: str, limit: int = 10) -> list[Application]:
        """By reference, phone, identifier, or a part of the structure's or contact's name."""
        # `%` and `_` are LIKE's wildcards: typed in /find they must match themselves.
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM applications WHERE status != '{Status.DRAFT}' AND ("
            " reference = ? OR phone = ? OR identifier = ? OR id IN ("
            "  SELECT application_id FROM answers WHERE question IN"
            "  ('structure_name', 'contact_name') AND value LIKE ? ESCAPE '\\'))"
            " ORDER BY id DESC LIMIT ?",
            (text.upper(), text, text, pattern, limit),
        )
        return [_application(row) for row in rows]

    async def others_with_same_contact(self, application_id: int) -> list[Application]:
        """Other applications sharing this one's phone or identifier (possible duplicates)."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM applications WHERE id != ? AND status != '{Status.DRAFT}' AND ("
            " phone IN (SELECT phone FROM applications WHERE id = ? AND phone IS NOT NULL)"
            " OR identifier IN (SELECT identifier FROM applications"
            "  WHERE id = ? AND identifier IS NOT NULL)) ORDER BY id",
            (application_id, application_id, application_id),
        )
        return [_application(row) for row in rows]

    async def places_taken(self, phase_code: str) -> int:
        placeholders = ", ".join("?" for _ in PLACE_HOLDING_STATUSES)
        row = await self._db.fetchone(
            f"SELECT COUNT(*) FROM applications WHERE phase_code = ? AND status IN ({placeholders})",
            (phase_code, *PLACE_HOLDING_STATUSES),
        )
        return int(row[0]) if row else 0

    async def for_reminders(
        self, user_id: int | None = None, *, application_id: int | None = None
    ) -> list[tuple[Application, str | None, list[str], bool]]:
        """Drafts and live place-holders (of one user, or everyone's), each with its decision
        deadline, chosen trainings, and whether its applicant turned the non-essential
        reminders off. With `application_id`: that application, whatever its status."""
        where, params = (
            ("a.id = ?", (application_id,))
            if application_id is not None
            else (f"a.status IN {sql_list({Status.DRAFT, *HOLDS_A_PLACE})}", ())
        )
        if user_id is not None:
            where, params = f"{where} AND a.user_id = ?", (*params, user_id)
        rows = await self._db.fetchall(
            f"SELECT {', '.join('a.' + c for c in _COLUMNS.split(', '))}, a.decision_deadline,"
            " t.value AS trainings, u.reminders_off FROM applications AS a"
            " JOIN users AS u ON u.id = a.user_id LEFT JOIN answers AS t"
            " ON t.application_id = a.id AND t.question = 'trainings' AND t.complete = 1"
            f" WHERE {where} ORDER BY a.id",
            params,
        )
        return [
            (
                _application(row),
                row["decision_deadline"],
                list(json.loads(row["trainings"]) or []) if row["trainings"] else [],
                bool(row["reminders_off"]),
            )
            for row in rows
        ]
