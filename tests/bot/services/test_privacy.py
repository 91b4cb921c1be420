"""Personal data on a real SQLite file: /mydata's content, erasure, retention with a moved clock."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot.catalogue import Catalogue
from bot.i18n import I18n
from bot.services.applications import ApplicationService, Outcome
from bot.services.privacy import PrivacyService, months_before
from bot.views import privacy as view
from storage.applications import Application, ApplicationRepository
from storage.catalogue import CatalogueRepository
from storage.db import Database
from storage.outbox import NewDelivery, OutboxRepository
from storage.privacy import Erased, PrivacyRepository
from storage.reports import ReportRepository
from storage.users import UserRepository
from tests.bot.services.test_applications import fill, started
from tests.conftest import FakeClock

SECRETS = {
    "structure_name": "Coopérative Zzyzx Tamount",
    "coop_register": "4711/2018",
    "town": "Tizi n'Tichka",
    "products": "Tapis Qwertz de laine",
    "contact_name": "Ijja Oubrahim",
    "phone": "+212698765432",
}


@pytest.fixture
async def applications(db: Database, catalogue: Catalogue, clock: FakeClock) -> ApplicationService:
    for user_id in (1, 2, 3):
        await UserRepository(db).touch(user_id, f"Prénom{user_id}", clock())
    return ApplicationService(ApplicationRepository(db), CatalogueRepository(db), catalogue, clock)


@pytest.fixture
def privacy(db: Database, applications: ApplicationService, clock: FakeClock) -> PrivacyService:
    return PrivacyService(PrivacyRepository(db), applications, db, 12, clock)


async def submitted(
    service: ApplicationService, user_id: int, phase: str = "ifrane-1", **answers: object
) -> Application:
    await started(service, user_id, phase)
    result = await service.submit(await fill(service, user_id, answers))
    assert isinstance(result, Application), result
    return result


def raw_bytes(db: Database) -> bytes:
    wal = db.path.with_name(db.path.name + "-wal")
    return db.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


SECRET_NAME = "Zzyzx-Tamount-" * 20  # long enough to outlive any page header rewrite


def leftover_after_delete(path: Path, secure_delete: str) -> bool:
    """Write a name, delete it, checkpoint: is it still in the file's free space?"""
    with sqlite3.connect(path, isolation_level=None) as connection:
        connection.execute(f"PRAGMA secure_delete={secure_delete}")
        connection.execute("CREATE TABLE IF NOT EXISTS t (name TEXT)")
        connection.execute("INSERT INTO t VALUES (?)", (SECRET_NAME,))
        connection.execute("DELETE FROM t")
    return SECRET_NAME.encode() in path.read_bytes()


