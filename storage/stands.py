"""Stands assigned to a phase's confirmed exhibitors, and their arrival on the day.

A stand is first proposed (`confirmed_at` NULL), changed stand by stand if need be, then
confirmed: that writes the card's one-time token and queues the card, in one transaction.
A confirmed stand moves only to a free stand (`relocate`): a new token, the old one kept in
`stand_moves` (a scan of the old card is refused), and the new card queued, in one transaction.
An arrival is written once (`INSERT ... ON CONFLICT DO NOTHING`): a second scan finds it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import aiosqlite

from storage.db import Database, marks
from storage.outbox import NewDelivery, insert_deliveries
from storage.statuses import Status

# A stand number is at most 8 characters: this one is never a stand, it is the free slot a
# swap goes through (UNIQUE (phase_code, stand) holds at every statement).
_SWAP_SLOT = "~swap~"


@dataclass(frozen=True)
class Exhibitor:
    """A confirmed application of the phase, with what the assignment rule reads."""

    application_id: int
    user_id: int
    reference: str
    name: str
    sector: str | None
    led_by: str | None
    stand_needs: tuple[str, ...]


@dataclass(frozen=True)
class Assignment:
    application_id: int
    user_id: int
    phase_code: str
    stand: str
    confirmed: bool
    token: str | None


@dataclass(frozen=True)
class Arrival:
    application_id: int
    arrived_at: datetime
    marked_by: int
    how: str


@dataclass(frozen=True)
class Replaced:
    """A card replaced by a move: the stand it named."""

    application_id: int
    phase_code: str
    from_stand: str


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    loaded = json.loads(value)
    return loaded if isinstance(loaded, str) else None


def _codes(value: str | None) -> tuple[str, ...]:
    loaded = json.loads(value) if value is not None else []
    return tuple(str(code) for code in loaded) if isinstance(loaded, list) else ()


def _answer(question: str) -> str:
    return (
        f"(SELECT value FROM answers WHERE answers.application_id = applications.id"
        f" AND question = '{question}') AS {question}"
    )


def _assignment(row: aiosqlite.Row) -> Assignment:
    return Assignment(
        row["application_id"],
        row["user_id"],
        row["phase_code"],
        row["stand"],
        row["confirmed_at"] is not None,
        row["token"],
    )


_ASSIGNMENT = (
    "SELECT s.application_id, a.user_id, s.phase_code, s.stand, s.confirmed_at, s.token"
    " FROM stand_assignments s JOIN applications a ON a.id = s.application_id"
)


class StandRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def exhibitors(self, phase_code: str) -> list[Exhibitor]:
        """The phase's confirmed exhibitors, in the order they applied."""
        rows = await self._db.fetchall(
            "SELECT id, user_id, reference, "
            + ", ".join(map(_answer, ("structure_name", "sector", "led_by", "stand_needs")))
            + " FROM applications WHERE phase_code = ? AND status = ? ORDER BY id",
            (phase_code, Status.CONFIRMED),
        )
        return [
            Exhibitor(
                row["id"],
                row["user_id"],
                row["reference"] or "",
                _text(row["structure_name"]) or "",
                _text(row["sector"]),
                _text(row["led_by"]),
                _codes(row["stand_needs"]),
            )
            for row in rows
        ]

    async def assignments(self, phase_code: str) -> list[Assignment]:
        rows = await self._db.fetchall(
            _ASSIGNMENT + " WHERE s.phase_code = ? ORDER BY s.application_id", (phase_code,)
        )
        return [_assignment(row) for row in rows]

    async def of_application(self, application_id: int) -> Assignment | None:
        row = await self._db.fetchone(
            _ASSIGNMENT + " WHERE s.application_id = ?", (application_id,)
        )
        return _assignment(row) if row is not None else None

    async def by_token(self, token: str) -> Assignment | None:
        row = await self._db.fetchone(_ASSIGNMENT + " WHERE s.token = ?", (token,))
        return _assignment(row) if row is not None else None

    async def propose(
        self, phase_code: str, proposal: Iterable[tuple[int, str]], now: datetime
    ) -> int:
        """Record proposed stands for exhibitors that have none; a taken stand is skipped."""
        async with self._db.transaction() as connection:
            cursor = await connection.executemany(
                "INSERT INTO stand_assignments (application_id, phase_code, stand, proposed_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(app_id, phase_code, stand, now.isoformat()) for app_id, stand in proposal],
            )
            return max(cursor.rowcount, 0)

    async def move(self, phase_code: str, application_id: int, stand: str) -> bool:
        """Give `stand` to this exhibitor; whoever had it takes this exhibitor's old stand.
        Only proposed stands move (a confirmed one has its card sent)."""
        async with self._db.transaction() as connection:
            rows = list(
                await connection.execute_fetchall(
                    "SELECT application_id, stand, confirmed_at FROM stand_assignments"
                    " WHERE phase_code = ? AND (application_id = ? OR stand = ?)",
                    (phase_code, application_id, stand),
                )
            )
            mine = next((r for r in rows if r["application_id"] == application_id), None)
            other = next((r for r in rows if r["application_id"] != application_id), None)
            if mine is None or mine["confirmed_at"] is not None:
                return False
            if other is not None:
                if other["confirmed_at"] is not None:
                    return False
                await _set_stand(connection, other["application_id"], _SWAP_SLOT)
            await _set_stand(connection, application_id, stand)
            if other is not None:
                await _set_stand(connection, other["application_id"], mine["stand"])
            return True

    async def confirm(
        self,
        phase_code: str,
        tokens: dict[int, str],
        cards: Sequence[NewDelivery],
        organizer_id: int,
        now: datetime,
    ) -> int:
        """Confirm the proposed stands that `tokens` names, their cards queued in the same
        transaction (dedupe keys: never twice)."""
        async with self._db.transaction() as connection:
            confirmed = 0
            for application_id, token in tokens.items():
                cursor = await connection.execute(
                    "UPDATE stand_assignments SET confirmed_at = ?, confirmed_by = ?, token = ?"
                    " WHERE application_id = ? AND phase_code = ? AND confirmed_at IS NULL",
                    (now.isoformat(), organizer_id, token, application_id, phase_code),
                )
                confirmed += cursor.rowcount
            await insert_deliveries(connection, cards, now)
            return confirmed

    async def relocate(
        self,
        phase_code: str,
        application_id: int,
        stands: tuple[str, str],
        token: str,
        card: NewDelivery,
        organizer_id: int,
        now: datetime,
    ) -> bool:
        """Move a confirmed stand from `stands[0]` to `stands[1]`, a stand nobody holds: the
        new token, the old one retired, the new card queued (its dedupe key numbered by the
        move: never twice, and a move back to a stand held before still sends a card).
        False, and nothing written, if the stand is no longer `stands[0]` or the other taken."""
        old, new = stands
        async with self._db.transaction() as connection:
            rows = list(
                await connection.execute_fetchall(
                    "SELECT application_id, stand, confirmed_at, token FROM stand_assignments"
                    " WHERE phase_code = ? AND (application_id = ? OR stand = ?)",
                    (phase_code, application_id, new),
                )
            )
            mine = next((r for r in rows if r["application_id"] == application_id), None)
            if len(rows) != 1 or mine is None or mine["stand"] != old or new == old:
                return False
            if mine["confirmed_at"] is None or mine["token"] is None:
                return False
            await connection.execute(
                "INSERT INTO stand_moves (old_token, application_id, phase_code, from_stand,"
                " to_stand, moved_by, moved_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    mine["token"],
                    application_id,
                    phase_code,
                    old,
                    new,
                    organizer_id,
                    now.isoformat(),
                ),
            )
            await connection.execute(
                "UPDATE stand_assignments SET stand = ?, token = ?, confirmed_at = ?,"
                " confirmed_by = ? WHERE application_id = ?",
                (new, token, now.isoformat(), organizer_id, application_id),
            )
            cursor = await connection.execute(
                "SELECT COUNT(*) AS n FROM stand_moves WHERE application_id = ?",
                (application_id,),
            )
            counted = await cursor.fetchone()
            moves = counted["n"] if counted is not None else 1
            numbered = replace(card, dedupe_key=f"{card.dedupe_key}:move{moves}")
            await insert_deliveries(connection, [numbered], now)
            return True

    async def replaced(self, token: str) -> Replaced | None:
        """The card this token was on, if a move replaced it."""
        row = await self._db.fetchone(
            "SELECT application_id, phase_code, from_stand FROM stand_moves WHERE old_token = ?",
            (token,),
        )
        if row is None:
            return None
        return Replaced(row["application_id"], row["phase_code"], row["from_stand"])

    async def mark_arrived(
        self, application_id: int, phase_code: str, organizer_id: int, how: str, now: datetime
    ) -> tuple[bool, Arrival]:
        """(True, the arrival) the first time; (False, the first arrival) after."""
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO arrivals (application_id, phase_code, arrived_at, marked_by, how)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (application_id, phase_code, now.isoformat(), organizer_id, how),
            )
            rows = list(
                await connection.execute_fetchall(
                    "SELECT application_id, arrived_at, marked_by, how FROM arrivals"
                    " WHERE application_id = ?",
                    (application_id,),
                )
            )
        return cursor.rowcount == 1, _arrival(rows[0])

    async def arrivals(self, phase_code: str) -> dict[int, Arrival]:
        rows = await self._db.fetchall(
            "SELECT application_id, arrived_at, marked_by, how FROM arrivals WHERE phase_code = ?",
            (phase_code,),
        )
        return {row["application_id"]: _arrival(row) for row in rows}

    async def enqueue(self, deliveries: Iterable[NewDelivery], now: datetime) -> int:
        async with self._db.transaction() as connection:
            return await insert_deliveries(connection, deliveries, now)


def _arrival(row: aiosqlite.Row) -> Arrival:
    return Arrival(
        row["application_id"],
        datetime.fromisoformat(row["arrived_at"]),
        row["marked_by"],
        row["how"],
    )


async def _set_stand(connection: aiosqlite.Connection, application_id: int, stand: str) -> None:
    await connection.execute(
        "UPDATE stand_assignments SET stand = ? WHERE application_id = ?", (stand, application_id)
    )


async def erase_stands_in(connection: aiosqlite.Connection, application_ids: Sequence[int]) -> None:
    """Erasure: the stand is freed and the card's link stops working; the arrival row (a
    phase, a time, the organizer who marked it) stays for the counts, like the audit trail."""
    ids_in = marks(application_ids)
    for table in ("stand_assignments", "stand_moves"):
        await connection.execute(
            f"DELETE FROM {table} WHERE application_id IN ({ids_in})", tuple(application_ids)
        )
