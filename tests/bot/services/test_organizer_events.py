"""Organizers are told (issue 15, item 4): the decision door records what the organizers must
know in the change's own transaction, and queues for each of them a notice at once or the
day's digest; a market with `auto_offer = false` leaves a freed place to an organizer."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from bot.catalogue import Catalogue
from bot.context import Services
from bot.organizer_notices import notices
from bot.services.applications import ApplicationService
from bot.services.organizer_events import digest_moment
from bot.wiring import render_delivery
from storage.applications import Application
from storage.db import Database
from storage.outbox import Delivery
from storage.roles import RoleRepository
from storage.statuses import Status
from storage.templates import Template
from storage.users import UserRepository
from tests.bot.services.test_applications import fill, started
from tests.conftest import FakeClock

ORGANIZER, ADMIN, REVIEWER = 501, 502, 503


def without_auto_offer(catalogue: Catalogue) -> Catalogue:
    markets = tuple(replace(market, auto_offer=False) for market in catalogue.markets)
    return replace(catalogue, markets=markets)


async def team(db: Database, clock: FakeClock) -> None:
    roles, users = RoleRepository(db), UserRepository(db)
    for user_id, role, locale in (
        (ORGANIZER, "organizer", "fr"),
        (ADMIN, "admin", "ar"),
        (REVIEWER, "reviewer", "fr"),
    ):
        await users.touch(user_id, "Team", clock())
        await users.set_locale(user_id, locale)
        assert await roles.grant(user_id, role, 1, clock()) == "done"


async def sent(
    db: Database, service: ApplicationService, user_id: int, status: Status
) -> Application:
    await UserRepository(db).touch(user_id, "U", datetime(2026, 11, 1, tzinfo=UTC))
    await started(service, user_id)
    application = await service.submit(
        await fill(
            service,
            user_id,
            {"phone": f"+2126123456{user_id % 100:02d}", "coop_register": f"{user_id}/2019"},
        )
    )
    assert isinstance(application, Application)
    outcome, _ = await service.set_status(application.id, status, actor_id=ADMIN)
    assert outcome == "done"
    return application


async def queued(db: Database) -> list[tuple[int, str, str]]:
    rows = await db.fetchall(
        "SELECT recipient_id, template, not_before FROM deliveries"
        " WHERE template LIKE 'organizer_%' ORDER BY recipient_id, id"
    )
    return [(row[0], row[1], row[2]) for row in rows]


def test_the_digest_goes_at_six_in_the_evening_market_time(catalogue: Catalogue) -> None:
    market = catalogue.markets[0]
    morning = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
    evening = datetime(2026, 12, 5, 18, 0, tzinfo=UTC)  # 18:00 in Casablanca (UTC+0)
    assert digest_moment(morning, market) == datetime(2026, 12, 5, 18, 0, tzinfo=UTC)
    assert digest_moment(evening, market) == datetime(2026, 12, 6, 18, 0, tzinfo=UTC)


async def test_a_decline_queues_the_digest_for_those_who_decide(
    services: Services, db: Database, clock: FakeClock
) -> None:
    await team(db, clock)
    service = services.applications
    application = await sent(db, service, 1, Status.ACCEPTED)
    assert await queued(db) == []  # an organizer's own decision is not news to them
    await service.respond_to_offer(1, application.id, confirm=False)
    clock.advance(hours=1)
    second = await sent(db, service, 2, Status.ACCEPTED)
    await service.withdraw(2, second.id)
    digest = "2026-11-23T18:00:00+00:00"
    # One digest per member and day, whatever the number of events; none for a reviewer.
    assert await queued(db) == [
        (ORGANIZER, Template.ORGANIZER_DIGEST, digest),
        (ADMIN, Template.ORGANIZER_DIGEST, digest),
    ]
    (row,) = await db.fetchall(
        "SELECT id, recipient_id, kind, template, params, attempts FROM deliveries"
        " WHERE recipient_id = ? AND template = ?",
        (ORGANIZER, Template.ORGANIZER_DIGEST),
    )
    delivery = Delivery(row[0], row[1], row[2], row[3], json.loads(row[4]), 0, "fr")
    rendered = await render_delivery(services, delivery)
    assert rendered is not None
    text = rendered.text
    assert "Résumé du lundi 23 novembre 2026" in text and "2 événements" in text, text
    assert "IFR-1-0001 (Tifawin) : a refusé la place" in text, text
    assert "IFR-1-0002 (Tifawin) : a retiré sa candidature" in text, text
    assert text.index("refusé") < text.index("retiré")
    arabic = await render_delivery(services, replace(delivery, locale="ar"))
    assert arabic is not None and "اعتذر عن المقعد" in arabic.text and "ملخص يوم" in arabic.text


async def test_a_member_told_at_once_gets_each_event(
    services: Services, db: Database, clock: FakeClock
) -> None:
    await team(db, clock)
    await notices(services).choose(ADMIN, True, clock())
    service = services.applications
    application = await sent(db, service, 1, Status.ACCEPTED)
    await service.respond_to_offer(1, application.id, confirm=False)
    assert await queued(db) == [
        (ORGANIZER, Template.ORGANIZER_DIGEST, "2026-11-23T18:00:00+00:00"),
        (ADMIN, Template.ORGANIZER_EVENT, clock().isoformat()),
    ]


async def test_a_freed_place_waits_for_an_organizer_when_the_market_says_so(
    services: Services, db: Database, clock: FakeClock, catalogue: Catalogue
) -> None:
    await team(db, clock)
    await notices(services).choose(ORGANIZER, True, clock())
    service = services.applications
    service.catalogue = without_auto_offer(catalogue)
    holder = await sent(db, service, 1, Status.ACCEPTED)
    waiting = await sent(db, service, 2, Status.WAITLISTED)
    after = await sent(db, service, 3, Status.WAITLISTED)
    await service.respond_to_offer(1, holder.id, confirm=False)
    assert (await service.repository.get(waiting.id)).status == Status.WAITLISTED  # type: ignore[union-attr]
    kinds = [row[0] for row in await db.fetchall("SELECT kind FROM organizer_events ORDER BY id")]
    assert kinds == ["declined", "free"]
    # The notice of the free place carries the button that offers it.
    (row,) = await db.fetchall(
        "SELECT d.id, d.params FROM deliveries AS d JOIN organizer_events AS e"
        " ON e.id = json_extract(d.params, '$.event_id') WHERE e.kind = 'free'"
    )
    delivery = Delivery(
        row[0], ORGANIZER, "notification", Template.ORGANIZER_EVENT, json.loads(row[1]), 0
    )
    rendered = await render_delivery(services, delivery)
    assert rendered is not None and rendered.markup is not None
    assert "Une place libérée attend votre décision" in rendered.text
    press = notices(services).offer_waiting_place
    changes = await press(service, "ifrane-1", ORGANIZER, clock())
    assert [change.application_id for change in changes] == [waiting.id]
    assert (await service.repository.get(waiting.id)).status == Status.OFFERED  # type: ignore[union-attr]
    # One place was freed: a second press (or another organizer's) offers no other.
    assert await press(service, "ifrane-1", ADMIN, clock()) == []
    assert (await service.repository.get(after.id)).status == Status.WAITLISTED  # type: ignore[union-attr]
    again = await render_delivery(services, delivery)
    assert again is not None and again.markup is None  # nothing left to offer


async def test_by_default_the_place_goes_to_the_waiting_list_and_organizers_are_told(
    services: Services, db: Database, clock: FakeClock
) -> None:
    await team(db, clock)
    service = services.applications
    holder = await sent(db, service, 1, Status.ACCEPTED)
    waiting = await sent(db, service, 2, Status.WAITLISTED)
    await service.withdraw(1, holder.id)
    assert (await service.repository.get(waiting.id)).status == Status.OFFERED  # type: ignore[union-attr]
    kinds = [row[0] for row in await db.fetchall("SELECT kind FROM organizer_events ORDER BY id")]
    assert kinds == ["withdrawn", "offered"]


async def test_an_expiry_is_told(services: Services, db: Database, clock: FakeClock) -> None:
    await team(db, clock)
    service = services.applications
    await sent(db, service, 1, Status.ACCEPTED)
    clock.advance(days=10)
    await service.expire_overdue()
    kinds = [row[0] for row in await db.fetchall("SELECT kind FROM organizer_events")]
    assert kinds == ["expired"]


async def test_a_notice_waiting_for_someone_who_left_the_team_is_not_sent(
    services: Services, db: Database, clock: FakeClock
) -> None:
    """Who is told is read at the moment of sending (bot/services/delivery_facts.py): a member
    whose role was taken back meanwhile gets nothing about applications."""
    await team(db, clock)
    await notices(services).choose(ORGANIZER, True, clock())
    service = services.applications
    application = await sent(db, service, 1, Status.ACCEPTED)
    await service.respond_to_offer(1, application.id, confirm=False)
    (row,) = await db.fetchall(
        "SELECT id, params FROM deliveries WHERE recipient_id = ? AND template = ?",
        (ORGANIZER, Template.ORGANIZER_EVENT),
    )
    delivery = Delivery(
        row[0], ORGANIZER, "notification", Template.ORGANIZER_EVENT, json.loads(row[1]), 0, "fr"
    )
    told = await render_delivery(services, delivery)
    assert told is not None and "IFR-1-0001" in told.text
    assert await RoleRepository(db).revoke(ORGANIZER) == "done"
    assert await render_delivery(services, delivery) is None