async def test_the_connection_erases_for_real(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's default for secure_delete is a build option: this machine's is on, upstream's
    is off. The control shows that with it off a deleted name stays in the file; then, on a
    connection that starts with it off (as upstream's do), the bot's turns it on and the name
    written and deleted through it is gone."""
    assert leftover_after_delete(tmp_path / "control.sqlite3", "OFF")
    assert not leftover_after_delete(tmp_path / "control-on.sqlite3", "ON")

    real_connect = aiosqlite.connect

    async def connect_default_off(*args: Any, **kwargs: Any) -> aiosqlite.Connection:
        connection = await real_connect(*args, **kwargs)
        await connection.execute("PRAGMA secure_delete=OFF")
        return connection

    monkeypatch.setattr(aiosqlite, "connect", connect_default_off)
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        row = await db.fetchone("PRAGMA secure_delete")
        assert row is not None and row[0] == 1
        await db.execute("CREATE TABLE t (name TEXT)")
        await db.execute("INSERT INTO t VALUES (?)", (SECRET_NAME,))
        await db.checkpoint()
        assert SECRET_NAME.encode() in raw_bytes(db)
        await db.execute("DELETE FROM t")
        await db.checkpoint()
        assert SECRET_NAME.encode() not in raw_bytes(db)
    finally:
        await db.close()


def test_months_before_counts_calendar_months() -> None:
    moment = datetime(2027, 3, 31, 12, tzinfo=UTC)
    assert months_before(moment, 1) == datetime(2027, 2, 28, 12, tzinfo=UTC)
    assert months_before(moment, 12) == datetime(2026, 3, 31, 12, tzinfo=UTC)
    assert months_before(moment, 25) == datetime(2025, 2, 28, 12, tzinfo=UTC)


async def test_my_data_holds_everything_with_labels(
    db: Database, applications: ApplicationService, privacy: PrivacyService, clock: FakeClock
) -> None:
    application = await submitted(applications, 1, **SECRETS)
    await applications.decline_consent(1, "ifrane-2")
    await OutboxRepository(db).enqueue(
        [
            NewDelivery(
                1, "reminder", "phase_soon", {"application_id": application.id}, clock(), "k"
            )
        ],
        clock(),
    )
    mine = await privacy.my_data(1)
    assert mine.data.user is not None and mine.data.user.id == 1
    assert [c.accepted for c in mine.data.consents] == [True, False]
    # The draft's deadline reminder, planned when the draft opened, cancelled when it was sent.
    assert [(d.kind, d.template, d.status) for d in mine.data.deliveries] == [
        ("reminder", "draft_deadline", "cancelled"),
        ("reminder", "phase_soon", "pending"),
    ]
    t = I18n().translator("fr")
    lines = view.my_data_lines(t, applications.catalogue, mine)
    text = "\n".join(lines)
    assert "Tizi n'Tichka" in text and "Coopérative" in text and "Début du marché" in text
    document = json.loads(view.my_data_document(t, applications.catalogue, mine).decode("utf-8"))
    (stored,) = document["applications"]
    answers = {a["question"]: a for a in stored["answers"]}
    assert answers["town"]["label"] == "Ville" and answers["town"]["value"] == SECRETS["town"]
    assert answers["legal_form"]["as_shown"] == "Coopérative"
    assert stored["history"][0]["to"] == "submitted"
    assert [m["template"] for m in document["messages_sent_to_you"]] == [
        "draft_deadline",
        "phase_soon",
    ]
    messages = view.split_messages(t, [*lines, "x" * 5000, *lines], limit=300)
    assert all(len(m) <= 300 for m in messages) and len(messages) > 3


async def test_erasure_withdraws_through_the_one_door_and_keeps_anonymous_counts(
    db: Database, applications: ApplicationService, privacy: PrivacyService, clock: FakeClock
) -> None:
    mine = await submitted(applications, 1, **SECRETS)
    waiting = await submitted(applications, 2, phone="+212611111111", coop_register="1/2020")
    assert (await applications.set_status(mine.id, "accepted", actor_id=9))[0] is Outcome.DONE
    assert (await applications.set_status(waiting.id, "waitlisted", actor_id=9))[0] is Outcome.DONE
    await started(applications, 1, "ifrane-2")  # a draft too
    before = await ReportRepository(db).status_counts("ifrane-1")
    await db.checkpoint()
    assert SECRETS["town"].encode() in raw_bytes(db)  # the search below is not vacuous

    mine_queued = await db.fetchone("SELECT COUNT(*) FROM deliveries WHERE recipient_id = 1")
    assert mine_queued is not None and mine_queued[0] > 1  # a decision and reminders

    erasure = await privacy.erase(1)

    assert erasure.withdrawn == 1
    assert erasure.erased == Erased(applications=1, drafts=1, consents=2, deliveries=mine_queued[0])
    # The freed place went to the waiting list, as for any withdrawal.
    offered = await applications.repository.get(waiting.id)
    assert offered is not None and offered.status == "offered"
    with sqlite3.connect(db.path) as connection:
        row = connection.execute(
            "SELECT user_id, status, phone, identifier, reference, erased_at FROM applications"
            " WHERE id = ?",
            (mine.id,),
        ).fetchone()
        surrogate = row[0]
        assert surrogate < 0 and row[1:4] == ("withdrawn", None, None)
        assert row[4] == f"ERASED-{mine.id}" and row[5]
        assert connection.execute(
            "SELECT COUNT(*) FROM answers WHERE application_id = ?", (mine.id,)
        ).fetchone() == (0,)
        assert connection.execute(
            "SELECT COUNT(*) FROM applications WHERE user_id IN (1, ?) AND status = 'draft'",
            (surrogate,),
        ).fetchone() == (0,)
        # The audit trail stays; the applicant's own withdrawal is by the surrogate now.
        audit = connection.execute(
            "SELECT from_status, to_status, actor_id FROM status_changes"
            " WHERE application_id = ? ORDER BY id",
            (mine.id,),
        ).fetchall()
        assert audit == [
            ("draft", "submitted", None),
            ("submitted", "accepted", 9),
            ("accepted", "withdrawn", surrogate),
        ]
        assert connection.execute(
            "SELECT COUNT(*) FROM consents WHERE user_id = ?", (surrogate,)
        ).fetchone() == (2,)
        # Every row kept for the counts, none with its content or still to send.
        kept = connection.execute(
            "SELECT status, params FROM deliveries WHERE recipient_id = ?", (surrogate,)
        ).fetchall()
        assert len(kept) == mine_queued[0] and set(kept) == {("cancelled", "{}")}
        assert connection.execute(
            "SELECT COUNT(*) FROM deliveries WHERE recipient_id = 1"
        ).fetchone() == (0,)
        assert connection.execute("SELECT first_name FROM users WHERE id = 1").fetchone() == ("",)
    after = await ReportRepository(db).status_counts("ifrane-1")
    assert sum(after.values()) == sum(before.values())
    assert after["withdrawn"] == 1
    data = raw_bytes(db)
    for secret in SECRETS.values():
        assert secret.encode() not in data, secret
    assert (await privacy.my_data(1)).applications == ()

    # A second person gets another surrogate; the first one's rows stay apart.
    await privacy.erase(2)
    other = await applications.repository.get(waiting.id)
    assert other is not None and other.user_id < 0 and other.user_id != surrogate


async def test_free_text_rejection_reasons_become_other(
    db: Database, applications: ApplicationService, privacy: PrivacyService
) -> None:
    first = await submitted(applications, 1)
    second = await submitted(applications, 2, phone="+212611111111", coop_register="1/2020")
    await applications.set_status(first.id, "rejected", actor_id=9, reason="Mme Ijja a menti")
    await applications.set_status(second.id, "rejected", actor_id=9, reason="incomplete")
    await privacy.erase(1)
    await privacy.erase(2)
    rows = await db.fetchall(
        "SELECT application_id, reason FROM status_changes WHERE to_status = 'rejected'"
        " ORDER BY application_id"
    )
    assert [tuple(row) for row in rows] == [(first.id, "other"), (second.id, "incomplete")]
    rows = await db.fetchall("SELECT reject_reason FROM applications ORDER BY id")
    assert [row[0] for row in rows] == ["other", "incomplete"]


async def test_retention_erases_ended_phases_only_after_the_period(
    db: Database, applications: ApplicationService, privacy: PrivacyService, clock: FakeClock
) -> None:
    early = await submitted(applications, 1, "mohammedia-1", **SECRETS)  # ends 2027-03-31
    later = await submitted(applications, 2, "ifrane-3", phone="+212611111111")  # ends 2027-07-11
    await applications.set_status(early.id, "accepted", actor_id=9)
    await applications.respond_to_offer(1, early.id, confirm=True)
    await applications.decline_consent(3, "mohammedia-1")
    mohammedia = applications.catalogue.phase("mohammedia-1")
    assert mohammedia is not None

    clock.now = mohammedia.ends + timedelta(days=360)  # less than 12 months
    # Only old message rows go (the reminders planned more than 12 months ago), no application.
    first = await privacy.purge_expired()
    assert (first.applications, first.drafts, first.consents) == (0, 0, 0)
    clock.now = mohammedia.ends + timedelta(days=367)
    early_queued = await db.fetchone(
        "SELECT COUNT(*) FROM deliveries WHERE json_extract(params, '$.application_id') = ?",
        (early.id,),
    )
    assert early_queued is not None and early_queued[0] > 1  # its decision and its reminders
    erased = await privacy.purge_expired()
    assert erased == Erased(applications=1, drafts=0, consents=2, deliveries=early_queued[0])
    kept_status = await applications.repository.get(early.id)
    assert kept_status is not None and kept_status.status == "confirmed"  # no withdrawal
    assert kept_status.user_id < 0
    assert await applications.repository.answers(early.id) == {}
    untouched = await applications.repository.get(later.id)
    assert untouched is not None and untouched.user_id == 2
    assert len(await applications.repository.answers(later.id)) > 5
    assert await privacy.purge_expired() == Erased()  # nothing twice
    data = raw_bytes(db)
    for secret in SECRETS.values():
        assert secret.encode() not in data, secret


async def test_retention_period_comes_from_the_setting(
    db: Database, applications: ApplicationService, clock: FakeClock
) -> None:
    short = PrivacyService(PrivacyRepository(db), applications, db, 1, clock)
    application = await submitted(applications, 1, "mohammedia-1")
    phase = applications.catalogue.phase("mohammedia-1")
    assert phase is not None
    clock.now = phase.ends + timedelta(days=20)
    assert (await short.purge_expired()).applications == 0
    clock.now = phase.ends + timedelta(days=32)
    assert (await short.purge_expired()).applications == 1
    erased = await applications.repository.get(application.id)
    assert erased is not None and erased.reference == f"ERASED-{application.id}"


async def test_only_team_members_first_names_are_kept(db: Database, clock: FakeClock) -> None:
    users = UserRepository(db)
    await db.execute(
        "INSERT INTO roles (user_id, role, granted_at) VALUES (7, 'reviewer', ?)",
        (clock().isoformat(),),
    )
    assert (await users.touch(6, "Applicant", clock())).first_name == ""
    assert (await users.touch(7, "Reviewer", clock())).first_name == "Reviewer"


async def test_retention_forgets_who_received_old_messages(
    db: Database, privacy: PrivacyService, clock: FakeClock
) -> None:
    outbox = OutboxRepository(db)
    sent_at = clock()
    await outbox.enqueue([NewDelivery(3, "broadcast", "news", {"x": 1}, sent_at, "b:3")], sent_at)
    await db.execute("UPDATE deliveries SET status = 'sent'")
    await db.execute(
        "UPDATE users SET first_name = 'Old name' WHERE id = 3"  # stored before names were not
    )
    clock.advance(days=300)
    await outbox.enqueue([NewDelivery(3, "broadcast", "news", {}, clock(), "b:3:later")], clock())
    clock.advance(days=100)
    assert await privacy.purge_expired() == Erased(deliveries=1)
    rows = await db.fetchall("SELECT recipient_id, dedupe_key, status FROM deliveries ORDER BY id")
    assert rows[0][0] < 0 and rows[0][1].startswith("erased:") and rows[0][2] == "sent"
    assert tuple(rows[1]) == (3, "b:3:later", "pending")
    row = await db.fetchone("SELECT first_name FROM users WHERE id = 3")
    assert row is not None and row[0] == ""
