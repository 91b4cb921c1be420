"""Error reports to admins (rate-limited, no personal data) and the /health figures and text."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from telegram import Update

from bot.context import Services
from bot.handlers.errors import report_to_admins
from bot.i18n import I18n
from bot.services import backups, monitoring
from bot.validation import parse_free_text
from bot.views.ops import health_text
from bot.wiring import render_delivery
from storage.outbox import NewDelivery
from tests.conftest import FakeClock

CASABLANCA = ZoneInfo("Africa/Casablanca")
ADMIN, ARABIC_ADMIN, ORGANIZER = 9001, 9002, 9003
PERSONAL = "numéro invalide 'Fatima Alaoui' +212 6 12 34 56 78"


@pytest.fixture
async def services(services: Services, clock: FakeClock) -> Services:
    """The shared services, with a team of two admins (one reading Arabic) and an organizer."""
    users, roles = services.users, services.roles
    for user_id in (ADMIN, ARABIC_ADMIN, ORGANIZER):
        await users.touch(user_id, "Team", clock())
    await users.set_locale(ARABIC_ADMIN, "ar")
    await roles.sync_admins([ADMIN, ARABIC_ADMIN], clock())
    await roles.grant(ORGANIZER, "organizer", ADMIN, clock())
    services.operations = monitoring.Operations(started_at=clock())
    return services


async def take(services: Services) -> dict[int, str]:
    """Claim what is due and render it, as the dispatcher would: {recipient: text}."""
    rendered: dict[int, str] = {}
    for delivery in await services.outbox.claim_due(services.clock(), 50, skip=()):
        result = await render_delivery(services, delivery)
        assert result is not None
        rendered[delivery.recipient_id] = result.text
        await services.outbox.mark_sent(delivery.id, None, services.clock())
    return rendered


async def test_a_storm_of_errors_makes_one_report_then_one_with_the_count(
    services: Services, clock: FakeClock
) -> None:
    for _ in range(50):
        await report_to_admins(services, ValueError(PERSONAL), "message")
        clock.advance(seconds=2)
    first = await take(services)
    assert sorted(first) == [ADMIN, ARABIC_ADMIN]  # admins only, not the organizer
    assert "1 erreur du bot" in first[ADMIN] and "ValueError" in first[ADMIN]
    assert "message" in first[ADMIN]
    for text in first.values():
        assert "Fatima" not in text and "56 78" not in text
    assert not first[ARABIC_ADMIN].replace("ValueError", "").isascii()

    # The 49 others are held back, then reported once the 10 minutes have passed.
    assert services.operations.errors.flush(clock()) is None
    clock.advance(minutes=9)
    report = services.operations.errors.flush(clock())
    assert report is not None and report.count == 49
    await monitoring.queue_error_report(services.roles, services.outbox, report, clock())
    second = await take(services)
    assert "49 erreurs du bot" in second[ADMIN]
    assert services.operations.errors.flush(clock() + timedelta(hours=1)) is None

    # The next error after the interval is reported at once, counting only itself.
    clock.advance(minutes=11)
    await report_to_admins(services, KeyError("x"), "job outbox")
    assert "1 erreur du bot" in (await take(services))[ADMIN]


async def test_no_admin_no_report_but_last_error_kept(services: Services, clock: FakeClock) -> None:
    await services.roles.sync_admins([], clock())
    await report_to_admins(services, RuntimeError("boom"), "callback_query")
    assert await services.outbox.counts() == {}
    last = services.operations.errors.last
    assert last is not None and last.error == "RuntimeError" and last.at == clock()


def test_scrub_masks_quoted_text_and_numbers() -> None:
    text = monitoring.scrub(PERSONAL + " ICE 001234567000089 " + "x" * 300)
    assert "Fatima" not in text and "6 12 34" not in text and "001234567" not in text
    assert text.startswith("numéro invalide '…' #")
    assert len(text) == monitoring.MESSAGE_LIMIT


def test_handler_and_update_kind_without_content() -> None:
    try:
        parse_free_text("")
    except ValueError as error:
        assert monitoring.handler_name(error) == "validation.parse_free_text"
    assert monitoring.handler_name(ValueError("never raised")) is None
    update = Update.de_json(
        {
            "update_id": 1,
            "callback_query": {
                "id": "q",
                "from": {"id": 5, "is_bot": False, "first_name": "Fatima"},
                "chat_instance": "c",
                "data": "rv:acc:1:all",
            },
        },
        None,
    )
    assert monitoring.update_kind(update) == "callback_query"
    assert monitoring.update_kind(None, "daily_backup") == "job daily_backup"
    assert monitoring.update_kind(None) == "none"


async def test_health_figures_and_text(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    queued = [
        NewDelivery(ADMIN, "notification", "x", {}, clock() + timedelta(days=1), f"k{i}")
        for i in range(3)
    ]
    await services.outbox.enqueue(queued, clock())
    clock.advance(days=2, hours=3, minutes=5)
    folder = tmp_path / "backups"
    figures = await monitoring.health(
        services.db, services.outbox, services.operations, folder, clock()
    )
    assert figures.pending == 3 and figures.last_error is None and figures.last_backup is None
    assert figures.uptime == timedelta(days=2, hours=3, minutes=5)
    assert figures.database_bytes == services.db.disk_usage() > 0
    assert figures.version == monitoring.bot_version() != "?"
    french = health_text(I18n().translator("fr"), figures, CASABLANCA)
    assert "2 jours, 3 h 5 min" in french
    assert "3 messages en attente" in french
    assert "Dernière erreur : aucune" in french
    assert "Dernière sauvegarde automatique : aucune" in french
    assert figures.version in french

    await backups.daily_backup(services.db, folder, clock())
    await report_to_admins(services, RuntimeError("boom"), "message")
    figures = await monitoring.health(
        services.db, services.outbox, services.operations, folder, clock()
    )
    french = health_text(I18n().translator("fr"), figures, CASABLANCA)
    assert "Dernière erreur : RuntimeError, mercredi 25 novembre 2026, 12:05" in french
    assert "aucune" not in french
    arabic = health_text(I18n().translator("ar"), figures, CASABLANCA)
    assert "RuntimeError" in arabic and "aucune" not in arabic
    assert arabic.startswith("\u200f")
