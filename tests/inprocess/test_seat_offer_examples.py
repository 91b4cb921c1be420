"""A freed training seat's offer, through Telegram with the fake clock: unanswered, the bot's
minute job passes it to the next one waiting and each of the two reads one message; the
calendar file lists only the trainings where the member holds a seat, and follows when that
changes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import icalendar
import pytest

from bot import jobs
from bot.callbacks import CalendarFile, DropSeat, TakeSeat
from bot.config import Settings, SettingsError, load_settings
from bot.context import SERVICES_KEY
from localbotapi import BotMessage, FakeUser
from storage.applications import Application
from storage.statuses import Status
from tests.bot.services.test_applications import fill, started
from tests.inprocess.harness import Harness

TRAINING = "ifrane-1-admin"
OTHER = "ifrane-1-finance"


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    """A bot of its own per test: each starts with one free seat and the clock at NOW."""
    running = Harness(tmp_path).start()
    try:
        yield running
    finally:
        running.close()


async def _accepted(harness: Harness, user: FakeUser, trainings: list[str]) -> Application:
    services = harness.services
    await started(services.applications, user.id)
    answers = {
        "trainings": trainings,
        "structure_name": f"Tifawin {user.id}",
        "phone": f"+2126140{user.id % 100_000:05d}",
        "coop_register": f"{user.id}/2022",
    }
    sent = await services.applications.submit(await fill(services.applications, user.id, answers))
    assert isinstance(sent, Application), sent
    await services.applications.set_status(sent.id, Status.ACCEPTED, 1)
    return sent


async def _settle(harness: Harness) -> None:
    """Let the outbox task send every message due at the fake clock's time."""
    services = harness.services
    assert services.dispatcher is not None
    for _ in range(400):
        services.dispatcher.wake()
        row = await services.db.fetchone(
            "SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')"
            " AND not_before <= ?",
            (harness.clock().isoformat(),),
        )
        if row is not None and row[0] == 0:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the outbox did not settle")


def _minute_job(harness: Harness) -> None:
    """The JobQueue's `expire_overdue`, as PTB runs it every minute (not started in-process)."""
    context = SimpleNamespace(
        services=harness.services, bot_data={SERVICES_KEY: harness.services}, job=None
    )
    harness.run(jobs.expire_overdue(context))  # type: ignore[arg-type]
    harness.run(_settle(harness))


def _one_seat(harness: Harness, count: int) -> list[tuple[FakeUser, Application]]:
    harness.run(
        harness.services.db.execute("UPDATE trainings SET seats = 1 WHERE code = ?", (TRAINING,))
    )
    members = []
    for _ in range(count):
        user = harness.new_user("fr")
        members.append((user, harness.run(_accepted(harness, user, [TRAINING, OTHER]))))
    harness.run(_settle(harness))
    for user, _ in members:
        user.drain()
    return members


def _with(events: list[BotMessage], words: str) -> list[BotMessage]:
    return [event for event in events if words in (event.text or "") and not event.edited]


def test_an_unanswered_offer_passes_to_the_next_and_each_is_told_once(harness: Harness) -> None:
    (holder, held), (second, _), (third, _) = _one_seat(harness, 3)
    with harness.watching(holder):
        holder.press(callback_data=DropSeat(held.id, TRAINING).pack())
        harness.pump()
        harness.run(_settle(harness))
    (offer,) = _with(second.drain(), "s'est libérée")
    assert "réservée jusqu'au mercredi 25 novembre 2026 à 09:00" in (offer.text or ""), offer.text

    harness.clock.advance(hours=47, minutes=59)
    _minute_job(harness)
    assert second.drain() == [] and third.drain() == []

    harness.clock.advance(minutes=1)
    _minute_job(harness)
    for _ in range(3):  # the job runs every minute
        harness.clock.advance(minutes=1)
        _minute_job(harness)
    told, offered = second.drain(), third.drain()
    assert len(told) == 1 and "pas répondu à temps" in (told[0].text or ""), told
    assert "❌ Ne plus attendre" in told[0].button_texts()
    assert len(offered) == 1 and "s'est libérée" in (offered[0].text or ""), offered
    assert "jusqu'au vendredi 27 novembre 2026 à 09:00" in (offered[0].text or "")

    # The second's late answer is refused; the third takes the seat.
    with harness.watching(second) as reaction:
        second.press(callback_data=offer.callback_data()[0], message_id=offer.message_id)
        harness.pump()
    assert not _with(reaction.events, "réservée à la formation")
    (take,) = [data for data in offered[0].callback_data() if TakeSeat.parse(data) is not None]
    with harness.watching(third) as reaction:
        third.press(callback_data=take, message_id=offered[0].message_id)
        harness.pump()
    assert _with(reaction.events, "Votre place est réservée")


