"""Data that adds up, over HTTP: the export's counts are numbers a spreadsheet sums, statuses
in the organizers' words, the applicant's language, the /app command per row; /media's zips
hold the files the export names; /stats draws its chart in the organizer's language."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import zipfile

import pytest
from openpyxl import load_workbook

from bot.callbacks import CardAction, Done, ReviewCard, Submit
from localbotapi import FakeTelegram, FakeUser
from localbotapi.user_core import FAKE_JPEG, FAKE_OGG
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.journey import choose_language, next_new_message, open_draft, press_button
from tests.e2e.test_apply import answer_until

ADMIN, ARABIC_ADMIN = 9301, 9302
PHOTO_1 = FAKE_JPEG + b"first photo"
PHOTO_2 = FAKE_JPEG + b"second photo"
TOO_BIG = 21 * 1024 * 1024  # over the 20 MB a bot may download (getFile)


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    return start_bot(name="data", admins=[ADMIN, ARABIC_ADMIN])


def apply(
    user: FakeUser,
    language: str,
    members: str,
    women: str,
    photos: tuple[bytes, ...] = (),
    voice: bytes | None = None,
) -> str:
    """A complete application in ifrane-1 with these counts, photos and voice note; its
    reference."""
    choose_language(user, language)
    phone, register = f"2126{user.id % 100_000_000:08d}", f"{user.id}/2022"
    typed = {"women_members": women}
    question = answer_until(
        user, open_draft(user, "ifrane-1"), "products", phone=phone, register=register, typed=typed
    )
    user.send_voice(duration=7, content=voice)
    question = answer_until(user, next_new_message(user), "members", typed=typed)
    user.send_text(members)
    question = answer_until(
        user, next_new_message(user), "photos", phone=phone, register=register, typed=typed
    )
    if photos:
        for content in photos:
            user.send_photo(content=content)
            question = next_new_message(user)
        press_button(user, question, Done, question="photos")
        summary = next_new_message(user)
    else:
        summary = answer_until(user, question, phone=phone, register=register, typed=typed)
    press_button(user, summary, Submit)
    match = re.search(r"IFR-1-\d{4}", next_new_message(user).text or "")
    assert match
    return match.group(0)


def test_export_adds_up_and_media_come_as_zips(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    fatima = fake.user(new_user_id, language_code="fr")
    first = apply(fatima, "Français", "35", "20", photos=(PHOTO_1, PHOTO_2))
    khadija = fake.user(new_user_id + 1000, language_code="ar")
    second = apply(khadija, "العربية", "١٢", "٩")  # Arabic-Indic digits: 12 and 9
    long_voice = fake.user(new_user_id + 2000, language_code="fr")
    third = apply(long_voice, "Français", "7", "0", voice=b"OggS" + b"\x00" * TOO_BIG)

    # Stored as JSON numbers, whatever digits were typed ("١٢"): the database adds them up too.
    with sqlite3.connect(bot.database) as connection:
        stored = connection.execute(
            "SELECT json_type(an.value), SUM(json_extract(an.value, '$')) FROM answers an"
            " JOIN applications a ON a.id = an.application_id"
            " WHERE an.question = 'members' AND a.reference IN (?, ?, ?) GROUP BY 1",
            (first, second, third),
        ).fetchall()
    assert stored == [("integer", 35 + 12 + 7)]

    organizer = fake.user(ADMIN, language_code="fr")
    choose_language(organizer, "Français")
    organizer.send_command("/app", first)
    card = next_new_message(organizer)
    press_button(organizer, card, ReviewCard, action=CardAction.ACCEPT)
    assert "Décision enregistrée" in (next_new_message(organizer).text or "")
    assert second in (next_new_message(organizer).text or "")  # the next card to examine

    organizer.send_command("/export", "ifrane", "1")
    workbook_message, csv_message = next_new_message(organizer), next_new_message(organizer)
    assert workbook_message.document is not None and csv_message.document is not None
    sheet = load_workbook(io.BytesIO(workbook_message.document["content"] or b"")).active
    headers = [cell.value for cell in sheet[1]]
    rows = {
        line[0].value: {header: cell for header, cell in zip(headers, line, strict=False)}
        for line in sheet.iter_rows(min_row=2)
    }
    assert set(rows) == {first, second, third}
    # Numbers a spreadsheet adds up, not text.
    members = [rows[reference]["Membres"] for reference in (first, second, third)]
    assert all(cell.data_type == "n" for cell in members)
    assert sum(cell.value for cell in members) == 35 + 12 + 7
    assert sum(rows[reference]["Femmes"].value for reference in rows) == 20 + 9 + 0
    # The organizers' words for the status, never the applicant's.
    assert rows[first]["Statut"].value == "Acceptée, confirmation attendue"
    assert rows[second]["Statut"].value == "À examiner"
    every_cell = " ".join(str(cell.value) for row in rows.values() for cell in row.values())
    assert "confirmez votre présence" not in every_cell and "en attente d'examen" not in every_cell
    assert rows[first]["Langue"].value == "Français" and rows[second]["Langue"].value == "Arabe"
    assert rows[second]["Fiche dans le bot"].value == f"/app {second}"
    photo_names = f"{first}_Coopérative-Tifawin_photo1.jpg, {first}_Coopérative-Tifawin_photo2.jpg"
    assert rows[first]["Photos"].value == photo_names
    assert f"{first}_Coopérative-Tifawin_vocal.ogg" in rows[first]["Produits"].value

    raw = (csv_message.document["content"] or b"").decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(raw, newline="")))
    column = table[0].index("Membres")
    assert sum(int(line[column]) for line in table[1:]) == 54
    assert f'",{rows[first]["Membres"].value},' in raw  # bare digits, texts quoted
    assert "/media ifrane 1" in (csv_message.text or "")  # the caption says where media are

    # /media: the zips hold exactly the files the export names; the voice note over 20 MB,
    # which Telegram will not give back to a bot, is named as missing.
    organizer.send_command("/media", "ifrane", "1")
    assert "Préparation de 5 fichiers" in (next_new_message(organizer).text or "")
    archive_message = next_new_message(organizer, timeout=30)
    assert archive_message.document is not None
    assert re.fullmatch(
        r"ifrane-phase1-\d{4}-\d\d-\d\d-media1\.zip", archive_message.document["file_name"] or ""
    )
    with zipfile.ZipFile(io.BytesIO(archive_message.document["content"] or b"")) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    assert contents == {
        f"{first}_Coopérative-Tifawin_photo1.jpg": PHOTO_1,
        f"{first}_Coopérative-Tifawin_photo2.jpg": PHOTO_2,
        f"{first}_Coopérative-Tifawin_vocal.ogg": FAKE_OGG,
        f"{second}_Coopérative-Tifawin_vocal.ogg": FAKE_OGG,
    }
    done = next_new_message(organizer, timeout=30).text or ""
    assert "4 fichiers envoyés en 1 zip" in done
    assert "1 fichier n'a pas pu être téléchargé" in done
    assert f"{third}_Coopérative-Tifawin_vocal.ogg" in done


def test_arabic_organizer_gets_arabic_export_and_chart(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    applicant = fake.user(new_user_id, language_code="fr")
    reference = apply(applicant, "Français", "40", "31")
    organizer = fake.user(ARABIC_ADMIN, language_code="ar")
    choose_language(organizer, "العربية")

    organizer.send_command("/export", "ifrane", "1")
    workbook_message = next_new_message(organizer)
    next_new_message(organizer)  # the CSV
    assert workbook_message.document is not None
    sheet = load_workbook(io.BytesIO(workbook_message.document["content"] or b"")).active
    headers = [cell.value for cell in sheet[1]]
    line = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == reference)
    cells = dict(zip(headers, line, strict=False))
    assert cells["اللغة"].value == "الفرنسية"  # the applicant's language, in Arabic
    assert cells["الحالة"].value == "للدراسة"
    assert cells["الأعضاء"].value == 40 and cells["الأعضاء"].data_type == "n"

    organizer.send_command("/stats", "ifrane")
    text = next_new_message(organizer).text or ""
    assert "الطلبات" in text
    chart = next_new_message(organizer)
    assert chart.photo is not None
    assert (chart.photo["content"] or b"").startswith(b"\x89PNG\r\n\x1a\n")
