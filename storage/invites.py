"""Invitations to the organizing team: created by an admin, opened once, then decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import aiosqlite

from storage.db import Database


class Claim(StrEnum):
    CLAIMED = "claimed"  # this person opened it first: an admin now decides
    UNKNOWN = "unknown"  # no such link (mistyped, forged)
    EXPIRED = "too_late"
    USED = "used"  # someone else opened it first, or it was already decided
    OWN = "own"  # the admin who made it opened it: it is for someone else


@dataclass(frozen=True)
class Invite:
    id: int
    role: str
    created_by: int
    expires_at: datetime
    claimed_by: int | None
    claimed_name: str
    outcome: str | None


_COLUMNS = "id, role, created_by, expires_at, claimed_by, claimed_name, outcome"


def _invite(row: aiosqlite.Row) -> Invite:
    return Invite(
        row["id"],
        row["role"],
        row["created_by"],
        datetime.fromisoformat(row["expires_at"]),
        row["claimed_by"],
        row["claimed_name"] or "",
        row["outcome"],
    )


class InviteRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self, token_hash: str, role: str, created_by: int, now: datetime, expires_at: datetime
    ) -> int:
        rows = await self._db.execute_returning(
            "INSERT INTO invites (token_hash, role, created_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            (token_hash, role, created_by, now.isoformat(), expires_at.isoformat()),
        )
        return int(rows[0]["id"])

    async def claim(
        self, token_hash: str, user_id: int, name: str, now: datetime
    ) -> tuple[Claim, Invite | None]:
        """The first person to open a valid link claims it; opening it again changes nothing."""
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                f"SELECT {_COLUMNS} FROM invites WHERE token_hash = ?", (token_hash,)
            )
            row = await cursor.fetchone()
            if row is None:
                return Claim.UNKNOWN, None
            invite = _invite(row)
            if invite.created_by == user_id:
                return Claim.OWN, invite
            if invite.claimed_by == user_id and invite.outcome is None:
                return Claim.CLAIMED, invite  # the same person, twice: still waiting
            if invite.claimed_by is not None or invite.outcome is not None:
                return Claim.USED, invite
            if now >= invite.expires_at:
                return Claim.EXPIRED, invite
            await connection.execute(
                "UPDATE invites SET claimed_by = ?, claimed_at = ?, claimed_name = ? WHERE id = ?",
                (user_id, now.isoformat(), name, invite.id),
            )
        return Claim.CLAIMED, Invite(
            invite.id, invite.role, invite.created_by, invite.expires_at, user_id, name, None
        )

    async def get(self, invite_id: int) -> Invite | None:
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM invites WHERE id = ?", (invite_id,))
        return _invite(row) if row else None

    async def decide(self, invite_id: int, outcome: str, admin_id: int, now: datetime) -> bool:
        """Record an admin's decision on a claimed invite; False if it was already decided
        (two admins, or a double tap)."""
        changed = await self._db.execute(
            "UPDATE invites SET outcome = ?, decided_by = ?, decided_at = ?"
            " WHERE id = ? AND claimed_by IS NOT NULL AND outcome IS NULL",
            (outcome, admin_id, now.isoformat(), invite_id),
        )
        return changed > 0

    async def purge(self, before: datetime) -> int:
        """Forget invitations that expired before `before`: who opened them is personal data."""
        return await self._db.execute(
            "DELETE FROM invites WHERE expires_at < ?", (before.isoformat(),)
        )