def test_an_offer_taken_before_it_expires_holds(harness: Harness) -> None:
    (holder, held), (second, _), (third, _) = _one_seat(harness, 3)
    holder.press(callback_data=DropSeat(held.id, TRAINING).pack())
    harness.pump()
    harness.run(_settle(harness))
    (offer,) = _with(second.drain(), "s'est libérée")
    harness.clock.advance(hours=47)
    (take,) = [data for data in offer.callback_data() if TakeSeat.parse(data) is not None]
    with harness.watching(second) as reaction:
        second.press(callback_data=take, message_id=offer.message_id)
        harness.pump()
    assert _with(reaction.events, "Votre place est réservée")
    harness.clock.advance(hours=2)
    _minute_job(harness)
    assert second.drain() == [] and third.drain() == []


def _calendar_trainings(harness: Harness, user: FakeUser, application: Application) -> set[str]:
    with harness.watching(user) as reaction:
        user.press(callback_data=CalendarFile(application.id).pack())
        harness.pump()
    (document,) = [event for event in reaction.events if event.attachment is not None]
    assert document.attachment is not None
    parsed = icalendar.Calendar.from_ical(document.attachment["content"])
    summaries = {str(event["SUMMARY"]) for event in parsed.walk("VEVENT")}
    return {s.removeprefix("Formation : ") for s in summaries if s.startswith("Formation")}


def _pass_the_seat(harness: Harness, holder: FakeUser, held: Application, second: FakeUser) -> None:
    """The holder gives the admin training's seat up; the second takes the offer at once."""
    holder.press(callback_data=DropSeat(held.id, TRAINING).pack())
    harness.pump()
    harness.run(_settle(harness))
    (offer,) = _with(second.drain(), "s'est libérée")
    (take,) = [data for data in offer.callback_data() if TakeSeat.parse(data) is not None]
    second.press(callback_data=take, message_id=offer.message_id)
    harness.pump()


def test_the_calendar_lists_only_trainings_with_a_seat(harness: Harness) -> None:
    (holder, held), (second, waiting) = _one_seat(harness, 2)
    # The second waits for the admin training (full) and holds a seat at the finance one.
    assert _calendar_trainings(harness, second, waiting) == {"Finances et comptabilité"}
    assert _calendar_trainings(harness, holder, held) == {
        "Gestion administrative",
        "Finances et comptabilité",
    }
    # The seat changes hands: the next calendar file of each follows.
    _pass_the_seat(harness, holder, held, second)
    assert _calendar_trainings(harness, second, waiting) == {
        "Gestion administrative",
        "Finances et comptabilité",
    }
    assert _calendar_trainings(harness, holder, held) == {"Finances et comptabilité"}


def _reminded_trainings(harness: Harness, user: FakeUser) -> set[str]:
    with harness.watching(user) as reaction:
        user.send_command("/reminders")
        harness.pump()
    lines = [line for event in reaction.events for line in (event.text or "").splitlines()]
    return {line.removeprefix("🎓 Formation : ") for line in lines if "🎓" in line}


def test_reminders_list_only_trainings_with_a_seat(harness: Harness) -> None:
    """A wish on a full training gets no reminder (it is dropped when due): /reminders does
    not promise one; it does once the seat is taken."""
    (holder, held), (second, _) = _one_seat(harness, 2)
    assert _reminded_trainings(harness, second) == {"Finances et comptabilité"}
    assert _reminded_trainings(harness, holder) == {
        "Gestion administrative",
        "Finances et comptabilité",
    }
    _pass_the_seat(harness, holder, held, second)
    assert _reminded_trainings(harness, second) == {
        "Gestion administrative",
        "Finances et comptabilité",
    }
    assert _reminded_trainings(harness, holder) == {"Finances et comptabilité"}


def test_the_offer_lasts_as_the_settings_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TRAINING_OFFER_HOURS, read at start-up: an offer then says, and lasts, that long."""

    def with_offer_hours(environ: dict[str, str]) -> Settings:
        return load_settings({**environ, "TRAINING_OFFER_HOURS": "6"})

    monkeypatch.setattr("tests.inprocess.harness.load_settings", with_offer_hours)
    harness = Harness(tmp_path).start()
    try:
        (holder, held), (second, _), (third, _) = _one_seat(harness, 3)
        holder.press(callback_data=DropSeat(held.id, TRAINING).pack())
        harness.pump()
        harness.run(_settle(harness))
        (offer,) = _with(second.drain(), "s'est libérée")
        assert "jusqu'au lundi 23 novembre 2026 à 15:00" in (offer.text or ""), offer.text
        harness.clock.advance(hours=6)
        _minute_job(harness)
        assert _with(second.drain(), "pas répondu à temps")
        assert _with(third.drain(), "s'est libérée")
    finally:
        harness.close()


def test_offer_settings_are_checked() -> None:
    settings = load_settings({"BOT_TOKEN": "1:abc"})
    assert (settings.training_offer_hours, settings.training_offer_cutoff_hours) == (48, 24)
    for name, bad in (("TRAINING_OFFER_HOURS", "0"), ("TRAINING_OFFER_CUTOFF_HOURS", "2 days")):
        with pytest.raises(SettingsError) as caught:
            load_settings({"BOT_TOKEN": "1:abc", name: bad})
        assert caught.value.name == name
