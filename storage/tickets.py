"""The help desk: members' questions (tickets), the organizers' answers, and who is about to
write one. A ticket and the messages it causes are written in one transaction."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.outbox import NewDelivery, insert_deliveries
from storage.templates import Template

KINDS = ("text", "voice", "photo")

_COLUMNS = (
    "id, user_id, first_name, locale, kind, text, file_id, asked_at, answer, answered_by,"
    " answered_at"
)


@dataclass(frozen=True)
class Ticket:
    id: int
    user_id: int
    first_name: str
    locale: str
    kind: str  # one of KINDS
    text: str | None
    file_id: str | None
    asked_at: datetime
    answer: str | None = None
    answered_by: int | None = None
    answered_at: datetime | None = None

    @property
    def reference(self) -> str:
        """What organizers and the member read, and what a reply is matched by: `Q-12`."""
        return f"Q-{self.id}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


@dataclass(frozen=True)
class Wait:
    """A user's next message is a question (`ticket_id` None) or the answer to that ticket."""

    user_id: int
    ticket_id: int | None
    since: datetime


def _stamp(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _ticket(row: aiosqlite.Row) -> Ticket:
    asked = datetime.fromisoformat(row["asked_at"])
    return Ticket(
        row["id"],
        row["user_id"],
        row["first_name"],
        row["locale"],
        row["kind"],
        row["text"],
        row["file_id"],
        asked,
        row["answer"],
        row["answered_by"],
        _stamp(row["answered_at"]),
    )


async def erase_user_tickets_in(connection: aiosqlite.Connection, user_id: int) -> int:
    """Within an erasure's transaction: the person's questions go (their waits by cascade), and
    an organizer's id leaves the answers they wrote. Returns the tickets deleted."""
    cursor = await connection.execute("DELETE FROM tickets WHERE user_id = ?", (user_id,))
    await connection.execute("DELETE FROM ticket_waits WHERE user_id = ?", (user_id,))
    await connection.execute(
        "UPDATE tickets SET answered_by = NULL WHERE answered_by = ?", (user_id,)
    )
    return cursor.rowcount


class TicketRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def ask(
        self,
        user_id: int,
        first_name: str,
        locale: str,
        kind: str,
        text: str | None,
        file_id: str | None,
        team_roles: Collection[str],
        now: datetime,
    ) -> Ticket:
        """Record the question, end the member's wait, and queue the news for every team member
        with one of `team_roles`, all in one transaction: the team hears of it exactly once."""
        roles = sorted(team_roles)
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO tickets (user_id, first_name, locale, kind, text, file_id, asked_at)"
                f" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
                (user_id, first_name[:64], locale, kind, text, file_id, now.isoformat()),
            )
            row = await cursor.fetchone()
            assert row is not None
            ticket = _ticket(row)
            await connection.execute("DELETE FROM ticket_waits WHERE user_id = ?", (user_id,))
            # Team members who have a chat with the bot (a users row) and have not blocked it:
            # a message to an admin of ADMIN_IDS who never opened the bot would only fail.
            cursor = await connection.execute(
                "SELECT roles.user_id FROM roles JOIN users ON users.id = roles.user_id"
                f" WHERE roles.role IN ({', '.join('?' for _ in roles)}) AND users.blocked = 0"
                " ORDER BY roles.user_id",
                roles,
            )
            team = [int(found[0]) for found in await cursor.fetchall()]
            await insert_deliveries(
                connection,
                [
                    NewDelivery(
                        member,
                        "notification",
                        Template.TICKET_NEW,
                        {"ticket_id": ticket.id},
                        now,
                        f"{Template.TICKET_NEW}:{ticket.id}:{member}",
                    )
                    for member in team
                ],
                now,
            )
        return ticket

    async def answer(
        self, ticket_id: int, organizer_id: int, text: str, now: datetime
    ) -> Ticket | None:
        """Close an open ticket with `text` and queue it for the member, in one transaction;
        None if the ticket is gone or was answered already (by anyone)."""
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE tickets SET answer = ?, answered_by = ?, answered_at = ?"
                f" WHERE id = ? AND answered_at IS NULL RETURNING {_COLUMNS}",
                (text, organizer_id, now.isoformat(), ticket_id),
            )
            row = await cursor.fetchone()
            if row is None:
                return None
            ticket = _ticket(row)
            await connection.execute("DELETE FROM ticket_waits WHERE ticket_id = ?", (ticket_id,))
            await insert_deliveries(
                connection,
                [
                    NewDelivery(
                        ticket.user_id,
                        "notification",
                        Template.TICKET_ANSWER,
                        {"ticket_id": ticket.id},
                        now,
                        f"{Template.TICKET_ANSWER}:{ticket.id}",
                    )
                ],
                now,
            )
        return ticket

    async def get(self, ticket_id: int) -> Ticket | None:
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,))
        return _ticket(row) if row else None

    async def open_tickets(self, limit: int) -> list[Ticket]:
        """The queue, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM tickets WHERE answered_at IS NULL"
            " ORDER BY asked_at, id LIMIT ?",
            (limit,),
        )
        return [_ticket(row) for row in rows]

    async def count_open(self) -> int:
        row = await self._db.fetchone("SELECT COUNT(*) FROM tickets WHERE answered_at IS NULL")
        return int(row[0]) if row else 0

    async def of_user(self, user_id: int) -> list[Ticket]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM tickets WHERE user_id = ? ORDER BY id", (user_id,)
        )
        return [_ticket(row) for row in rows]

    async def wait(self, user_id: int, ticket_id: int | None, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO ticket_waits (user_id, ticket_id, since) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET ticket_id = excluded.ticket_id,"
            " since = excluded.since",
            (user_id, ticket_id, now.isoformat()),
        )

    async def waiting(self, user_id: int) -> Wait | None:
        """Read for every message outside a command: a small indexed read."""
        rows = await self._db.lookup(
            "SELECT user_id, ticket_id, since FROM ticket_waits WHERE user_id = ?", (user_id,)
        )
        if not rows:
            return None
        row = rows[0]
        return Wait(row[0], row[1], datetime.fromisoformat(row[2]))

    async def stop_waiting(self, user_id: int) -> bool:
        return await self._db.execute("DELETE FROM ticket_waits WHERE user_id = ?", (user_id,)) > 0

    async def purge(self, cutoff: datetime) -> int:
        """Retention: tickets answered before `cutoff`, and unanswered ones asked before it.
        Returns how many were erased (their waits go by cascade)."""
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "DELETE FROM tickets WHERE COALESCE(answered_at, asked_at) < ?",
                (cutoff.isoformat(),),
            )
            return cursor.rowcount
