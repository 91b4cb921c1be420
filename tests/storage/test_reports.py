"""Report queries on a real SQLite file: what an export holds, counts, and query volume."""

from __future__ import annotations

import json

import pytest

from bot.catalogue import Catalogue
from bot.questionnaire import Ask
from bot.services.applications import ApplicationService, Draft
from storage.applications import Application, ApplicationRepository
from storage.catalogue import CatalogueRepository
from storage.db import Database
from storage.reports import ExportRow, ReportRepository
from storage.users import UserRepository
from tests.conftest import FakeClock

USERS = range(1, 9)

ANSWERS: dict[str, object] = {
    "legal_form": "cooperative",
    "structure_name": "تعاونية الأمل",
    "coop_register": None,
    "province": "ifrane",
    "town": "Azrou",
    "sector": "crafts",
    "products": "Tapis, zerbia",
    "members": 12,
    "women_members": 9,
    "led_by": "women",
    "contact_name": "Fatima Zahra",
    "phone": "+212612345600",
    "stand_needs": ["electricity", "table"],
    "trainings": ["ifrane-1-admin"],
    "programmes": [],
    "photos": ["file-a", "file-b"],
}


@pytest.fixture
async def service(db: Database, catalogue: Catalogue, clock: FakeClock) -> ApplicationService:
    for user_id in USERS:
        await UserRepository(db).touch(user_id, "U", clock())
    return ApplicationService(ApplicationRepository(db), CatalogueRepository(db), catalogue, clock)


async def started(service: ApplicationService, user_id: int, phase: str = "ifrane-1") -> Draft:
    result = await service.start(user_id, phase)
    assert isinstance(result, Draft)
    return result


async def fill(
    service: ApplicationService, user_id: int, answers: dict[str, object] | None = None
) -> Draft:
    answers = {**ANSWERS, "phone": f"+2126123456{user_id:02d}", **(answers or {})}
    draft = await service.draft(user_id)
    assert draft is not None
    while isinstance(step := draft.step, Ask):
        value = answers[step.question.key]
        if step.question.key == "trainings":  # each phase has its own sessions
            value = [f"{draft.form.phase.code}-admin"]
        await service.answer(draft, step.question, value)
        refreshed = await service.draft(user_id)
        assert refreshed is not None
        draft = refreshed
    return draft


async def submitted(
    service: ApplicationService,
    user_id: int,
    phase: str = "ifrane-1",
    answers: dict[str, object] | None = None,
) -> Application:
    await started(service, user_id, phase)
    application = await service.submit(await fill(service, user_id, answers))
    assert isinstance(application, Application)
    return application


async def test_export_has_every_sent_application_with_its_answers(
    service: ApplicationService, db: Database
) -> None:
    second_phase = await submitted(service, 1, "ifrane-2")
    products = 'Tapis "berbères"\nlaine \\ 100 %'
    first = await submitted(service, 2, "ifrane-1", {"sector": "beauty", "products": products})
    withdrawn = await submitted(service, 3, "ifrane-1")
    assert await service.withdraw(3, withdrawn.id)
    other_market = await submitted(service, 4, "mohammedia-1")
    await started(service, 5, "ifrane-1")  # a draft: never exported
    await fill(service, 5)
    await UserRepository(db).set_locale(2, "ar")

    rows = await ReportRepository(db).applications_for_export(["ifrane-2", "ifrane-1"])

    assert [row.id for row in rows] == [first.id, withdrawn.id, second_phase.id]
    assert other_market.id not in {row.id for row in rows}
    by_id = {row.id: row for row in rows}
    row = by_id[first.id]
    assert isinstance(row, ExportRow)
    assert row.reference == "IFR-1-0001" and row.phase_code == "ifrane-1"
    assert row.status == "submitted" and row.user_id == 2
    assert row.locale == "ar" and by_id[withdrawn.id].locale is None  # None: never chosen
    assert row.submitted_at is not None and row.updated_at and row.created_at
    assert row.answers["structure_name"] == "تعاونية الأمل"
    assert row.answers["sector"] == "beauty"
    assert row.answers["products"] == products
    assert row.answers["members"] == 12
    assert row.answers["stand_needs"] == ["electricity", "table"]
    assert row.answers["photos"] == ["file-a", "file-b"]
    assert by_id[withdrawn.id].status == "withdrawn"
    assert by_id[second_phase.id].answers["trainings"] == ["ifrane-2-admin"]


