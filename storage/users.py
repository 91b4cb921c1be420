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
    role: str | None = None  # in the organizing team; read with the user by `seen` and `touch`
    form_hidden: bool = False  # the last screen sent was not the application form
    hear_questions: bool = False  # every question is sent as a voice note too (/settings)


class UserRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def touch(self, user_id: int, first_name: str, now: datetime) -> User:
        """Record that the user was seen outside any update (set-up, tests); create the user if
        new. `seen` is the same for an update."""
        user = await self._upsert(user_id, first_name, now, update_id=None)
        assert user is not None  # without an update id, the row is always written
        return user

    async def remember_name(self, user_id: int, first_name: str) -> None:
        """A new team member's first name, known from a forward or an invitation (first names
        are kept for team members only: see `_upsert`)."""
        await self._db.execute(
            "UPDATE users SET first_name = ? WHERE id = ?", (first_name[:64], user_id)
        )

    async def seen(
        self, user_id: int, first_name: str, now: datetime, update_id: int
    ) -> User | None:
        """Record that the user was seen, for update `update_id`; create the user on the first
        update. None if that update was handled already.

        Update ids grow; but after a week without updates Telegram may start again from a
        random one (https://core.telegram.org/bots/api#getting-updates): an id not above the
        last one counts as handled only if the user was seen within the last day (a delivery
        again after a crash comes within minutes).
        """
        return await self._upsert(user_id, first_name, now, update_id)

    async def _upsert(
        self, user_id: int, first_name: str, now: datetime, update_id: int | None
    ) -> User | None:
        """One statement (every update runs it): insert or update, and read the row back with
        the user's team role.

        The first name is kept for team members only (the /team list shows it): applicants'
        names serve no purpose here, and law 09-08 asks for no more data than needed.
        """
        rows = await self._db.execute_returning(
            "INSERT INTO users (id, first_name, first_seen, last_seen, last_update_id) VALUES"
            " (:id, CASE WHEN :id IN (SELECT user_id FROM roles) THEN :name ELSE '' END,"
            " :stamp, :stamp, COALESCE(:update, 0)) ON CONFLICT (id) DO UPDATE SET"
            " last_seen = excluded.last_seen, first_name = excluded.first_name, blocked = 0,"
            " last_update_id = COALESCE(:update, users.last_update_id)"
            " WHERE :update IS NULL OR users.last_update_id < :update"
            " OR users.last_seen < :since"
            " RETURNING id, locale, first_name, blocked, form_hidden, hear_questions,"
            " (SELECT role FROM roles WHERE roles.user_id = users.id) AS role",
            {
                "id": user_id,
                "name": first_name[:64],
                "stamp": now.isoformat(),
                "update": update_id,
                "since": (now - timedelta(days=1)).isoformat(),
            },
        )
        if not rows:
            return None
        row = rows[0]
        return User(
            row["id"],
            row["locale"],
            row["first_name"],
            bool(row["blocked"]),
            row["role"],
            bool(row["form_hidden"]),
            bool(row["hear_questions"]),
        )

    async def get(self, user_id: int) -> User | None:
        row = await self._db.fetchone(
            "SELECT id, locale, first_name, blocked FROM users WHERE id = ?", (user_id,)
        )
        if row is None:
            return None
        return User(row["id"], row["locale"], row["first_name"], bool(row["blocked"]))

    async def set_locale(self, user_id: int, locale: str) -> None:
        await self._db.execute("UPDATE users SET locale = ? WHERE id = ?", (locale, user_id))

    async def set_form_hidden(self, user_id: int, hidden: bool) -> None:
        """Record whether the application form is out of sight (another screen came after it)."""
        await self._db.execute(
            "UPDATE users SET form_hidden = ? WHERE id = ?", (int(hidden), user_id)
        )

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
