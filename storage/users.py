"""Users: their chosen language and when they were last seen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.db import Database


@dataclass(frozen=True)
class User:
    id: int
    locale: str | None
    first_name: str
    blocked: bool


@dataclass(frozen=True)
class Seen:
    """The user of an update, and their role in the organizing team (None for applicants)."""

    user: User
    role: str | None


SEEN_RESOLUTION = timedelta(minutes=10)


class UserRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def touch(self, user_id: int, first_name: str, now: datetime) -> User:
        """`visit`, for callers that need only the user."""
        return (await self.visit(user_id, first_name, now)).user

    async def visit(self, user_id: int, first_name: str, now: datetime) -> Seen:
        """Record that the user was seen; create the user on the first update. Returns the user
        and their team role, if any.

        Every update comes through here, so the usual case is one read: the row is written only
        when something changes (a new user, a team member's name, a user back after blocking the
        bot) or when `last_seen` is more than `SEEN_RESOLUTION` old (it serves retention, counted
        in months).

        The first name is kept for team members only (the /team list shows it): applicants'
        names serve no purpose here, and law 09-08 asks for no more data than needed.
        """
        rows = await self._db.lookup(
            "SELECT u.id, u.locale, u.first_name, u.blocked, u.last_seen, r.role"
            " FROM (SELECT ? AS id) AS wanted LEFT JOIN users AS u ON u.id = wanted.id"
            " LEFT JOIN roles AS r ON r.user_id = wanted.id",
            (user_id,),
        )
        row = rows[0] if rows else None
        role = row["role"] if row else None
        name = first_name[:64] if role else ""
        stamp = now.isoformat()
        if (
            row is None
            or row["id"] is None
            or row["blocked"]
            or row["first_name"] != name
            or row["last_seen"] < (now - SEEN_RESOLUTION).isoformat()
        ):
            await self._db.execute(
                "INSERT INTO users (id, first_name, first_seen, last_seen) VALUES (:id, :name,"
                " :stamp, :stamp) ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen,"
                " first_name = excluded.first_name, blocked = 0",
                {"id": user_id, "name": name, "stamp": stamp},
            )
        locale = row["locale"] if row is not None and row["id"] is not None else None
        return Seen(User(user_id, locale, name, False), role)

    async def get(self, user_id: int) -> User | None:
        row = await self._db.fetchone(
            "SELECT id, locale, first_name, blocked FROM users WHERE id = ?", (user_id,)
        )
        if row is None:
            return None
        return User(row["id"], row["locale"], row["first_name"], bool(row["blocked"]))

    async def set_locale(self, user_id: int, locale: str) -> None:
        await self._db.execute("UPDATE users SET locale = ? WHERE id = ?", (locale, user_id))

    async def count(self) -> int:
        row = await self._db.fetchone("SELECT COUNT(*) FROM users")
        return int(row[0]) if row else 0

    async def set_reminders_off(self, user_id: int, off: bool) -> None:
        await self._db.execute(
            "UPDATE users SET reminders_off = ? WHERE id = ?", (int(off), user_id)
        )

    async def reminders_off(self, user_id: int) -> bool:
        row = await self._db.fetchone("SELECT reminders_off FROM users WHERE id = ?", (user_id,))
        return bool(row[0]) if row else False
