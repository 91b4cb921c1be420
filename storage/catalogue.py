"""The market catalogue's rows: phases and trainings that applications refer to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from storage.db import Database


@dataclass(frozen=True)
class PhaseRow:
    code: str
    market_code: str
    number: int
    starts: datetime  # local wall time, aware in the market's zone
    ends: datetime
    deadline: datetime
    capacity: int


@dataclass(frozen=True)
class TrainingRow:
    code: str
    phase_code: str
    starts: datetime
    duration_minutes: int
    seats: int


@dataclass(frozen=True)
class MarketRow:
    code: str
    ref_prefix: str
    timezone: str
    phases: tuple[PhaseRow, ...]
    trainings: tuple[TrainingRow, ...]


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _local(value: datetime) -> str:
    return value.replace(tzinfo=None).isoformat()


class CatalogueRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def sync(self, markets: Iterable[MarketRow]) -> None:
        """Make the tables match the catalogue file; rows that left the file become inactive.

        UTC instants are recomputed from local wall times on every sync, so a change of the
        time-zone rules never shifts an event.
        """
        async with self._db.transaction() as connection:
            await connection.execute("UPDATE markets SET active = 0")
            await connection.execute("UPDATE phases SET active = 0")
            await connection.execute("UPDATE trainings SET active = 0")
            for market in markets:
                await connection.execute(
                    "INSERT INTO markets (code, ref_prefix, timezone, active) VALUES (?, ?, ?, 1)"
                    " ON CONFLICT (code) DO UPDATE SET ref_prefix = excluded.ref_prefix,"
                    " timezone = excluded.timezone, active = 1",
                    (market.code, market.ref_prefix, market.timezone),
                )
                for phase in market.phases:
                    await connection.execute(
                        "INSERT INTO phases (code, market_code, number, starts_local, ends_local,"
                        " deadline_local, starts_utc, ends_utc, deadline_utc, capacity, active)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
                        " ON CONFLICT (code) DO UPDATE SET starts_local = excluded.starts_local,"
                        " ends_local = excluded.ends_local,"
                        " deadline_local = excluded.deadline_local,"
                        " starts_utc = excluded.starts_utc, ends_utc = excluded.ends_utc,"
                        " deadline_utc = excluded.deadline_utc, capacity = excluded.capacity,"
                        " active = 1",
                        (
                            phase.code,
                            market.code,
                            phase.number,
                            _local(phase.starts),
                            _local(phase.ends),
                            _local(phase.deadline),
                            _utc(phase.starts),
                            _utc(phase.ends),
                            _utc(phase.deadline),
                            phase.capacity,
                        ),
                    )
                for training in market.trainings:
                    await connection.execute(
                        "INSERT INTO trainings (code, phase_code, starts_local, starts_utc,"
                        " duration_minutes, seats, active) VALUES (?, ?, ?, ?, ?, ?, 1)"
                        " ON CONFLICT (code) DO UPDATE SET phase_code = excluded.phase_code,"
                        " starts_local = excluded.starts_local, starts_utc = excluded.starts_utc,"
                        " duration_minutes = excluded.duration_minutes, seats = excluded.seats,"
                        " active = 1",
                        (
                            training.code,
                            training.phase_code,
                            _local(training.starts),
                            _utc(training.starts),
                            training.duration_minutes,
                            training.seats,
                        ),
                    )

    async def phase_state(self, code: str) -> tuple[int, bool] | None:
        """(capacity, applications_open) of an active phase. Read on every screen that shows
        a phase's places and before a draft opens or is sent: a `lookup` (by primary key)."""
        rows = await self._db.lookup(
            "SELECT capacity, applications_open FROM phases WHERE code = ? AND active = 1", (code,)
        )
        return (int(rows[0]["capacity"]), bool(rows[0]["applications_open"])) if rows else None

    async def set_applications_open(self, code: str, is_open: bool) -> bool:
        changed = await self._db.execute(
            "UPDATE phases SET applications_open = ? WHERE code = ? AND active = 1",
            (int(is_open), code),
        )
        return changed > 0
