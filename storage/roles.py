"""The organizing team: admins, organizers and reviewers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import aiosqlite

from storage.db import Database

ROLES = ("reviewer", "organizer", "admin")


class Change(StrEnum):
    DONE = "done"
    NO_ROLE = "no_role"  # nothing to revoke
    CONFIGURED = "configured"  # an admin from ADMIN_IDS: only the settings change them
    LAST_ADMIN = "last_admin"  # the team would be left without an admin


async def _refusal(
    connection: aiosqlite.Connection, user_id: int, role: str | None
) -> Change | None:
    """Why giving `user_id` the role `role` (None: no role) is refused, if it is."""
    cursor = await connection.execute(
        "SELECT role, from_settings FROM roles WHERE user_id = ?", (user_id,)
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    if row[1]:
        return Change.CONFIGURED
    if row[0] == "admin" and role != "admin":
        cursor = await connection.execute("SELECT COUNT(*) FROM roles WHERE role = 'admin'")
        count = await cursor.fetchone()
        if count is not None and count[0] <= 1:
            return Change.LAST_ADMIN
    return None


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

    async def grant(self, user_id: int, role: str, granted_by: int, now: datetime) -> Change:
        """Give a role, unless the person is an admin from ADMIN_IDS (changed only in the
        settings) or this would leave the team without any admin."""
        async with self._db.transaction() as connection:
            refused = await _refusal(connection, user_id, role)
            if refused is not None:
                return refused
            await connection.execute(
                "INSERT INTO roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET role = excluded.role,"
                " granted_by = excluded.granted_by, granted_at = excluded.granted_at",
                (user_id, role, granted_by, now.isoformat()),
            )
        return Change.DONE

    async def revoke(self, user_id: int) -> Change:
        """Remove a granted role; admins from ADMIN_IDS stay (change the setting instead), and
        so does the last admin."""
        async with self._db.transaction() as connection:
            refused = await _refusal(connection, user_id, None)
            if refused is not None:
                return refused
            cursor = await connection.execute("DELETE FROM roles WHERE user_id = ?", (user_id,))
            return Change.DONE if cursor.rowcount > 0 else Change.NO_ROLE

    async def team(self) -> list[Member]:
        rows = await self._db.fetchall(
            "SELECT roles.user_id, roles.role, COALESCE(users.first_name, '') AS first_name"
            " FROM roles LEFT JOIN users ON users.id = roles.user_id ORDER BY roles.role, roles.user_id"
        )
        return [Member(row["user_id"], row["role"], row["first_name"]) for row in rows]
