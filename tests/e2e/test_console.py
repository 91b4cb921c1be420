"""The organizer console over HTTP: review, accept, notify in Arabic, confirm; guards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.callbacks import (
    CardAction,
    ConfirmOffer,
    RejectFor,
    ReminderSetting,
    ReviewCard,
    SetReminders,
    Submit,
)
from localbotapi import FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess, StartBot, running_bot
from tests.e2e.journey import (
    buttons_of,
    choose_language,
    next_new_message,
    open_draft,
    press_button,
    press_code,
)
from tests.e2e.test_apply import answer_until

ADMIN = 9001


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    return start_bot(name="console", admins=[ADMIN])


def submit(user: FakeUser, language: str, phase: str) -> str:
    """A complete application, with a phone and register number of the user's own."""
    choose_language(user, language)
    phone, register = f"2126{user.id % 100_000_000:08d}", f"{user.id}/2020"
    summary = answer_until(user, open_draft(user, phase), phone=phone, register=register)
    press_button(user, summary, Submit)
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
    press_button(organizer, card, ReviewCard, action=CardAction.ACCEPT, scope="mohammedia")
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

    # Confirmed: reminders are planned 7 days and 1 day before the phase; turning the
    # non-essential ones off stops the 7-day one and keeps the day before (set-up time).
    applicant.send_command("/reminders")
    planned = next_new_message(applicant)
    assert (planned.text or "").count("🔔") == 2, planned.text
    press_button(applicant, planned, SetReminders, setting=ReminderSetting.OFF)
    after = next_new_message(applicant)
    assert (after.text or "").count("🔔") == 1 and "موقوف" in (after.text or "")
    assert SetReminders(ReminderSetting.ON) in buttons_of(after, SetReminders)


def test_console_does_not_exist_for_applicants(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    other = fake.user(new_user_id + 500, language_code="fr")
    submit(other, "Français", "ifrane-3")
    intruder = fake.user(new_user_id, language_code="fr")
    choose_language(intruder, "Français")
    for command in ("/review", "/export", "/stats", "/grant", "/find", "/team", "/close"):
        intruder.send_command(command, str(new_user_id), "admin")
        assert "pas compris" in (next_new_message(intruder).text or "")
    with sqlite3.connect(bot.database) as connection:
        (target,) = connection.execute(
            "SELECT id FROM applications WHERE user_id = ?", (new_user_id + 500,)
        ).fetchone()
    query = intruder.press_data(ReviewCard(CardAction.ACCEPT, target, "all").pack())
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


def test_capacity_grant_waitlist_and_freed_place(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Mohammedia with one place: a second organizer cannot accept a second exhibitor; when
    the first declines, the waiting list's first receives an offer, in Arabic."""

    from tests.e2e.bot_process import ROOT

    workdir = tmp_path_factory.mktemp("capacity")
    source = (ROOT / "bot" / "data" / "markets.toml").read_text(encoding="utf-8")
    markets = workdir / "markets.toml"
    # The last phase in the file is Mohammedia's: give it a single place.
    head, _, tail = source.rpartition("capacity = 70")
    markets.write_text(head + "capacity = 1" + tail, encoding="utf-8")
    with FakeTelegram(token="123456:TEST-TOKEN") as fake:
        run_capacity_scenario(fake, workdir, markets)


def run_capacity_scenario(fake: FakeTelegram, workdir: Path, markets: Path) -> None:
    import re

    with running_bot(fake, workdir, admins=[9100], markets=markets) as process:
        first, second = fake.user(9201, language_code="fr"), fake.user(9202, language_code="ar")
        submit(first, "Français", "mohammedia-1")
        submit(second, "العربية", "mohammedia-1")
        admin = fake.user(9100, language_code="fr")
        choose_language(admin, "Français")
        admin.send_command("/grant", "9101", "organizer")
        assert "9101" in (next_new_message(admin).text or "")
        admin.send_command("/review", "mohammedia")
        next_new_message(admin)
        card = next_new_message(admin)
        press_button(admin, card, ReviewCard, action=CardAction.ACCEPT, scope="mohammedia")
        next_new_message(admin)  # decision saved
        next_card = next_new_message(admin)
        assert next_card.callback_data(), [m.describe() for m in admin.messages]
        second_id = buttons_of(next_card, ReviewCard)[0].application_id

        colleague = fake.user(9101, language_code="fr")
        choose_language(colleague, "Français")
        colleague.press_data(ReviewCard(CardAction.ACCEPT, second_id, "mohammedia").pack())
        full = next_new_message(colleague)
        assert "complète" in (full.text or "")
        press_button(colleague, full, ReviewCard, action=CardAction.WAITLIST)
        assert "Décision" in (next_new_message(colleague).text or "")
        waiting = next_new_message(second)
        assert not (waiting.text or "").replace("MOH", "").isascii()

        accepted = next_new_message(first)
        assert "Action requise" in (accepted.text or "")
        press_code(first, accepted, ":n")  # Decline asks first: the place is still taken
        sure = next_new_message(first)
        assert "autre structure" in (sure.text or "")
        press_code(first, sure, ":x")
        next_new_message(first)
        offer = next_new_message(second)
        assert re.search(r"MOH-1-\d{4}", offer.text or "")
        assert buttons_of(offer, ConfirmOffer)
        with sqlite3.connect(process.database) as connection:
            statuses = dict(
                connection.execute("SELECT user_id, status FROM applications").fetchall()
            )
        assert statuses == {9201: "declined", 9202: "offered"}


def test_reject_with_own_words_reaches_the_applicant(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    applicant = fake.user(new_user_id, language_code="fr")
    submit(applicant, "Français", "ifrane-2")
    with sqlite3.connect(bot.database) as connection:
        (target,) = connection.execute(
            "SELECT id FROM applications WHERE user_id = ?", (new_user_id,)
        ).fetchone()
    organizer = fake.user(ADMIN, language_code="fr")
    organizer.drain()
    organizer.send_command("/app", "IFR-2-0001")
    card = next_new_message(organizer)
    assert card.text
    organizer.press_data(ReviewCard(CardAction.REJECT, target, "all").pack())
    reasons = next_new_message(organizer)
    assert "Motif" in (reasons.text or "")
    press_button(organizer, reasons, RejectFor, application_id=target, reason="other")
    assert "motif" in (next_new_message(organizer).text or "")
    organizer.send_text("Dossier sans photos des produits")
    assert "Décision" in (next_new_message(organizer).text or "")
    notice = next_new_message(applicant)
    assert "Dossier sans photos des produits" in (notice.text or "")
    assert "n'est pas retenue" in (notice.text or "")
