"""Exports: readable columns in both languages, CSV for Excel, xlsx, file names."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from bot.catalogue import Catalogue
from bot.i18n import I18n, Translator
from bot.questionnaire import QUESTIONS, FormContext
from bot.services.applications import ApplicationService
from bot.services.exports import (
    CSV_BOM,
    _csv,
    export_columns,
    export_filename,
    export_files,
)
from bot.statuses import for_applicant, for_organizers
from storage.db import Database
from storage.reports import ExportRow, ReportRepository
from storage.statuses import Status
from tests.storage.test_reports import service, submitted

__all__ = ["service"]  # the fixture, shared with the report tests

NAME = "تعاونية الأمل"


@pytest.fixture(scope="module")
def i18n() -> I18n:
    return I18n()


@pytest.fixture
def form(catalogue: Catalogue) -> FormContext:
    market = catalogue.market("ifrane")
    phase = catalogue.phase("ifrane-1")
    assert market is not None and phase is not None
    return FormContext(catalogue, market, phase)


def row(**answers: object) -> ExportRow:
    return ExportRow(
        id=1,
        reference="IFR-1-0001",
        phase_code="ifrane-1",
        status="submitted",
        user_id=7,
        submitted_at="2026-11-23T09:00:00+00:00",
        updated_at="2026-11-23T09:00:00+00:00",
        answers=dict(answers),
    )


def cells(t: Translator, form: FormContext, export_row: ExportRow) -> dict[str, str | int]:
    return {header: render(export_row) for header, render in export_columns(t, form)}


def test_columns_fr(i18n: I18n, form: FormContext) -> None:
    t = i18n.translator("fr")
    columns = export_columns(t, form)
    headers = [header for header, _ in columns]
    assert headers[:9] == [
        "Référence",
        "Fiche dans le bot",
        "Phase",
        "Statut",
        "Envoyée le",
        "Langue",
        "Structure n°",
        "Compte déposant",
        "Déposée par",
    ]
    assert len(headers) == 9 + len(QUESTIONS)
    values = cells(
        t,
        form,
        row(
            legal_form="cooperative",
            structure_name=NAME,
            coop_register=None,
            province="ifrane",
            sector="crafts",
            members=12,
            led_by="women_youth",
            stand_needs=["electricity", "table"],
            trainings=["ifrane-1-admin"],
            programmes=[],
            photos=["file-1", "file-2"],
            products={"voice": "AwACAgQAAxkBAAI", "duration": 7},
            phone="+212612345678",
        ),
    )
    assert values["Référence"] == "IFR-1-0001"
    assert values["Fiche dans le bot"] == "/app IFR-1-0001"
    assert values["Phase"] == "1"
    assert values["Langue"] == "Français"  # no language chosen: the bot writes in French
    assert values["Statut"] == "À examiner"  # the organizers' words, not the applicant's
    sent = datetime(2026, 11, 23, 9, 0, tzinfo=UTC).astimezone(form.market.timezone)
    assert values["Envoyée le"] == sent.strftime("%Y-%m-%d %H:%M")  # the market's time
    assert values["Forme"] == "Coopérative"
    assert values["Nom"] == NAME
    assert values["N° registre"] == ""
    assert values["Province"] == "Ifrane"
    assert values["Secteur"] == "Artisanat"
    assert values["Membres"] == 12  # a number, that a spreadsheet adds up
    assert values["Femmes / jeunes"] == "Femmes et jeunes"
    assert values["Besoins au stand"].count(", ") == 1
    assert values["Formations"]  # the session's title, not its code
    assert values["Formations"] != "ifrane-1-admin"
    assert values["Programmes"] == ""
    # The names of the files in /media's zips.
    stem = f"IFR-1-0001_{NAME.replace(' ', '-')}"
    assert values["Photos"] == f"{stem}_photo1.jpg, {stem}_photo2.jpg"
    assert values["Produits"] == f"message vocal (7 s) : {stem}_vocal.ogg"
    assert values["Téléphone"] == "+212612345678"
    assert not any(
        "AwACAgQAAxkBAAI" in str(value) or "file-1" in str(value) for value in values.values()
    )


def test_columns_ar(i18n: I18n, form: FormContext) -> None:
    t = i18n.translator("ar")
    values = cells(t, form, row(sector="crafts", structure_name=NAME, led_by="women"))
    headers = list(values)
    assert headers[0] != "Référence"  # translated
    assert values[t.gettext("Secteur")] == "الصناعة التقليدية"
    assert values[t.gettext("Nom")] == NAME
    assert values[t.gettext("Statut")] == t.pgettext("statut, pour les organisateurs", "À examiner")
    assert "\u2068" not in "".join(values.values())  # no bidi isolates in cells


def test_csv_has_bom_and_round_trips_arabic(i18n: I18n, form: FormContext) -> None:
    t = i18n.translator("ar")
    columns = export_columns(t, form)
    rows = [
        row(structure_name=NAME, products='Tapis "berbères", 2 m\nlaine'),
        row(structure_name="=HYPERLINK(1)"),
    ]
    data = export_files(rows, columns, "x")[1]
    assert data.startswith(CSV_BOM)
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert parsed[0] == [header for header, _ in columns]
    name_index = parsed[0].index(t.gettext("Nom"))
    assert parsed[1][name_index] == NAME
    assert parsed[1][parsed[0].index(t.gettext("Produits"))] == 'Tapis "berbères", 2 m\nlaine'
    assert parsed[2][name_index] == "'=HYPERLINK(1)"  # never run as a formula
    assert len(parsed) == 3


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_xlsx_opens_with_header_and_arabic(i18n: I18n, form: FormContext, locale: str) -> None:
    t = i18n.translator(locale)
    columns = export_columns(t, form)
    rows = [row(structure_name=NAME, members=12), row(structure_name="=1+1")]
    data = export_files(rows, columns, "Ifrane: phase [1]", rtl=t.rtl)[0]
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet.title == "Ifrane- phase -1-"
    headers = [cell.value for cell in sheet[1]]
    assert headers == [header for header, _ in columns]
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert bool(sheet.sheet_view.rightToLeft) is (locale == "ar")
    name_column = headers.index(t.gettext("Nom")) + 1
    assert sheet.cell(row=2, column=name_column).value == NAME
    assert sheet.cell(row=3, column=name_column).value == "=1+1"
    assert sheet.cell(row=3, column=name_column).data_type == "s"
    assert sheet.cell(row=2, column=1).value == "IFR-1-0001"
    widths = [sheet.column_dimensions[letter].width for letter in ("A", "B")]
    assert all(8 <= width <= 60 for width in widths)


async def test_export_from_database(
    service: ApplicationService, db: Database, i18n: I18n, form: FormContext
) -> None:
    await submitted(service, 1, answers={"structure_name": NAME})
    withdrawn = await submitted(service, 2)
    assert await service.withdraw(2, withdrawn.id)
    rows = await ReportRepository(db).applications_for_export(["ifrane-1"])
    t = i18n.translator("ar")
    data = export_files(rows, export_columns(t, form), "ifrane-1", rtl=True)[0]
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    values = [[cell.value for cell in line] for line in sheet.iter_rows(min_row=2)]
    assert len(values) == 2
    assert values[0][4] and NAME in values[0]
    assert values[1][3] == t.pgettext("statut, pour les organisateurs", "Retirée par le candidat")


def test_export_filename() -> None:
    day = date(2026, 11, 23)
    assert export_filename("ifrane", 2, day, "xlsx") == "ifrane-phase2-2026-11-23.xlsx"
    assert export_filename("ifrane", None, day, ".csv") == "ifrane-2026-11-23.csv"
    name = export_filename("Fès Market", 1, day, "xlsx")
    assert name.isascii() and "/" not in name and " " not in name


FORMULA_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")


def formula_fields(data: bytes, delimiter: str) -> list[str]:
    """Fields that a spreadsheet splitting on `delimiter` could run as a formula (plain
    numbers, such as phone numbers, are harmless)."""
    text = data.decode("utf-8-sig")
    fields = [
        field
        for line in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for field in line
    ]
    risky = []
    for field in fields:
        bare = field.lstrip(' "')  # some programs skip spaces and stray quotes
        formula = field.startswith(FORMULA_CHARACTERS) or bare.startswith(("=", "+", "-", "@"))
        if formula and not re.fullmatch(r"[+-]?\d[\d .]*", field):
            risky.append(field)
    return risky


ATTACKS = [
    'Miel;=HYPERLINK("http://x";"clic")',
    "Azrou;+cmd|' /C calc'!A0",
    "Tapis, -2+3",
    "a;@SUM(1)",
    "a\t=1+1",
    "ligne\n=1+1",
    '";=1+1;"',
    "\t=1",
    "=1",
]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_opened_as_semicolon_separated_has_no_formula(
    i18n: I18n, form: FormContext, delimiter: str
) -> None:
    """French-locale spreadsheet programs, the norm in Morocco, split a CSV on `;`."""
    columns = export_columns(i18n.translator("fr"), form)
    rows = [row(structure_name=attack, town=attack, phone="+212612345678") for attack in ATTACKS]
    data = export_files(rows, columns, "x")[1]
    assert formula_fields(data, delimiter) == []
    assert data.decode("utf-8-sig").startswith('"')  # every field is quoted
    # Nothing is lost: the comma-separated reading gives back every cell, marked with "'".
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    name_index = parsed[0].index("Nom")
    assert [line[name_index].replace("'", "") for line in parsed[1:]] == [
        attack.replace("'", "") for attack in ATTACKS
    ]
    assert all(line[parsed[0].index("Téléphone")] == "+212612345678" for line in parsed[1:])


@settings(max_examples=300)
@given(st.text(alphabet=";,\t\r\n=+-@\" 'a1", max_size=20))
def test_no_cell_text_makes_a_formula_in_any_separator(text: str) -> None:
    data = _csv(["Nom"], [[text]])
    for delimiter in (";", ",", "\t"):
        assert formula_fields(data, delimiter) == [], (text, data)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_statuses_in_the_organizers_words(i18n: I18n, form: FormContext, locale: str) -> None:
    t = i18n.translator(locale)
    header = t.gettext("Statut")
    for status in Status:
        if status is Status.DRAFT:
            continue  # never exported
        cell = cells(t, form, replace(row(), status=status))[header]
        assert cell == for_organizers(t, status)
        if for_applicant(t, status) != cell:  # "Confirmée" reads the same for both
            assert cell != for_applicant(t, status), status


def test_language_column_in_the_readers_language(i18n: I18n, form: FormContext) -> None:
    french, arabic = i18n.translator("fr"), i18n.translator("ar")
    assert cells(french, form, replace(row(), locale="ar"))["Langue"] == "Arabe"
    assert cells(french, form, replace(row(), locale="fr"))["Langue"] == "Français"
    assert cells(arabic, form, replace(row(), locale="ar"))[arabic.gettext("Langue")] == "العربية"
    assert cells(arabic, form, replace(row(), locale="fr"))[arabic.gettext("Langue")] == "الفرنسية"


def test_counts_are_numbers_a_spreadsheet_adds_up(i18n: I18n, form: FormContext) -> None:
    t = i18n.translator("fr")
    columns = export_columns(t, form)
    rows = [
        row(members=12, women_members=0),
        row(members=30, women_members=25),
        row(members="7", women_members="7"),  # digits saved as text by an older form
        row(structure_name=NAME),  # not answered: an empty cell
    ]
    workbook, table = export_files(rows, columns, "x")
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert sheet is not None
    headers = [cell.value for cell in sheet[1]]
    members = [line[headers.index("Membres")] for line in sheet.iter_rows(min_row=2)]
    women = [line[headers.index("Femmes")] for line in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in members] == [12, 30, 7, None]
    assert all(cell.data_type == "n" for cell in members)
    assert sum(cell.value or 0 for cell in members) == 49
    assert [cell.value for cell in women] == [0, 25, 7, None]  # a count of 0 is a cell
    lines = table.decode("utf-8-sig").split("\r\n")
    assert ',12,0,"' in lines[1]  # bare digits, while every text stays quoted
    parsed = list(csv.reader(io.StringIO(table.decode("utf-8-sig"), newline=""), delimiter=","))
    index = parsed[0].index("Membres")
    assert sum(int(line[index] or 0) for line in parsed[1:]) == 49
