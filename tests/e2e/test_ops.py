"""Operations over HTTP: /backup sends a valid database, /health shows the backlog; admins only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from localbotapi import FakeTelegram
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.journey import choose_language, next_new_message

ADMIN = 9301


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    return start_bot(name="ops", admins=[ADMIN], backups=True)


def test_admin_receives_a_valid_backup(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int, tmp_path: Path
) -> None:
    applicant = fake.user(new_user_id, language_code="ar")
    choose_language(applicant, "العربية")
    admin = fake.user(ADMIN, language_code="fr")
    choose_language(admin, "Français")
    admin.send_command("/backup")
    message = next_new_message(admin)
    assert message.document is not None, message.describe()
    name = message.document["file_name"] or ""
    assert name.startswith("souk-backup-") and name.endswith("Z.sqlite3"), name
    assert "données personnelles" in (message.text or "")  # the caption
    copy = tmp_path / name
    copy.write_bytes(message.document["content"] or b"")
    connection = sqlite3.connect(copy)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        users = {row[0] for row in connection.execute("SELECT id FROM users")}
        assert {ADMIN, new_user_id} <= users
    finally:
        connection.close()
    assert "upload_document" in admin.chat_actions


def test_health_shows_the_outbox_backlog(fake: FakeTelegram, bot: BotProcess) -> None:
    # Three messages planned for much later: they stay pending in the outbox.
    with sqlite3.connect(bot.database, timeout=10) as connection:
        connection.executemany(
            "INSERT INTO deliveries (recipient_id, kind, template, params, not_before,"
            " dedupe_key, created_at) VALUES (?, 'notification', 'outbox_interrupted',"
            " '{\"count\": 1}', '2099-01-01T00:00:00+00:00', ?, '2026-11-23T09:00:00+00:00')",
            [(ADMIN, f"e2e-health-{i}") for i in range(3)],
        )
    admin = fake.user(ADMIN, language_code="fr")
    admin.drain()
    admin.send_command("/health")
    text = next_new_message(admin).text or ""
    assert "État du bot" in text, text
    assert "3 messages en attente" in text
    assert "Version : 0.1.0" in text
    assert "Dernière erreur : aucune" in text
    assert "Base de données :" in text


def test_operations_do_not_exist_for_others(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    other = fake.user(new_user_id, language_code="fr")
    choose_language(other, "Français")
    for command in ("/backup", "/health"):
        other.send_command(command)
        reply = next_new_message(other)
        assert "pas compris" in (reply.text or "") and reply.document is None
    other.expect_no_message(within=1.0)
