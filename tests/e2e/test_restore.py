"""The restore drill (issue 19, item 5) and the health check (item 3) against the real bot.

A bot runs with quiet hours all around now: an application is submitted and accepted (its
messages go out), another stays a draft, and a broadcast waits in the outbox. An admin's
/backup is the backup. The bot stops; `python -m bot restore` puts the backup into a fresh
data folder; a bot started there finds everything, sends the waiting broadcast once, and
sends nothing that went out before the backup again. Meanwhile `python -m bot check` says
healthy, and a second restore is refused.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from localbotapi import FakeTelegram
from tests.e2e.bot_process import BotProcess
from tests.e2e.broadcasting import ORGANIZER, compose, open_console, received, send_and_count
from tests.e2e.journey import choose_language, next_new_message, open_draft, press_code
from tests.e2e.test_decisions import apply_with_training

APPLICANT, DRAFTER = 95_001, 95_002
MARKER = "ANNONCE-RESTAURATION"


def quiet_hours_around_now() -> str:
    """QUIET_HOURS (market time) from an hour ago to two hours from now: broadcasts wait."""
    now = datetime.now(ZoneInfo("Africa/Casablanca"))
    start, end = now - timedelta(hours=1), now + timedelta(hours=2)
    return f"{start:%H:%M}-{end:%H:%M}"


def command(bot: BotProcess, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ...` with the bot's own settings and folder, as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=bot.workdir,
        env=bot.env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def texts_to(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [
        str(call.params.get("text", ""))
        for call in fake.calls("sendMessage", chat_id=chat_id)
        if call.status == 200
    ]


def test_a_backup_restored_into_a_fresh_folder_loses_nothing_and_sends_nothing_twice(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    first = BotProcess(
        fake,
        tmp_path / "old",
        {"ADMIN_IDS": str(ORGANIZER), "QUIET_HOURS": quiet_hours_around_now()},
    )
    first.workdir.mkdir()
    first.start()
    try:
        organizer = fake.user(ORGANIZER, first_name="Admin", language_code="fr")
        open_console(organizer)
        applicant = fake.user(APPLICANT, language_code="fr")
        reference = apply_with_training(applicant, "Français")
        organizer.drain()
        organizer.send_command("/app", reference)
        press_code(organizer, next_new_message(organizer), ":all")  # Accept
        assert "Décision enregistrée" in (next_new_message(organizer).text or "")
        # A decision's message is never held by quiet hours: it goes out now.
        decision = next_new_message(applicant).text or ""
        assert reference in decision, decision
        # The training's seat, taken with the place, is confirmed at once too.
        assert "🎓" in (next_new_message(applicant).text or "")
        drafter = fake.user(DRAFTER, language_code="ar")
        choose_language(drafter, "العربية")
        open_draft(drafter, "ifrane-1")

        time.sleep(1.0)  # the team's notices of the new application, if any, come first
        organizer.drain()
        recipients = send_and_count(organizer, compose(organizer, MARKER))
        assert recipients >= 1
        organizer.drain()
        applicant.expect_no_message(within=2.0)  # held by quiet hours
        organizer.send_command("/backup")
        document = None
        while document is None:  # past the broadcast's progress message
            document = next_new_message(organizer).document
        backup = tmp_path / str(document["file_name"])
        backup.write_bytes(document["content"] or b"")
    finally:
        assert first.stop() == 0, first.log()
    assert received(fake, MARKER) == {}
    with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as connection:
        (pending,) = connection.execute(
            "SELECT count(*) FROM deliveries WHERE status = 'pending'"
        ).fetchone()
    assert pending >= recipients
    before = {chat: texts_to(fake, chat) for chat in (APPLICANT, DRAFTER, ORGANIZER)}

    second = BotProcess(fake, tmp_path / "new", {"ADMIN_IDS": str(ORGANIZER), "QUIET_HOURS": "off"})
    second.workdir.mkdir()
    restored = command(second, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"restored {backup} into "), restored.stdout
    second.start()
    try:
        again = command(second, "restore", str(backup))
        assert again.returncode == 1
        assert again.stderr.strip().endswith("is running on it; stop the bot first"), again.stderr

        fake.wait_until(
            lambda: sum(received(fake, MARKER).values()) >= recipients,
            timeout=30,
            interval=0.5,
            message=f"{recipients} messages {MARKER}",
        )
        # Everything is there: the accepted application, the draft, and the team.
        applicant.drain()
        applicant.send_command("/status")
        status = next_new_message(applicant).text or ""
        assert reference in status, status
        drafter.drain()
        drafter.send_command("/apply")
        resume = next_new_message(drafter)  # "an application not finished yet: continue?"
        assert "لم يكتمل" in (resume.text or "") and resume.callback_data(), resume.describe()

        fake.wait_until(
            lambda: command(second, "check").returncode == 0,
            timeout=20,
            interval=1.0,
            message="python -m bot check healthy",
        )
        healthy = command(second, "check")
        assert re.match(r"healthy: polling, process \d+, heartbeat \d+ s ago", healthy.stdout)
    finally:
        assert second.stop() == 0, second.log()
    assert "Traceback" not in second.log(), second.log()

    # Nothing sent twice: the broadcast once to each, and what went out before the backup
    # (the acknowledgement of the application, the decision) not again.
    assert set(received(fake, MARKER).values()) == {1}
    after = {chat: texts_to(fake, chat) for chat in before}
    for chat, texts in after.items():
        new = texts[len(before[chat]) :]
        for text in before[chat]:
            if reference in text or MARKER in text:
                assert text not in new, f"sent again to {chat}: {text}"
    assert sum(decision == text for text in after[APPLICANT]) == 1
