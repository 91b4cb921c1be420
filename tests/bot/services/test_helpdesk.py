"""The help desk on a real SQLite file: a ticket and its messages, one answer only, the wait
after "Poser une question", retention and erasure, and what the outbox renders."""

from __future__ import annotations

import sqlite3

import pytest

from bot.context import Services
from bot.handlers.access import PERMISSIONS
from bot.validation import ValidationError
from bot.wiring import render_delivery
from storage.db import Database
from storage.outbox import Delivery
from storage.roles import RoleRepository
from storage.templates import Template
from storage.users import UserRepository
from tests.conftest import FakeClock

MEMBER, ORGANIZER, REVIEWER, OUTSIDER = 501, 9001, 9002, 502
TEAM = PERMISSIONS["questions"]


@pytest.fixture
async def team(services: Services, clock: FakeClock) -> Services:
    users = UserRepository(services.db)
    for user_id in (MEMBER, ORGANIZER, REVIEWER, OUTSIDER):
        await users.touch(user_id, "Samira" if user_id == ORGANIZER else "", clock())
    roles = RoleRepository(services.db)
    await roles.grant(ORGANIZER, "organizer", 0, clock())
    await roles.grant(REVIEWER, "reviewer", 0, clock())
    return services


def deliveries(db: Database) -> list[tuple[int, str, str]]:
    with sqlite3.connect(db.path) as connection:
        return connection.execute(
            "SELECT recipient_id, template, params FROM deliveries ORDER BY id"
        ).fetchall()


async def test_a_question_is_queued_once_for_each_team_member(team: Services) -> None:
    helpdesk = team.helpdesk
    ticket = await helpdesk.ask(
        MEMBER, "Itto", "ar", "text", "  Où  est le stand ?\n\n\n", None, TEAM
    )
    assert ticket.text == "Où est le stand ?" and ticket.locale == "ar" and ticket.is_open
    sent = deliveries(team.db)
    assert sorted(recipient for recipient, _, _ in sent) == [ORGANIZER, REVIEWER]
    assert {template for _, template, _ in sent} == {Template.TICKET_NEW}


async def test_team_members_without_a_chat_are_not_sent_the_question(
    team: Services, clock: FakeClock
) -> None:
    await RoleRepository(team.db).grant(4242, "admin", 0, clock())  # never opened the bot
    await team.db.execute("UPDATE users SET blocked = 1 WHERE id = ?", (REVIEWER,))
    await team.helpdesk.ask(MEMBER, "", "fr", "text", "Une question", None, TEAM)
    assert {recipient for recipient, _, _ in deliveries(team.db)} == {ORGANIZER}


async def test_an_empty_question_is_refused_and_a_photo_needs_no_caption(team: Services) -> None:
    with pytest.raises(ValidationError):
        await team.helpdesk.ask(MEMBER, "", "fr", "text", " \u200f ", None, TEAM)
    photo = await team.helpdesk.ask(MEMBER, "", "fr", "photo", None, "photo-id", TEAM)
    assert photo.kind == "photo" and photo.text is None and photo.file_id == "photo-id"


async def test_one_answer_reaches_the_member(team: Services) -> None:
    helpdesk = team.helpdesk
    ticket = await helpdesk.ask(MEMBER, "", "fr", "voice", None, "voice-id", TEAM)
    done, answered = await helpdesk.answer(ticket.id, ORGANIZER, "Oui, à 9 h.")
    assert done and answered.answer == "Oui, à 9 h." and answered.answered_by == ORGANIZER
    again, current = await helpdesk.answer(ticket.id, REVIEWER, "Non !")
    assert not again and current.answer == "Oui, à 9 h."
    to_member = [d for d in deliveries(team.db) if d[1] == Template.TICKET_ANSWER]
    assert [recipient for recipient, _, _ in to_member] == [MEMBER]
    assert await helpdesk.tickets.count_open() == 0


async def test_the_wait_ends_after_an_hour(team: Services, clock: FakeClock) -> None:
    helpdesk = team.helpdesk
    await helpdesk.start_asking(MEMBER)
    clock.advance(minutes=59)
    assert (wait := await helpdesk.waiting(MEMBER)) is not None and wait.ticket_id is None
    clock.advance(minutes=2)
    assert await helpdesk.waiting(MEMBER) is None


