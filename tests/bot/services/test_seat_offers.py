"""A freed training seat's offer expires (storage/seat_offers.py), on a real SQLite file with
the clock moved: unanswered, it passes to the next one waiting and both are told, once each;
taken in time, it holds; it never goes back to someone who let it lapse; it ends at the
latest the day before the session; the messages say until when, in the market's time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import load_settings
from bot.context import Services
from bot.i18n import I18n
from bot.views.seat_offers import lapsed_message
from bot.views.trainings import seat_message
from bot.wiring import build_services
from storage.applications import Application
from storage.db import Database
from storage.seat_offers import OfferTerms, offer_until
from storage.statuses import SeatState, Status
from storage.templates import Template
from tests.bot.services.test_trainings import TRAINING, state, wishing
from tests.conftest import FakeClock


async def _one_seat(services: Services, users: int) -> list[Application]:
    """A training of one seat: the first accepted holds it, the others wait in order."""
    await services.db.execute("UPDATE trainings SET seats = 1 WHERE code = ?", (TRAINING,))
    applications = []
    for user_id in range(1, users + 1):
        await services.users.touch(user_id, f"Prénom{user_id}", services.clock())
        applications.append(await wishing(services, user_id))
    for application in applications:
        await services.applications.set_status(application.id, Status.ACCEPTED, 99)
    return applications


async def _told(services: Services, user_id: int, template: Template) -> int:
    row = await services.db.fetchone(
        "SELECT count(*) FROM deliveries WHERE recipient_id = ? AND template = ?",
        (user_id, template),
    )
    assert row is not None
    return int(row[0])


async def _expires(services: Services, application: Application) -> datetime:
    row = await services.db.fetchone(
        "SELECT offer_expires_at FROM training_seats WHERE application_id = ?"
        " AND training_code = ?",
        (application.id, TRAINING),
    )
    assert row is not None and row[0] is not None
    return datetime.fromisoformat(row[0])


async def test_an_unanswered_offer_passes_to_the_next_and_both_are_told_once(
    services: Services, clock: FakeClock
) -> None:
    holder, second, third = await _one_seat(services, 3)
    assert await services.trainings.drop(holder.id, TRAINING, 1)
    assert await state(services, second) is SeatState.PROPOSED
    offered_at = clock.now
    assert await _expires(services, second) == offered_at + timedelta(hours=48)

    clock.now = offered_at + timedelta(hours=47, minutes=59)
    assert await services.trainings.expire_offers() == []
    assert await state(services, second) is SeatState.PROPOSED

    clock.now = offered_at + timedelta(hours=48)
    (lapsed,) = await services.trainings.expire_offers()
    assert (lapsed.application_id, lapsed.user_id) == (second.id, 2)
    assert await state(services, second) is SeatState.QUEUED  # still on the waiting list
    assert await state(services, third) is SeatState.PROPOSED
    assert await _expires(services, third) == clock.now + timedelta(hours=48)
    # The job runs every minute: later runs change nothing and tell nobody again.
    clock.advance(minutes=1)
    assert await services.trainings.expire_offers() == []
    assert await _told(services, 2, Template.TRAINING_LAPSED) == 1
    assert await _told(services, 3, Template.TRAINING_PROPOSED) == 1
    # The late answer to the lapsed offer is refused: the seat is the third's now.
    assert await services.trainings.take(second.id, TRAINING, 2) is None
    assert await services.trainings.take(third.id, TRAINING, 3) is not None
    assert await state(services, third) is SeatState.HELD


async def test_an_offer_taken_in_time_holds(services: Services, clock: FakeClock) -> None:
    holder, second, third = await _one_seat(services, 3)
    await services.trainings.drop(holder.id, TRAINING, 1)
    clock.advance(hours=47)
    assert await services.trainings.take(second.id, TRAINING, 2) is not None
    clock.advance(hours=5)
    assert await services.trainings.expire_offers() == []
    assert await state(services, second) is SeatState.HELD
    assert await state(services, third) is SeatState.QUEUED
    assert await _told(services, 2, Template.TRAINING_LAPSED) == 0
    assert await _told(services, 3, Template.TRAINING_PROPOSED) == 0


async def test_nobody_else_waiting_the_offer_stays_open(
    services: Services, clock: FakeClock
) -> None:
    holder, second = await _one_seat(services, 2)
    await services.trainings.drop(holder.id, TRAINING, 1)
    clock.advance(hours=72)
    assert await services.trainings.expire_offers() == []
    assert await state(services, second) is SeatState.PROPOSED
    assert await services.trainings.take(second.id, TRAINING, 2) is not None


async def test_a_seat_never_goes_back_to_whoever_let_it_lapse(
    services: Services, clock: FakeClock
) -> None:
    holder, second, third, fourth = await _one_seat(services, 4)
    await services.trainings.drop(holder.id, TRAINING, 1)
    clock.advance(hours=48)
    await services.trainings.expire_offers()
    assert await state(services, third) is SeatState.PROPOSED
    clock.advance(hours=48)
    await services.trainings.expire_offers()
    assert await state(services, fourth) is SeatState.PROPOSED
    # Nobody left who has not had it: the fourth keeps the offer, the second is not asked again.
    clock.advance(hours=48)
    assert await services.trainings.expire_offers() == []
    assert await state(services, fourth) is SeatState.PROPOSED
    assert [await state(services, a) for a in (second, third)] == [SeatState.QUEUED] * 2
    assert await _told(services, 2, Template.TRAINING_PROPOSED) == 1
    # The fourth gives it up: a seat freed by a member goes to those who waited longest.
    assert await services.trainings.drop(fourth.id, TRAINING, 4)
    assert await state(services, second) is SeatState.PROPOSED
    assert await _told(services, 2, Template.TRAINING_PROPOSED) == 2  # its own message


async def test_an_offer_ends_at_the_cutoff_the_day_before(
    services: Services, clock: FakeClock
) -> None:
    holder, second, third = await _one_seat(services, 3)
    training = services.catalogue.training(TRAINING)
    assert training is not None
    clock.now = training.starts - timedelta(hours=30)
    await services.trainings.drop(holder.id, TRAINING, 1)
    assert await _expires(services, second) == training.starts - timedelta(hours=24)
    clock.now = training.starts - timedelta(hours=24)
    await services.trainings.expire_offers()
    # Past the cut-off there is no time to pass it on again: it holds until the session.
    assert await _expires(services, third) == training.starts


async def test_the_terms_come_from_the_settings(services: Services, clock: FakeClock) -> None:
    await services.trainings.repository.set_offer_terms(OfferTerms(hours=6, cutoff_hours=0))
    holder, second = await _one_seat(services, 2)
    await services.trainings.drop(holder.id, TRAINING, 1)
    assert await _expires(services, second) == clock.now + timedelta(hours=6)


def test_offer_until() -> None:
    starts = datetime(2027, 5, 4, 8, tzinfo=UTC)
    terms = OfferTerms(hours=48, cutoff_hours=24)
    assert offer_until(terms, starts, starts - timedelta(days=10)) == starts - timedelta(days=8)
    assert offer_until(terms, starts, starts - timedelta(hours=50)) == starts - timedelta(hours=24)
    assert offer_until(terms, starts, starts - timedelta(hours=10)) == starts


async def test_the_offer_says_until_when_and_the_lapse_is_worded(services: Services) -> None:
    i18n, catalogue = I18n(), services.catalogue
    now = datetime(2027, 4, 1, 9, tzinfo=UTC)
    # 2027-04-03 14:30 UTC is 14:30 in Casablanca (UTC+0 since 2026-09-20).
    params = {"application_id": 7, "training": TRAINING, "until": "2027-04-03T14:30:00+00:00"}
    french = seat_message(
        i18n.translator("fr"),
        catalogue,
        now,
        Template.TRAINING_PROPOSED,
        params,
        SeatState.PROPOSED,
    )
    assert french is not None
    assert "réservée jusqu'au samedi 3 avril 2027 à 14:30" in french.text, french.text
    arabic = seat_message(
        i18n.translator("ar"),
        catalogue,
        now,
        Template.TRAINING_PROPOSED,
        params,
        SeatState.PROPOSED,
    )
    assert arabic is not None and "السبت 3 أبريل 2027" in arabic.text, arabic.text
    assert "14:30" in arabic.text
    lapsed = {"application_id": 7, "training": TRAINING}
    for locale, words in (("fr", "pas répondu à temps"), ("ar", "لم تجيبوا في الوقت المحدد")):
        told = lapsed_message(i18n.translator(locale), catalogue, now, lapsed, SeatState.QUEUED)
        assert told is not None and words in told.text, told
    # Left the waiting list (or given a seat) before it went out: nothing to tell.
    for seat in (SeatState.CANCELLED, SeatState.HELD, None):
        assert lapsed_message(i18n.translator("fr"), catalogue, now, lapsed, seat) is None


async def test_an_offer_outlives_a_restart(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    """The bot stopped while an offer runs, started again after its time: the new process
    passes it on, from what SQLite holds alone."""
    holder, second, third = await _one_seat(services, 3)
    await services.trainings.drop(holder.id, TRAINING, 1)
    await services.db.close()
    clock.advance(hours=49)
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        settings = load_settings({"BOT_TOKEN": "1:abc", "QUIET_HOURS": "off"})
        restarted = build_services(settings, services.catalogue, db, I18n(), clock)
        (lapsed,) = await restarted.trainings.expire_offers()
        assert lapsed.application_id == second.id
        assert await state(restarted, third) is SeatState.PROPOSED
    finally:
        await db.close()
