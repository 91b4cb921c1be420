"""Broadcasts on a real SQLite file: audience, the steps of a draft, queueing, progress, stop."""

from __future__ import annotations

import json

import pytest

from bot.context import Services
from bot.services.broadcasts import (
    EVERYONE,
    PHOTO,
    PREVIEW,
    TEXT_PREFIX,
    BroadcastService,
    text_for,
)
from bot.services.outbox import Dispatcher
from bot.validation import ValidationError
from bot.wiring import render_delivery
from storage.broadcasts import Audience
from storage.db import Database
from tests.bot.services.test_outbox import ScriptedBot
from tests.conftest import FakeClock

ORGANIZER = 500


async def applicant(
    db: Database,
    clock: FakeClock,
    user_id: int,
    *,
    phase: str = "ifrane-1",
    status: str = "submitted",
    sector: str = "crafts",
    province: str = "ifrane",
    locale: str = "fr",
) -> None:
    stamp = clock().isoformat()
    await db.execute(
        "INSERT INTO users (id, locale, first_name, first_seen, last_seen) VALUES (?, ?, 'X', ?, ?)"
        " ON CONFLICT DO NOTHING",
        (user_id, locale, stamp, stamp),
    )
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "INSERT INTO applications (user_id, phase_code, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (user_id, phase, status, stamp, stamp),
        )
        for question, value in (("sector", sector), ("province", province)):
            await connection.execute(
                "INSERT INTO answers (application_id, question, value, answered_at)"
                " VALUES (?, ?, ?, ?)",
                (cursor.lastrowid, question, json.dumps(value), stamp),
            )


@pytest.fixture
async def crowd(db: Database, clock: FakeClock) -> None:
    await applicant(db, clock, 1)
    await applicant(db, clock, 2, status="accepted", locale="ar")
    await applicant(db, clock, 3, status="waitlisted", sector="beauty")
    await applicant(db, clock, 4, phase="ifrane-2", status="confirmed", province="meknes")
    await applicant(db, clock, 5, phase="mohammedia-1", locale="ar")
    await applicant(db, clock, 6, status="draft")  # not an applicant yet
    await applicant(db, clock, 7, status="withdrawn")
    await applicant(db, clock, 8, status="accepted")
    await db.execute("UPDATE users SET blocked = 1 WHERE id = 8")  # blocked the bot
    await applicant(db, clock, 1, phase="ifrane-2", status="accepted")  # twice, counted once


@pytest.mark.usefixtures("crowd")
@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (Audience(), 5),
        (Audience(market="ifrane"), 4),
        (Audience(phase="ifrane-1"), 3),
        (Audience(status="accepted"), 3),
        (Audience(status="waitlist"), 1),
        (Audience(sector="beauty"), 1),
        (Audience(province="meknes"), 1),
        (Audience(language="ar"), 2),
        (Audience(market="ifrane", language="ar", status="accepted"), 1),
    ],
)
async def test_audience_reach(services: Services, audience: Audience, expected: int) -> None:
    assert await services.broadcasts.reach(audience) == expected


async def written(service: BroadcastService, *, same: bool = False) -> int:
    draft = await service.open_draft(ORGANIZER)
    assert await service.set_filter(draft, "phase", "ifrane-1") is not None
    await service.to_texts(await service.open_draft(ORGANIZER))
    await service.write(await service.open_draft(ORGANIZER), "Bonjour !\n\n\n\nLe marché ouvre.")
    draft = await service.open_draft(ORGANIZER)
    if same:
        assert await service.same_text_for_everyone(draft)
    else:
        assert await service.write(draft, "مرحبا! السوق يفتح.") == TEXT_PREFIX + "zgh"
        # Tamazight may be left out: its readers get the French.
        assert await service.skip_language(await service.open_draft(ORGANIZER)) == PHOTO
    await service.add_photo(await service.open_draft(ORGANIZER), None)
    draft = await service.open_draft(ORGANIZER)
    assert draft.stage == PREVIEW
    return draft.id


