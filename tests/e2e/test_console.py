"""The organizer console over HTTP: review, accept, notify in Arabic, confirm; guards."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from tests.e2e.bot_process import BotProcess
from tests.e2e.journey import choose_language, next_new_message, open_draft, press_code
from tests.e2e.test_apply import answer_until
from tests.fake_telegram import FakeTelegram, FakeUser

ADMIN = 9001


@pytest.fixture(scope="module")
def bot(fake: FakeTelegram, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    process = BotProcess(fake, tmp_path_factory.mktemp("console"), {"ADMIN_IDS": str(ADMIN)})
    process.start()
    yield process
    assert process.stop() == 0, process.log()
    assert "Traceback" not in process.log(), process.log()


def submit(user: FakeUser, language: str, phase: str) -> str:
    choose_language(user, language)
    summary = answer_until(user, open_draft(user, phase))
    press_code(user, summary, "sub:" + summary.callback_data()[-1].split(":")[1])
    return next_new_message(user).text or ""


def test_organizer_accepts_and_applicant_confirms_in_arabic(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    applicant = fake.user(new_user_id, language_code="ar")
    submit(applicant, "العربية", "mohammedia-1")
    organizer = fake.user(ADMIN, first_name="Admin", language_code="fr")
    choose_language(organizer, "Français")
    organizer.send_command("/review", "mohammedia")
    assert "à examiner" in (next_new_message(organizer).text or "")
    card = next_new_message(organizer)
    assert "MOH-1-" in (card.text or "") or "Tifawin" in (card.text or "")
    press_code(organizer, card, "rv:acc:" + card.callback_data()[0].split(":")[2] + ":mohammedia")
    assert "Décision enregistrée" in (next_new_message(organizer).text or "")

    notice = next_new_message(applicant)
    text = notice.text or ""
    assert not text.replace("MOH", "").isascii()  # in Arabic
    press_code(applicant, notice, ":y")
    assert next_new_message(applicant).text
    with sqlite3.connect(bot.database) as connection:
        statuses = connection.execute(
            "SELECT status FROM applications WHERE user_id = ?", (new_user_id,)
        ).fetchall()
    assert statuses == [("confirmed",)]


def test_console_does_not_exist_for_applicants(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    other = fake.user(new_user_id + 500, language_code="fr")
    submit(other, "Français", "ifrane-3")
    intruder = fake.user(new_user_id, language_code="fr")
    choose_language(intruder, "Français")
    for command in ("/review", "/grant", "/find", "/team"):
        intruder.send_command(command, str(new_user_id), "admin")
        assert "pas compris" in (next_new_message(intruder).text or "")
    with sqlite3.connect(bot.database) as connection:
        (target,) = connection.execute(
            "SELECT id FROM applications WHERE user_id = ?", (new_user_id + 500,)
        ).fetchone()
    query = intruder.press_data(f"rv:acc:{target}:all")
    assert "plus valable" in (intruder.callback_answer(query).get("text") or "")
    with sqlite3.connect(bot.database) as connection:
        assert connection.execute(
            "SELECT status FROM applications WHERE id = ?", (target,)
        ).fetchone() == ("submitted",)
        assert connection.execute(
            "SELECT COUNT(*) FROM roles WHERE user_id = ?", (new_user_id,)
        ).fetchone() == (0,)


def test_export_and_stats_as_documents(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    applicant = fake.user(new_user_id, language_code="ar")
    submit(applicant, "العربية", "ifrane-1")
    organizer = fake.user(ADMIN, language_code="fr")
    organizer.drain()
    organizer.send_command("/export", "ifrane", "1")
    workbook_message = next_new_message(organizer)
    csv_message = next_new_message(organizer)
    assert workbook_message.document is not None and csv_message.document is not None
    assert (workbook_message.document["file_name"] or "").startswith("ifrane-phase1-")
    workbook = load_workbook(io.BytesIO(workbook_message.document["content"] or b""))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Référence"
    assert any("Coopérative Tifawin" in (cell or "") for row in rows[1:] for cell in row)
    assert any(
        "الصناعة التقليدية" in str(cell) or "Artisanat" in str(cell)
        for row in rows[1:]
        for cell in row
    )
    raw = csv_message.document["content"] or b""
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][0] == "Référence" and len(table) == len(rows)

    organizer.send_command("/stats", "ifrane")
    text = next_new_message(organizer)
    assert "places libres sur 70" in (text.text or "") and "Artisanat" in (text.text or "")
    chart = next_new_message(organizer)
    assert chart.photo is not None and (chart.photo["content"] or b"").startswith(
        b"\x89PNG\r\n\x1a\n"
    )
