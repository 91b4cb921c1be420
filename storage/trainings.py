"""Trainings with seats, attendance and attestations (issue 17, items 3 and 4).

When a seat is taken: ticking a training in the form is a wish; the seat is taken when the
application comes to hold a place at its phase (`HOLDS_A_PLACE`: accepted, offered,
confirmed), in the same transaction as that status change (`follow_status`, called by
`storage/decisions.py`). An applicant who is never accepted never holds a seat that another,
accepted, exhibitor could use. A wish on a full training waits in that training's queue,
in the order the applications were sent.

When it is freed: the application stops holding a place (declined, withdrawn, expired), or the
member cancels it (a button). A freed seat is proposed to the first in the queue, who takes it
with a button or refuses it (then the next), or lets the offer lapse (`storage/seat_offers.py`).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage.db import Database, marks
from storage.outbox import NewDelivery, insert_deliveries
from storage.seat_offers import (
    TAKEN,
    Lapsed,
    OfferTerms,
    expire_offers,
    propose_next,
    seat_delivery,
    set_terms,
)
from storage.statuses import HOLDS_A_PLACE, SeatState, Status, sql_list
from storage.templates import Template

# Outbox templates: a seat held (the training's confirmation, with a cancel button), a wish on
# a full training queued, a freed seat proposed (a button to take it, storage/seat_offers.py),
# an attestation (a PDF).
SEAT_HELD = Template.TRAINING_SEAT
SEAT_QUEUED = Template.TRAINING_QUEUED
ATTESTATION = Template.ATTESTATION

_OPEN = sql_list({SeatState.HELD, SeatState.PROPOSED, SeatState.QUEUED})
# Attestations are issued for what ended within this long (not, at deployment, for every
# market of the past).
RECENT = timedelta(days=7)
# Verification codes: 12 letters and digits without look-alikes (0/O, 1/I/L): 60 bits.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code() -> str:
    letters = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{letters[:4]}-{letters[4:8]}-{letters[8:]}"


@dataclass(frozen=True)
class Seat:
    application_id: int
    user_id: int
    state: SeatState
    attended: bool


@dataclass(frozen=True)
class Attendee:
    """A seat holder, as the trainer's list shows them."""

    application_id: int
    structure_name: str
    person_name: str
    attended: bool


@dataclass(frozen=True)
class DueAttestation:
    kind: str  # "training" or "phase"
    subject: str  # the training's code or the phase's
    application_id: int
    user_id: int
    structure_name: str
    person_name: str


@dataclass(frozen=True)
class Attestation:
    code: str
    kind: str
    subject: str
    structure_name: str
    person_name: str
    issued_at: datetime


async def follow_status(
    connection: aiosqlite.Connection, application_id: int, old: str, new: str, now: datetime
) -> None:
    """Seats follow the application's place, inside the status change's transaction."""
    holds, held = new in HOLDS_A_PLACE, old in HOLDS_A_PLACE
    if holds and not held:
        await _take_seats(connection, application_id, now)
    elif held and not holds:
        cursor = await connection.execute(
            "UPDATE training_seats SET state = ?, changed_at = ?"
            f" WHERE application_id = ? AND state IN {_OPEN} RETURNING training_code, state",
            (SeatState.RELEASED, now.isoformat(), application_id),
        )
        for code, _ in await cursor.fetchall():
            await propose_next(connection, str(code), now)


