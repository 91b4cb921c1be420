"""Broadcasts: drafts built step by step, their audience, and their progress through the outbox."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Database, marks
from storage.outbox import NewDelivery, insert_deliveries
from storage.statuses import Status
from storage.templates import Template

# Who "applicants" are, by the status of their application.
STATUS_GROUPS: dict[str, tuple[Status, ...]] = {
    # Everyone who sent an application and did not take it back.
    "all": tuple(sorted(frozenset(Status) - {Status.DRAFT, Status.WITHDRAWN})),
    "accepted": (Status.ACCEPTED, Status.CONFIRMED),
    "waitlist": (Status.WAITLISTED, Status.OFFERED),
    # Started an application and did not send it (yet).
    "drafts": (Status.DRAFT,),
}
# Not a group of applications: every person who has started the bot, applicant or not.
EVERYONE_WHO_STARTED = "everyone"
AUDIENCES = (*STATUS_GROUPS, EVERYONE_WHO_STARTED)
UNFINISHED = ("pending", "sending")


@dataclass(frozen=True)
class Audience:
    """Who receives a broadcast; None means "any"."""

    market: str | None = None
    phase: str | None = None
    status: str = "all"
    sector: str | None = None
    province: str | None = None
    language: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> Audience:
        values = json.loads(raw or "{}")
        return cls(**{key: values[key] for key in cls.__dataclass_fields__ if key in values})


@dataclass(frozen=True)
class Broadcast:
    id: int
    author_id: int
    status: str
    stage: str
    audience: Audience
    texts: dict[str, str]
    photo: str | None
    recipients: int
    progress_chat_id: int | None
    progress_message_id: int | None
    created_at: str
    started_at: str | None
    finished_at: str | None


@dataclass(frozen=True)
class Progress:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    cancelled: int = 0
    remaining: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.blocked + self.failed + self.cancelled + self.remaining


def _broadcast(row: aiosqlite.Row) -> Broadcast:
    return Broadcast(
        row["id"],
        row["author_id"],
        row["status"],
        row["stage"],
        Audience.from_json(row["audience"]),
        json.loads(row["texts"]),
        row["photo"],
        row["recipients"],
        row["progress_chat_id"],
        row["progress_message_id"],
        row["created_at"],
        row["started_at"],
        row["finished_at"],
    )


def _progress(rows: list[aiosqlite.Row] | Any) -> Progress:
    counts = {row[0]: int(row[1]) for row in rows}
    return Progress(
        sent=counts.get("sent", 0),
        blocked=counts.get("blocked", 0),
        failed=counts.get("failed", 0),
        cancelled=counts.get("cancelled", 0),
        remaining=sum(counts.get(status, 0) for status in UNFINISHED),
    )


def _everyone_query(audience: Audience) -> tuple[str, list[Any]]:
    """Every person who has started the bot: not the team, not those who blocked the bot, and
    not those who had their data erased (unless they applied again since)."""
    sql = (
        "SELECT u.id AS user_id FROM users u WHERE u.id > 0 AND u.blocked = 0"
        " AND u.id NOT IN (SELECT user_id FROM roles)"
        " AND (u.erased_at IS NULL OR EXISTS (SELECT 1 FROM applications a"
        " WHERE a.user_id = u.id))"
    )
    if audience.language:
        return sql + " AND COALESCE(u.locale, 'fr') = ?", [audience.language]
    return sql, []


def _audience_query(audience: Audience) -> tuple[str, list[Any]]:
    """The distinct recipients of an audience: people who have not blocked the bot."""
    if audience.status == EVERYONE_WHO_STARTED:
        return _everyone_query(audience)
    statuses = STATUS_GROUPS.get(audience.status, STATUS_GROUPS["all"])
    sql = [
        "SELECT DISTINCT a.user_id FROM applications a",
        " JOIN phases p ON p.code = a.phase_code JOIN users u ON u.id = a.user_id",
        f" WHERE a.status IN ({', '.join('?' for _ in statuses)}) AND u.blocked = 0",
    ]
    params: list[Any] = list(statuses)
    if audience.market:
        sql.append(" AND p.market_code = ?")
        params.append(audience.market)
    if audience.phase:
        sql.append(" AND a.phase_code = ?")
        params.append(audience.phase)
    if audience.language:
        sql.append(" AND COALESCE(u.locale, 'fr') = ?")
        params.append(audience.language)
    for question, code in (("sector", audience.sector), ("province", audience.province)):
        if code:
            sql.append(
                " AND EXISTS (SELECT 1 FROM answers s WHERE s.application_id = a.id"
                " AND s.question = ? AND s.value = ?)"
            )
            params += [question, json.dumps(code, ensure_ascii=False)]
    return "".join(sql), params


class BroadcastRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self._db.fetchone("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        return _broadcast(row) if row else None

    async def draft_of(self, author_id: int) -> Broadcast | None:
        row = await self._db.fetchone(
            "SELECT * FROM broadcasts WHERE author_id = ? AND status = 'draft'", (author_id,)
        )
        return _broadcast(row) if row else None

    async def create_draft(self, author_id: int, now: datetime) -> Broadcast:
        async with self._db.transaction() as connection:
            await connection.execute(
                "INSERT INTO broadcasts (author_id, created_at) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                (author_id, now.isoformat()),
            )
        draft = await self.draft_of(author_id)
        assert draft is not None
        return draft

    async def update_draft(
        self,
        broadcast_id: int,
        *,
        stage: str | None = None,
        audience: Audience | None = None,
        texts: dict[str, str] | None = None,
        photo: str | None = None,
        clear_photo: bool = False,
    ) -> None:
        """Save one step of a draft; fields left None keep their value (`clear_photo`
        removes the photo)."""
        await self._db.execute(
            "UPDATE broadcasts SET stage = COALESCE(?, stage), audience = COALESCE(?, audience),"
            " texts = COALESCE(?, texts),"
            " photo = CASE WHEN ? THEN NULL ELSE COALESCE(?, photo) END"
            " WHERE id = ? AND status = 'draft'",
            (
                stage,
                audience.to_json() if audience else None,
                json.dumps(texts, ensure_ascii=False) if texts is not None else None,
                int(clear_photo),
                photo,
                broadcast_id,
            ),
        )

    async def discard_draft(self, broadcast_id: int) -> bool:
        changed = await self._db.execute(
            "DELETE FROM broadcasts WHERE id = ? AND status = 'draft'", (broadcast_id,)
        )
        return changed > 0

    async def reach(self, audience: Audience) -> int:
        query, params = _audience_query(audience)
        row = await self._db.fetchone(f"SELECT COUNT(*) FROM ({query})", params)
        return int(row[0]) if row else 0

    async def start(
        self, broadcast_id: int, chat_id: int, message_id: int, now: datetime
    ) -> int | None:
        """Queue one delivery per recipient and mark the broadcast sending, in one transaction.

        Returns the number of recipients, or None if the draft was already started or discarded
        (a double press of the button).
        """
        row = await self._db.fetchone(
            "SELECT audience FROM broadcasts WHERE id = ? AND status = 'draft'", (broadcast_id,)
        )
        if row is None:
            return None
        query, params = _audience_query(Audience.from_json(row["audience"]))
        stamp = now.isoformat()
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE broadcasts SET status = 'sending', stage = 'sending', started_at = ?,"
                " progress_chat_id = ?, progress_message_id = ? WHERE id = ? AND status = 'draft'",
                (stamp, chat_id, message_id, broadcast_id),
            )
            if cursor.rowcount == 0:
                return None
            cursor = await connection.execute(
                "INSERT INTO deliveries (recipient_id, kind, template, params, not_before,"
                " dedupe_key, created_at, broadcast_id)"
                f" SELECT user_id, 'broadcast', ?, ?, ?, 'broadcast:' || ? || ':' || user_id, ?, ?"
                f" FROM ({query}) ORDER BY user_id",
                (
                    Template.BROADCAST,
                    json.dumps({"broadcast_id": broadcast_id}),
                    stamp,
                    broadcast_id,
                    stamp,
                    broadcast_id,
                    *params,
                ),
            )
            recipients = cursor.rowcount
            await connection.execute(
                "UPDATE broadcasts SET recipients = ? WHERE id = ?", (recipients, broadcast_id)
            )
        return recipients

    async def progress(self, broadcast_id: int) -> Progress:
        rows = await self._db.fetchall(
            "SELECT status, COUNT(*) FROM deliveries WHERE broadcast_id = ? GROUP BY status",
            (broadcast_id,),
        )
        return _progress(list(rows))

    async def recent_to_follow(self, shown: set[int]) -> list[Broadcast]:
        """Broadcasts still sending, and those in `shown` (to show how they ended)."""
        ids = sorted(shown)
        placeholders = marks(ids)
        extra = f" OR id IN ({placeholders})" if ids else ""
        rows = await self._db.fetchall(
            f"SELECT * FROM broadcasts WHERE status = 'sending'{extra} ORDER BY id", ids
        )
        return [_broadcast(row) for row in rows]

    async def finish_if_done(self, broadcast_id: int, now: datetime) -> bool:
        """Mark a sending broadcast done once none of its deliveries is left, and queue the
        report to its author in the same transaction (so it is sent exactly once)."""
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE broadcasts SET status = 'done', finished_at = ?"
                " WHERE id = ? AND status = 'sending' AND NOT EXISTS (SELECT 1 FROM deliveries"
                " WHERE broadcast_id = ? AND status IN ('pending', 'sending'))",
                (now.isoformat(), broadcast_id, broadcast_id),
            )
            if cursor.rowcount == 0:
                return False
            cursor = await connection.execute(
                "SELECT author_id FROM broadcasts WHERE id = ?", (broadcast_id,)
            )
            author = await cursor.fetchone()
            assert author is not None
            report = NewDelivery(
                int(author[0]),
                "notification",
                Template.BROADCAST_REPORT,
                {"broadcast_id": broadcast_id},
                now,
                f"broadcast-report:{broadcast_id}",
            )
            await insert_deliveries(connection, [report], now)
        return True

    async def cancel(self, broadcast_id: int, now: datetime) -> bool:
        """Stop a broadcast still sending: what is not yet on its way is cancelled."""
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE broadcasts SET status = 'cancelled', finished_at = ?"
                " WHERE id = ? AND status = 'sending'",
                (now.isoformat(), broadcast_id),
            )
            if cursor.rowcount == 0:
                return False
            await connection.execute(
                "UPDATE deliveries SET status = 'cancelled', last_error = 'broadcast cancelled'"
                " WHERE broadcast_id = ? AND status = 'pending'",
                (broadcast_id,),
            )
        return True

    async def history(self, limit: int = 10) -> list[tuple[Broadcast, Progress]]:
        rows = await self._db.fetchall(
            "SELECT * FROM broadcasts WHERE status != 'draft' ORDER BY id DESC LIMIT ?", (limit,)
        )
        broadcasts = [_broadcast(row) for row in rows]
        return [(broadcast, await self.progress(broadcast.id)) for broadcast in broadcasts]
