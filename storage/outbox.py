"""Deliveries: rows of the outbox, claimed by the dispatcher and marked with the outcome."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Database
from storage.templates import Template

# Held back during quiet hours. Reminders are not: their planned times are already outside
# quiet hours (bot/services/reminders.py), and holding one back could take it past its event.
CAN_WAIT = ("broadcast",)


@dataclass(frozen=True)
class Delivery:
    id: int
    recipient_id: int
    kind: str
    template: str
    params: dict[str, Any]
    attempts: int
    locale: str | None = None  # the recipient's language when the row was claimed
    created_at: datetime | None = None


@dataclass(frozen=True)
class Failure:
    """A delivery that ended without reaching its recipient for sure, to be reported."""

    delivery: Delivery
    reason: str


@dataclass(frozen=True)
class NewDelivery:
    recipient_id: int
    kind: str
    template: Template
    params: dict[str, Any]
    not_before: datetime
    dedupe_key: str


# The recipient's language comes with the row: one query less per message sent.
_COLUMNS = (
    "id, recipient_id, kind, template, params, attempts, created_at,"
    " (SELECT locale FROM users WHERE users.id = deliveries.recipient_id) AS locale"
)


def _delivery(row: aiosqlite.Row, attempts: int) -> Delivery:
    params = json.loads(row["params"])
    return Delivery(
        row["id"],
        row["recipient_id"],
        row["kind"],
        row["template"],
        params,
        attempts,
        row["locale"],
        datetime.fromisoformat(row["created_at"]),
    )


async def _insert(
    connection: aiosqlite.Connection,
    deliveries: Iterable[NewDelivery],
    now: datetime,
    on_conflict: str,
) -> int:
    changed = 0
    for item in deliveries:
        cursor = await connection.execute(
            "INSERT INTO deliveries (recipient_id, kind, template, params, not_before,"
            " dedupe_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            f" ON CONFLICT (dedupe_key) {on_conflict}",
            (
                item.recipient_id,
                item.kind,
                item.template,
                json.dumps(item.params, ensure_ascii=False),
                item.not_before.isoformat(),
                item.dedupe_key,
                now.isoformat(),
            ),
        )
        changed += cursor.rowcount
    return changed


async def insert_deliveries(
    connection: aiosqlite.Connection, deliveries: Iterable[NewDelivery], now: datetime
) -> int:
    """Insert within the caller's transaction, so a change and its message commit together."""
    return await _insert(connection, deliveries, now, "DO NOTHING")


@dataclass(frozen=True)
class ReminderPlan:
    """The reminders one application should have from now on, written in the transaction that
    changes it: those planned are queued (or moved earlier), its other pending ones cancelled."""

    application_id: int
    rows: tuple[NewDelivery, ...]


async def schedule_reminders_in(
    connection: aiosqlite.Connection, deliveries: Iterable[NewDelivery], now: datetime
) -> int:
    """Queue planned reminders. A pending one already queued moves to its planned time if
    that is earlier (quiet hours set or widened, or rows queued before reminders were planned
    around them); never later, so none arrives later than once planned. One already sent is
    left alone. Returns rows added or moved."""
    return await _insert(
        connection,
        deliveries,
        now,
        "DO UPDATE SET not_before = excluded.not_before WHERE deliveries.status = 'pending'"
        " AND julianday(excluded.not_before) < julianday(deliveries.not_before)",
    )


async def cancel_reminders_in(
    connection: aiosqlite.Connection, keep: set[str], application_id: int | None = None
) -> int:
    """Cancel the pending reminders (of one application, or all) whose key is not in `keep`."""
    scope, params = (
        (" AND json_extract(params, '$.application_id') = ?", (application_id,))
        if application_id is not None
        else ("", ())
    )
    cursor = await connection.execute(
        "SELECT id, dedupe_key FROM deliveries WHERE kind = 'reminder' AND status = 'pending'"
        + scope,
        params,
    )
    stale = [row[0] for row in await cursor.fetchall() if row[1] not in keep]
    for delivery_id in stale:
        await connection.execute(
            "UPDATE deliveries SET status = 'cancelled', last_error = 'no longer relevant'"
            " WHERE id = ? AND status = 'pending'",
            (delivery_id,),
        )
    return len(stale)


