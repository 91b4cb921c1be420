"""An application as a row: the dataclasses every application query returns, and how a row
becomes one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiosqlite

from storage.statuses import HOLDS_A_PLACE, LIVE, Status

# As query parameters, in a stable order.
LIVE_STATUSES = tuple(sorted(LIVE))
PLACE_HOLDING_STATUSES = tuple(sorted(HOLDS_A_PLACE))


@dataclass(frozen=True)
class Application:
    id: int
    user_id: int
    phase_code: str
    status: Status
    reference: str | None
    editing: str | None
    created_at: str
    submitted_at: str | None
    structure_id: int | None = None
    facilitated: bool = False  # filed by a facilitator for the structure's contact person


@dataclass(frozen=True)
class Conflict:
    """Submitting found another live application for the phase of the same structure: itself,
    its phone or its register number."""

    existing: Application


@dataclass(frozen=True)
class Answer:
    value: Any
    complete: bool


COLUMNS = (
    "id, user_id, phase_code, status, reference, editing, created_at, submitted_at, structure_id,"
    " facilitated"
)
PREFIXED = ", ".join(f"a.{column}" for column in COLUMNS.split(", "))


def application_of(row: aiosqlite.Row) -> Application:
    return Application(
        row["id"],
        row["user_id"],
        row["phase_code"],
        Status(row["status"]),
        row["reference"],
        row["editing"],
        row["created_at"],
        row["submitted_at"],
        row["structure_id"],
        bool(row["facilitated"]),
    )
