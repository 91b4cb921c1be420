"""Personal data (law 09-08): everything stored about a user, and its erasure.

Erasure keeps what statistics and the audit trail need, and nothing that identifies the person:

- an erased application keeps its phase, status and dates (counts by phase and status stay
  right); its answers (names, phone, photos' file ids, voice note…) are deleted, its copies of the
  phone and register number are cleared, its reference becomes `ERASED-<id>` (an old export or a
  message could link the real reference to a name), and a free-text rejection reason becomes the
  catalogue code `other` (an organizer's own words may name someone);
- the Telegram user id IS personal data: the erased rows (applications, consents, their own
  audit rows, deliveries) move to a negative surrogate id, one per erasure, with a users row of
  its own so that the foreign keys hold. Telegram ids of people are positive, so a surrogate never
  meets a real user; drafts are deleted outright, so `applications_one_draft` never sees two
  drafts of one surrogate;
- deliveries addressed to the person: pending ones are cancelled; all lose their params, message
  id and error text, and their dedupe key (which may name the application) becomes
  `erased:<id>`, still unique;
- a structure (`storage/structures.py`) no remaining application uses loses its profile too;
- `status_changes` rows stay (the audit trail of decisions), with the applicant's own id replaced
  by the surrogate and free-text reasons replaced as above; `answer_changes` hold only question
  keys and dates.

SQL lives here; who may erase what, and when, is decided in `bot/services/privacy.py`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Database, marks
from storage.impact import erase_impact_in
from storage.personal_records import (
    ApplicationRecord,
    ConsentRecord,
    DeliveryRecord,
    PersonalData,
    StatusRecord,
    UserRecord,
)
from storage.stands import erase_stands_in
from storage.statuses import Status
from storage.structures import erase_structures_in
from storage.tickets import erase_user_tickets_in
from storage.voice import erase_voice_in

ERASED_REFERENCE = "ERASED-"
OTHER_REASON = "other"


@dataclass(frozen=True)
class Erased:
    """What one erasure changed (counts only: nothing personal to log)."""

    applications: int = 0
    drafts: int = 0
    consents: int = 0
    deliveries: int = 0

    def __add__(self, other: Erased) -> Erased:
        return Erased(
            self.applications + other.applications,
            self.drafts + other.drafts,
            self.consents + other.consents,
            self.deliveries + other.deliveries,
        )


async def _ids(connection: aiosqlite.Connection, sql: str, params: Sequence[Any]) -> list[int]:
    cursor = await connection.execute(sql, params)
    return [int(row[0]) for row in await cursor.fetchall()]


async def _surrogate(connection: aiosqlite.Connection, now: datetime) -> int:
    """A fresh negative user id, below every id in use, with its own (empty, blocked) row."""
    cursor = await connection.execute("SELECT min(coalesce(min(id), 0), 0) - 1 FROM users")
    row = await cursor.fetchone()
    surrogate = int(row[0]) if row else -1
    stamp = now.isoformat()
    await connection.execute(
        "INSERT INTO users (id, locale, first_name, first_seen, last_seen, blocked)"
        " VALUES (?, NULL, '', ?, ?, 1)",
        (surrogate, stamp, stamp),
    )
    return surrogate


def _reason_sql(column: str, codes: Sequence[str]) -> str:
    """Keep a catalogue reason code; turn free text (an organizer's words) into `other`."""
    return (
        f"CASE WHEN {column} IS NULL OR {column} IN ({marks(codes)}) THEN {column}"
        f" ELSE '{OTHER_REASON}' END"
    )


async def _erase(
    connection: aiosqlite.Connection,
    user_id: int,
    application_ids: Sequence[int],
    consent_ids: Sequence[int],
    delivery_ids: Sequence[int],
    reason_codes: Sequence[str],
    now: datetime,
) -> Erased:
    """Erase one person's data in these rows, inside the caller's transaction."""
    if not (application_ids or consent_ids or delivery_ids):
        return Erased()
    surrogate = await _surrogate(connection, now)
    drafts = await _ids(
        connection,
        f"SELECT id FROM applications WHERE id IN ({marks(application_ids)}) AND status = '{Status.DRAFT}'",
        application_ids,
    )
    sent = sorted(set(application_ids) - set(drafts))
    if drafts:
        # A draft was never sent: nothing in it is worth keeping. Answers go by cascade.
        await connection.execute(f"DELETE FROM applications WHERE id IN ({marks(drafts)})", drafts)
    if sent:
        sent_marks = marks(sent)
        await connection.execute(
            f"DELETE FROM answers WHERE application_id IN ({sent_marks})", sent
        )
        await erase_stands_in(connection, sent)
        await connection.execute(
            "UPDATE applications SET user_id = ?, phone = NULL, identifier = NULL,"
            " editing = NULL, decision_deadline = NULL,"
            f" reference = CASE WHEN reference IS NULL THEN NULL ELSE '{ERASED_REFERENCE}' || id END,"
            f" reject_reason = {_reason_sql('reject_reason', reason_codes)}, erased_at = ?"
            f" WHERE id IN ({sent_marks})",
            (surrogate, *reason_codes, now.isoformat(), *sent),
        )
        await connection.execute(
            "UPDATE status_changes SET"
            " actor_id = CASE WHEN actor_id = ? THEN ? ELSE actor_id END,"
            f" reason = {_reason_sql('reason', reason_codes)}"
            f" WHERE application_id IN ({sent_marks})",
            (user_id, surrogate, *reason_codes, *sent),
        )
        await erase_impact_in(connection, sent)  # the survey's voice note
    await erase_structures_in(connection, user_id, surrogate, now)  # after its applications
    if consent_ids:
        await connection.execute(
            f"UPDATE consents SET user_id = ? WHERE id IN ({marks(consent_ids)})",
            (surrogate, *consent_ids),
        )
    if delivery_ids:
        await connection.execute(
            "UPDATE deliveries SET recipient_id = ?, params = '{}', message_id = NULL,"
            " last_error = NULL, dedupe_key = 'erased:' || id,"
            " status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END"
            f" WHERE id IN ({marks(delivery_ids)})",
            (surrogate, *delivery_ids),
        )
    return Erased(len(sent), len(drafts), len(consent_ids), len(delivery_ids))


class PrivacyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def personal_data(self, user_id: int) -> PersonalData:
        """Everything stored about one user (for /mydata), read under one lock."""
        async with self._db.read() as connection:
            cursor = await connection.execute(
                "SELECT id, locale, first_name, first_seen, last_seen, blocked, reminders_off"
                " FROM users WHERE id = ?",
                (user_id,),
            )
            row = await cursor.fetchone()
            # id, locale, first_name, first_seen, last_seen as stored; the flags as booleans.
            user = (
                UserRecord(row[0], row[1], row[2], row[3], row[4], bool(row[5]), bool(row[6]))
                if row
                else None
            )
            cursor = await connection.execute(
                "SELECT role FROM roles WHERE user_id = ?", (user_id,)
            )
            role_row = await cursor.fetchone()
            cursor = await connection.execute(
                "SELECT id, phase_code, status, reference, created_at, submitted_at, updated_at,"
                " decision_deadline, reject_reason FROM applications WHERE user_id = ? ORDER BY id",
                (user_id,),
            )
            application_rows = await cursor.fetchall()
            ids = [int(r["id"]) for r in application_rows]
            answers: dict[int, dict[str, Any]] = defaultdict(dict)
            history: dict[int, list[StatusRecord]] = defaultdict(list)
            corrections: dict[int, list[tuple[str, str]]] = defaultdict(list)
            if ids:
                id_marks = marks(ids)
                cursor = await connection.execute(
                    "SELECT application_id, question, value FROM answers"
                    f" WHERE application_id IN ({id_marks}) ORDER BY rowid",
                    ids,
                )
                for r in await cursor.fetchall():
                    answers[r[0]][r[1]] = json.loads(r[2])
                cursor = await connection.execute(
                    "SELECT application_id, from_status, to_status, actor_id, reason, changed_at"
                    f" FROM status_changes WHERE application_id IN ({id_marks}) ORDER BY id",
                    ids,
                )
                for r in await cursor.fetchall():
                    history[r[0]].append(StatusRecord(r[1], r[2], r[4], r[5], r[3] == user_id))
                cursor = await connection.execute(
                    "SELECT application_id, question, changed_at FROM answer_changes"
                    f" WHERE application_id IN ({id_marks}) ORDER BY id",
                    ids,
                )
                for r in await cursor.fetchall():
                    corrections[r[0]].append((r[1], r[2]))
            cursor = await connection.execute(
                "SELECT phase_code, version, accepted, decided_at FROM consents"
                " WHERE user_id = ? ORDER BY id",
                (user_id,),
            )
            consents = tuple(
                ConsentRecord(r[0], r[1], bool(r[2]), r[3]) for r in await cursor.fetchall()
            )
            cursor = await connection.execute(
                "SELECT kind, template, status, created_at, not_before, sent_at FROM deliveries"
                " WHERE recipient_id = ? ORDER BY id",
                (user_id,),
            )
            deliveries = tuple(DeliveryRecord(*r) for r in await cursor.fetchall())
        applications = tuple(
            ApplicationRecord(
                id=r["id"],
                phase_code=r["phase_code"],
                status=r["status"],
                reference=r["reference"],
                created_at=r["created_at"],
                submitted_at=r["submitted_at"],
                updated_at=r["updated_at"],
                decision_deadline=r["decision_deadline"],
                reject_reason=r["reject_reason"],
                answers=dict(answers[r["id"]]),
                history=tuple(history[r["id"]]),
                corrections=tuple(corrections[r["id"]]),
            )
            for r in application_rows
        )
        return PersonalData(
            user, role_row[0] if role_row else None, applications, consents, deliveries
        )

    async def erase_user(
        self, user_id: int, reason_codes: Collection[str], now: datetime
    ) -> Erased:
        """Erase everything about one user, in one transaction. The users row stays, without
        the first name, so that the bot can still answer them in their language; its erasure
        date keeps them out of announcements to everyone until they apply again."""
        codes = sorted(reason_codes)
        async with self._db.transaction() as connection:
            applications = await _ids(
                connection, "SELECT id FROM applications WHERE user_id = ?", (user_id,)
            )
            consents = await _ids(
                connection, "SELECT id FROM consents WHERE user_id = ?", (user_id,)
            )
            deliveries = await _ids(
                connection, "SELECT id FROM deliveries WHERE recipient_id = ?", (user_id,)
            )
            erased = await _erase(
                connection, user_id, applications, consents, deliveries, codes, now
            )
            await erase_user_tickets_in(connection, user_id)  # questions to the team
            await connection.execute(
                "UPDATE users SET first_name = '', erased_at = ? WHERE id = ?",
                (now.isoformat(), user_id),
            )
            await erase_voice_in(connection, user_id)  # a team member's recorded prompts
            await connection.execute("DELETE FROM invites WHERE claimed_by = ?", (user_id,))
        return erased

    async def erase_ended(
        self, cutoff: datetime, reason_codes: Collection[str], now: datetime
    ) -> Erased:
        """Retention: erase the applications (and consents, and the deliveries about them) of
        phases that ended before `cutoff`, and the deliveries sent before it, one surrogate per
        person; and forget the first name of anyone not seen since `cutoff` outside the team."""
        codes = sorted(reason_codes)
        limit = cutoff.isoformat()
        total = Erased()
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "SELECT a.id, a.user_id FROM applications AS a"
                " JOIN phases AS p ON p.code = a.phase_code"
                " WHERE p.ends_utc < ? AND a.erased_at IS NULL AND a.user_id > 0",
                (limit,),
            )
            applications: dict[int, list[int]] = defaultdict(list)
            for app_id, user_id in await cursor.fetchall():
                applications[user_id].append(app_id)
            cursor = await connection.execute(
                "SELECT c.id, c.user_id FROM consents AS c JOIN phases AS p ON p.code = c.phase_code"
                " WHERE p.ends_utc < ? AND c.user_id > 0",
                (limit,),
            )
            consents: dict[int, list[int]] = defaultdict(list)
            for consent_id, user_id in await cursor.fetchall():
                consents[user_id].append(consent_id)
            # Messages older than the period, whatever they were about (broadcasts too): who
            # received what is personal data as well. Pending ones are still to be sent.
            cursor = await connection.execute(
                "SELECT id, recipient_id FROM deliveries WHERE created_at < ? AND recipient_id > 0"
                " AND status NOT IN ('pending', 'sending')",
                (limit,),
            )
            deliveries: dict[int, set[int]] = defaultdict(set)
            for delivery_id, user_id in await cursor.fetchall():
                deliveries[user_id].add(delivery_id)
            for user_id in sorted(set(applications) | set(consents) | set(deliveries)):
                app_ids = applications.get(user_id, [])
                if app_ids:
                    deliveries[user_id].update(
                        await _ids(
                            connection,
                            "SELECT id FROM deliveries WHERE recipient_id = ? AND"
                            " json_extract(params, '$.application_id') IN"
                            f" ({marks(app_ids)})",
                            (user_id, *app_ids),
                        )
                    )
                total += await _erase(
                    connection,
                    user_id,
                    app_ids,
                    consents.get(user_id, []),
                    sorted(deliveries.get(user_id, ())),
                    codes,
                    now,
                )
            await connection.execute(
                "UPDATE users SET first_name = '' WHERE last_seen < ? AND id > 0"
                " AND first_name != '' AND id NOT IN (SELECT user_id FROM roles)",
                (limit,),
            )
        return total
