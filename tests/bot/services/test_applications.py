"""The application service on a real SQLite file: drafts, answers, submission, status."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.catalogue import Catalogue
from bot.questionnaire import BY_KEY, Ask, Review
from bot.services.applications import ApplicationService, Draft, Duplicate, Outcome, Refusal
from bot.validation import ValidationError
from storage.applications import Application, ApplicationRepository, Conflict
from storage.catalogue import CatalogueRepository
from storage.db import Database
from storage.users import UserRepository
from tests.conftest import FakeClock


@pytest.fixture
async def service(db: Database, catalogue: Catalogue, clock: FakeClock) -> ApplicationService:
    for user_id in (1, 2, 3):
        await UserRepository(db).touch(user_id, "U", clock())
    return ApplicationService(ApplicationRepository(db), CatalogueRepository(db), catalogue, clock)


ANSWERS = {
    "legal_form": "cooperative",
    "structure_name": "Tifawin",
    "coop_register": "12/2019",
    "province": "ifrane",
    "town": "Azrou",
    "sector": "crafts",
    "products": "Tapis",
    "members": 12,
    "women_members": 9,
    "led_by": "women",
    "contact_name": "Fatima",
    "phone": "+212612345678",
    "stand_needs": [],
    "trainings": [],
    "programmes": [],
    "photos": None,
}


async def fill(
    service: ApplicationService, user_id: int, answers: dict[str, object] | None = None
) -> Draft:
    answers = {**ANSWERS, **(answers or {})}
    draft = await service.draft(user_id)
    assert draft is not None
    while isinstance(step := draft.step, Ask):
        await service.answer(draft, step.question, answers[step.question.key])
        refreshed = await service.draft(user_id)
        assert refreshed is not None
        draft = refreshed
    return draft


async def started(service: ApplicationService, user_id: int, phase: str = "ifrane-1") -> Draft:
    result = await service.start(user_id, phase)
    assert isinstance(result, Draft)
    return result


async def test_draft_persists_each_answer(service: ApplicationService) -> None:
    draft = await started(service, 1)
    await service.answer(draft, BY_KEY["legal_form"], "association")
    again = await service.draft(1)
    assert again is not None and again.values == {"legal_form": "association"}
    step = again.step
    assert isinstance(step, Ask) and step.question.key == "structure_name"


async def test_consent_again_keeps_the_draft_of_that_phase(service: ApplicationService) -> None:
    draft = await started(service, 1)
    await service.answer(draft, BY_KEY["legal_form"], "association")
    again = await started(service, 1)  # an older consent screen, pressed again
    assert again.application.id == draft.application.id
    assert again.values == {"legal_form": "association"}
    other = await started(service, 1, "ifrane-2")  # another phase: a new draft
    assert other.application.phase_code == "ifrane-2" and other.values == {}


async def test_submit_gives_reference_and_status(service: ApplicationService) -> None:
    await started(service, 1, "ifrane-2")
    draft = await fill(service, 1)
    assert isinstance(draft.step, Review)
    submitted = await service.submit(draft)
    assert isinstance(submitted, Application)
    assert submitted.status == "submitted"
    assert submitted.reference == "IFR-2-0001"
    assert await service.draft(1) is None


async def test_second_application_same_phone_is_a_duplicate(service: ApplicationService) -> None:
    await started(service, 1)
    first = await service.submit(await fill(service, 1))
    assert isinstance(first, Application)
    await started(service, 2)
    draft = await fill(service, 2, {"coop_register": None})
    result = await service.submit(draft)
    assert isinstance(result, Duplicate) and result.existing.id == first.id
    # A different phone and register: accepted, with the next reference.
    await service.answer(draft, BY_KEY["phone"], "+212698765432")
    refreshed = await service.draft(2)
    assert refreshed is not None
    second = await service.submit(refreshed)
    assert isinstance(second, Application) and second.reference == "IFR-1-0002"


async def test_two_drafts_with_one_phone_sent_at_once_make_one_application(
    service: ApplicationService, clock: FakeClock
) -> None:
    """Both passed the service's duplicate check before either was sent (two users' updates
    run concurrently): the check inside the submitting transaction stops the second."""
    drafts = []
    for user_id in (1, 2):
        await started(service, user_id)
        drafts.append(await fill(service, user_id, {"coop_register": f"{user_id}/2020"}))
    submit = service.repository.submit
    first = await submit(drafts[0].application.id, "IFR", 1, "+212612345678", "1/2020", clock())
    second = await submit(drafts[1].application.id, "IFR", 1, "+212612345678", "2/2020", clock())
    assert isinstance(first, Application)
    assert isinstance(second, Conflict) and second.existing.id == first.id
    assert await service.draft(2) is not None  # still a draft, to correct


async def test_a_structure_cannot_apply_twice_to_a_phase(service: ApplicationService) -> None:
    await started(service, 1)
    first = await service.submit(await fill(service, 1))
    assert isinstance(first, Application) and first.structure_id is not None
    verdict = await service.can_apply("ifrane-1", first.structure_id)
    assert isinstance(verdict, Application) and verdict.id == first.id
    assert await service.can_apply("ifrane-2", first.structure_id) is None
    # The account may file for another structure in the same phase.
    assert await service.can_apply("ifrane-1") is None
    again = await service.start(1, "ifrane-1", first.structure_id)
    assert isinstance(again, Application) and again.id == first.id


async def test_a_facilitator_files_two_structures_in_one_phase(
    service: ApplicationService,
) -> None:
    await started(service, 1)
    first = await service.submit(await fill(service, 1))
    await started(service, 1)
    other = {"structure_name": "Amal", "coop_register": "77/2020", "phone": "+212698765432"}
    second = await service.submit(await fill(service, 1, other))
    assert isinstance(first, Application) and isinstance(second, Application)
    assert second.reference == "IFR-1-0002"
    assert first.structure_id != second.structure_id
    await started(service, 1)
    third = await service.submit(
        await fill(service, 1, {**other, "phone": "+212611111111", "coop_register": "12/2019"})
    )
    assert isinstance(third, Duplicate) and third.existing.id == first.id


async def test_a_known_structure_answers_from_its_profile(service: ApplicationService) -> None:
    await started(service, 1)
    first = await service.submit(await fill(service, 1))
    assert isinstance(first, Application) and first.structure_id is not None
    draft = await service.start(1, "ifrane-2", first.structure_id)
    assert isinstance(draft, Draft) and draft.application.structure_id == first.structure_id
    profile = {k: v for k, v in ANSWERS.items() if k not in {"stand_needs", "trainings", "photos"}}
    assert draft.values == profile
    step = draft.step
    assert isinstance(step, Ask) and step.question.key == "stand_needs"
    # Someone else's structure is not theirs to apply with.
    assert await service.start(2, "ifrane-2", first.structure_id) is Refusal.UNKNOWN_PHASE


async def test_deadline_passed_refuses(
    service: ApplicationService, clock: FakeClock, catalogue: Catalogue
) -> None:
    phase = catalogue.phase("ifrane-1")
    assert phase is not None
    clock.now = phase.application_deadline + timedelta(minutes=1)
    assert await service.can_apply("ifrane-1") is Refusal.DEADLINE_PASSED
    availability = await service.availability(phase)
    assert not availability.open


async def test_cross_answer_rule_refuses_and_keeps_draft(service: ApplicationService) -> None:
    await started(service, 1)
    draft = await fill(service, 1)
    await service.edit(draft, "women_members")
    draft = await service.draft(1)  # type: ignore[assignment]
    with pytest.raises(ValidationError):
        await service.answer(draft, BY_KEY["women_members"], 50)
    kept = await service.draft(1)
    assert kept is not None and kept.values["women_members"] == 9


async def test_edit_returns_to_summary(service: ApplicationService) -> None:
    await started(service, 1)
    draft = await fill(service, 1)
    assert await service.edit(draft, "town")
    editing = await service.draft(1)
    assert editing is not None
    step = editing.step
    assert isinstance(step, Ask) and step.question.key == "town"
    await service.answer(editing, BY_KEY["town"], "Ifrane")
    after = await service.draft(1)
    assert after is not None and isinstance(after.step, Review)
    assert after.values["town"] == "Ifrane"


async def test_multi_select_toggles_then_done(service: ApplicationService) -> None:
    await started(service, 1)
    draft = await fill(service, 1, {})
    await service.edit(draft, "stand_needs")
    draft = await service.draft(1)  # type: ignore[assignment]
    question = BY_KEY["stand_needs"]
    await service.toggle(draft, question, "electricity")
    draft = await service.draft(1)  # type: ignore[assignment]
    await service.toggle(draft, question, "table")
    draft = await service.draft(1)  # type: ignore[assignment]
    await service.toggle(draft, question, "electricity")
    draft = await service.draft(1)  # type: ignore[assignment]
    assert draft.pending(question) == ["table"]
    with pytest.raises(ValidationError):
        await service.toggle(draft, question, "forged")
    await service.finish(draft, question)
    done = await service.draft(1)
    assert done is not None and done.values["stand_needs"] == ["table"]


async def test_only_a_multi_select_takes_ticks_and_done(service: ApplicationService) -> None:
    """Forged `t:`/`d:` buttons on other questions: refused, nothing saved (the fuzz tests
    found Done storing [] as the structure's name, and a tick stored on a choice)."""
    draft = await started(service, 1)
    with pytest.raises(ValidationError):  # a choice question, with one of its own codes
        await service.toggle(draft, BY_KEY["legal_form"], "cooperative")
    with pytest.raises(ValidationError):
        await service.finish(draft, BY_KEY["legal_form"])
    await service.answer(draft, BY_KEY["legal_form"], "association")
    draft = await service.draft(1)  # type: ignore[assignment]
    with pytest.raises(ValidationError):  # a text question
        await service.finish(draft, BY_KEY["structure_name"])
    with pytest.raises(ValidationError):  # photos: Skip, not Done, before the first photo
        await service.finish(draft, BY_KEY["photos"])
    again = await service.draft(1)
    assert again is not None and again.answers.keys() == {"legal_form"}
    await service.add_photo(again, BY_KEY["photos"], "AgACphoto")
    again = await service.draft(1)
    assert again is not None
    await service.finish(again, BY_KEY["photos"])
    done = await service.draft(1)
    assert done is not None and done.values["photos"] == ["AgACphoto"]


async def test_withdraw_only_own_live_application(service: ApplicationService) -> None:
    await started(service, 1)
    submitted = await service.submit(await fill(service, 1))
    assert isinstance(submitted, Application)
    assert await service.withdraw(2, submitted.id) is None
    withdrawn = await service.withdraw(1, submitted.id)
    assert withdrawn is not None and [c.status for c in withdrawn] == ["withdrawn"]
    assert await service.withdraw(1, submitted.id) is None  # already withdrawn
    application = await service.repository.get(submitted.id)
    assert application is not None and application.status == "withdrawn"


async def test_set_status_refuses_illegal_transition(service: ApplicationService) -> None:
    await started(service, 1)
    submitted = await service.submit(await fill(service, 1))
    assert isinstance(submitted, Application)
    assert await service.set_status(submitted.id, "confirmed", actor_id=9) == (Outcome.ILLEGAL, [])
    outcome, changes = await service.set_status(submitted.id, "accepted", actor_id=9)
    assert outcome is Outcome.DONE and changes[0].status == "accepted"
    assert changes[0].deadline is not None
    assert (await service.repository.places_taken("ifrane-1")) == 1


async def test_cancel_draft_deletes_answers(service: ApplicationService, db: Database) -> None:
    await started(service, 1)
    draft = await fill(service, 1)
    assert await service.cancel(draft)
    assert await service.draft(1) is None
    row = await db.fetchone("SELECT COUNT(*) FROM answers")
    assert row is not None and row[0] == 0


async def accepted(service: ApplicationService, user_id: int, phase: str = "ifrane-1") -> int:
    await started(service, user_id, phase)
    application = await service.submit(
        await fill(service, user_id, {"phone": f"+2126000000{user_id:02d}", "coop_register": None})
    )
    assert isinstance(application, Application)
    return application.id


async def test_capacity_is_never_exceeded_and_waitlist_gets_the_freed_place(
    db: Database, catalogue: Catalogue, clock: FakeClock
) -> None:
    await db.execute("UPDATE phases SET capacity = 1 WHERE code = 'ifrane-1'")
    for user_id in (1, 2, 3):
        await UserRepository(db).touch(user_id, "U", clock())
    service = ApplicationService(
        ApplicationRepository(db), CatalogueRepository(db), catalogue, clock
    )
    first, second, third = [await accepted(service, u) for u in (1, 2, 3)]
    assert (await service.set_status(first, "accepted", actor_id=9))[0] is Outcome.DONE
    assert (await service.set_status(second, "accepted", actor_id=9))[0] is Outcome.FULL
    assert (await service.set_status(second, "waitlisted", actor_id=9))[0] is Outcome.DONE
    assert (await service.set_status(third, "waitlisted", actor_id=9))[0] is Outcome.DONE
    # The accepted exhibitor declines: the first on the waiting list gets an offer.
    changes = await service.respond_to_offer(1, first, confirm=False)
    assert changes is not None
    assert [(c.application_id, c.status) for c in changes] == [
        (first, "declined"),
        (second, "offered"),
    ]
    # The offer is not confirmed in time (by the end of the 3rd day after it): it expires and
    # passes to the next.
    clock.advance(days=3)
    assert await service.expire_overdue() == []
    clock.advance(days=1)
    expired = await service.expire_overdue()
    assert [(c.application_id, c.status) for c in expired] == [
        (second, "expired"),
        (third, "offered"),
    ]
    assert await service.repository.places_taken("ifrane-1") == 1


async def test_two_organizers_accepting_the_last_place_at_once(
    db: Database, catalogue: Catalogue, clock: FakeClock
) -> None:
    import asyncio

    await db.execute("UPDATE phases SET capacity = 1 WHERE code = 'ifrane-1'")
    for user_id in (1, 2):
        await UserRepository(db).touch(user_id, "U", clock())
    service = ApplicationService(
        ApplicationRepository(db), CatalogueRepository(db), catalogue, clock
    )
    first, second = [await accepted(service, u) for u in (1, 2)]
    results = await asyncio.gather(
        service.set_status(first, "accepted", actor_id=8),
        service.set_status(second, "accepted", actor_id=9),
    )
    assert sorted(outcome for outcome, _ in results) == [Outcome.DONE, Outcome.FULL]
    assert await service.repository.places_taken("ifrane-1") == 1


async def test_closed_phase_refuses_new_applications(
    service: ApplicationService, db: Database
) -> None:
    phases = CatalogueRepository(db)
    assert await phases.set_applications_open("ifrane-1", False)
    assert await service.can_apply("ifrane-1") is Refusal.CLOSED
    assert await phases.set_applications_open("ifrane-1", True)
    assert await service.can_apply("ifrane-1") is None
    assert not await phases.set_applications_open("atlantis-1", False)
