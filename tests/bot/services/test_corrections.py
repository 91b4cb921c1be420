"""Corrections of sent applications: same questions, recorded changes, duplicates' copies."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.catalogue import Catalogue
from bot.i18n import I18n
from bot.questionnaire import BY_KEY, Ask, Review
from bot.services.applications import ApplicationService, Draft
from bot.views import console
from storage.applications import Application, ApplicationRepository
from storage.catalogue import CatalogueRepository
from storage.db import Database
from storage.users import UserRepository
from tests.bot.services.test_applications import fill, started
from tests.conftest import FakeClock


@pytest.fixture
async def service(db: Database, catalogue: Catalogue, clock: FakeClock) -> ApplicationService:
    for user_id in (1, 2):
        await UserRepository(db).touch(user_id, "U", clock())
    return ApplicationService(ApplicationRepository(db), CatalogueRepository(db), catalogue, clock)


async def sent(service: ApplicationService, user_id: int = 1) -> Draft:
    await started(service, user_id, "ifrane-2")
    own = {"phone": f"+21261234560{user_id}", "coop_register": f"{user_id}/2019"}
    application = await service.submit(await fill(service, user_id, own))
    assert isinstance(application, Application)
    draft = await service.correction_of(user_id, application.id)
    assert draft is not None
    return draft


async def current(service: ApplicationService, user_id: int = 1) -> Draft:
    draft = await service.in_progress(user_id)
    assert draft is not None
    return draft


async def test_a_correction_is_saved_and_recorded(
    service: ApplicationService, clock: FakeClock
) -> None:
    draft = await sent(service)
    assert await service.start_correction(draft, "town")
    editing = await current(service)
    assert editing.application.id == draft.application.id
    step = editing.step
    assert isinstance(step, Ask) and step.question.key == "town"
    clock.advance(hours=1)
    await service.parse_and_answer(editing, BY_KEY["town"], "Azrou centre")
    after = await service.reload(draft)
    assert after is not None and after.values["town"] == "Azrou centre"
    assert after.application.editing is None and isinstance(after.step, Review)
    assert after.application.status == "submitted"
    corrections = await service.repository.corrections(draft.application.id)
    assert corrections == [("town", clock().isoformat())]
    assert await service.in_progress(1) is None  # nothing left to answer
    # The organizers' card says so.
    t = I18n().translator("fr")
    text = console.card_text(t, service.catalogue, after, [], corrections)
    assert "Modifiée par le candidat" in text and "Ville" in text


async def test_a_new_legal_form_asks_its_register_and_moves_the_copies(
    service: ApplicationService, db: Database
) -> None:
    draft = await sent(service)
    assert await service.start_correction(draft, "legal_form")
    await service.answer(await current(service), BY_KEY["legal_form"], "tpe")
    chained = await current(service)
    step = chained.step
    assert isinstance(step, Ask) and step.question.key == "ice"
    assert "coop_register" not in chained.answers
    row = await db.fetchone(
        "SELECT identifier FROM applications WHERE id = ?", (draft.application.id,)
    )
    assert row is not None and row[0] is None
    await service.parse_and_answer(chained, BY_KEY["ice"], "001234567000089")
    await service.start_correction(chained, "phone")
    await service.parse_and_answer(await current(service), BY_KEY["phone"], "0677889900")
    row = await db.fetchone(
        "SELECT identifier, phone, editing FROM applications WHERE id = ?",
        (draft.application.id,),
    )
    assert row is not None and tuple(row) == ("001234567000089", "+212677889900", None)
    keys = [key for key, _ in await service.repository.corrections(draft.application.id)]
    assert keys == ["legal_form", "coop_register", "ice", "phone"]
    # Duplicate detection follows the corrected phone.
    found = await service.repository.search("+212677889900")
    assert [a.id for a in found] == [draft.application.id]


async def test_ticks_left_half_way_are_kept_and_recorded(service: ApplicationService) -> None:
    draft = await sent(service)
    await service.start_correction(draft, "stand_needs")
    await service.toggle(await current(service), BY_KEY["stand_needs"], "electricity")
    await service.leave_edit(await current(service))  # "Back to the summary"
    after = await service.reload(draft)
    assert after is not None and after.values["stand_needs"] == ["electricity"]
    assert after.application.editing is None
    keys = [key for key, _ in await service.repository.corrections(draft.application.id)]
    assert keys == ["stand_needs"]


async def test_an_unchanged_answer_is_not_recorded(service: ApplicationService) -> None:
    draft = await sent(service)
    await service.start_correction(draft, "sector")
    await service.answer(await current(service), BY_KEY["sector"], draft.values["sector"])
    assert await service.repository.corrections(draft.application.id) == []


async def test_answers_go_to_the_correction_before_the_draft_until_it_ends(
    service: ApplicationService,
) -> None:
    draft = await sent(service)
    await started(service, 1, "ifrane-3")
    assert (await current(service)).application.status == "draft"
    await service.start_correction(draft, "town")
    assert (await current(service)).application.id == draft.application.id
    new_draft = await service.draft(1)
    assert new_draft is not None
    preferred = await service.in_progress(1, prefer=new_draft.application.id)
    assert preferred is not None and preferred.application.id == new_draft.application.id
    await service.end_corrections(1)  # e.g. the applicant resumes the draft
    assert (await current(service)).application.id == new_draft.application.id


async def test_only_live_applications_of_phases_not_over_may_be_corrected(
    service: ApplicationService, clock: FakeClock
) -> None:
    draft = await sent(service)
    other = await sent(service, 2)
    await service.set_status(other.application.id, "rejected", actor_id=9, reason="incomplete")
    assert await service.correction_of(2, other.application.id) is None
    assert await service.correction_of(2, draft.application.id) is None  # not theirs
    assert not await service.start_correction(draft, "no_such_question")
    assert not await service.start_correction(draft, "ice")  # does not apply to a cooperative
    phase = service.catalogue.phase("ifrane-2")
    assert phase is not None
    clock.now = phase.ends + timedelta(minutes=1)
    assert await service.correction_of(1, draft.application.id) is None
    assert await service.correctable(1) == []


async def test_a_question_added_since_sending_can_be_answered_as_a_correction(
    service: ApplicationService, db: Database
) -> None:
    draft = await sent(service)
    # A question the form did not have when this was sent: its answer is not there.
    await db.execute(
        "DELETE FROM answers WHERE application_id = ? AND question = 'programmes'",
        (draft.application.id,),
    )
    missing = await service.reload(draft)
    assert missing is not None
    step = missing.step
    assert isinstance(step, Ask) and step.question.key == "programmes"
    assert await service.in_progress(1) is None  # not asked unless the applicant opens /correct
    assert await service.start_correction(missing, "programmes")
    await service.finish(await current(service), BY_KEY["programmes"])
    done = await service.reload(draft)
    assert done is not None and isinstance(done.step, Review) and done.values["programmes"] == []


async def test_an_arabic_card_lists_corrected_answers_with_the_arabic_comma(
    service: ApplicationService, clock: FakeClock
) -> None:
    draft = await sent(service)
    for key, value in (("town", "Azrou centre"), ("products", "Miel de thym")):
        assert await service.start_correction(draft, key)
        clock.advance(minutes=5)
        await service.parse_and_answer(await current(service), BY_KEY[key], value)
    after = await service.reload(draft)
    assert after is not None
    corrections = await service.repository.corrections(draft.application.id)
    t = I18n().translator("ar")
    line = console.corrections_line(t, after, corrections)
    town, products = t.gettext(BY_KEY["town"].label), t.gettext(BY_KEY["products"].label)
    assert f"{town}، {products}" in line
