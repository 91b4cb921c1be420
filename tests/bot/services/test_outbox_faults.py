"""The outbox under Telegram and network faults (issue 13, items 1 to 3): a message is delivered
or somebody is told, and never sent twice. Errors are built the way python-telegram-bot's
HTTPXRequest raises them (the httpx exception as `__cause__`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram.error import (
    BadRequest,
    Conflict,
    InvalidToken,
    NetworkError,
    TelegramError,
    TimedOut,
)

from bot.context import Services
from bot.services import monitoring
from bot.services.delivery_alerts import DeliveryAlerts
from bot.services.delivery_faults import MAX_BACKOFF, DeliveryWatch, Outcome, classify
from bot.services.outbox import Dispatcher, Outgoing
from bot.views.ops import health_text
from bot.wiring import render_delivery
from storage.applications import ApplicationRepository
from storage.db import Database
from storage.outbox import Delivery, NewDelivery, OutboxRepository
from storage.roles import RoleRepository
from storage.templates import Template
from storage.users import UserRepository
from tests.bot.services.test_outbox import ScriptedBot, item, render
from tests.conftest import FakeClock

OUTAGE = Template.OUTBOX_OUTAGE
RECOVERED = Template.OUTBOX_RECOVERED
UNDELIVERED = Template.OUTBOX_UNDELIVERED
ADMIN, ORGANIZER, APPLICANT = 7, 8, 1


def caused(error: TelegramError, cause: Exception) -> TelegramError:
    error.__cause__ = cause
    return error


def server_error() -> NetworkError:
    """Telegram answered 500: PTB raises NetworkError without a cause."""
    return NetworkError("Internal Server Error (500)")


def connect_error() -> NetworkError:
    return caused(NetworkError("httpx.ConnectError: refused"), httpx.ConnectError("refused"))  # type: ignore[return-value]


def read_timeout() -> TimedOut:
    return caused(TimedOut(), httpx.ReadTimeout("timed out"))  # type: ignore[return-value]


def dropped_answer() -> NetworkError:
    error = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    return caused(NetworkError(f"httpx.RemoteProtocolError: {error}"), error)  # type: ignore[return-value]


@pytest.fixture
async def outbox(db: Database, clock: FakeClock) -> OutboxRepository:
    for user_id in (APPLICANT, 2, ADMIN, ORGANIZER):
        await UserRepository(db).touch(user_id, "U", clock())
    roles = RoleRepository(db)
    await roles.sync_admins([ADMIN], clock())
    await roles.grant(ORGANIZER, "organizer", ADMIN, clock())
    return OutboxRepository(db)


@pytest.fixture
def alerts(db: Database, outbox: OutboxRepository) -> DeliveryAlerts:
    return DeliveryAlerts(RoleRepository(db), outbox, ApplicationRepository(db))


def dispatcher(
    outbox: OutboxRepository,
    bot: ScriptedBot,
    clock: FakeClock,
    alerts: DeliveryAlerts | None = None,
    watch: DeliveryWatch | None = None,
) -> Dispatcher:
    return Dispatcher(outbox, bot, render, clock, watch=watch, alerts=alerts)  # type: ignore[arg-type]


async def rows(db: Database) -> list[dict[str, Any]]:
    found = await db.fetchall(
        "SELECT recipient_id, template, status, last_error, not_before FROM deliveries ORDER BY id"
    )
    return [dict(row) for row in found]


async def test_a_server_error_for_minutes_is_retried_until_delivered_once(
    outbox: OutboxRepository, db: Database, clock: FakeClock
) -> None:
    """Before: five tries in 30 s, then `failed` for good."""
    bot = ScriptedBot()
    bot.errors.extend(server_error() for _ in range(9))
    await outbox.enqueue([item(APPLICANT, "decision", clock)], clock())
    sender = dispatcher(outbox, bot, clock)
    started = clock()
    while not bot.sent:
        await sender.run(until_idle=True)
        (row,) = await rows(db)
        assert row["status"] in ("pending", "sent"), row
        clock.advance(seconds=301)
    assert bot.sent == [(APPLICANT, "hello")]
    assert clock() - started > timedelta(minutes=40)
    assert (await rows(db))[0]["status"] == "sent"


async def test_backoff_doubles_then_stays_at_a_few_minutes(
    outbox: OutboxRepository, db: Database, clock: FakeClock
) -> None:
    bot = ScriptedBot()
    bot.errors.extend(connect_error() for _ in range(12))
    await outbox.enqueue([item(APPLICANT, "k", clock)], clock())
    sender = dispatcher(outbox, bot, clock)
    delays = []
    for _ in range(12):
        await sender.run(until_idle=True)
        (row,) = await rows(db)
        assert row["status"] == "pending", row
        due = datetime.fromisoformat(row["not_before"])
        delays.append(due - clock())
        clock.advance(seconds=(due - clock()).total_seconds())
    assert delays[:3] == [timedelta(seconds=2), timedelta(seconds=4), timedelta(seconds=8)]
    assert max(delays) == MAX_BACKOFF
    assert bot.sent == []
    await sender.run(until_idle=True)
    assert bot.sent == [(APPLICANT, "hello")]


async def test_a_decision_is_given_up_at_its_deadline_and_the_team_is_told(
    outbox: OutboxRepository, db: Database, clock: FakeClock, alerts: DeliveryAlerts
) -> None:
    bot = ScriptedBot()
    bot.errors.extend(server_error() for _ in range(100))
    deadline = clock() + timedelta(hours=1)
    decision = NewDelivery(
        APPLICANT, "notification", "decision", {"deadline": deadline.isoformat()}, clock(), "d"
    )
    await outbox.enqueue([decision], clock())
    sender = dispatcher(outbox, bot, clock, alerts)
    for _ in range(40):
        await sender.run(until_idle=True)
        clock.advance(minutes=5)
    first = (await rows(db))[0]
    assert first["status"] == "failed" and first["last_error"].startswith("gave up"), first
    assert await sender.report_failures() == 1
    reports = [row for row in await rows(db) if row["template"] == UNDELIVERED]
    assert sorted(row["recipient_id"] for row in reports) == [ADMIN, ORGANIZER]
    assert await sender.report_failures() == 0  # reported once


@pytest.mark.parametrize("error", [read_timeout, dropped_answer], ids=["read", "dropped"])
async def test_an_answer_lost_after_sending_is_never_resent_and_reported(
    outbox: OutboxRepository,
    db: Database,
    clock: FakeClock,
    alerts: DeliveryAlerts,
    error: Any,
) -> None:
    """Before: retried, so the applicant got the same acceptance again and again."""
    bot = ScriptedBot()
    bot.errors.append(error())
    await outbox.enqueue([item(APPLICANT, "decision", clock, application_id=999)], clock())
    sender = dispatcher(outbox, bot, clock, alerts)
    for _ in range(3):
        await sender.run(until_idle=True)
        clock.advance(minutes=10)
    assert bot.sent == []  # the first try may have arrived: nothing more goes
    (row,) = await rows(db)
    assert row["status"] == "failed" and row["last_error"].startswith("uncertain"), row
    assert await sender.report_failures() == 1
    (report,) = [d for d in await outbox.claim_due(clock(), 10, skip=()) if d.recipient_id == ADMIN]
    assert report.template == UNDELIVERED
    assert report.params["uncertain"] == 1 and report.params["failed"] == 0


async def test_a_connect_error_is_retried(
    outbox: OutboxRepository, db: Database, clock: FakeClock
) -> None:
    bot = ScriptedBot()
    bot.errors.append(connect_error())
    await outbox.enqueue([item(APPLICANT, "k", clock)], clock())
    sender = dispatcher(outbox, bot, clock)
    await sender.run(until_idle=True)
    clock.advance(seconds=3)
    await sender.run(until_idle=True)
    assert bot.sent == [(APPLICANT, "hello")]


@pytest.mark.parametrize(
    "error",
    [
        InvalidToken("Unauthorized"),
        InvalidToken("Not Found"),
        Conflict("Conflict: terminated by other getUpdates request"),
        TelegramError("Invalid server response"),
        RuntimeError("boom"),
    ],
    ids=["401", "404", "conflict", "non-json", "unknown"],
)
async def test_every_error_ends_the_row_in_a_definite_state(
    outbox: OutboxRepository, db: Database, clock: FakeClock, error: Exception
) -> None:
    """Before: the row stayed `sending` until a restart (and the error escaped)."""
    bot = ScriptedBot()
    bot.errors.append(error)
    await outbox.enqueue([item(APPLICANT, "k", clock)], clock())
    await dispatcher(outbox, bot, clock).run(until_idle=True)
    (row,) = await rows(db)
    assert row["status"] == "failed", row
    assert type(error).__name__ in row["last_error"]


async def test_a_rendering_error_fails_the_row_and_logs_no_personal_data(
    outbox: OutboxRepository, db: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(delivery: Delivery) -> Outgoing | None:
        raise ValueError(f"invalid literal for int() with base 10: {delivery.params['name']!r}")

    await outbox.enqueue([item(APPLICANT, "k", clock, name="Fatima Zahra")], clock())
    sender = Dispatcher(outbox, ScriptedBot(), broken, clock)  # type: ignore[arg-type]
    await sender.run(until_idle=True)
    (row,) = await rows(db)
    assert row["status"] == "failed", row
    assert row["last_error"].startswith("error: rendering failed: ValueError"), row
    assert "delivery 1 could not be rendered: ValueError" in caplog.text
    assert "in broken" in caplog.text  # where it failed
    assert "Fatima" not in caplog.text and "Fatima" not in row["last_error"]


async def test_admins_are_told_once_of_an_outage_and_once_of_its_end(
    outbox: OutboxRepository, db: Database, clock: FakeClock, alerts: DeliveryAlerts
) -> None:
    bot = ScriptedBot()
    bot.errors.extend(connect_error() for _ in range(1000))
    await outbox.enqueue([item(APPLICANT, "a", clock), item(2, "b", clock)], clock())
    watch = DeliveryWatch()
    sender = dispatcher(outbox, bot, clock, alerts, watch)
    started = clock()
    await sender.run(until_idle=True)
    assert watch.failing_since == started and not watch.failing
    while clock() - started < timedelta(minutes=30):
        clock.advance(minutes=1)
        await sender.run(until_idle=True)
    notices = [row for row in await rows(db) if row["template"] in (OUTAGE, RECOVERED)]
    # Once, to the admin only; still waiting, as Telegram takes nothing.
    assert [(row["recipient_id"], row["template"]) for row in notices] == [(ADMIN, OUTAGE)]
    assert watch.failing
    bot.errors.clear()
    clock.advance(minutes=6)
    for _ in range(3):
        await sender.run(until_idle=True)
        clock.advance(seconds=2)
    notices = [row for row in await rows(db) if row["template"] in (OUTAGE, RECOVERED)]
    recovered = [row["recipient_id"] for row in notices if row["template"] == RECOVERED]
    assert recovered == [ADMIN]
    assert not watch.failing and watch.failing_since is None
    outage = [row for row in notices if row["template"] == OUTAGE]
    assert len(outage) == 1 and outage[0]["status"] in ("sent", "cancelled"), outage


async def test_team_messages_that_fail_are_logged_not_reported(
    outbox: OutboxRepository, db: Database, clock: FakeClock, alerts: DeliveryAlerts
) -> None:
    """A report that cannot reach an admin must not make another report, forever."""
    bot = ScriptedBot()
    bot.errors.append(read_timeout())
    await outbox.enqueue([item(ADMIN, "r", clock, template=UNDELIVERED)], clock())
    sender = dispatcher(outbox, bot, clock, alerts)
    await sender.run(until_idle=True)
    assert await sender.report_failures() == 0
    assert [row["template"] for row in await rows(db)] == [UNDELIVERED]


async def test_health_shows_since_when_deliveries_fail_and_the_notices_read_well(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    """Through the real renderer (bot.wiring.render_delivery), in both languages."""
    watch = services.operations.delivery
    started = clock()
    watch.failed(started)
    clock.advance(minutes=11)
    assert watch.failed(clock()) is not None  # the outage is announced now, once
    assert watch.failed(clock()) is None
    figures = await monitoring.health(
        services.db, services.outbox, services.operations, tmp_path, clock()
    )
    assert figures.failing_since == started
    zone = services.catalogue.markets[0].timezone
    french = health_text(services.i18n.translator("fr"), figures, zone)
    assert "en échec depuis" in french and started.strftime("%H:%M") in french
    arabic = health_text(services.i18n.translator("ar"), figures, zone)
    assert "متعثر منذ" in arabic
    watch.succeeded()
    figures = await monitoring.health(
        services.db, services.outbox, services.operations, tmp_path, clock()
    )
    assert "Envois : ✅ normaux" in health_text(services.i18n.translator("fr"), figures, zone)

    params = {"since": started.isoformat(), "until": clock().isoformat()}
    for template, expected in (
        (OUTAGE, "Les envois échouent depuis"),
        (RECOVERED, "Les envois fonctionnent de nouveau"),
        (UNDELIVERED, "n'ont pas été remis avec certitude"),
    ):
        delivery = Delivery(1, ADMIN, "notification", template, params, 1, "fr", clock())
        outgoing = await render_delivery(services, delivery)
        assert outgoing is not None and expected in outgoing.text, outgoing


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (server_error(), Outcome.RETRY),
        (
            caused(NetworkError("Bad Gateway (502)"), TelegramError("Invalid server response")),
            Outcome.RETRY,
        ),  # an HTML error page from the front proxy
        (connect_error(), Outcome.RETRY),
        (caused(TimedOut(), httpx.ConnectTimeout("connect")), Outcome.RETRY),
        (caused(TimedOut("Pool timeout: not sent"), httpx.PoolTimeout("pool")), Outcome.RETRY),
        (read_timeout(), Outcome.UNCERTAIN),
        (caused(TimedOut(), httpx.WriteTimeout("write")), Outcome.UNCERTAIN),
        (dropped_answer(), Outcome.UNCERTAIN),
        (
            caused(NetworkError("httpx.ReadError: reset"), httpx.ReadError("reset")),
            Outcome.UNCERTAIN,
        ),
        (TimedOut(), Outcome.UNCERTAIN),
        (TelegramError("Invalid server response"), Outcome.UNCERTAIN),
        (BadRequest("Chat not found"), Outcome.REFUSED),
        (InvalidToken("Unauthorized"), Outcome.REFUSED),
        (Conflict("Conflict"), Outcome.REFUSED),
        (RuntimeError("?"), Outcome.UNCERTAIN),
    ],
)
def test_what_each_failure_means(error: Exception, outcome: Outcome) -> None:
    assert classify(error) is outcome


async def test_reports_of_failures_come_at_most_every_five_minutes(
    outbox: OutboxRepository, db: Database, clock: FakeClock, alerts: DeliveryAlerts
) -> None:
    bot = ScriptedBot()
    bot.errors.extend(BadRequest("Chat not found") for _ in range(100))  # the reports' too
    sender = dispatcher(outbox, bot, clock, alerts)
    held = []
    for key in ("a", "b", "c"):
        await outbox.enqueue([item(APPLICANT, key, clock)], clock())
        await sender.run(until_idle=True)
        held.append(await sender.report_failures())
        clock.advance(minutes=2)
    assert held == [1, 0, 0]  # a at once; b and c within 5 minutes of it: held
    assert await sender.report_failures() == 2  # b and c together, 6 minutes after a
    reports = [row for row in await rows(db) if row["template"] == UNDELIVERED]
    assert len(reports) == 4  # two reports, to the admin and to the organizer


async def test_a_message_that_failed_until_it_no_longer_mattered_is_reported(
    outbox: OutboxRepository, db: Database, clock: FakeClock, alerts: DeliveryAlerts
) -> None:
    """An acceptance failing until its deadline: the application expires meanwhile, so its
    renderer drops it. Telling nobody would leave the applicant unaware and the team too."""
    relevant = True

    async def until_expired(delivery: Delivery) -> Outgoing | None:
        return Outgoing("accepted") if relevant else None

    bot = ScriptedBot()
    bot.errors.extend(server_error() for _ in range(3))
    await outbox.enqueue([item(APPLICANT, "d", clock)], clock())
    sender = Dispatcher(outbox, bot, until_expired, clock, alerts=alerts)  # type: ignore[arg-type]
    for _ in range(3):
        await sender.run(until_idle=True)
        clock.advance(minutes=5)
    relevant = False  # the deadline passed, the application expired
    await sender.run(until_idle=True)
    first = (await rows(db))[0]
    assert first["status"] == "failed" and "no longer relevant" in first["last_error"], first
    assert await sender.report_failures() == 1
    await outbox.enqueue([item(APPLICANT, "never-failed", clock)], clock())
    await sender.run(until_idle=True)
    statuses = [row["status"] for row in await rows(db) if row["template"] == "hello"]
    assert statuses[-1] == "cancelled"  # dropped at its first try: nobody was waiting