@pytest.mark.usefixtures("crowd")
async def test_a_draft_step_by_step_then_one_delivery_per_recipient(services: Services) -> None:
    service = services.broadcasts
    draft_id = await written(service)
    draft = await service.open_draft(ORGANIZER)
    assert draft.id == draft_id  # resumed, not a new one
    assert draft.texts == {"fr": "Bonjour !\n\nLe marché ouvre.", "ar": "مرحبا! السوق يفتح."}
    assert await service.start(draft, ORGANIZER, 77) == 3
    assert await service.start(draft, ORGANIZER, 77) is None  # a second press
    assert (await service.progress(draft_id)).remaining == 3
    rows = await services.db.fetchall("SELECT recipient_id FROM deliveries ORDER BY recipient_id")
    assert [row[0] for row in rows] == [1, 2, 3]


@pytest.mark.usefixtures("crowd")
async def test_each_recipient_reads_their_language(services: Services, clock: FakeClock) -> None:
    service = services.broadcasts
    await written(service)
    assert await service.start(await service.open_draft(ORGANIZER), ORGANIZER, 77) == 3
    bot = ScriptedBot()
    dispatcher = Dispatcher(services.outbox, bot, lambda d: render_delivery(services, d), clock)  # type: ignore[arg-type]
    assert await dispatcher.run(until_idle=True) == 3
    texts = dict(bot.sent)
    assert texts[2] == "مرحبا! السوق يفتح."
    assert texts[1] == texts[3] == "Bonjour !\n\nLe marché ouvre."


async def test_only_an_optional_language_can_be_left_out(services: Services) -> None:
    """French and Arabic are always written (as in the catalogue); Tamazight may be skipped,
    and its readers then read the first text."""
    service = services.broadcasts
    await service.to_texts(await service.open_draft(ORGANIZER))
    assert await service.skip_language(await service.open_draft(ORGANIZER)) is None  # French
    await service.write(await service.open_draft(ORGANIZER), "Bonjour")
    assert await service.skip_language(await service.open_draft(ORGANIZER)) is None  # Arabic
    await service.write(await service.open_draft(ORGANIZER), "مرحبا")
    assert await service.skip_language(await service.open_draft(ORGANIZER)) == PHOTO
    draft = await service.open_draft(ORGANIZER)
    assert draft.texts == {"fr": "Bonjour", "ar": "مرحبا"}
    assert text_for(draft, "zgh", "fr") == "Bonjour"


@pytest.mark.usefixtures("crowd")
async def test_one_text_for_everyone(services: Services) -> None:
    service = services.broadcasts
    await written(service, same=True)
    draft = await service.open_draft(ORGANIZER)
    assert draft.texts == {EVERYONE: "Bonjour !\n\nLe marché ouvre."}


async def test_empty_or_too_long_texts_are_refused_and_nothing_is_lost(
    services: Services,
) -> None:
    service = services.broadcasts
    await service.to_texts(await service.open_draft(ORGANIZER))
    for bad in (" \n ", "x" * 4097):
        with pytest.raises(ValidationError):
            await service.write(await service.open_draft(ORGANIZER), bad)
    draft = await service.open_draft(ORGANIZER)
    assert draft.stage == "text:fr" and draft.texts == {}


async def test_a_photo_needs_a_text_that_fits_a_caption(services: Services) -> None:
    service = services.broadcasts
    await service.to_texts(await service.open_draft(ORGANIZER))
    await service.write(await service.open_draft(ORGANIZER), "x" * 1500)
    assert await service.same_text_for_everyone(await service.open_draft(ORGANIZER))
    with pytest.raises(ValidationError):
        await service.add_photo(await service.open_draft(ORGANIZER), "AgACphoto")
    assert (await service.open_draft(ORGANIZER)).stage == PHOTO


