"""The decision side of applications: submission, status changes with their consequences,
and what decisions read (duplicates, the waiting list, deadlines, places, reminders).

Every change of status, submission included, writes its consequences in its own transaction
(`_consequences`): the audit row, the applicant's message, the application's reminders,
what the organizers are told.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

import aiosqlite

from storage.application_rows import (
    COLUMNS,
    LIVE_STATUSES,
    PLACE_HOLDING_STATUSES,
    Application,
    Conflict,
    application_of,
)
from storage.db import Database, marks
from storage.organizer_events import NewEvent, record_events
from storage.outbox import NewDelivery, ReminderPlan, apply_reminder_plan, insert_deliveries
from storage.statuses import HOLDS_A_PLACE, NEEDS_CONFIRMATION, Status, sql_list
from storage.structures import save_profile_in
from storage.trainings import follow_status

# One structure, whoever files for it: the same structure, or its phone or register number.
_SAME_STRUCTURE = (
    "((structure_id IS NOT NULL AND structure_id = ?) OR (phone IS NOT NULL AND phone = ?)"
    " OR (identifier IS NOT NULL AND identifier = ?))"
)


async def _named(
    connection: aiosqlite.Connection, application_id: int, deliveries: Iterable[NewDelivery]
) -> list[NewDelivery]:
    """The application's messages carry its structure's name (`structure` in their params):
    whoever files for several structures reads which one a decision or a reminder is about.
    A draft's structure may not exist yet: the name answered so far."""
    cursor = await connection.execute(
        "SELECT COALESCE(s.name, (SELECT value FROM answers WHERE application_id = a.id"
        " AND question = 'structure_name' AND complete = 1)) FROM applications AS a"
        " LEFT JOIN structures AS s ON s.id = a.structure_id WHERE a.id = ?",
        (application_id,),
    )
    row = await cursor.fetchone()
    name = json.loads(row[0]) if row and row[0] else None
    if not isinstance(name, str) or not name:
        return list(deliveries)
    return [replace(d, params={**d.params, "structure": name}) for d in deliveries]


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
    events: Iterable[NewEvent] = (),
) -> None:
    """What every status change writes with it, submission included: the audit row, the
    messages it sends, the reminders it plans or cancels, and what the organizers are told."""
    await connection.execute(
        "INSERT INTO status_changes (application_id, from_status, to_status, actor_id,"
        " reason, changed_at) VALUES (?, ?, ?, ?, ?, ?)",
        (application_id, old, new, actor_id, reason, now.isoformat()),
    )
    await insert_deliveries(connection, await _named(connection, application_id, messages), now)
    if reminders is not None:
        rows = await _named(connection, application_id, reminders.rows)
        await apply_reminder_plan(connection, replace(reminders, rows=tuple(rows)), now)
    await record_events(connection, events, now)
    await follow_status(connection, application_id, old, new, now)  # training seats


