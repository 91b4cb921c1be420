"""Structures as their filers use them: a facilitator's consent, the profile reused and
updated, decisions and reminders that name the structure, erasure."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.catalogue import Catalogue
from bot.context import Services
from bot.questionnaire import BY_KEY, Ask
from bot.services.applications import ApplicationService, Draft
from bot.services.exports import export_columns
from bot.services.stats import phase_stats, stats_text
from bot.views.console import card_text
from bot.views.privacy import my_data_document, my_data_lines
from bot.wiring import render_delivery
from storage.applications import Application
from storage.db import Database
from storage.reports import ReportRepository
from tests.bot.services.test_applications import fill
from tests.conftest import FakeClock

AMAL = {"structure_name": "Coopérative Amal", "coop_register": "77/2020", "phone": "+212698765432"}


async def send(
    service: ApplicationService,
    user_id: int,
    phase: str = "ifrane-1",
    structure_id: int | None = None,
    facilitator: bool = False,
    **answers: object,
) -> Application:
    started = await service.start(user_id, phase, structure_id, through_facilitator=facilitator)
    assert isinstance(started, Draft), started
    result = await service.submit(await fill(service, user_id, answers))
    assert isinstance(result, Application), result
    return result


async def test_a_facilitators_consent_is_recorded_as_given_through_them(
    services: Services, db: Database, clock: FakeClock
) -> None:
    await services.users.touch(1, "Animatrice", clock())
    service = services.applications
    sent = await send(service, 1, facilitator=True)
    row = await db.fetchone(
        "SELECT c.through_facilitator, a.facilitated FROM applications AS a"
        " JOIN consents AS c ON c.id = a.consent_id WHERE a.id = ?",
        (sent.id,),
    )
    assert row is not None and tuple(row) == (1, 1)
    structure = await service.structure_of(1, sent.structure_id or 0)
    assert structure is not None and not structure.contact_is_filer
    own = await send(service, 1, "ifrane-2", **AMAL)
    mine = await service.structure_of(1, own.structure_id or 0)
    assert mine is not None and mine.contact_is_filer


async def test_decisions_and_reminders_name_the_structure(
    services: Services, db: Database, clock: FakeClock, catalogue: Catalogue
) -> None:
    await services.users.touch(1, "Animatrice", clock())
    service = services.applications
    await send(service, 1, facilitator=True)
    amal = await send(service, 1, facilitator=True, **AMAL)
    await db.execute("UPDATE deliveries SET status = 'sent'")
    await service.set_status(amal.id, "accepted", actor_id=9)
    (decision,) = await services.outbox.claim_due(clock(), 10, skip=())
    rendered = await render_delivery(services, decision)
    assert rendered is not None
    assert rendered.text.startswith("🏢 Coopérative Amal\n") and "Tifawin" not in rendered.text
    await service.respond_to_offer(1, amal.id, confirm=True)
    await db.execute("UPDATE deliveries SET status = 'sent' WHERE kind = 'notification'")
    phase = catalogue.phase("ifrane-1")
    assert phase is not None
    clock.now = phase.starts - timedelta(days=1)
    due = await services.outbox.claim_due(clock(), 10, skip=())
    reminders = [d for d in due if d.template == "phase_soon"]
    assert reminders
    rendered = await render_delivery(services, reminders[0])
    assert rendered is not None and rendered.text.startswith("🏢 Coopérative Amal\n")


async def test_a_changed_answer_may_update_the_profile(
    services: Services, clock: FakeClock
) -> None:
    await services.users.touch(1, "Fatima", clock())
    service = services.applications
    first = await send(service, 1)
    assert first.structure_id is not None
    draft = await service.start(1, "ifrane-2", first.structure_id)
    assert isinstance(draft, Draft)
    assert await service.profile_changes(draft) is None  # the profile as it was
    await service.answer(draft, BY_KEY["town"], "Ifrane centre")
    draft = await service.draft(1)
    assert draft is not None
    changes = await service.profile_changes(draft)
    assert changes is not None and changes[1] == ["town"]
    await fill(service, 1)
    submitted = await service.submit(await fill(service, 1))
    assert isinstance(submitted, Application)
    stored = await service.structure_of(1, first.structure_id)
    assert stored is not None and stored.profile["town"] == "Azrou"  # not without asking
    assert await service.update_profile(draft) is not None
    stored = await service.structure_of(1, first.structure_id)
    assert stored is not None and stored.profile["town"] == "Ifrane centre"
    again = await service.start(1, "mohammedia-1", first.structure_id)
    assert isinstance(again, Draft) and again.values["town"] == "Ifrane centre"
    step = again.step
    assert isinstance(step, Ask) and step.question.key == "stand_needs"


async def test_erasing_a_filer_clears_every_structure(
    services: Services, db: Database, clock: FakeClock
) -> None:
    await services.users.touch(1, "Animatrice", clock())
    service = services.applications
    await send(service, 1, facilitator=True)
    await send(service, 1, facilitator=True, **AMAL)
    assert len(await service.structures(1)) == 2
    await services.privacy.erase(1)
    assert await service.structures(1) == []
    rows = await db.fetchall("SELECT name, phone, filer_id, erased_at FROM structures")
    assert rows and all(r[0] is None and r[1] is None and r[2] < 0 and r[3] for r in rows)


async def test_organizers_see_structures_and_their_filer(
    services: Services, db: Database, clock: FakeClock, catalogue: Catalogue
) -> None:
    await services.users.touch(1, "Animatrice", clock())
    await services.users.touch(2, "Fatima", clock())
    service, t = services.applications, services.i18n.translator("fr")
    tifawin = await send(service, 1, facilitator=True)
    amal = await send(service, 1, facilitator=True, **AMAL)
    own = await send(
        service, 2, structure_name="Coopérative Nour", coop_register="9/2020", phone="+212677777777"
    )
    # The card: filed by a facilitator, for how many structures.
    card = await service.correction_of(1, amal.id)
    assert card is not None
    filed_for = await services.console.structures_filed(1)
    text = card_text(t, catalogue, card, [], filed_for=filed_for)
    assert "🤝 Déposée par un intermédiaire, pour 2 structures" in text
    mine = await service.correction_of(2, own.id)
    assert mine is not None
    alone = await services.console.structures_filed(2)
    assert "Déposée par" not in card_text(t, catalogue, mine, [], filed_for=alone)
    # /find by the structure's stored name: every application of that structure.
    found = await services.console.search("Amal")
    assert [a.id for a in found] == [amal.id]
    # The export: structure id, filing account, by whom.
    rows = await ReportRepository(db).applications_for_export(["ifrane-1"])
    form = service.form_for("ifrane-1")
    assert form is not None
    columns = export_columns(t, form)
    table = {r.id: {h: render(r) for h, render in columns} for r in rows}
    assert table[tifawin.id]["Structure n°"] == str(tifawin.structure_id)
    assert table[amal.id]["Compte déposant"] == "1" and table[own.id]["Compte déposant"] == "2"
    assert table[amal.id]["Déposée par"] == "un intermédiaire"
    assert table[own.id]["Déposée par"] == "la structure"
    # /stats: three structures, filed by two accounts.
    phase = catalogue.phase("ifrane-1")
    assert phase is not None
    stats = await phase_stats(ReportRepository(db), service.repository, phase)
    assert (stats.structures, stats.filers) == (3, 2)
    market = catalogue.market("ifrane")
    assert market is not None
    assert "3 structures, déposées par 2 compte(s)" in stats_text(t, market, [stats], catalogue)


async def test_a_filer_erases_one_structure_and_keeps_the_others(
    services: Services, db: Database, clock: FakeClock, catalogue: Catalogue
) -> None:
    await services.users.touch(1, "Animatrice", clock())
    service = services.applications
    tifawin = await send(service, 1, facilitator=True)
    amal = await send(service, 1, facilitator=True, **AMAL)
    mine = await services.privacy.my_data(1)
    assert [(s.name, refs) for s, refs in mine.structures] == [
        ("Tifawin", (tifawin.reference,)),
        ("Coopérative Amal", (amal.reference,)),
    ]
    t = services.i18n.translator("fr")
    text = "\n".join(my_data_lines(t, catalogue, mine))
    assert "🏢 Les structures pour lesquelles vous déposez" in text
    assert "Coopérative Amal (par votre intermédiaire" in text
    document = json.loads(my_data_document(t, catalogue, mine))
    assert [s["name"] for s in document["structures"]] == [
        "Tifawin",
        "Coopérative Amal",
    ]
    assert await services.privacy.erase_structure(2, amal.structure_id or 0) is None  # not theirs
    erasure = await services.privacy.erase_structure(1, amal.structure_id or 0)
    assert erasure is not None and erasure.withdrawn == 1 and erasure.erased.applications == 1
    assert [s.name for s in await service.structures(1)] == ["Tifawin"]
    kept = await service.repository.get(tifawin.id)
    gone = await service.repository.get(amal.id)
    assert kept is not None and kept.status == "submitted" and kept.user_id == 1
    assert gone is not None and gone.status == "withdrawn" and gone.user_id < 0
    assert await service.repository.answers(amal.id) == {}
    assert (await service.repository.answers(tifawin.id))["structure_name"].value == "Tifawin"