async def test_a_filter_outside_the_catalogue_is_refused(services: Services) -> None:
    service = services.broadcasts
    draft = await service.open_draft(ORGANIZER)
    assert await service.set_filter(draft, "phase", "ifrane-9") is None
    assert await service.set_filter(draft, "colour", "red") is None
    audience = await service.set_filter(draft, "phase", "ifrane-2")
    assert audience is not None
    draft = await service.open_draft(ORGANIZER)
    narrowed = await service.set_filter(draft, "market", "mohammedia")
    assert narrowed is not None and narrowed.phase is None  # ifrane-2 is not a Mohammedia phase


@pytest.mark.usefixtures("crowd")
async def test_progress_then_done_with_one_report(services: Services, clock: FakeClock) -> None:
    service = services.broadcasts
    draft_id = await written(service)
    await service.start(await service.open_draft(ORGANIZER), ORGANIZER, 77)
    await services.db.execute("UPDATE users SET blocked = 0")
    bot = ScriptedBot()
    from telegram.error import Forbidden

    bot.errors.append(Forbidden("Forbidden: bot was blocked by the user"))
    dispatcher = Dispatcher(services.outbox, bot, lambda d: render_delivery(services, d), clock)  # type: ignore[arg-type]
    assert not await service.finish_if_done(draft_id)
    await dispatcher.run(until_idle=True)
    progress = await service.progress(draft_id)
    assert (progress.sent, progress.blocked, progress.remaining) == (2, 1, 0)
    assert await service.finish_if_done(draft_id)
    assert not await service.finish_if_done(draft_id)  # the report is queued once
    clock.advance(seconds=2)
    await dispatcher.run(until_idle=True)
    report = bot.sent[-1]
    assert report[0] == ORGANIZER and "terminé" in report[1] and "2" in report[1]


@pytest.mark.usefixtures("crowd")
async def test_stopping_cancels_what_is_not_yet_sent(services: Services, clock: FakeClock) -> None:
    service = services.broadcasts
    draft_id = await written(service)
    await service.start(await service.open_draft(ORGANIZER), ORGANIZER, 77)
    assert await service.cancel(draft_id)
    assert not await service.cancel(draft_id)
    bot = ScriptedBot()
    dispatcher = Dispatcher(services.outbox, bot, lambda d: render_delivery(services, d), clock)  # type: ignore[arg-type]
    assert await dispatcher.run(until_idle=True) == 0
    assert (await service.progress(draft_id)).cancelled == 3


@pytest.mark.usefixtures("crowd")
async def test_after_a_crash_the_rest_is_sent_and_none_twice(
    services: Services, clock: FakeClock
) -> None:
    service = services.broadcasts
    draft_id = await written(service)
    await service.start(await service.open_draft(ORGANIZER), ORGANIZER, 77)
    in_flight = await services.outbox.claim_due(clock(), 1, skip=())  # then the process dies
    lost = await services.outbox.interrupted()
    assert [d.id for d in lost] == [d.id for d in in_flight]
    bot = ScriptedBot()
    dispatcher = Dispatcher(services.outbox, bot, lambda d: render_delivery(services, d), clock)  # type: ignore[arg-type]
    await dispatcher.run(until_idle=True)
    await dispatcher.run(until_idle=True)
    received = sorted(chat for chat, _ in bot.sent)
    assert received == sorted({1, 2, 3} - {lost[0].recipient_id})
    progress = await service.progress(draft_id)
    assert (progress.sent, progress.failed, progress.remaining) == (2, 1, 0)


async def test_starting_again_or_no_photo_leaves_no_old_photo(services: Services) -> None:
    """After "Start again", "Without a photo" kept the photo of the first attempt, which was
    sent with the new text, even one too long for a caption (found by the fuzz tests)."""
    service = services.broadcasts
    await written(service, same=True)
    await service.add_photo(await service.open_draft(ORGANIZER), "AgACphoto")
    assert (await service.open_draft(ORGANIZER)).photo == "AgACphoto"
    await service.back_to_audience(await service.open_draft(ORGANIZER))
    draft = await service.open_draft(ORGANIZER)
    assert draft.photo is None and draft.texts == {}
    await service.to_texts(draft)
    await service.write(await service.open_draft(ORGANIZER), "x" * 1500)
    await service.same_text_for_everyone(await service.open_draft(ORGANIZER))
    await service.add_photo(await service.open_draft(ORGANIZER), None)
    draft = await service.open_draft(ORGANIZER)
    assert draft.stage == PREVIEW and draft.photo is None


