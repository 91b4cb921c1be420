"""The decision door owns its consequences: every change of an application writes its
reminders in its own transaction, so no caller has to remember to recompute them."""

from __future__ import annotations

from bot.catalogue import Catalogue
from bot.questionnaire import BY_KEY
from bot.services.applications import ApplicationService, Draft
from storage.applications import Application, ApplicationRepository
from storage.catalogue import CatalogueRepository
from storage.db import Database
from storage.statuses import Status
from storage.users import UserRepository
from tests.bot.services.test_applications import fill, started
from tests.conftest import FakeClock


async def pending_reminders(db: Database, application_id: int) -> list[str]:
    rows = await db.fetchall(
        "SELECT template, params FROM deliveries WHERE kind = 'reminder' AND status = 'pending'"
        " AND json_extract(params, '$.application_id') = ? ORDER BY not_before",
        (application_id,),
    )
    return [row["template"] for row in rows]


async def service_for(db: Database, catalogue: Catalogue, clock: FakeClock) -> ApplicationService:
    await UserRepository(db).touch(1, "U", clock())
    return ApplicationService(ApplicationRepository(db), CatalogueRepository(db), catalogue, clock)


async def accepted(service: ApplicationService) -> Application:
    """User 1's application, sent and accepted."""
    await started(service, 1)
    sent = await service.submit(await fill(service, 1))
    assert isinstance(sent, Application)
    await service.set_status(sent.id, Status.ACCEPTED, actor_id=9)
    return sent


async def test_each_change_plans_and_cancels_its_own_reminders(
    db: Database, catalogue: Catalogue, clock: FakeClock
) -> None:
    service = await service_for(db, catalogue, clock)
    draft = await started(service, 1)
    app_id = draft.application.id
    assert await pending_reminders(db, app_id) == ["draft_deadline"]  # a new draft

    sent = await service.submit(await fill(service, 1))
    assert isinstance(sent, Application)
    assert await pending_reminders(db, app_id) == []  # sent: nothing to finish any more

    await service.set_status(app_id, Status.ACCEPTED, actor_id=9)
    assert sorted(await pending_reminders(db, app_id)) == [
        "confirm_soon",
        "phase_soon",
        "phase_soon",
    ]
    await service.respond_to_offer(1, app_id, confirm=True)
    assert await pending_reminders(db, app_id) == ["phase_soon", "phase_soon"]

    await service.withdraw(1, app_id)
    assert await pending_reminders(db, app_id) == []


async def test_a_training_chosen_by_a_correction_gets_its_reminders(
    db: Database, catalogue: Catalogue, clock: FakeClock
) -> None:
    service = await service_for(db, catalogue, clock)
    sent = await accepted(service)
    correction = await service.correction_of(1, sent.id)
    assert correction is not None and await service.start_correction(correction, "trainings")
    editing = await service.in_progress(1)
    assert isinstance(editing, Draft)
    await service.toggle(editing, BY_KEY["trainings"], "ifrane-1-admin")
    editing = await service.in_progress(1)
    assert isinstance(editing, Draft)
    await service.finish(editing, BY_KEY["trainings"])
    assert (await pending_reminders(db, sent.id)).count("training_soon") == 2


async def test_a_cancelled_draft_leaves_no_reminder(
    db: Database, catalogue: Catalogue, clock: FakeClock
) -> None:
    service = await service_for(db, catalogue, clock)
    draft = await started(service, 1)
    assert await service.cancel(draft)
    assert await pending_reminders(db, draft.application.id) == []


async def test_turning_reminders_off_replans_at_once(
    db: Database, catalogue: Catalogue, clock: FakeClock
) -> None:
    service = await service_for(db, catalogue, clock)
    sent = await accepted(service)
    await service.set_reminders_off(1, True, UserRepository(db))
    # The week-before reminder stops; the day before and the confirmation stay.
    assert sorted(await pending_reminders(db, sent.id)) == ["confirm_soon", "phase_soon"]
