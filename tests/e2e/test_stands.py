"""The market day over HTTP: an organizer assigns Ifrane phase 1's stands, each confirmed
exhibitor receives a stand card whose QR code opens the bot with a one-time token; the link
opened by an organizer marks the arrival (once) while the phase runs, and the day before says
when it runs and marks nothing; opened by the exhibitor it shows the card again, by anyone else
it changes nothing; /arrivals counts and marks by hand, within the same dates. A confirmed
stand moved to a free one: one new card, the old card's link refused, the new one marks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.callbacks import (
    ConfirmMove,
    MarkArrived,
    PickFreeStand,
    StandsAction,
    StandsButton,
)
from localbotapi import FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.broadcasting import open_console, pause, press_typed
from tests.e2e.journey import buttons_of, next_new_message
from tests.e2e.market_day import (
    BOT_USERNAME,
    CASABLANCA,
    EXHIBITORS,
    ORGANIZER,
    STRANGER,
    application_of,
    arrivals,
    decoded,
    next_card,
    next_matching,
    phase_in_time,
    reload,
    says,
    seed_confirmed,
    tokens,
)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token="123456:TEST-TOKEN", bot_username=BOT_USERNAME) as server:
        yield server


@pytest.fixture(scope="module")
def markets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Phase 1 begins tomorrow: today is the day before, when no arrival is marked."""
    path = tmp_path_factory.mktemp("catalogue") / "markets.toml"
    path.write_text(phase_in_time(1), "utf-8")
    return path


@pytest.fixture(scope="module")
def bot(start_bot: StartBot, markets: Path) -> BotProcess:
    return start_bot(name="stands", admins=[ORGANIZER], quiet_hours="off", markets=markets)


@pytest.fixture(scope="module")
def organizer(fake: FakeTelegram, bot: BotProcess) -> FakeUser:
    user = fake.user(ORGANIZER, first_name="Nadia", language_code="fr")
    open_console(user)
    user.drain()
    return user


def test_stands_assigned_cards_with_qr_and_arrival_on_the_day(
    fake: FakeTelegram, bot: BotProcess, organizer: FakeUser, markets: Path
) -> None:
    seed_confirmed(str(bot.database))
    people = {
        user_id: fake.user(user_id, first_name="Coop", language_code=locale)
        for user_id, locale in EXHIBITORS.items()
    }
    pause()
    organizer.send_command("/stands", "ifrane-1")
    board = next_new_message(organizer)
    assert "Règle" in (board.text or "") and (board.text or "").count("📝") >= 3
    assert tokens(bot)[702][0] == "E1"  # the only one who asked for power: an equipped stand
    # The others take the first stands without power (E1-E10, in front, have it).
    assert {tokens(bot)[u][0] for u in (701, 703)} == {"E11", "E12"}
    assert press_typed(organizer, board, StandsButton(StandsAction.ACCEPT, "ifrane-1")).edited
    assert "3 stands confirmés" in (next_new_message(organizer).text or "")

    assigned = tokens(bot)
    for user_id, person in people.items():
        card = next_card(person)
        stand, token = assigned[user_id]
        assert decoded(card) == [f"https://t.me/{BOT_USERNAME}?start=arr_{token}"]
        assert stand in (card.text or "")
    assert "رواقكم" in (people[702].last_message.text or "")  # type: ignore[union-attr]
    fr_card = people[701].last_message
    assert fr_card is not None and "Votre stand" in (fr_card.text or "")

    # Anyone else, and the exhibitor, open the link: nothing is marked.
    stranger = fake.user(STRANGER, first_name="Curieux", language_code="fr")
    stranger.send_command("/start", f"arr_{assigned[701][1]}")
    assert "Choisissez votre langue" in (next_new_message(stranger).text or "")  # as /start
    assert arrivals(bot) == 0
    people[701].send_command("/start", f"arr_{assigned[701][1]}")
    assert decoded(next_card(people[701])) == decoded(fr_card)
    assert arrivals(bot) == 0

    # The day before the phase: the organizer's scan is refused, with the phase's dates.
    pause()
    organizer.send_command("/start", f"arr_{assigned[701][1]}")
    early = next_new_message(organizer).text or ""
    assert "⛔ Arrivée non enregistrée" in early, early
    assert "Les arrivées se notent pendant la phase : du " in early and " au " in early
    assert arrivals(bot) == 0
    pause()
    organizer.send_command("/arrivals", "ifrane-1")
    waiting = next_new_message(organizer)
    assert "Les arrivées se notent pendant la phase" in (waiting.text or "")
    assert not buttons_of(waiting, MarkArrived)  # nothing to press before the phase

    # The phase began yesterday (its first day over: the expected are now absent): the
    # organizer scans: arrived once; a second scan says when.
    reload(organizer, markets, phase_in_time(-1))
    pause()
    organizer.send_command("/start", f"arr_{assigned[701][1]}")
    assert "Arrivée enregistrée" in (next_new_message(organizer).text or "")
    pause()
    organizer.send_command("/start", f"arr_{assigned[701][1]}")
    assert "Déjà arrivé à" in (next_new_message(organizer).text or "")
    assert arrivals(bot) == 1

    pause()
    organizer.send_command("/arrivals", "ifrane-1")
    screen = next_new_message(organizer)
    assert "arrivés : 1 · absents : 2" in (screen.text or "")
    marks = buttons_of(screen, MarkArrived)
    assert len(marks) == 2
    press_typed(organizer, screen, marks[0])
    after = next_new_message(organizer)
    assert "arrivés : 2 · absents : 1" in (after.text or ""), after.text
    assert arrivals(bot) == 2


