"""A freed training seat offered to the next who asked, for a limited time (issue 17).

An offer holds `hours` after it is made (TRAINING_OFFER_HOURS, 48 by default), and never later
than `cutoff_hours` before the session (TRAINING_OFFER_CUTOFF_HOURS, 24: the day before, so
that the next one still has time to arrange the trip). An offer made after that cut-off holds
until the session: there is no time left to pass it on. The time is stored with the seat
(`offer_expires_at`): a restart changes nothing.

Unanswered when it expires, the seat passes to the next one waiting (`expire_offers`, run every
minute by the bot's job): the member whose offer lapsed goes back to the waiting list, after
those who never let one lapse, and is told once. The seat is only passed to someone who has
never let an offer on this training lapse: it never goes back to a member who already had
it, nor back and forth between two who do not answer. While nobody else waits, an expired
offer stays open: taking it late harms nobody.

Each change is one transaction that re-checks the seat's state: a member who takes the seat
in the same instant either wins (the expiry changes nothing) or finds it gone (the button is
refused); a seat is never offered to two people at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage.db import Database
from storage.outbox import NewDelivery, insert_deliveries
from storage.statuses import SeatState, sql_list
from storage.templates import Template

SEAT_PROPOSED = Template.TRAINING_PROPOSED
SEAT_LAPSED = Template.TRAINING_LAPSED
# Seats that count against a training's `seats`.
TAKEN = sql_list({SeatState.HELD, SeatState.PROPOSED})


@dataclass(frozen=True)
class OfferTerms:
    hours: int = 48
    cutoff_hours: int = 24


def offer_until(terms: OfferTerms, starts: datetime, now: datetime) -> datetime:
    """Until when an offer made now holds."""
    until = min(now + timedelta(hours=terms.hours), starts - timedelta(hours=terms.cutoff_hours))
    return until if until > now else starts


def seat_delivery(
    user_id: int, template: Template, params: dict[str, object], now: datetime, suffix: str = ""
) -> NewDelivery:
    key = f"{template}:{params['application_id']}:{params['training']}{suffix}"
    return NewDelivery(user_id, "notification", template, params, now, key)


async def set_terms(db: Database, terms: OfferTerms) -> None:
    """At start-up, from the settings: the offers made from now on follow them."""
    await db.execute(
        "UPDATE seat_offer_terms SET hours = ?, cutoff_hours = ? WHERE id = 1",
        (terms.hours, terms.cutoff_hours),
    )


async def _terms(connection: aiosqlite.Connection) -> OfferTerms:
    cursor = await connection.execute("SELECT hours, cutoff_hours FROM seat_offer_terms")
    row = await cursor.fetchone()
    return OfferTerms(int(row[0]), int(row[1])) if row else OfferTerms()


async def propose_next(
    connection: aiosqlite.Connection, code: str, now: datetime, passed_by: int | None = None
) -> bool:
    """A seat free: to the first in the queue (those who never let an offer lapse first), while
    the training is ahead. A seat passed on by an expiry (`passed_by`, the application whose
    offer lapsed) goes only to someone who never let one lapse."""
    cursor = await connection.execute(
        "SELECT t.starts_utc, t.seats - (SELECT count(*) FROM training_seats"
        f" WHERE training_code = t.code AND state IN {TAKEN}) FROM trainings AS t WHERE t.code = ?",
        (code,),
    )
    row = await cursor.fetchone()
    if row is None or int(row[1]) <= 0:
        return False
    starts = datetime.fromisoformat(row[0])
    if starts <= now:
        return False
    until = offer_until(await _terms(connection), starts, now)
    fresh = " AND lapsed_at IS NULL AND application_id != ?" if passed_by is not None else ""
    cursor = await connection.execute(
        "UPDATE training_seats SET state = ?, changed_at = ?, offer_expires_at = ?"
        " WHERE rowid = (SELECT rowid FROM training_seats WHERE training_code = ? AND state = ?"
        f"{fresh} ORDER BY lapsed_at IS NOT NULL, asked_at, application_id LIMIT 1)"
        " RETURNING application_id, user_id",
        (
            SeatState.PROPOSED,
            now.isoformat(),
            until.isoformat(),
            code,
            SeatState.QUEUED,
            *(() if passed_by is None else (passed_by,)),
        ),
    )
    found = await cursor.fetchone()
    if found is None:
        return False
    params: dict[str, object] = {
        "application_id": int(found[0]),
        "training": code,
        "until": until.isoformat(),
    }
    # A member may be offered a seat on the same training again, later (another seat freed):
    # each offer is its own message.
    delivery = seat_delivery(int(found[1]), SEAT_PROPOSED, params, now, f":{until.isoformat()}")
    await insert_deliveries(connection, [delivery], now)
    return True


@dataclass(frozen=True)
class Lapsed:
    application_id: int
    training: str
    user_id: int


async def expire_offers(db: Database, now: datetime) -> list[Lapsed]:
    """Offers past their time, on trainings still ahead, pass to the next one waiting who never
    let one lapse; each member whose offer lapsed is told once. Returns who lapsed."""
    rows = await db.fetchall(
        "SELECT s.application_id, s.training_code, s.offer_expires_at, t.starts_utc"
        " FROM training_seats AS s JOIN trainings AS t ON t.code = s.training_code"
        " WHERE s.state = ? AND s.offer_expires_at IS NOT NULL",
        (SeatState.PROPOSED,),
    )
    lapsed: list[Lapsed] = []
    for application_id, code, expires, starts in rows:
        if not datetime.fromisoformat(expires) <= now < datetime.fromisoformat(starts):
            continue
        try:
            found = await _expire_one(db, application_id, code, expires, now)
        except _NotPassed:
            continue  # fewer seats since (the catalogue changed): the offer stays as it was
        if found is not None:
            lapsed.append(Lapsed(application_id, code, found))
    return lapsed


class _NotPassed(Exception):
    """Rolls the expiry back: the seat could not go to the next one."""


async def _expire_one(
    db: Database, application_id: int, code: str, expires: str, now: datetime
) -> int | None:
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "UPDATE training_seats SET state = ?, changed_at = ?, lapsed_at = ?,"
            " offer_expires_at = NULL WHERE application_id = ? AND training_code = ?"
            " AND state = ? AND offer_expires_at = ? AND EXISTS (SELECT 1 FROM training_seats"
            " WHERE training_code = ? AND state = ? AND lapsed_at IS NULL"
            " AND application_id != ?) RETURNING user_id",
            (
                SeatState.QUEUED,
                now.isoformat(),
                now.isoformat(),
                application_id,
                code,
                SeatState.PROPOSED,
                expires,
                code,
                SeatState.QUEUED,
                application_id,
            ),
        )
        found = await cursor.fetchone()
        if found is None:
            return None  # taken meanwhile, or nobody else waits: the offer stays open
        if not await propose_next(connection, code, now, passed_by=application_id):
            raise _NotPassed
        params: dict[str, object] = {"application_id": application_id, "training": code}
        delivery = seat_delivery(int(found[0]), SEAT_LAPSED, params, now, f":{expires}")
        await insert_deliveries(connection, [delivery], now)
    return int(found[0])