async def test_the_outbox_renders_voice_for_the_team_and_drops_stale_copies(
    team: Services, clock: FakeClock
) -> None:
    helpdesk = team.helpdesk
    ticket = await helpdesk.ask(MEMBER, "Itto", "ar", "voice", None, "voice-id", TEAM)
    news = Delivery(
        1, ORGANIZER, "notification", Template.TICKET_NEW, {"ticket_id": ticket.id}, 1, "fr"
    )
    outgoing = await render_delivery(team, news)
    assert outgoing is not None and outgoing.voice == "voice-id"
    assert ticket.reference in outgoing.text and "arabe" in outgoing.text
    assert len(outgoing.text) <= 1024  # a caption
    await helpdesk.answer(ticket.id, ORGANIZER, "مرحبا")
    assert await render_delivery(team, news) is None  # answered before this copy left
    answer = Delivery(
        2, MEMBER, "notification", Template.TICKET_ANSWER, {"ticket_id": ticket.id}, 1, "ar"
    )
    rendered = await render_delivery(team, answer)
    assert rendered is not None and "مرحبا" in rendered.text and rendered.voice is None


async def test_a_long_photo_caption_is_cut_to_fit(team: Services) -> None:
    ticket = await team.helpdesk.ask(MEMBER, "", "fr", "photo", "mot " * 500, "photo-id", TEAM)
    news = Delivery(
        1, ORGANIZER, "notification", Template.TICKET_NEW, {"ticket_id": ticket.id}, 1, "ar"
    )
    outgoing = await render_delivery(team, news)
    assert outgoing is not None and outgoing.photo == "photo-id"
    assert len(outgoing.text) <= 1024 and outgoing.text.endswith("…\u2069")


async def test_retention_erases_answered_and_old_tickets(team: Services, clock: FakeClock) -> None:
    helpdesk = team.helpdesk
    old = await helpdesk.ask(MEMBER, "", "fr", "text", "Première question", None, TEAM)
    answered = await helpdesk.ask(MEMBER, "", "fr", "text", "Deuxième question", None, TEAM)
    clock.advance(days=30)
    await helpdesk.answer(answered.id, ORGANIZER, "Réponse")
    clock.advance(days=10)
    recent = await helpdesk.ask(MEMBER, "", "fr", "text", "Troisième question", None, TEAM)
    clock.advance(days=helpdesk.retention_days - 40, seconds=1)
    assert await helpdesk.purge_expired() == 1  # asked 90 days ago, never answered
    assert [t.id for t in await helpdesk.tickets.of_user(MEMBER)] == [answered.id, recent.id]
    clock.advance(days=30)
    assert await helpdesk.purge_expired() == 1  # answered 90 days ago
    assert [t.id for t in await helpdesk.tickets.of_user(MEMBER)] == [recent.id]
    assert old.id not in {t.id for t in await helpdesk.tickets.of_user(MEMBER)}


async def test_erasure_takes_the_questions_and_mydata_shows_them(
    team: Services, clock: FakeClock
) -> None:
    helpdesk = team.helpdesk
    ticket = await helpdesk.ask(MEMBER, "Itto", "fr", "text", "Question Zzyzx", None, TEAM)
    await helpdesk.ask(OUTSIDER, "", "fr", "text", "Une autre personne", None, TEAM)
    await helpdesk.answer(ticket.id, ORGANIZER, "Réponse Qwertz")
    mine = await team.privacy.my_data(MEMBER)
    assert [t.text for t in mine.tickets] == ["Question Zzyzx"]
    await helpdesk.start_asking(MEMBER)
    clock.advance(seconds=1)
    await team.privacy.erase(MEMBER)
    assert await helpdesk.tickets.of_user(MEMBER) == []
    assert await helpdesk.waiting(MEMBER) is None
    assert len(await helpdesk.tickets.of_user(OUTSIDER)) == 1
    # The organizer erasing their own data leaves the answers they wrote without their id.
    await team.privacy.erase(ORGANIZER)
    with sqlite3.connect(team.db.path) as connection:
        assert connection.execute(
            "SELECT COUNT(*) FROM tickets WHERE answered_by = ?", (ORGANIZER,)
        ).fetchone() == (0,)


async def test_an_erased_ticket_number_is_never_given_again(team: Services) -> None:
    """A reply to the old Q-1 message, or its dedupe key, must not reach a new question."""
    first = await team.helpdesk.ask(MEMBER, "", "fr", "text", "Première", None, TEAM)
    await team.privacy.erase(MEMBER)
    second = await team.helpdesk.ask(OUTSIDER, "", "fr", "text", "Seconde", None, TEAM)
    assert second.id > first.id
    news = [d for d in deliveries(team.db) if d[2] == f'{{"ticket_id": {second.id}}}']
    assert sorted(recipient for recipient, _, _ in news) == [ORGANIZER, REVIEWER]