async def apply_reminder_plan(
    connection: aiosqlite.Connection, plan: ReminderPlan, now: datetime
) -> None:
    await schedule_reminders_in(connection, plan.rows, now)
    await cancel_reminders_in(
        connection, {row.dedupe_key for row in plan.rows}, plan.application_id
    )


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(self, deliveries: Iterable[NewDelivery], now: datetime) -> int:
        """Queue deliveries; one whose dedupe key is already queued is skipped."""
        async with self._db.transaction() as connection:
            return await insert_deliveries(connection, deliveries, now)

    async def schedule_reminders(self, deliveries: Iterable[NewDelivery], now: datetime) -> int:
        async with self._db.transaction() as connection:
            return await schedule_reminders_in(connection, deliveries, now)

    async def claim_due(
        self, now: datetime, limit: int, skip: Iterable[int], *, quiet: bool = False
    ) -> list[Delivery]:
        """Take up to `limit` due deliveries, one per recipient, and mark them `sending`.

        During quiet hours only notifications are taken. A row is `sending` only while its
        message is on the way: after a crash such rows are reported, never resent blindly (the
        message may have arrived).
        """
        skipped = sorted(set(skip))
        skip_sql = (
            f" AND recipient_id NOT IN ({', '.join('?' for _ in skipped)})" if skipped else ""
        )
        held_sql = ""
        if quiet:  # quiet hours hold back what can wait; notifications still go
            held_sql = f" AND kind NOT IN ({', '.join(repr(kind) for kind in CAN_WAIT)})"
        # In due order (the deliveries_due index: no sort, it stops after `limit` rows); a row
        # goes only if no earlier one for its recipient is due (deliveries_pending_recipient).
        async with self._db.transaction() as connection:
            rows = list(
                await connection.execute_fetchall(
                    f"SELECT {_COLUMNS} FROM deliveries"
                    f" WHERE status = 'pending' AND not_before <= ?{skip_sql}{held_sql}"
                    " AND NOT EXISTS (SELECT 1 FROM deliveries AS e"
                    " WHERE e.recipient_id = deliveries.recipient_id AND e.status = 'pending'"
                    " AND e.id < deliveries.id AND e.not_before <= ?"
                    f"{held_sql.replace('kind', 'e.kind')})"
                    " ORDER BY not_before, id LIMIT ?",
                    (now.isoformat(), *skipped, now.isoformat(), limit),
                )
            )
            if rows:
                await connection.execute(
                    "UPDATE deliveries SET status = 'sending', attempts = attempts + 1"
                    f" WHERE id IN ({', '.join('?' for _ in rows)})",
                    [row["id"] for row in rows],
                )
        return [_delivery(row, attempts=row["attempts"] + 1) for row in rows]

    async def mark_sent(self, delivery_id: int, message_id: int | None, now: datetime) -> None:
        await self._db.execute(
            "UPDATE deliveries SET status = 'sent', message_id = ?, sent_at = ? WHERE id = ?",
            (message_id, now.isoformat(), delivery_id),
        )

    async def mark(self, delivery_id: int, status: str, error: str | None) -> None:
        await self._db.execute(
            "UPDATE deliveries SET status = ?, last_error = ? WHERE id = ?",
            (status, error, delivery_id),
        )

    async def fail(self, delivery_id: int, reason: str) -> None:
        """The delivery ends without reaching its recipient for sure: `failed`, to be reported."""
        await self._db.execute(
            "UPDATE deliveries SET status = 'failed', last_error = ?, report = 1 WHERE id = ?",
            (reason, delivery_id),
        )

    async def to_report(self, limit: int = 500) -> list[Failure]:
        """Failures not yet reported to the team, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS}, last_error FROM deliveries WHERE report = 1 ORDER BY id LIMIT ?",
            (limit,),
        )
        return [
            Failure(_delivery(row, attempts=row["attempts"]), row["last_error"] or "")
            for row in rows
        ]

    async def report_failures(
        self, reported: Iterable[int], reports: Iterable[NewDelivery], now: datetime
    ) -> None:
        """Queue the team's report and mark the failures reported, in one transaction: a crash
        in between neither loses the report nor sends it twice."""
        ids = list(reported)
        async with self._db.transaction() as connection:
            await insert_deliveries(connection, reports, now)
            await connection.executemany(
                "UPDATE deliveries SET report = 0 WHERE id = ?", [(item,) for item in ids]
            )

    async def cancel_pending(self, template: Template) -> int:
        """Cancel the pending deliveries of a template (a notice overtaken by events)."""
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE deliveries SET status = 'cancelled', last_error = 'overtaken'"
                " WHERE template = ? AND status = 'pending'",
                (template,),
            )
            return cursor.rowcount

    async def retry_later(self, delivery_id: int, not_before: datetime, error: str) -> None:
        await self._db.execute(
            "UPDATE deliveries SET status = 'pending', not_before = ?, last_error = ? WHERE id = ?",
            (not_before.isoformat(), error, delivery_id),
        )

    async def mark_blocked(self, delivery_id: int, recipient_id: int) -> None:
        """The recipient blocked the bot: this and their other pending deliveries stop."""
        async with self._db.transaction() as connection:
            await connection.execute(
                "UPDATE deliveries SET status = 'blocked', last_error = 'blocked by the user'"
                " WHERE id = ? OR (recipient_id = ? AND status = 'pending')",
                (delivery_id, recipient_id),
            )
            await connection.execute("UPDATE users SET blocked = 1 WHERE id = ?", (recipient_id,))

    async def interrupted(self) -> list[Delivery]:
        """Deliveries caught in flight by a crash: marked failed and returned for a report."""
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                f"SELECT {_COLUMNS} FROM deliveries WHERE status = 'sending'"
            )
            rows = await cursor.fetchall()
            await connection.execute(
                "UPDATE deliveries SET status = 'failed',"
                " last_error = 'interrupted by a restart: may or may not have arrived'"
                " WHERE status = 'sending'"
            )
        return [_delivery(row, attempts=row["attempts"]) for row in rows]

    async def counts(self) -> dict[str, int]:
        rows = await self._db.fetchall("SELECT status, COUNT(*) FROM deliveries GROUP BY status")
        return {row[0]: int(row[1]) for row in rows}

    async def cancel_pending_reminders_except(self, keep: set[str]) -> int:
        """Cancel planned reminders that no longer apply (withdrawn, rejected, dates moved)."""
        async with self._db.transaction() as connection:
            return await cancel_reminders_in(connection, keep)
