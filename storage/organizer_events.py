"""What the organizers are told: events recorded with the status change they come from, each
member's choice (at once, or the daily digest), and the catalogue's changes from the chat."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.outbox import NewDelivery, insert_deliveries
from storage.templates import Template

# Besides the statuses (declined, withdrawn, expired, offered): a freed place that waits for an
# organizer to offer it (a market with `auto_offer = false`).
PLACE_FREE = "free"
# Who is told: those who decide on applications.
TOLD_ROLES = ("organizer", "admin")


@dataclass(frozen=True)
class NewEvent:
    kind: str  # a Status value or PLACE_FREE
    application_id: int
    phase_code: str
    occurred_at: datetime
    digest_at: datetime  # the daily digest it goes in


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    application_id: int
    phase_code: str
    occurred_at: datetime
    reference: str | None
    structure: str | None  # the structure's name, if still stored


@dataclass(frozen=True)
class CatalogueChange:
    user_id: int
    changed_at: datetime
    file_name: str
    previous_copy: str | None


async def record_events(
    connection: aiosqlite.Connection, events: Iterable[NewEvent], now: datetime
) -> None:
    """Within the status change's transaction: the event, and for each member who decides
    either a message at once or the digest of its day (one per member and digest: the
    dedupe key)."""
    events = list(events)
    if not events:
        return
    cursor = await connection.execute(
        "SELECT roles.user_id, COALESCE(p.immediate, 0) FROM roles LEFT JOIN"
        " organizer_preferences AS p ON p.user_id = roles.user_id"
        f" WHERE roles.role IN ({', '.join('?' for _ in TOLD_ROLES)}) ORDER BY roles.user_id",
        TOLD_ROLES,
    )
    members = [(int(row[0]), bool(row[1])) for row in await cursor.fetchall()]
    for event in events:
        cursor = await connection.execute(
            "INSERT INTO organizer_events (kind, application_id, phase_code, occurred_at,"
            " digest_at) VALUES (?, ?, ?, ?, ?)",
            (
                event.kind,
                event.application_id,
                event.phase_code,
                event.occurred_at.isoformat(),
                event.digest_at.isoformat(),
            ),
        )
        event_id = cursor.lastrowid
        digest = event.digest_at.isoformat()
        await insert_deliveries(
            connection,
            [
                NewDelivery(
                    user_id,
                    "notification",
                    Template.ORGANIZER_EVENT,
                    {"event_id": event_id},
                    event.occurred_at,
                    f"orgevent:{event_id}:{user_id}",
                )
                if immediate
                else NewDelivery(
                    user_id,
                    "notification",
                    Template.ORGANIZER_DIGEST,
                    {"digest_at": digest},
                    event.digest_at,
                    f"digest:{user_id}:{digest}",
                )
                for user_id, immediate in members
            ],
            now,
        )


_EVENT_COLUMNS = (
    "e.id, e.kind, e.application_id, e.phase_code, e.occurred_at, a.reference,"
    " (SELECT json_extract(value, '$') FROM answers WHERE application_id = e.application_id"
    " AND question = 'structure_name') AS structure"
    " FROM organizer_events AS e JOIN applications AS a ON a.id = e.application_id"
)


def _event(row: aiosqlite.Row) -> Event:
    structure = row["structure"]
    return Event(
        int(row["id"]),
        str(row["kind"]),
        int(row["application_id"]),
        str(row["phase_code"]),
        datetime.fromisoformat(row["occurred_at"]),
        row["reference"],
        str(structure) if structure is not None else None,
    )


class OrganizerEventRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def event(self, event_id: int) -> Event | None:
        row = await self._db.fetchone(f"SELECT {_EVENT_COLUMNS} WHERE e.id = ?", (event_id,))
        return _event(row) if row else None

    async def digest(self, digest_at: str) -> list[Event]:
        """The events of one digest, in the order they happened."""
        rows = await self._db.fetchall(
            f"SELECT {_EVENT_COLUMNS} WHERE e.digest_at = ? ORDER BY e.occurred_at, e.id",
            (digest_at,),
        )
        return [_event(row) for row in rows]

    async def claim_free_place(self, phase_code: str, user_id: int, now: datetime) -> int | None:
        """The oldest free place of the phase no organizer has offered yet, now theirs; None
        if there is none (offered already, by a double tap or another organizer)."""
        rows = await self._db.execute_returning(
            "UPDATE organizer_events SET handled_by = ?, handled_at = ? WHERE id = ("
            " SELECT id FROM organizer_events WHERE phase_code = ? AND kind = ?"
            " AND handled_at IS NULL ORDER BY id LIMIT 1) RETURNING id",
            (user_id, now.isoformat(), phase_code, PLACE_FREE),
        )
        return int(rows[0][0]) if rows else None

    async def release_free_place(self, event_id: int) -> None:
        """Nothing could be offered after all (no one waiting, the phase full): the place
        stays to offer."""
        await self._db.execute(
            "UPDATE organizer_events SET handled_by = NULL, handled_at = NULL WHERE id = ?",
            (event_id,),
        )

    async def free_places_waiting(self, phase_codes: Iterable[str]) -> list[str]:
        """Of these phases, those with a free place no organizer has offered yet."""
        codes = sorted(set(phase_codes))
        if not codes:
            return []
        rows = await self._db.fetchall(
            "SELECT DISTINCT phase_code FROM organizer_events WHERE kind = ?"
            f" AND handled_at IS NULL AND phase_code IN ({', '.join('?' for _ in codes)})",
            (PLACE_FREE, *codes),
        )
        return [str(row[0]) for row in rows]

    async def immediate(self, user_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT immediate FROM organizer_preferences WHERE user_id = ?", (user_id,)
        )
        return bool(row[0]) if row else False

    async def set_immediate(self, user_id: int, immediate: bool, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO organizer_preferences (user_id, immediate, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET immediate = excluded.immediate,"
            " updated_at = excluded.updated_at",
            (user_id, int(immediate), now.isoformat()),
        )

    async def record_catalogue_change(self, change: CatalogueChange) -> None:
        await self._db.execute(
            "INSERT INTO catalogue_changes (user_id, changed_at, file_name, previous_copy)"
            " VALUES (?, ?, ?, ?)",
            (change.user_id, change.changed_at.isoformat(), change.file_name, change.previous_copy),
        )

    async def last_catalogue_change(self) -> tuple[CatalogueChange, str | None] | None:
        """The latest catalogue sent from the chat, with its sender's first name if known."""
        row = await self._db.fetchone(
            "SELECT c.user_id, c.changed_at, c.file_name, c.previous_copy, u.first_name"
            " FROM catalogue_changes AS c LEFT JOIN users AS u ON u.id = c.user_id"
            " ORDER BY c.id DESC LIMIT 1"
        )
        if row is None:
            return None
        change = CatalogueChange(int(row[0]), datetime.fromisoformat(row[1]), str(row[2]), row[3])
        return change, row[4]