async def test_export_leaves_out_incomplete_answers(
    service: ApplicationService, db: Database
) -> None:
    application = await submitted(service, 1)
    await db.execute(
        "UPDATE answers SET complete = 0 WHERE application_id = ? AND question = 'programmes'",
        (application.id,),
    )
    [row] = await ReportRepository(db).applications_for_export(["ifrane-1"])
    assert "programmes" not in row.answers and "sector" in row.answers


async def test_export_of_no_phase_or_empty_phase(service: ApplicationService, db: Database) -> None:
    reports = ReportRepository(db)
    assert await reports.applications_for_export([]) == []
    assert await reports.applications_for_export(["ifrane-3"]) == []


async def test_status_and_answer_counts(service: ApplicationService, db: Database) -> None:
    await submitted(service, 1, answers={"sector": "crafts", "led_by": "women"})
    second = await submitted(service, 2, answers={"sector": "beauty", "led_by": "youth"})
    await submitted(service, 3, answers={"sector": "crafts", "led_by": "women_youth"})
    withdrawn = await submitted(service, 4, answers={"sector": "beauty", "province": "fes"})
    await submitted(service, 6, answers={"province": "other"})
    assert await service.set_status(second.id, "accepted", actor_id=99)
    assert await service.withdraw(4, withdrawn.id)
    await started(service, 5)
    await fill(service, 5, {"sector": "services"})  # a complete draft does not count

    reports = ReportRepository(db)
    assert await reports.status_counts("ifrane-1") == {
        "submitted": 3,
        "accepted": 1,
        "withdrawn": 1,
    }
    assert await reports.answer_counts("ifrane-1", "sector") == {"crafts": 3, "beauty": 1}
    assert await reports.answer_counts("ifrane-1", "led_by") == {
        "women": 2,
        "youth": 1,
        "women_youth": 1,
    }
    assert await reports.answer_counts("ifrane-1", "province") == {"ifrane": 3, "other": 1}
    assert await reports.answer_counts("ifrane-1", "coop_register") == {}  # skipped: null
    assert await reports.status_counts("ifrane-2") == {}
    assert await reports.phase_capacity("ifrane-1") == 70
    assert await reports.phase_capacity("nowhere-1") is None


async def _bulk_applications(db: Database, count: int, clock: FakeClock) -> None:
    """Many sent applications at once (the service would take minutes to fill them)."""
    stamp = clock().isoformat()
    answers = {**ANSWERS, "structure_name": "تعاونية"}
    async with db.transaction() as connection:
        for index in range(count):
            user_id = 1000 + index
            await connection.execute(
                "INSERT INTO users (id, first_name, first_seen, last_seen) VALUES (?, 'U', ?, ?)",
                (user_id, stamp, stamp),
            )
            cursor = await connection.execute(
                "INSERT INTO applications (user_id, phase_code, status, reference, created_at,"
                " updated_at, submitted_at) VALUES (?, 'ifrane-1', 'submitted', ?, ?, ?, ?)",
                (user_id, f"IFR-1-{index + 1:04d}", stamp, stamp, stamp),
            )
            for key, value in {**answers, "members": index + 1}.items():
                await connection.execute(
                    "INSERT INTO answers (application_id, question, value, answered_at)"
                    " VALUES (?, ?, ?, ?)",
                    (cursor.lastrowid, key, json.dumps(value, ensure_ascii=False), stamp),
                )


async def test_export_of_many_applications_takes_one_query(db: Database, clock: FakeClock) -> None:
    await _bulk_applications(db, 300, clock)
    statements: list[str] = []
    async with db.read() as connection:
        await connection.set_trace_callback(statements.append)
    try:
        rows = await ReportRepository(db).applications_for_export(["ifrane-1"])
    finally:
        async with db.read() as connection:
            await connection.set_trace_callback(None)

    assert len(rows) == 300
    assert [row.reference for row in rows][:2] == ["IFR-1-0001", "IFR-1-0002"]
    assert all(len(row.answers) == len(ANSWERS) for row in rows)
    assert sorted(row.answers["members"] for row in rows) == list(range(1, 301))
    # One statement whatever the number (each application's answers come as one JSON object).
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