async def visitor(db: Database, clock: FakeClock, user_id: int, locale: str | None) -> None:
    """Someone who opened the bot and never applied."""
    stamp = clock().isoformat()
    await db.execute(
        "INSERT INTO users (id, locale, first_name, first_seen, last_seen) VALUES (?, ?, '', ?, ?)",
        (user_id, locale, stamp, stamp),
    )


@pytest.fixture
async def visitors(db: Database, clock: FakeClock, crowd: None, services: Services) -> None:
    """The crowd (8 applicants or drafts, one of whom blocked the bot), and more people: 20, 21
    and 22 (no language chosen yet: French) never applied; 23 blocked the bot; 24 had their data
    erased; 25 had their data erased and applied again; the organizer."""
    for user_id, locale in ((20, "fr"), (21, "ar"), (22, None), (23, "fr")):
        await visitor(db, clock, user_id, locale)
    await db.execute("UPDATE users SET blocked = 1 WHERE id = 23")
    await applicant(db, clock, 24, locale="ar")
    await applicant(db, clock, 25, locale="ar")
    await services.privacy.repository.erase_user(24, (), clock())
    await services.privacy.repository.erase_user(25, (), clock())
    await applicant(db, clock, 25, status="draft", locale="ar")
    await visitor(db, clock, ORGANIZER, "fr")
    await db.execute(
        "INSERT INTO roles (user_id, role, granted_by, granted_at) VALUES (?, 'organizer', 0, ?)",
        (ORGANIZER, clock().isoformat()),
    )


@pytest.mark.usefixtures("visitors")
@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        # 1-7 (8 blocked the bot), 20-22, and 25 who applied again after an erasure.
        (Audience(status="everyone"), [1, 2, 3, 4, 5, 6, 7, 20, 21, 22, 25]),
        (Audience(status="everyone", language="fr"), [1, 3, 4, 6, 7, 20, 22]),
        (Audience(status="everyone", language="ar"), [2, 5, 21, 25]),
        (Audience(status="drafts"), [6, 25]),
        (Audience(status="drafts", language="ar"), [25]),
        (Audience(status="drafts", market="mohammedia"), []),
    ],
)
async def test_everyone_who_started_the_bot_and_unsent_drafts(
    services: Services, audience: Audience, expected: list[int]
) -> None:
    service = services.broadcasts
    assert await service.reach(audience) == len(expected)
    draft = await service.open_draft(ORGANIZER)
    await services.db.execute(
        "UPDATE broadcasts SET audience = ?, stage = 'preview', texts = '{\"*\": \"x\"}'"
        " WHERE id = ?",
        (audience.to_json(), draft.id),
    )
    assert await service.start(await service.open_draft(ORGANIZER), ORGANIZER, 77) == len(expected)
    rows = await services.db.fetchall("SELECT recipient_id FROM deliveries ORDER BY recipient_id")
    assert [row[0] for row in rows] == expected


async def test_everyone_keeps_only_the_language_filter(services: Services) -> None:
    service = services.broadcasts
    draft = await service.open_draft(ORGANIZER)
    assert await service.set_filter(draft, "phase", "ifrane-2") is not None
    assert await service.set_filter(await service.open_draft(ORGANIZER), "language", "ar")
    everyone = await service.set_filter(await service.open_draft(ORGANIZER), "status", "everyone")
    assert everyone == Audience(status="everyone", language="ar")  # the phase is dropped
    draft = await service.open_draft(ORGANIZER)
    assert await service.set_filter(draft, "market", "ifrane") is None  # not on offer
    assert service.options("sector", draft.audience) == []
    back = await service.set_filter(draft, "status", "drafts")
    assert back == Audience(status="drafts", language="ar")