class Decisions:
    """Part of `ApplicationRepository`: the queries behind `ApplicationService.set_status`."""

    _db: Database

    async def find_live_duplicate(
        self,
        phase_code: str,
        structure_id: int | None,
        phone: str | None,
        identifier: str | None,
        exclude_id: int,
    ) -> Application | None:
        """A live application of the phase for the same structure: the structure itself, or
        its phone or register number. Never the filer's account: a facilitator files for
        several structures in one phase."""
        placeholders = marks(LIVE_STATUSES)
        row = await self._db.fetchone(
            f"SELECT {COLUMNS} FROM applications WHERE phase_code = ? AND id != ?"
            f" AND status IN ({placeholders}) AND {_SAME_STRUCTURE} ORDER BY id LIMIT 1",
            (phase_code, exclude_id, *LIVE_STATUSES, structure_id, phone, identifier),
        )
        return application_of(row) if row else None

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
        placeholders = marks(LIVE_STATUSES)
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "SELECT phase_code, structure_id FROM applications"
                f" WHERE id = ? AND status = '{Status.DRAFT}'",
                (application_id,),
            )
            row = await cursor.fetchone()
            if row is None:
                return None
            cursor = await connection.execute(
                f"SELECT {COLUMNS} FROM applications WHERE phase_code = ? AND id != ?"
                f" AND status IN ({placeholders}) AND {_SAME_STRUCTURE} ORDER BY id LIMIT 1",
                (
                    row["phase_code"],
                    application_id,
                    *LIVE_STATUSES,
                    row["structure_id"],
                    phone,
                    identifier,
                ),
            )
            duplicate = await cursor.fetchone()
            if duplicate is not None:
                return Conflict(application_of(duplicate))
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
            await save_profile_in(connection, application_id, now)
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
                f"SELECT {COLUMNS} FROM applications WHERE id = ?", (application_id,)
            )
            updated = await cursor.fetchone()
        return application_of(updated) if updated else None

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
        events: Iterable[NewEvent] = (),
    ) -> bool:
        """Move from `expected` to `new` with its consequences, in one transaction: the audit
        row, the applicant's message (an outbox row) and the application's reminders. A crash
        cannot keep the change and lose the message, or leave a reminder of the old status.

        False if the status was no longer `expected`, or if `capacity` is given and the phase
        already holds that many places: two organizers accepting at once cannot overfill it.
        """
        stamp = now.isoformat()
        deadline = decision_deadline.isoformat() if decision_deadline else None
        holding = marks(PLACE_HOLDING_STATUSES)
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
                events,
            )
        return True

    async def replace_reminders(self, reminders: ReminderPlan, now: datetime) -> None:
        async with self._db.transaction() as connection:
            rows = await _named(connection, reminders.application_id, reminders.rows)
            await apply_reminder_plan(connection, replace(reminders, rows=tuple(rows)), now)

    async def first_waitlisted(self, phase_code: str) -> Application | None:
        row = await self._db.fetchone(
            f"SELECT {COLUMNS} FROM applications WHERE phase_code = ? AND status = '{Status.WAITLISTED}'"
            " ORDER BY submitted_at, id LIMIT 1",
            (phase_code,),
        )
        return application_of(row) if row else None

    async def past_decision_deadline(self, now: datetime) -> list[Application]:
        rows = await self._db.fetchall(
            f"SELECT {COLUMNS} FROM applications WHERE status IN {sql_list(NEEDS_CONFIRMATION)}"
            " AND decision_deadline IS NOT NULL AND decision_deadline < ? ORDER BY id",
            (now.isoformat(),),
        )
        return [application_of(row) for row in rows]

    async def decision_deadline(self, application_id: int) -> str | None:
        row = await self._db.fetchone(
            "SELECT decision_deadline FROM applications WHERE id = ?", (application_id,)
        )
        return str(row[0]) if row and row[0] else None

    async def places_taken(self, phase_code: str) -> int:
        """Read with `phase_state` wherever places show: a `lookup`, counted in the index
        applications_phase_status (at most the phase's capacity of rows, give or take)."""
        placeholders = marks(PLACE_HOLDING_STATUSES)
        rows = await self._db.lookup(
            f"SELECT COUNT(*) FROM applications WHERE phase_code = ? AND status IN ({placeholders})",
            (phase_code, *PLACE_HOLDING_STATUSES),
        )
        return int(rows[0][0]) if rows else 0

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
            f"SELECT {', '.join('a.' + c for c in COLUMNS.split(', '))}, a.decision_deadline,"
            " t.value AS trainings, u.reminders_off FROM applications AS a"
            " JOIN users AS u ON u.id = a.user_id LEFT JOIN answers AS t"
            " ON t.application_id = a.id AND t.question = 'trainings' AND t.complete = 1"
            f" WHERE {where} ORDER BY a.id",
            params,
        )
        return [
            (
                application_of(row),
                row["decision_deadline"],
                list(json.loads(row["trainings"]) or []) if row["trainings"] else [],
                bool(row["reminders_off"]),
            )
            for row in rows
        ]