async def _take_seats(connection: aiosqlite.Connection, application_id: int, now: datetime) -> None:
    cursor = await connection.execute(
        "SELECT a.user_id, COALESCE(a.submitted_at, a.created_at), w.value FROM applications AS a"
        " JOIN answers AS w ON w.application_id = a.id AND w.question = 'trainings'"
        " AND w.complete = 1 WHERE a.id = ?",
        (application_id,),
    )
    row = await cursor.fetchone()
    if row is None:
        return
    user_id, asked_at, value = int(row[0]), str(row[1]), json.loads(row[2]) or []
    for code in value:
        cursor = await connection.execute(
            f"SELECT t.seats - (SELECT count(*) FROM training_seats WHERE training_code = t.code"
            f" AND state IN {TAKEN}) FROM trainings AS t WHERE t.code = ? AND t.active = 1",
            (code,),
        )
        free = await cursor.fetchone()
        if free is None:
            continue  # gone from the catalogue
        state = SeatState.HELD if int(free[0]) > 0 else SeatState.QUEUED
        cursor = await connection.execute(
            "INSERT INTO training_seats (application_id, training_code, user_id, state, asked_at,"
            " changed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (application_id, code, user_id, state, asked_at, now.isoformat()),
        )
        if cursor.rowcount:
            template = SEAT_HELD if state is SeatState.HELD else SEAT_QUEUED
            params: dict[str, object] = {"application_id": application_id, "training": code}
            await insert_deliveries(
                connection, [seat_delivery(user_id, template, params, now)], now
            )


async def follow_wishes(
    connection: aiosqlite.Connection, application_id: int, now: datetime
) -> None:
    """The trainings answer corrected while the application holds a place: a training no longer
    wished frees its seat (offered to the next), a newly wished one takes a seat or a place in
    its queue (again, after a cancel), in the correction's transaction."""
    cursor = await connection.execute(
        "SELECT a.status, w.value FROM applications AS a JOIN answers AS w"
        " ON w.application_id = a.id AND w.question = 'trainings' AND w.complete = 1"
        " WHERE a.id = ?",
        (application_id,),
    )
    row = await cursor.fetchone()
    if row is None or row[0] not in HOLDS_A_PLACE:
        return
    wished = [str(code) for code in json.loads(row[1]) or []]
    wished_in = marks(wished) or "''"
    cursor = await connection.execute(
        "UPDATE training_seats SET state = ?, changed_at = ? WHERE application_id = ?"
        f" AND state IN {_OPEN} AND training_code NOT IN ({wished_in}) RETURNING training_code",
        (SeatState.CANCELLED, now.isoformat(), application_id, *wished),
    )
    for (code,) in await cursor.fetchall():
        await propose_next(connection, str(code), now)
    await connection.execute(
        f"DELETE FROM training_seats WHERE application_id = ? AND state = ?"
        f" AND training_code IN ({wished_in})",
        (application_id, SeatState.CANCELLED, *wished),
    )
    await _take_seats(connection, application_id, now)


_NAMES = (
    " COALESCE((SELECT json_extract(value, '$') FROM answers WHERE application_id = a.id"
    " AND question = 'structure_name'), '') AS structure_name,"
    " COALESCE((SELECT json_extract(value, '$') FROM answers WHERE application_id = a.id"
    " AND question = 'contact_name'), '') AS person_name"
)


class SeatQueries:
    """Part of `ApplicationRepository` too: the form shows which trainings are full."""

    _db: Database

    async def full_trainings(self, phase_code: str, application_id: int = 0) -> frozenset[str]:
        """The phase's trainings with no seat left, but for a seat this application holds.
        Read whenever the trainings question shows: a `lookup` (a phase has a few trainings,
        their seats counted in the index training_seats_queue)."""
        rows = await self._db.lookup(
            "SELECT code FROM trainings AS t WHERE phase_code = ? AND seats <= (SELECT count(*)"
            f" FROM training_seats WHERE training_code = t.code AND state IN {TAKEN})"
            " AND NOT EXISTS (SELECT 1 FROM training_seats WHERE training_code = t.code"
            f" AND application_id = ? AND state IN {TAKEN})",
            (phase_code, application_id),
        )
        return frozenset(str(row[0]) for row in rows)

    async def seat_state(self, application_id: int, code: str) -> SeatState | None:
        rows = await self._db.fetchall(
            "SELECT state FROM training_seats WHERE application_id = ? AND training_code = ?",
            (application_id, code),
        )
        return SeatState(rows[0][0]) if rows else None

    async def held_trainings(self, application_id: int) -> list[str]:
        """The trainings where this application holds a seat (what its calendar lists)."""
        rows = await self._db.fetchall(
            "SELECT training_code FROM training_seats WHERE application_id = ? AND state = ?",
            (application_id, SeatState.HELD),
        )
        return [str(row[0]) for row in rows]


