"""A confirmed stand moved to a free one (one new card, the old token retired) and arrival
marked only while the phase runs; on a real SQLite file with the bundled catalogue (Ifrane
phase 1: 3-9 May 2027, set-up at 08:00 on the first day, ends at 20:00)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.catalogue import Catalogue
from bot.context import Services
from bot.i18n import I18n
from bot.services.stands import STAND_CARD, arrival_window
from bot.views import stands as views
from bot.wiring import render_delivery
from storage.db import Database
from storage.privacy import PrivacyRepository
from tests.bot.services.test_stands import confirmed
from tests.conftest import FakeClock

CASABLANCA = ZoneInfo("Africa/Casablanca")


async def cards_of(db: Database, user_id: int) -> list[dict[str, object]]:
    rows = await db.fetchall(
        "SELECT params FROM deliveries WHERE template = ? AND recipient_id = ? ORDER BY id",
        (STAND_CARD, user_id),
    )
    return [json.loads(row["params"]) for row in rows]


async def confirmed_board(services: Services, db: Database, count: int) -> list[int]:
    ids = await confirmed(services, db, range(1, count + 1))
    await services.stands.proposal("ifrane-1")
    await services.stands.confirm_all("ifrane-1", 900, "souk_bot")
    return ids


async def test_a_confirmed_stand_moves_to_a_free_one_with_one_new_card(
    services: Services, db: Database, clock: FakeClock
) -> None:
    ids = await confirmed_board(services, db, 3)
    stands = services.stands.repository
    before = await stands.of_application(ids[0])
    other = await stands.of_application(ids[1])
    assert before is not None and before.token and other is not None
    assert len(await cards_of(db, 1)) == 1

    assert not await services.stands.relocate("ifrane-1", ids[0], (before.stand, other.stand), 900, "souk_bot")  # fmt: skip
    assert await services.stands.relocate("ifrane-1", ids[0], (before.stand, "E60"), 900, "souk_bot")  # fmt: skip
    # The same confirmation pressed twice: the stand is no longer `before`, nothing more.
    assert not await services.stands.relocate("ifrane-1", ids[0], (before.stand, "E59"), 900, "souk_bot")  # fmt: skip

    after = await stands.of_application(ids[0])
    assert after is not None and after.stand == "E60" and after.confirmed
    assert after.token and after.token != before.token
    assert await stands.by_token(before.token) is None
    replaced = await stands.replaced(before.token)
    assert replaced is not None and replaced.from_stand == before.stand
    cards = await cards_of(db, 1)
    assert len(cards) == 2
    assert cards[1]["stand"] == "E60" and cards[1]["moved_from"] == before.stand
    assert cards[1]["link"] == f"https://t.me/souk_bot?start=arr_{after.token}"
    moves = await db.fetchall("SELECT moved_by, from_stand, to_stand FROM stand_moves")
    assert [tuple(m) for m in moves] == [(900, before.stand, "E60")]


async def test_the_new_card_says_the_stand_changed_and_the_old_one_is_not_sent(
    services: Services, db: Database, clock: FakeClock
) -> None:
    ids = await confirmed_board(services, db, 2)
    before = await services.stands.repository.of_application(ids[0])
    assert before is not None
    assert await services.stands.relocate("ifrane-1", ids[0], (before.stand, "E60"), 900, "bot")
    # Moved back: a card for a stand held before is queued again, with the newest token.
    assert await services.stands.relocate("ifrane-1", ids[0], ("E60", before.stand), 900, "bot")
    mine = []
    for _ in range(4):  # one message per chat at a time: claimed one after another
        due = await services.outbox.claim_due(clock(), 20, ())
        mine += [d for d in due if d.template == STAND_CARD and d.recipient_id == 1]
        clock.advance(seconds=2)
    assert len(mine) == 3
    rendered = [await render_delivery(services, d) for d in mine]
    assert rendered[0] is None and rendered[1] is None  # replaced: their tokens are retired
    last = rendered[2]
    assert last is not None and isinstance(last.photo, bytes)
    assert f"Votre stand a changé : E60 → {before.stand}" in last.text


async def test_arrival_is_refused_the_day_before_and_marked_from_the_first_day(
    services: Services, db: Database, clock: FakeClock
) -> None:
    ids = await confirmed_board(services, db, 1)
    clock.now = datetime(2027, 5, 2, 18, 0, tzinfo=UTC)  # the day before
    early = await services.stands.arrive(ids[0], "ifrane-1", 900, "scan")
    assert early is not None and early.arrival is None
    assert early.window.opens == datetime(2027, 5, 3, 0, 0, tzinfo=CASABLANCA)
    assert early.window.closes == datetime(2027, 5, 9, 20, 0, tzinfo=CASABLANCA)
    assert await services.stands.repository.arrivals("ifrane-1") == {}
    clock.now = datetime(2027, 5, 2, 23, 59, tzinfo=UTC)
    refused = await services.stands.arrive(ids[0], "ifrane-1", 900, "hand")
    assert refused is not None and refused.arrival is None

    clock.now = datetime(2027, 5, 3, 7, 30, tzinfo=UTC)  # early, before the 08:00 set-up
    marked = await services.stands.arrive(ids[0], "ifrane-1", 900, "scan")
    assert marked is not None and marked.arrival is not None and marked.new
    assert ids[0] in await services.stands.repository.arrivals("ifrane-1")

    clock.now = datetime(2027, 5, 9, 20, 0, tzinfo=UTC)  # the phase is over
    late = await services.stands.arrive(ids[0], "ifrane-1", 900, "scan")
    assert late is not None and late.arrival is None


def test_the_window_opens_on_the_first_day_in_the_market_time_zone(catalogue: Catalogue) -> None:
    market = catalogue.market("ifrane")
    assert market is not None
    phase = market.phase(1)
    assert phase is not None
    # May 2026: Morocco is on UTC+01 (before its permanent UTC+00 of 20 September 2026).
    spring = replace(
        phase,
        starts=datetime(2026, 5, 4, 10, 0, tzinfo=CASABLANCA),
        ends=datetime(2026, 5, 8, 20, 0, tzinfo=CASABLANCA),
        setup_time=time(8, 0),
    )
    window = arrival_window(market, spring)
    assert window.opens.astimezone(UTC) == datetime(2026, 5, 3, 23, 0, tzinfo=UTC)
    assert not window.holds(datetime(2026, 5, 3, 22, 59, tzinfo=UTC))
    assert window.holds(datetime(2026, 5, 3, 23, 0, tzinfo=UTC))
    assert not window.holds(datetime(2026, 5, 8, 19, 0, tzinfo=UTC))  # 20:00 local: over


def test_the_refusal_says_when_the_phase_runs_in_french_and_arabic(catalogue: Catalogue) -> None:
    market = catalogue.market("ifrane")
    assert market is not None
    phase = market.phase(1)
    assert phase is not None
    window = arrival_window(market, phase)
    i18n = I18n()
    french = views.outside_window_text(i18n.translator("fr"), window, market.timezone)
    assert "du lundi 3 mai 2027 au dimanche 9 mai 2027 à 20:00" in french
    arabic = views.outside_window_text(i18n.translator("ar"), window, market.timezone)
    assert "ماي" in arabic and "20:00" in arabic
    assert "Les arrivées" not in arabic


async def test_erasure_forgets_the_moves_so_an_old_link_names_no_stand(
    services: Services, db: Database, clock: FakeClock
) -> None:
    ids = await confirmed_board(services, db, 2)
    before = await services.stands.repository.of_application(ids[0])
    assert before is not None and before.token
    assert await services.stands.relocate("ifrane-1", ids[0], (before.stand, "E60"), 900, "bot")
    assert await services.stands.repository.replaced(before.token) is not None

    await PrivacyRepository(db).erase_user(1, ["other"], clock())

    assert await services.stands.repository.replaced(before.token) is None
    assert await db.fetchall("SELECT * FROM stand_moves") == []
