"""Structures: a cooperative, association or enterprise, filed for by an account (its member,
or a facilitator filing for several). Its profile (the answers that describe it, not those of
one market: stand needs, trainings, photos) is kept to be reused from one market to the next.

Each profile column holds the answer as JSON, as `answers.value` does (migration 0020).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Database
from storage.statuses import Status

# Question key -> column. The structure's name is the question `structure_name`.
PROFILE: dict[str, str] = {
    "legal_form": "legal_form",
    "structure_name": "name",
    "coop_register": "coop_register",
    "ice": "ice",
    "rnae": "rnae",
    "microcredit_association": "microcredit_association",
    "province": "province",
    "town": "town",
    "sector": "sector",
    "products": "products",
    "members": "members",
    "women_members": "women_members",
    "led_by": "led_by",
    "contact_name": "contact_name",
    "phone": "phone",
    "programmes": "programmes",
}
# In `update_profile`: the profile no longer has this answer (it is asked again next time).
FORGET = object()
_PROFILE_SQL = ", ".join(PROFILE.values())
_COLUMNS = f"id, filer_id, contact_is_filer, erased_at, {_PROFILE_SQL}"


@dataclass(frozen=True)
class Structure:
    id: int
    filer_id: int
    contact_is_filer: bool
    erased: bool
    profile: dict[str, Any]  # question key -> value, only the answers it has

    @property
    def name(self) -> str:
        value = self.profile.get("structure_name")
        return value if isinstance(value, str) else ""


def structure_of(row: aiosqlite.Row) -> Structure:
    profile = {
        key: json.loads(row[column]) for key, column in PROFILE.items() if row[column] is not None
    }
    return Structure(
        row["id"], row["filer_id"], bool(row["contact_is_filer"]), bool(row["erased_at"]), profile
    )


async def save_profile_in(
    connection: aiosqlite.Connection,
    application_id: int,
    now: datetime,
    *,
    overwrite: bool = False,
) -> int:
    """Inside the caller's transaction (a submission): the application's structure takes its
    answers. A new structure is created for an application without one; an existing profile
    only gains what it lacked (changing a stored answer is the filer's choice), unless
    `overwrite`. Returns the structure's id."""
    cursor = await connection.execute(
        "SELECT user_id, structure_id, facilitated FROM applications WHERE id = ?",
        (application_id,),
    )
    row = await cursor.fetchone()
    assert row is not None
    keys = list(PROFILE)
    cursor = await connection.execute(
        "SELECT question, value FROM answers WHERE application_id = ? AND complete = 1"
        f" AND question IN ({', '.join('?' for _ in keys)})",
        (application_id, *keys),
    )
    values = {question: value for question, value in await cursor.fetchall()}
    stamp = now.isoformat()
    structure_id = row["structure_id"]
    if structure_id is None:
        columns = [PROFILE[key] for key in values]
        cursor = await connection.execute(
            "INSERT INTO structures (filer_id, contact_is_filer, created_at, updated_at"
            + "".join(f", {column}" for column in columns)
            + ") VALUES (?, ?, ?, ?"
            + ", ?" * len(columns)
            + ")",
            (row["user_id"], int(not row["facilitated"]), stamp, stamp, *values.values()),
        )
        structure_id = cursor.lastrowid
        await connection.execute(
            "UPDATE applications SET structure_id = ? WHERE id = ?", (structure_id, application_id)
        )
        return int(structure_id or 0)
    assignments = [
        f"{PROFILE[key]} = ?" if overwrite else f"{PROFILE[key]} = COALESCE({PROFILE[key]}, ?)"
        for key in values
    ]
    await connection.execute(
        f"UPDATE structures SET {', '.join([*assignments, 'updated_at = ?'])} WHERE id = ?",
        (*values.values(), stamp, structure_id),
    )
    return int(structure_id)


async def copy_profile_in(
    connection: aiosqlite.Connection, structure_id: int, application_id: int, stamp: str
) -> None:
    """Inside the caller's transaction: the structure's stored answers become the
    application's (a new draft for a known structure)."""
    cursor = await connection.execute(
        f"SELECT {_PROFILE_SQL} FROM structures WHERE id = ? AND erased_at IS NULL",
        (structure_id,),
    )
    row = await cursor.fetchone()
    if row is None:
        return
    for key, column in PROFILE.items():
        if row[column] is not None:
            await connection.execute(
                "INSERT INTO answers (application_id, question, value, complete, answered_at)"
                " VALUES (?, ?, ?, 1, ?)",
                (application_id, key, row[column], stamp),
            )


async def erase_structures_in(
    connection: aiosqlite.Connection, user_id: int, surrogate: int, now: datetime
) -> None:
    """Inside an erasure: the structures of `user_id` that no application still needs (all
    erased or deleted) lose their profile and move to the erasure's surrogate id, as their
    applications do. A structure that a remaining application uses keeps its profile."""
    cleared = ", ".join(f"{column} = NULL" for column in PROFILE.values())
    await connection.execute(
        f"UPDATE structures SET filer_id = ?, {cleared}, erased_at = ?"
        " WHERE filer_id = ? AND erased_at IS NULL AND NOT EXISTS (SELECT 1 FROM applications"
        " AS a WHERE a.structure_id = structures.id AND a.erased_at IS NULL)",
        (surrogate, now.isoformat(), user_id),
    )


class StructureQueries:
    """Part of `ApplicationRepository`: structures as their filers use them."""

    _db: Database

    async def structure(self, structure_id: int) -> Structure | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM structures WHERE id = ?", (structure_id,)
        )
        return structure_of(row) if row else None

    async def structures_of(self, user_id: int) -> list[Structure]:
        """The structures this account filed for, with a name (a draft's own half-made one,
        from before structures existed, is not offered), oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM structures WHERE filer_id = ? AND erased_at IS NULL"
            " AND name IS NOT NULL ORDER BY id",
            (user_id,),
        )
        return [structure_of(row) for row in rows]

    async def update_profile(
        self, structure_id: int, values: Mapping[str, Any], now: datetime
    ) -> None:
        """The filer chose to update the stored profile with these answers (`FORGET`: the
        answer is removed from the profile)."""
        known = {PROFILE[key]: value for key, value in values.items() if key in PROFILE}
        if not known:
            return
        encoded = [
            None if value is FORGET else json.dumps(value, ensure_ascii=False)
            for value in known.values()
        ]
        await self._db.execute(
            f"UPDATE structures SET {', '.join(f'{c} = ?' for c in known)}, updated_at = ?"
            " WHERE id = ? AND erased_at IS NULL",
            (*encoded, now.isoformat(), structure_id),
        )

    async def structure_counts(self, phase_code: str) -> tuple[int, int]:
        """(structures, accounts filing for them) among the phase's sent applications."""
        row = await self._db.fetchone(
            "SELECT COUNT(DISTINCT structure_id), COUNT(DISTINCT user_id) FROM applications"
            f" WHERE phase_code = ? AND status != '{Status.DRAFT}' AND erased_at IS NULL",
            (phase_code,),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)