class TrainingRepository(SeatQueries):
    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_offer_terms(self, terms: OfferTerms) -> None:
        await set_terms(self._db, terms)

    async def expire_offers(self, now: datetime) -> list[Lapsed]:
        return await expire_offers(self._db, now)

    async def seat(self, application_id: int, code: str) -> Seat | None:
        row = await self._db.fetchone(
            "SELECT application_id, user_id, state, attended_at FROM training_seats"
            " WHERE application_id = ? AND training_code = ?",
            (application_id, code),
        )
        if row is None:
            return None
        return Seat(row[0], row[1], SeatState(row[2]), row[3] is not None)

    async def take(self, application_id: int, code: str, user_id: int, now: datetime) -> bool:
        """A proposed seat taken by its member; False if it is no longer theirs to take."""
        changed = await self._db.execute(
            "UPDATE training_seats SET state = ?, changed_at = ?, offer_expires_at = NULL"
            " WHERE application_id = ? AND training_code = ? AND user_id = ? AND state = ?",
            (SeatState.HELD, now.isoformat(), application_id, code, user_id, SeatState.PROPOSED),
        )
        return changed == 1

    async def cancel(self, application_id: int, code: str, user_id: int, now: datetime) -> bool:
        """The member gives the seat up (or refuses it, or leaves the queue); a seat freed goes
        to the next in the queue in the same transaction."""
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE training_seats SET state = ?, changed_at = ? WHERE application_id = ?"
                f" AND training_code = ? AND user_id = ? AND state IN {_OPEN} RETURNING state",
                (SeatState.CANCELLED, now.isoformat(), application_id, code, user_id),
            )
            if await cursor.fetchone() is None:
                return False
            await propose_next(connection, code, now)
        return True

    async def attended(self, codes: Sequence[str]) -> dict[str, int]:
        """How many signed in (or were marked present) at each of these trainings."""
        codes_in = marks(codes)
        rows = await self._db.fetchall(
            "SELECT training_code, COUNT(*) FROM training_seats WHERE attended_at IS NOT NULL"
            f" AND training_code IN ({codes_in}) GROUP BY training_code",
            tuple(codes),
        )
        return {row[0]: int(row[1]) for row in rows}

    async def attendees(self, code: str) -> list[Attendee]:
        rows = await self._db.fetchall(
            f"SELECT a.id, {_NAMES}, s.attended_at FROM training_seats AS s"
            " JOIN applications AS a ON a.id = s.application_id"
            " WHERE s.training_code = ? AND s.state = ? ORDER BY structure_name, a.id",
            (code, SeatState.HELD),
        )
        return [
            Attendee(r[0], r["structure_name"], r["person_name"], r[3] is not None) for r in rows
        ]

    async def token(self, code: str, now: datetime) -> str:
        """The session's QR code token, made on first use."""
        await self._db.execute(
            "INSERT INTO attendance_codes (training_code, token, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (code, secrets.token_urlsafe(18), now.isoformat()),
        )
        row = await self._db.fetchone(
            "SELECT token FROM attendance_codes WHERE training_code = ?", (code,)
        )
        assert row is not None
        return str(row[0])

    async def training_of_token(self, token: str) -> str | None:
        row = await self._db.fetchone(
            "SELECT training_code FROM attendance_codes WHERE token = ?", (token,)
        )
        return str(row[0]) if row else None

    async def sign_in(self, code: str, user_id: int, now: datetime) -> Seat | None:
        """The member's held seat, marked attended (kept at the first time); None without one."""
        rows = await self._db.execute_returning(
            "UPDATE training_seats SET attended_at = COALESCE(attended_at, ?)"
            " WHERE training_code = ? AND user_id = ? AND state = ? RETURNING application_id",
            (now.isoformat(), code, user_id, SeatState.HELD),
        )
        return await self.seat(int(rows[0][0]), code) if rows else None

    async def mark(self, code: str, application_id: int, by: int, now: datetime) -> bool | None:
        """The trainer's tick: present <-> absent; the new value, None without a held seat."""
        rows = await self._db.execute_returning(
            "UPDATE training_seats SET attended_at = CASE WHEN attended_at IS NULL THEN ?"
            " END, marked_by = ? WHERE training_code = ? AND application_id = ? AND state = ?"
            " RETURNING attended_at",
            (now.isoformat(), by, code, application_id, SeatState.HELD),
        )
        return rows[0][0] is not None if rows else None

    async def due_attestations(self, now: datetime) -> list[DueAttestation]:
        """Attendees of trainings whose session and its hour after are over; confirmed
        exhibitors of phases that ended; each without an attestation yet."""
        since = (now - RECENT).isoformat()
        rows = await self._db.fetchall(
            f"SELECT s.training_code, a.id, a.user_id, t.starts_utc, t.duration_minutes, {_NAMES}"
            " FROM training_seats AS s JOIN applications AS a ON a.id = s.application_id"
            " JOIN trainings AS t ON t.code = s.training_code"
            " WHERE s.attended_at IS NOT NULL AND s.state = ? AND a.erased_at IS NULL"
            " AND t.starts_utc > ? AND NOT EXISTS (SELECT 1 FROM attestations WHERE"
            " kind = 'training' AND subject = s.training_code AND application_id = a.id)",
            (SeatState.HELD, since),
        )
        due = [
            DueAttestation("training", r[0], r[1], r[2], r["structure_name"], r["person_name"])
            for r in rows
            if datetime.fromisoformat(r[3]) + timedelta(minutes=r[4] + 60) <= now
        ]
        rows = await self._db.fetchall(
            f"SELECT a.phase_code, a.id, a.user_id, {_NAMES} FROM applications AS a"
            " JOIN phases AS p ON p.code = a.phase_code"
            f" WHERE a.status IN {sql_list({Status.CONFIRMED})} AND a.erased_at IS NULL AND p.ends_utc <= ? AND p.ends_utc > ?"
            " AND NOT EXISTS (SELECT 1 FROM attestations WHERE kind = 'phase'"
            " AND subject = a.phase_code AND application_id = a.id)",
            (now.isoformat(), since),
        )
        due += [
            DueAttestation("phase", r[0], r[1], r[2], r["structure_name"], r["person_name"])
            for r in rows
        ]
        return due

    async def issue(
        self, due: DueAttestation, code: str, params: dict[str, object], now: datetime
    ) -> bool:
        """The attestation and its message, together; False if it was already issued."""
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO attestations (code, kind, subject, application_id, user_id,"
                " structure_name, person_name, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (
                    code,
                    due.kind,
                    due.subject,
                    due.application_id,
                    due.user_id,
                    due.structure_name,
                    due.person_name,
                    now.isoformat(),
                ),
            )
            if not cursor.rowcount:
                return False
            key = f"{ATTESTATION}:{due.kind}:{due.subject}:{due.application_id}"
            delivery = NewDelivery(due.user_id, "notification", ATTESTATION, params, now, key)
            await insert_deliveries(connection, [delivery], now)
        return True

    async def attestation(self, code: str) -> Attestation | None:
        row = await self._db.fetchone(
            "SELECT code, kind, subject, structure_name, person_name, issued_at FROM attestations"
            " WHERE code = ?",
            (code,),
        )
        if row is None:
            return None
        return Attestation(row[0], row[1], row[2], row[3], row[4], datetime.fromisoformat(row[5]))
