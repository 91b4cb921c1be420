"""The impact survey: queued once the day after a phase at 10:00, one reminder, resumed where
it stopped, never sent once finished; the funders' figures; erasure and /mydata."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.context import Services
from bot.i18n import I18n
from bot.views.impact_report import report_table, report_text, stats_survey_text
from bot.wiring import render_delivery
from storage.db import Database
from storage.outbox import Delivery
from storage.templates import Template
from tests.conftest import FakeClock

SURVEY, SURVEY_REMINDER = Template.IMPACT_SURVEY, Template.IMPACT_REMINDER

# Ifrane phase 1 ends on Sunday 9 May 2027, 20:00 (Morocco: UTC+00 since 2026).
DAY_AFTER_AT_TEN = datetime(2027, 5, 10, 10, 0, tzinfo=UTC)


async def exhibitor(
    db: Database,
    user_id: int,
    status: str = "confirmed",
    led_by: str = "women",
    province: str = "ifrane",
    trainings: tuple[str, ...] = (),
) -> int:
    stamp = "2027-04-01T10:00:00+00:00"
    await db.execute(
        "INSERT INTO users (id, locale, first_name, first_seen, last_seen) VALUES (?, 'ar', 'X', ?, ?)",
        (user_id, stamp, stamp),
    )
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "INSERT INTO applications (user_id, phase_code, status, reference, created_at,"
            " updated_at) VALUES (?, 'ifrane-1', ?, ?, ?, ?)",
            (user_id, status, f"IFR-1-{user_id:04d}", stamp, stamp),
        )
        application_id = int(cursor.lastrowid or 0)
        answers = {"led_by": led_by, "province": province, "trainings": list(trainings)}
        for question, value in answers.items():
            await connection.execute(
                "INSERT INTO answers (application_id, question, value, answered_at)"
                " VALUES (?, ?, ?, ?)",
                (application_id, question, json.dumps(value), stamp),
            )
    return application_id


async def queued(db: Database) -> list[tuple[int, str, str]]:
    rows = await db.fetchall(
        "SELECT recipient_id, template, not_before FROM deliveries ORDER BY recipient_id, id"
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def test_survey_and_one_reminder_queued_once_the_day_after_at_ten(
    services: Services, db: Database, clock: FakeClock
) -> None:
    await exhibitor(db, 1)
    await exhibitor(db, 2, status="submitted")  # never confirmed: not an exhibitor
    impact = services.impact
    clock.now = datetime(2027, 5, 10, 9, 59, tzinfo=UTC)
    assert await impact.queue_due(services.catalogue, clock()) == 0
    clock.now = DAY_AFTER_AT_TEN
    assert await impact.queue_due(services.catalogue, clock()) == 1
    assert await queued(db) == [(1, SURVEY, "2027-05-10T10:00:00+00:00")]
    clock.advance(days=2)  # unanswered two days later: the reminder
    assert await impact.queue_due(services.catalogue, clock()) == 1
    assert await queued(db) == [
        (1, SURVEY, "2027-05-10T10:00:00+00:00"),
        (1, SURVEY_REMINDER, "2027-05-12T10:00:00+00:00"),
    ]
    clock.advance(days=1)  # the job runs again and again: nothing more, ever
    assert await impact.queue_due(services.catalogue, clock()) == 0
    assert len(await queued(db)) == 2
    clock.advance(days=30)
    assert await impact.queue_due(services.catalogue, clock()) == 0


def delivery(template: str, application_id: int, locale: str = "fr") -> Delivery:
    return Delivery(
        1, 1, "broadcast", template, {"application_id": application_id}, 0, locale, None
    )


async def test_the_reminder_resumes_where_the_survey_stopped_and_is_dropped_once_finished(
    services: Services, db: Database, clock: FakeClock
) -> None:
    application_id = await exhibitor(db, 1)
    clock.now = DAY_AFTER_AT_TEN
    repository = services.impact.repository
    first = await render_delivery(services, delivery(SURVEY, application_id))
    assert first is not None and "Combien avez-vous vendu" in first.text
    await repository.answer(application_id, "sales", "1k_5k", clock())
    reminder = await render_delivery(services, delivery(SURVEY_REMINDER, application_id, "ar"))
    assert reminder is not None
    assert "تذكير" in reminder.text and "زبناء جدد" in reminder.text  # the second question
    for question, value in (
        ("customers", "several"),
        ("contacts", "yes"),
        ("satisfaction", "4"),
        ("again", "yes"),
        ("voice", "skip"),
    ):
        await repository.answer(application_id, question, value, clock())
    assert await render_delivery(services, delivery(SURVEY_REMINDER, application_id)) is None


async def test_report_counts_the_answers_and_averages_satisfaction(
    services: Services, db: Database, clock: FakeClock
) -> None:
    clock.now = DAY_AFTER_AT_TEN
    repository = services.impact.repository
    one = await exhibitor(db, 1, led_by="women", trainings=("ifrane-1-admin",))
    two = await exhibitor(db, 2, led_by="youth", province="fes")
    await exhibitor(db, 3, led_by="none")  # did not answer
    await exhibitor(db, 4, status="withdrawn")  # not an exhibitor
    for application_id, sales, satisfaction in ((one, "lt1k", "5"), (two, "5k_20k", "2")):
        await repository.answer(application_id, "sales", sales, clock())
        await repository.answer(application_id, "satisfaction", satisfaction, clock())
    await repository.answer(one, "voice", "AwACAgQAAxkBAAI", clock())
    market = services.catalogue.market("ifrane")
    assert market is not None
    figures = await services.impact.market_impact(market)
    phase = figures[0]
    assert phase.exhibitors.count == 3 and phase.answered == 2
    assert phase.satisfaction == 3.5
    t_fr, t_ar = I18n().translator("fr"), I18n().translator("ar")
    text = report_text(t_fr, market, figures, services.catalogue)
    assert "3 exposants confirmés" in text
    assert "Structures de femmes : 33% · de jeunes : 33%" in text
    assert "Moins de 1 000 DH : 1 · 1 000 à 5 000 DH : 0" in text
    assert "Satisfaction moyenne : 3,5 / 5" in text
    assert "Messages vocaux : 1" in text
    arabic = report_text(t_ar, market, figures, services.catalogue)
    assert "متوسط الرضا: 3,5 / 5" in arabic
    assert "Satisfaction moyenne" in stats_survey_text(t_fr, market, figures)
    headers, rows = report_table(t_fr, figures, services.catalogue)
    assert headers[:3] == ["Rubrique", "Détail", "Phase 1"]
    by_item = {str(row[1]): row for row in rows}
    assert by_item["Confirmés"][2] == 3
    assert by_item["Ventes pendant le marché : 5 000 à 20 000 DH"][2] == 1


async def test_erasure_drops_the_voice_note_and_my_data_shows_the_answers(
    services: Services, db: Database, clock: FakeClock
) -> None:
    clock.now = DAY_AFTER_AT_TEN
    application_id = await exhibitor(db, 1)
    repository = services.impact.repository
    await repository.answer(application_id, "sales", "gt20k", clock())
    await repository.answer(application_id, "voice", "AwACAgQAAxkBAAI", clock())
    mine = await services.privacy.my_data(1)
    assert mine.surveys[0].answers == {"sales": "gt20k", "voice": "AwACAgQAAxkBAAI"}
    await services.privacy.erase(1)
    assert await repository.answers(application_id) == {"sales": "gt20k", "voice": "erased"}
    assert (await services.privacy.my_data(1)).surveys == ()


async def test_report_counts_arrivals_and_attendance_from_the_market_day(
    services: Services, db: Database, clock: FakeClock
) -> None:
    """The funders' report reads the day itself: exhibitors marked arrived (stands) and the
    attendees of each training (seats signed in)."""
    clock.now = DAY_AFTER_AT_TEN
    first = await exhibitor(db, 1, trainings=("ifrane-1-admin",))
    second = await exhibitor(db, 2, trainings=("ifrane-1-admin",))
    await exhibitor(db, 3)  # confirmed, never came
    stamp = "2027-05-03T09:00:00+00:00"
    for application_id, user_id in ((first, 1), (second, 2)):
        await db.execute(
            "INSERT INTO arrivals (application_id, phase_code, arrived_at, marked_by, how)"
            " VALUES (?, 'ifrane-1', ?, 900, 'scan')",
            (application_id, stamp),
        )
        attended = stamp if application_id == first else None
        await db.execute(
            "INSERT INTO training_seats (application_id, training_code, user_id, state, asked_at,"
            " changed_at, attended_at) VALUES (?, 'ifrane-1-admin', ?, 'held', ?, ?, ?)",
            (application_id, user_id, stamp, stamp, attended),
        )
    market = services.catalogue.market("ifrane")
    assert market is not None
    phase = (await services.impact.market_impact(market))[0]
    assert phase.arrived == 2
    assert phase.trainings_attended == {"ifrane-1-admin": 1}
    text = report_text(I18n().translator("fr"), market, [phase], services.catalogue)
    assert "🚩 Arrivés : 2" in text
