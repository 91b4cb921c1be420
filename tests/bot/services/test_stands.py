"""Stands: the proposal's rule, changes stand by stand, the cards queued once, arrival once,
erasure; on a real SQLite file with the bundled catalogue (Ifrane phase 1: 60 exhibition
stands E1-E60, even rows from the entrance with electricity, 6 institutional, 4 animation)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.catalogue import Catalogue, Pole, Stand
from bot.context import Services
from bot.services.stands import ABSENT_LIST, STAND_CARD, propose
from bot.wiring import render_delivery
from storage.db import Database
from storage.privacy import PrivacyRepository
from storage.roles import RoleRepository
from storage.stands import Exhibitor
from storage.users import UserRepository
from tests.conftest import FakeClock
from tests.storage.test_reports import submitted

# Ifrane phase 1's first day, after its set-up at 08:00 (Casablanca is UTC+00 in 2027).
SETUP_DAY = datetime(2027, 5, 3, 8, 30, tzinfo=UTC)


def exhibitor(
    app_id: int, led_by: str = "none", needs: tuple[str, ...] = (), sector: str = "crafts"
) -> Exhibitor:
    return Exhibitor(app_id, app_id, f"IFR-1-{app_id:04d}", f"Coop {app_id}", sector, led_by, needs)


def test_electricity_goes_to_those_who_asked_and_women_are_spread_front_to_back(
    catalogue: Catalogue,
) -> None:
    market = catalogue.market("ifrane")
    assert market is not None and market.phase(1) is not None
    phase = market.phase(1)
    assert phase is not None
    # Four women's structures applied last: a first-come order would put them at the back.
    people = [exhibitor(i) for i in range(1, 5)] + [exhibitor(i, "women") for i in range(5, 9)]
    people.append(exhibitor(9, "none", ("electricity",)))
    chosen = dict(propose(market, phase, people, set()))
    stands = {s.number: s for s in phase.stands}
    assert stands[chosen[9]].electricity
    assert not any(stands[chosen[i]].electricity for i in range(1, 9))
    order = [s.number for s in phase.stands]
    front = sorted(chosen, key=lambda app: order.index(chosen[app]))[:4]
    assert {5, 6} <= set(front), front  # women's structures among the first stands
    assert all(stands[chosen[i]].pole == "exhibition" for i in chosen)


def test_sector_goes_to_its_pole_and_an_unlisted_sector_to_a_pole_without_sectors(
    catalogue: Catalogue,
) -> None:
    market = catalogue.market("ifrane")
    assert market is not None
    phase = market.phase(1)
    assert phase is not None
    poles = (
        Pole("food", market.poles[0].name, market.poles[0].description, ("agrifood",)),
        Pole("open", market.poles[1].name, market.poles[1].description),
    )
    small = replace(phase, stands=(Stand("O1", "open"), Stand("F1", "food"), Stand("F2", "food")))
    chosen = dict(
        propose(
            replace(market, poles=poles),
            small,
            [exhibitor(1, sector="crafts"), exhibitor(2, sector="agrifood")],
            set(),
        )
    )
    assert chosen == {1: "O1", 2: "F1"}


async def confirmed(services: Services, db: Database, user_ids: range) -> list[int]:
    ids = []
    for user_id in user_ids:
        await UserRepository(db).touch(user_id, "U", services.clock())
        app = await submitted(services.applications, user_id)
        ids.append(app.id)
    async with db.transaction() as connection:
        await connection.execute("UPDATE applications SET status = 'confirmed'")
    return ids


async def test_cards_are_queued_once_with_the_link_and_arrival_is_marked_once(
    services: Services, db: Database, clock: FakeClock
) -> None:
    ids = await confirmed(services, db, range(1, 4))
    await UserRepository(db).touch(900, "Nadia", clock())
    await RoleRepository(db).grant(900, "organizer", 900, clock())
    board = await services.stands.proposal("ifrane-1")
    assert board is not None and len(board.assignments) == 3
    first = next(a for a in board.assignments if a.application_id == ids[0])
    assert await services.stands.move("ifrane-1", ids[0], "E60")
    assert (await services.stands.repository.of_application(ids[0])).stand == "E60"  # type: ignore[union-attr]

    assert await services.stands.confirm_all("ifrane-1", 900, "souk_bot") == 3
    assert await services.stands.confirm_all("ifrane-1", 900, "souk_bot") == 0
    assert not await services.stands.move("ifrane-1", ids[1], first.stand)  # confirmed: fixed
    rows = await db.fetchall("SELECT template, params, recipient_id FROM deliveries")
    cards = [r for r in rows if r["template"] == STAND_CARD]
    assert len(cards) == 3
    assert [r["recipient_id"] for r in rows if r["template"] == ABSENT_LIST] == [900]
    mine = await services.stands.repository.of_application(ids[0])
    assert mine is not None and mine.token is not None
    assert f'"link": "https://t.me/souk_bot?start=arr_{mine.token}"' in next(
        r["params"] for r in cards if r["recipient_id"] == 1
    )

    clock.now = SETUP_DAY
    first_scan = await services.stands.arrive(ids[0], "ifrane-1", 900, "scan")
    clock.advance(minutes=30)
    second = await services.stands.arrive(ids[0], "ifrane-1", 900, "hand")
    assert first_scan is not None and second is not None
    arrival, same = first_scan.arrival, second.arrival
    assert first_scan.new and not second.new and arrival is not None and same is not None
    assert same.arrived_at == arrival.arrived_at and same.how == "scan"
    assert same.marked_by == 900


async def test_an_erased_exhibitor_loses_the_stand_and_the_link(
    services: Services, db: Database, clock: FakeClock
) -> None:
    ids = await confirmed(services, db, range(1, 3))
    await services.stands.proposal("ifrane-1")
    await services.stands.confirm_all("ifrane-1", 900, "souk_bot")
    token = (await services.stands.repository.of_application(ids[0])).token  # type: ignore[union-attr]
    assert token and await services.stands.repository.by_token(token) is not None
    clock.now = SETUP_DAY
    await services.stands.arrive(ids[0], "ifrane-1", 900, "scan")

    await PrivacyRepository(db).erase_user(1, ["other"], clock())

    assert await services.stands.repository.by_token(token) is None
    assert await services.stands.repository.of_application(ids[0]) is None
    assert ids[0] in await services.stands.repository.arrivals("ifrane-1")  # counts kept


async def test_a_card_whose_application_was_withdrawn_is_not_sent(
    services: Services, db: Database
) -> None:
    ids = await confirmed(services, db, range(1, 3))
    await services.stands.proposal("ifrane-1")
    await services.stands.confirm_all("ifrane-1", 900, "souk_bot")
    deliveries = await services.outbox.claim_due(services.clock(), 10, ())
    cards = {d.recipient_id: d for d in deliveries if d.template == STAND_CARD}
    rendered = await render_delivery(services, cards[2])
    assert rendered is not None and isinstance(rendered.photo, bytes)
    assert "E" in rendered.text
    assert await services.applications.withdraw(1, ids[0])
    assert await render_delivery(services, cards[1]) is None


async def test_after_the_first_day_the_organizers_get_the_absentees(
    services: Services, db: Database, clock: FakeClock
) -> None:
    ids = await confirmed(services, db, range(1, 4))
    await UserRepository(db).touch(900, "Nadia", clock())
    await RoleRepository(db).grant(900, "organizer", 900, clock())
    await services.stands.proposal("ifrane-1")
    await services.stands.confirm_all("ifrane-1", 900, "souk_bot")
    clock.now = SETUP_DAY
    await services.stands.arrive(ids[0], "ifrane-1", 900, "scan")
    assert not [
        d for d in await services.outbox.claim_due(clock(), 10, ()) if d.template == ABSENT_LIST
    ]  # not before the first day's closing (Monday 3 May 2027, 20:00)
    clock.now = datetime(2027, 5, 3, 20, 1, tzinfo=UTC)
    due = [d for d in await services.outbox.claim_due(clock(), 10, ()) if d.template == ABSENT_LIST]
    assert [d.recipient_id for d in due] == [900]
    rendered = await render_delivery(services, due[0])
    assert rendered is not None
    assert "2 exposants absents" in rendered.text
    assert "IFR-1-0001" not in rendered.text  # the one who arrived
    assert "IFR-1-0002" in rendered.text and "IFR-1-0003" in rendered.text
