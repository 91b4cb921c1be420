"""Reminders derived with a controlled clock: 7 days, 1 day, 2 hours; drafts; quiet hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.catalogue import Catalogue
from bot.context import Services
from bot.services.reminders import events, in_quiet_hours, plan, sync_reminders
from storage.applications import Application
from storage.db import Database
from storage.outbox import Delivery
from tests.conftest import FakeClock

CASABLANCA = ZoneInfo("Africa/Casablanca")
QUIET = (time(21), time(8))


def application(status: str, phase: str = "ifrane-1", app_id: int = 7) -> Application:
    return Application(app_id, 42, phase, status, "IFR-1-0007", None, "2026-11-23", "2026-11-24")


def keys(
    catalogue: Catalogue,
    status: str,
    now: datetime,
    trainings: list[str] | None = None,
    deadline: str | None = None,
) -> dict[str, datetime]:
    planned = plan(
        catalogue, [(application(status), deadline, trainings or [], False)], now, quiet=None
    )
    return {
        item.template
        + ":"
        + str(item.params.get("days", item.params.get("hours", ""))): item.not_before
        for item in planned
    }


def test_accepted_exhibitor_gets_7_and_1_day_reminders(catalogue: Catalogue) -> None:
    phase = catalogue.phase("ifrane-1")
    assert phase is not None
    now = datetime(2026, 12, 1, tzinfo=UTC)
    planned = keys(catalogue, "confirmed", now)
    assert planned == {
        "phase_soon:7": phase.starts - timedelta(days=7),
        "phase_soon:1": phase.starts - timedelta(days=1),
    }


def test_a_reminder_overtaken_by_the_next_is_dropped(catalogue: Catalogue) -> None:
    phase = catalogue.phase("ifrane-1")
    assert phase is not None
    half_a_day_before = phase.starts - timedelta(hours=12)
    assert set(keys(catalogue, "accepted", half_a_day_before)) == {"phase_soon:1"}
    # The 7-day one fell due while the bot was down, 3 days before: still sent, at once.
    five_days_before = phase.starts - timedelta(days=5)
    planned = keys(catalogue, "accepted", five_days_before)
    assert planned["phase_soon:7"] < five_days_before
    assert set(keys(catalogue, "accepted", phase.starts)) == set()


def test_trainings_one_day_and_two_hours_before(catalogue: Catalogue) -> None:
    training = catalogue.market("ifrane").trainings_for(1)[0]  # type: ignore[union-attr]
    now = datetime(2026, 12, 1, tzinfo=UTC)
    planned = keys(catalogue, "confirmed", now, trainings=[training.code, "unknown-training"])
    assert planned["training_soon:24"] == training.starts - timedelta(days=1)
    assert planned["training_soon:2"] == training.starts - timedelta(hours=2)


def test_rejected_or_withdrawn_get_nothing(catalogue: Catalogue) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    for status in ("rejected", "withdrawn", "submitted", "waitlisted"):
        assert keys(catalogue, status, now) == {}


def test_draft_three_days_before_the_deadline(catalogue: Catalogue) -> None:
    phase = catalogue.phase("ifrane-1")
    assert phase is not None
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert keys(catalogue, "draft", now) == {
        "draft_deadline:": phase.application_deadline - timedelta(days=3)
    }


def test_offer_24_hours_before_its_deadline(catalogue: Catalogue) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    deadline = now + timedelta(hours=72)
    planned = keys(catalogue, "offered", now, deadline=deadline.isoformat())
    assert planned == {"confirm_soon:": deadline - timedelta(hours=24)}


def test_keys_are_stable_so_a_reminder_is_queued_once(catalogue: Catalogue) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    first = plan(catalogue, [(application("confirmed"), None, [], False)], now, QUIET)
    later = plan(
        catalogue, [(application("confirmed"), None, [], False)], now + timedelta(hours=5), QUIET
    )
    assert [d.dedupe_key for d in first] == [d.dedupe_key for d in later]


def test_quiet_hours_in_market_time() -> None:
    def at(hour: int, minute: int = 0) -> datetime:
        return datetime(2027, 5, 3, hour, minute, tzinfo=CASABLANCA)

    assert in_quiet_hours(at(21), CASABLANCA)
    assert in_quiet_hours(at(2), CASABLANCA)
    assert in_quiet_hours(at(7, 59), CASABLANCA)
    assert not in_quiet_hours(at(8), CASABLANCA)
    assert not in_quiet_hours(at(20, 59), CASABLANCA)


async def test_reminders_render_in_the_recipients_language_at_send_time(
    db: Database, catalogue: Catalogue, clock: FakeClock, services: Services
) -> None:
    from bot.wiring import render_delivery
    from tests.bot.services.test_applications import fill, started

    users, applications, outbox = services.users, services.applications, services.outbox
    await users.touch(1, "Fatima", clock())
    await users.set_locale(1, "ar")
    await started(applications, 1)
    submitted = await applications.submit(await fill(applications, 1))
    assert submitted is not None and not isinstance(submitted, tuple)
    await applications.set_status(submitted.id, "accepted", actor_id=9)  # type: ignore[union-attr]
    await applications.respond_to_offer(1, submitted.id, confirm=True)  # type: ignore[union-attr]
    # The decision ("accepted") and the reminders were written with each change itself: the
    # phase's two reminders wait; the draft's and the confirmation's were cancelled on the way.
    assert await outbox.counts() == {"pending": 3, "cancelled": 2}
    await db.execute("UPDATE deliveries SET status = 'sent' WHERE kind = 'notification'")
    await sync_reminders(catalogue, applications.repository, outbox, clock(), QUIET)
    phase = catalogue.phase("ifrane-1")
    assert phase is not None
    clock.now = phase.starts - timedelta(days=7, minutes=-1)
    (due,) = await outbox.claim_due(clock(), 10, skip=())
    rendered = await render_delivery(services, due)
    assert rendered is not None and "ماي" in rendered.text
    assert "انطلاق سوق إفران · المرحلة 1 يوم الاثنين 3 ماي 2027 على الساعة 10:00" in rendered.text
    await users.set_locale(1, "fr")  # before it is sent (say, a 429 held it back)
    await outbox.retry_later(due.id, clock(), "held back")
    (due,) = await outbox.claim_due(clock(), 10, skip=())
    rendered = await render_delivery(services, due)
    assert rendered is not None
    assert "Marché d'Ifrane · phase 1 commence le lundi 3 mai 2027 à 10:00" in rendered.text
    assert "Installation des stands à 08:00" in rendered.text
    # Withdrawn: the reminder is no longer relevant, and the withdrawal itself cancelled the rest.
    await applications.withdraw(1, submitted.id)  # type: ignore[union-attr]
    assert await render_delivery(services, due) is None
    pending = await db.fetchall(
        "SELECT template FROM deliveries WHERE kind = 'reminder' AND status = 'pending'"
    )
    assert pending == []
    assert await sync_reminders(catalogue, applications.repository, outbox, clock(), QUIET) == 0


def test_turning_reminders_off_stops_only_the_week_before_the_phase(
    catalogue: Catalogue,
) -> None:
    """Essential: the phase's day-before reminder (set-up time), the trainings chosen, and
    what asks for an action; only the reminder a week before the phase stops."""
    now = datetime(2026, 12, 1, tzinfo=UTC)
    deadline = (now + timedelta(hours=72)).isoformat()
    sources = [
        (application("accepted"), deadline, ["ifrane-1-admin"], True),
        (application("draft", "ifrane-2", app_id=8), None, [], True),
    ]
    kept = {
        (item.template, item.params.get("days", item.params.get("hours")))
        for item in plan(catalogue, sources, now, QUIET)
    }
    assert kept == {
        ("phase_soon", 1),
        ("training_soon", 24),
        ("training_soon", 2),
        ("confirm_soon", None),
        ("draft_deadline", None),
    }
    everything = plan(catalogue, [(s[0], s[1], s[2], False) for s in sources], now, QUIET)
    assert len(everything) == len(kept) + 1  # the phase's 7-day reminder


def test_the_2_hour_reminder_of_an_8_oclock_training_comes_the_evening_before(
    catalogue: Catalogue,
) -> None:
    """Issue 12: due at 06:00, inside quiet hours (21:00-08:00), it used to wait until 08:00,
    when the training starts. It is now planned at 20:59 the evening before, market time."""
    now = datetime(2026, 12, 1, tzinfo=UTC)
    source = (application("confirmed"), None, ["ifrane-1-admin"], False)
    planned = {
        item.params.get("hours"): item.not_before
        for item in plan(catalogue, [source], now, QUIET)
        if item.template == "training_soon"
    }
    assert planned[2].astimezone(CASABLANCA) == datetime(2027, 5, 3, 20, 59, tzinfo=CASABLANCA)
    assert planned[24].astimezone(CASABLANCA) == datetime(2027, 5, 3, 8, 0, tzinfo=CASABLANCA)
    off = plan(catalogue, [source], now, None)
    assert datetime(2027, 5, 4, 6, tzinfo=CASABLANCA) in {item.not_before for item in off}


def at_hour(catalogue: Catalogue, hour: int, minute: int = 0) -> Catalogue:
    """The bundled catalogue with Ifrane's phase 1, its deadline and its first training all at
    `hour`:`minute`, market time."""
    market = catalogue.markets[0]
    phase, training = market.phases[0], market.trainings[0]

    def moved(moment: datetime) -> datetime:
        return moment.replace(hour=hour, minute=minute)

    phase = replace(
        phase,
        starts=moved(phase.starts),
        application_deadline=moved(phase.application_deadline),
        setup_time=None,
    )
    training = replace(training, starts=moved(training.starts))
    market = replace(
        market, phases=(phase, *market.phases[1:]), trainings=(training, *market.trainings[1:])
    )
    return replace(catalogue, markets=(market, *catalogue.markets[1:]))


EVERY_KIND = {
    ("phase_soon", 7),
    ("phase_soon", 1),
    ("training_soon", 24),
    ("training_soon", 2),
    ("confirm_soon", None),
    ("draft_deadline", None),
}


@pytest.mark.parametrize("quiet", [QUIET, (time(22, 30), time(6, 15)), (time(13), time(15))])
def test_no_reminder_in_quiet_hours_late_or_at_its_event_at_any_hour(
    catalogue: Catalogue, quiet: tuple[time, time]
) -> None:
    """Every kind of reminder, for an event at every hour (and half past) of the day."""
    now = datetime(2026, 12, 1, tzinfo=UTC)
    zone = catalogue.markets[0].timezone
    for hour in range(24):
        for minute in (0, 30):
            moved = at_hour(catalogue, hour, minute)
            training = moved.markets[0].trainings[0]
            confirm_by = datetime(2027, 4, 20, hour, minute, tzinfo=zone)
            sources = [
                (application("accepted"), confirm_by.isoformat(), [training.code], False),
                (application("draft", app_id=8), None, [], False),
            ]
            found = events(moved, sources, now, quiet)
            seen = set()
            for event in found:
                assert event.starts.astimezone(zone).time() == time(hour, minute)
                for reminder in event.reminders:
                    where = f"{reminder.template} {reminder.offset} of an event at {hour}:{minute}"
                    assert not in_quiet_hours(reminder.at, zone, *quiet), where
                    assert reminder.at <= reminder.due, where
                    assert reminder.at < event.starts, where
                    unmoved = not in_quiet_hours(reminder.due, zone, *quiet)
                    assert (reminder.at == reminder.due) == unmoved, where
                    seen.add(
                        (
                            reminder.template,
                            reminder.params.get("days", reminder.params.get("hours")),
                        )
                    )
            assert seen == EVERY_KIND, f"a reminder went missing at {hour}:{minute}"
            # Quiet hours off: every reminder at its due time.
            for event in events(moved, sources, now, None):
                assert all(r.at == r.due for r in event.reminders)
                assert all(r.due == event.starts - r.offset for r in event.reminders)


async def test_each_reminder_names_the_market_phase_and_its_date_in_market_time(
    services: Services, clock: FakeClock
) -> None:
    from bot.wiring import render_delivery
    from tests.bot.services.test_applications import accepted, started

    for user in (1, 2):
        await services.users.touch(user, "Amina", clock())
    app_id = await accepted(services.applications, 1)
    await services.applications.set_status(app_id, "accepted", actor_id=9)
    # A training's reminder is for a seat held: the training ticked (a correction) takes one.
    await services.applications.repository.save_answer(
        app_id, "trainings", ["ifrane-1-admin"], clock()
    )
    draft = await started(services.applications, 2, "ifrane-2")
    deadline = await services.applications.repository.decision_deadline(app_id)
    assert deadline is not None
    local = datetime.fromisoformat(deadline).astimezone(CASABLANCA)

    async def text(template: str, locale: str, **params: object) -> str:
        application = draft.application.id if template == "draft_deadline" else app_id
        delivery = Delivery(
            1, 1, "reminder", template, {"application_id": application, **params}, 1, locale
        )
        rendered = await render_delivery(services, delivery)
        assert rendered is not None
        return rendered.text

    training = await text("training_soon", "fr", training="ifrane-1-admin", hours=2)
    assert "« Gestion administrative » le mardi 4 mai 2027 à 08:00" in training
    assert "(Marché d'Ifrane · phase 1)" in training
    confirm = await text("confirm_soon", "fr")
    assert "confirmez votre présence (Marché d'Ifrane · phase 1, IFR-1-0001)" in confirm
    assert f"à {local:%H:%M}" in confirm
    draft_text = await text("draft_deadline", "fr")
    assert "Marché d'Ifrane · phase 2" in draft_text
    assert "le vendredi 14 mai 2027 à 23:59" in draft_text
    arabic = await text("training_soon", "ar", training="ifrane-1-admin", hours=2)
    assert "يوم الثلاثاء 4 ماي 2027 على الساعة 08:00 (سوق إفران · المرحلة 1)" in arabic
