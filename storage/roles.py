"""The organizing team: admins, organizers and reviewers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database

ROLES = ("reviewer", "organizer", "admin")


@dataclass(frozen=True)
class Member:
    user_id: int
    role: str
    first_name: str


class RoleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def sync_admins(self, admin_ids: Iterable[int], now: datetime) -> None:
        """ADMIN_IDS are admins; admins who came only from the settings and left them are not."""
        ids = sorted(set(admin_ids))
        async with self._db.transaction() as connection:
            # Not `NOT IN (NULL)` for an empty list: that is never true, and emptying
            # ADMIN_IDS would leave every former admin in place.
            keep = f" AND user_id NOT IN ({', '.join('?' for _ in ids)})" if ids else ""
            await connection.execute(f"DELETE FROM roles WHERE from_settings = 1{keep}", ids)
            for user_id in ids:
                await connection.execute(
                    "INSERT INTO roles (user_id, role, granted_at, from_settings)"
                    " VALUES (?, 'admin', ?, 1) ON CONFLICT (user_id) DO UPDATE SET"
                    " role = 'admin', from_settings = 1",
                    (user_id, now.isoformat()),
                )

    async def role_of(self, user_id: int) -> str | None:
        rows = await self._db.lookup("SELECT role FROM roles WHERE user_id = ?", (user_id,))
        row = rows[0] if rows else None
        return str(row["role"]) if row else None

    async def grant(self, user_id: int, role: str, granted_by: int, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET role = excluded.role,"
            " granted_by = excluded.granted_by, granted_at = excluded.granted_at",
            (user_id, role, granted_by, now.isoformat()),
        )

    async def revoke(self, user_id: int) -> bool:
        """Remove a granted role; admins from ADMIN_IDS stay (change the setting instead)."""
        changed = await self._db.execute(
            "DELETE FROM roles WHERE user_id = ? AND from_settings = 0", (user_id,)
        )
        return changed > 0

    async def team(self) -> list[Member]:
        rows = await self._db.fetchall(
            "SELECT roles.user_id, roles.role, COALESCE(users.first_name, '') AS first_name"
            " FROM roles LEFT JOIN users ON users.id = roles.user_id ORDER BY roles.role, roles.user_id"
        )
        return [Member(row["user_id"], row["role"], row["first_name"]) for row in rows]
