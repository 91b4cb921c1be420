"""Applications as spreadsheets for organizers: the columns, then CSV or Excel bytes.

Columns are (header, render) pairs: every cell is readable text in the organizer's language
(choice labels rather than codes, status in the organizers' words, dates in the market's time
zone, the applicant's language), except counts, which are numbers in both files so that a
spreadsheet adds them up. Telegram file ids of photos and voice notes never leave the bot: the
cells name the files inside the zips `/media` sends (`bot/services/media.py`).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from functools import partial
from typing import Any

from bot.i18n import DEFAULT_LOCALE, N_, Translator
from bot.questionnaire import QUESTIONS, FormContext, Kind, Question
from bot.services.media import media_files
from bot.statuses import for_organizers
from storage.reports import ExportRow

# Control characters an .xlsx cannot hold (XML 1.0 forbids them; openpyxl's ILLEGAL_CHARACTERS_RE).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

Cell = str | int  # an int is written as a number (an xlsx numeric cell, CSV digits unquoted)
Column = tuple[str, Callable[[ExportRow], Cell]]

CSV_BOM = b"\xef\xbb\xbf"
# Cells that a spreadsheet would run as a formula (CSV injection); plain numbers are harmless.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d .]*")
_RISKY = re.compile(r"[=+\-@\t\r]")
_CSV_PART = re.compile(r"[^;,\t\r\n]+")  # a cell's parts between the separators of any locale
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILENAME_PART = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\d{1,9}")
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_WIDTH_SAMPLE = 1000  # rows looked at to size the columns


def _labels(question: Question, form: FormContext, t: Translator) -> dict[str, str]:
    """Choice code -> label, built once per column rather than once per cell."""
    if question.key == "trainings":  # any phase's sessions: an export may span phases
        return {
            training.code: training.title.get(t.locale)
            for market in form.catalogue.markets
            for training in market.trainings
        }
    return {choice.code: choice.label(t) for choice in question.choices(form)}


def _render(
    question: Question,
    value: Any,
    labels: Mapping[str, str],
    t: Translator,
    files: Sequence[str] = (),
) -> str:
    """`files`: the names in /media's zips of this answer's photos or voice note."""
    if value is None or value == [] or value == "":
        return ""
    if question.kind is Kind.CHOICE:
        return labels.get(str(value), str(value))
    if question.kind is Kind.MULTI and isinstance(value, list):
        return ", ".join(labels.get(str(code), str(code)) for code in value)
    if question.kind is Kind.PHOTOS and isinstance(value, list):
        return t.join(files)  # the names inside /media's zips
    if isinstance(value, dict):
        if "voice" in value:
            seconds = int(value.get("duration") or 0)
            # The same words as the summary, without the emoji some spreadsheets show badly.
            text = t.ngettext(
                "🎤 message vocal (%(count)s s)", "🎤 message vocal (%(count)s s)", seconds
            )
            said = text.removeprefix("🎤").strip()
            return t.gettext("%(said)s : %(file)s", said=said, file=files[0]) if files else said
        return ""
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def _local_time(stamp: str | None, timezone: tzinfo) -> str:
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone)
    return moment.strftime("%Y-%m-%d %H:%M")


def _phase_number(row: ExportRow) -> str:
    return row.phase_code.rsplit("-", 1)[-1]


def export_columns(t: Translator, form: FormContext) -> list[Column]:
    """Reference, phase, status, submission time (in the market's time zone), then one column
    per question of the form, headed by its translated summary label."""
    zones: dict[str, tzinfo] = {}

    def zone(phase_code: str) -> tzinfo:
        if phase_code not in zones:
            phase = form.catalogue.phase(phase_code)
            market = form.catalogue.market(phase.market_code) if phase else None
            zones[phase_code] = (market or form.market).timezone
        return zones[phase_code]

    statuses: dict[str, str] = {}

    def status(row: ExportRow) -> str:
        if row.status not in statuses:
            statuses[row.status] = for_organizers(t, row.status)
        return statuses[row.status]

    languages: dict[str | None, str] = {}

    def language(row: ExportRow) -> str:
        if row.locale not in languages:
            languages[row.locale] = language_name(t, row.locale)
        return languages[row.locale]

    def answer_column(question: Question) -> Column:
        labels, key = _labels(question, form, t), question.key
        # Run for every cell of a large export: the common values (a typed text, a choice
        # code) take a short path; anything else goes through `_render`.
        render: Callable[[ExportRow], Cell]
        if question.kind is Kind.CHOICE:

            def render(row: ExportRow) -> Cell:
                value = row.answers.get(key)
                if type(value) is str and value:
                    return labels.get(value, value)
                return _render(question, value, labels, t)

        elif question.kind is Kind.COUNT:
            render = partial(_count, question, labels, t)
        elif question.kind in (Kind.PHOTOS, Kind.TEXT_OR_VOICE):

            def render(row: ExportRow) -> Cell:
                value = row.answers.get(key)
                if type(value) is str:
                    return value
                files = [media.name for media in media_files(row, only=key)]
                return _render(question, value, labels, t, files)

        else:

            def render(row: ExportRow) -> Cell:
                value = row.answers.get(key)
                if type(value) is str:
                    return value
                return _render(question, value, labels, t)

        return (t.gettext(question.label), render)

    columns: list[Column] = [
        (t.gettext(N_("Référence")), lambda row: row.reference),
        # Typed (or pasted) in the chat with the bot, it opens the application's card.
        (t.gettext(N_("Fiche dans le bot")), lambda row: f"/app {row.reference}"),
        (t.gettext(N_("Phase")), _phase_number),
        (t.gettext(N_("Statut")), status),
        (
            t.gettext(N_("Envoyée le")),
            lambda row: _local_time(row.submitted_at, zone(row.phase_code)),
        ),
        (t.gettext(N_("Langue")), language),
    ]
    columns += [answer_column(question) for question in QUESTIONS]
    return columns


def _count(question: Question, labels: Mapping[str, str], t: Translator, row: ExportRow) -> Cell:
    """A number, so that the spreadsheet adds it up; digits saved as text (answers of an
    older form) are read as the number they are."""
    value = row.answers.get(question.key)
    if type(value) is int:
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value.strip())
    return _render(question, value, labels, t)


def language_name(t: Translator, locale: str | None) -> str:
    """The applicant's language in the reader's: "Arabe", "Français" for a French reader
    (Babel's names, capitalised as a cell begins). No choice yet means French, the language
    the bot writes to them in."""
    code = locale or DEFAULT_LOCALE
    name = t.language_name(code)
    return name[:1].upper() + name[1:]


def _clean(text: str) -> str:
    """Without the control characters that the xlsx format (XML) cannot hold."""
    if text.isprintable():  # nearly every cell: a fast scan, no regular expression
        return text
    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("", text)
    return cleaned


def _xml_text(text: str) -> str:
    text = _clean(text)
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _neutral_part(match: re.Match[str]) -> str:
    part = match.group(0)
    if part.lstrip(' "').startswith(_FORMULA_START):
        return "'" + part
    return part


def _csv_safe(text: str) -> str:
    """No formula in a cell, nor in any part of it a spreadsheet may split off: French-locale
    programs (the norm in Morocco) split CSV on `;`, others on `,` or a tab, whatever the
    quoting (https://owasp.org/www-community/attacks/CSV_Injection)."""
    if not _RISKY.search(text) or _PLAIN_NUMBER.fullmatch(text):  # "+212 6 12 34 56 78"
        return text
    text = _CSV_PART.sub(_neutral_part, text)
    return "'" + text if text.startswith(("\t", "\r")) else text


def _table(rows: Iterable[ExportRow], columns: Sequence[Column]) -> Iterable[list[Cell]]:
    for row in rows:
        yield [render(row) for _, render in columns]


def _csv(headers: list[str], lines: Iterable[list[Cell]]) -> bytes:
    buffer = io.StringIO(newline="")
    # Every text field quoted, so that no program guesses where a cell ends; the parts it may
    # still split off on `;` are neutralised by _csv_safe. Numbers are bare digits: a
    # spreadsheet reads them as numbers whatever its locale.
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([_csv_safe(header) for header in headers])
    for values in lines:
        writer.writerow(
            [value if type(value) is int else _csv_safe(str(value)) for value in values]
        )
    return CSV_BOM + buffer.getvalue().encode("utf-8")


def export_files(
    rows: Iterable[ExportRow], columns: Sequence[Column], sheet_title: str, rtl: bool = False
) -> tuple[bytes, bytes]:
    """The .xlsx and the .csv of the same rows, each answer rendered once for both."""
    headers = [header for header, _ in columns]
    lines = list(_table(rows, columns))
    return _xlsx(headers, lines, sheet_title, rtl), _csv(headers, lines)


def table_xlsx(
    headers: list[str], lines: Sequence[list[Cell]], sheet_title: str, rtl: bool = False
) -> bytes:
    """One sheet of any table (the funders' report), written as the export is."""
    return _xlsx(headers, lines, sheet_title, rtl)


def _sheet_title(title: str) -> str:
    cleaned = _SHEET_TITLE_FORBIDDEN.sub("-", _clean(title)).strip("'").strip()
    return cleaned[:31] or "Sheet1"


def _width(cell: Cell) -> float:
    text = cell if isinstance(cell, str) else str(cell)
    longest = max((len(line) for line in text.splitlines()), default=0)
    return float(min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH))


# The workbook is written directly as SpreadsheetML (ECMA-376): one sheet of inline strings,
# a bold style for the header. openpyxl took 13 s for a phase of 25,000 applications (about
# 30 µs a cell, most of it in its per-cell objects); this takes about a second.
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}


def _column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(reference: str, value: Cell, style: str) -> str:
    if type(value) is int:  # a number the spreadsheet can add up
        return f'<c r="{reference}"{style}><v>{value}</v></c>'
    return (
        f'<c r="{reference}"{style} t="inlineStr"><is><t xml:space="preserve">'
        f"{_xml_text(str(value))}</t></is></c>"
    )


def _xlsx(headers: list[str], lines: Iterable[list[Cell]], sheet_title: str, rtl: bool) -> bytes:
    lines = iter(lines)
    sample = list(itertools.islice(lines, _WIDTH_SAMPLE))
    letters = [_column_letter(index + 1) for index in range(len(headers))]
    widths = [
        max([_width(header), *(_width(values[index]) for values in sample)])
        for index, header in enumerate(headers)
    ]
    title = _xml_text(_sheet_title(sheet_title)).replace('"', "&quot;")

    def row(number: int, values: Sequence[Cell], style: str = "") -> str:
        cells = "".join(
            _cell(f"{letter}{number}", value, style)
            for letter, value in zip(letters, values, strict=False)
            if value != ""  # an empty answer is no cell; a count of 0 is one
        )
        return f'<row r="{number}">{cells}</row>'

    direction = ' rightToLeft="1"' if rtl else ""
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetViews><sheetView workbookViewId="0"{direction}>'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        "<cols>",
        *(
            f'<col min="{i}" max="{i}" width="{width:g}" customWidth="1"/>'
            for i, width in enumerate(widths, start=1)
        ),
        "</cols><sheetData>",
        row(1, headers, ' s="1"'),
    ]
    parts += (row(number, values) for number, values in enumerate(sample, start=2))
    parts += (row(number, values) for number, values in enumerate(lines, start=2 + len(sample)))
    parts.append("</sheetData></worksheet>")
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in _XLSX_PARTS.items():
            archive.writestr(name, content)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/worksheets/sheet1.xml", "".join(parts))
    return buffer.getvalue()


def export_filename(market_code: str, phase_number: int | None, day: date, extension: str) -> str:
    """`ifrane-phase2-2026-11-23.xlsx`, or `ifrane-2026-11-23.csv` for every phase (ASCII)."""
    market = _FILENAME_PART.sub("-", market_code.lower()).strip("-") or "export"
    suffix = _FILENAME_PART.sub("", extension.lower().lstrip(".")) or "dat"
    phase = f"-phase{int(phase_number)}" if phase_number is not None else ""
    return f"{market}{phase}-{day.isoformat()}.{suffix}"