def test_a_confirmed_stand_moved_sends_one_new_card_and_retires_the_old_one(
    fake: FakeTelegram, bot: BotProcess, organizer: FakeUser, markets: Path
) -> None:
    mover = fake.user(703)
    old_stand, old_token = tokens(bot)[703]
    application = application_of(bot, 703)
    mover.drain()
    pause()
    organizer.send_command("/stands", "ifrane-1")
    board = next_new_message(organizer)
    listing = press_typed(organizer, board, StandsButton(StandsAction.RELOCATE, "ifrane-1"))
    assert "Quel exposant change de stand" in (listing.text or ""), listing.describe()
    assert len(buttons_of(listing, StandsButton)) == 3
    change = StandsButton(StandsAction.CHANGE, "ifrane-1", application)
    free = press_typed(organizer, listing, change)
    assert f"Stand confirmé de Coop 703 : {old_stand}" in (free.text or ""), free.text
    offered = {b.stand for b in buttons_of(free, PickFreeStand)}
    assert "E20" in offered and not offered & {s for s, _ in tokens(bot).values()}
    question = press_typed(organizer, free, PickFreeStand("ifrane-1", application, "E20"))
    assert f"du stand {old_stand} au stand E20" in (question.text or ""), question.text
    confirm = ConfirmMove("ifrane-1", application, old_stand, "E20")
    pause()
    organizer.press(callback_data=confirm.pack(), message_id=question.message_id)
    done = next_matching(organizer, says("passe du stand"))
    assert f"Coop 703 passe du stand {old_stand} au stand E20" in (done.text or "")

    card = next_card(mover)
    new_stand, new_token = tokens(bot)[703]
    assert new_stand == "E20" and new_token != old_token
    assert f"Votre stand a changé : {old_stand} → E20" in (card.text or ""), card.text
    assert decoded(card) == [f"https://t.me/{BOT_USERNAME}?start=arr_{new_token}"]
    # The confirmation pressed again (a double tap, an old screen): nothing moves, no card.
    pause()
    organizer.press(callback_data=confirm.pack(), message_id=question.message_id)
    assert next_matching(organizer, says("n'est plus possible"))
    mover.expect_no_message(within=3)

    # The old card scanned: refused, naming the stand now; the new one marks the arrival.
    before = arrivals(bot)
    organizer.drain()
    organizer.send_command("/start", f"arr_{old_token}")
    refused = next_new_message(organizer).text or ""
    assert "⛔ Carte remplacée" in refused and "Son stand actuel : E20" in refused, refused
    assert arrivals(bot) == before
    pause()
    organizer.send_command("/arrivals", "ifrane-1")
    screen = next_new_message(organizer)
    (expected,) = buttons_of(screen, MarkArrived)
    assert expected.application_id == application
    pause()
    organizer.send_command("/start", f"arr_{new_token}")
    marked = next_new_message(organizer).text or ""
    assert "Arrivée enregistrée" in marked and "stand E20" in marked, marked
    assert arrivals(bot) == before + 1

    # The phase is over: a mark by hand from the screen still open is refused, with the dates.
    reload(organizer, markets, phase_in_time(-6, ends=_an_hour_ago()))
    pause()
    organizer.press(callback_data=expected.pack(), message_id=screen.message_id)
    late = next_matching(organizer, says("⛔")).text or ""
    assert "Arrivée non enregistrée" in late and "Les arrivées se notent pendant" in late, late
    assert arrivals(bot) == before + 1


def _an_hour_ago() -> datetime:
    return datetime.now(CASABLANCA) - timedelta(hours=1)
