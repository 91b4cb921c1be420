"""The database file deleted or replaced while the bot runs (issue 13, item 17).

SQLite goes on writing into the file it opened: without a check the bot would thank people
for answers stored nowhere anyone can find, /health would say "0 ko" and /backup would
create and send a new, empty database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from localbotapi import FakeTelegram
from tests.e2e.bot_process import running_bot
from tests.e2e.journey import choose_language, next_new_message, open_draft

ADMIN = 9401
APPLICANT = 9402


def user_ids(path: Path) -> set[int]:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {row[0] for row in connection.execute("SELECT id FROM users")}
    finally:
        connection.close()


@pytest.mark.parametrize("change", ["deleted", "replaced"])
def test_a_lost_database_stops_acknowledging_and_alerts_the_admins(
    fake: FakeTelegram, tmp_path: Path, change: str
) -> None:
    workdir = tmp_path / "bot"
    workdir.mkdir()
    backups = workdir / "backups"
    with running_bot(fake, workdir, admins=[ADMIN], env={"BACKUP_DIR": str(backups)}) as bot:
        admin = fake.user(ADMIN, language_code="fr")
        choose_language(admin, "Français")
        applicant = fake.user(APPLICANT, language_code="ar")
        choose_language(applicant, "Français")
        question = open_draft(applicant)
        assert question.text

        for suffix in ("", "-wal", "-shm"):  # what `rm bot.sqlite3*` does
            bot.database.with_name(bot.database.name + suffix).unlink(missing_ok=True)
        if change == "replaced":
            other = sqlite3.connect(bot.database)
            other.execute("CREATE TABLE intruder (x)")
            other.close()

        # The answer is not acknowledged: no next question, no "saved".
        applicant.send_text("Coopérative Amal")
        refusal = next_new_message(applicant)
        assert "momentanément indisponible" in (refusal.text or ""), refusal.describe()
        assert "pas enregistré" in (refusal.text or "")
        applicant.expect_no_message(within=1.0)

        # The admins are told directly (the outbox is in the lost file), in their language.
        alert = next_new_message(admin)
        word = "supprimé" if change == "deleted" else "remplacé"
        assert alert.text is not None and "🚨" in alert.text and word in alert.text, (
            alert.describe()
        )
        assert "n'enregistre plus rien" in alert.text
        # ... with a copy of what the bot had open, written where backups go.
        rescue = sorted(backups.glob("souk-backup-*.sqlite3"))
        assert rescue and str(rescue[-1]) in alert.text
        assert {ADMIN, APPLICANT} <= user_ids(rescue[-1])

        admin.send_command("/health")
        health = next_new_message(admin).text or ""
        assert f"fichier {word}" in health and "0 ko" not in health, health

        # /backup sends the open database, never an empty one made at the path.
        admin.send_command("/backup")
        message = next_new_message(admin)
        assert message.document is not None, message.describe()
        copy = tmp_path / "copy.sqlite3"
        copy.write_bytes(message.document["content"] or b"")
        assert {ADMIN, APPLICANT} <= user_ids(copy)
        if change == "deleted":
            assert not bot.database.exists()
        else:
            other = sqlite3.connect(bot.database)
            tables = [row[0] for row in other.execute("SELECT name FROM sqlite_master")]
            other.close()
            assert tables == ["intruder"]
    log = bot.log()
    assert f" CRITICAL bot.handlers.storage: DATABASE_PATH {bot.database} was {change}" in log
