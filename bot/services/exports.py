"""Applications as spreadsheets for organizers: the columns, then CSV or Excel bytes.

Columns are (header, render) pairs: every cell is readable text in the organizer's language
(choice labels rather than codes, status in words, dates in the market's time zone).
Telegram file ids of photos and voice notes never leave the bot: only their count or length.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from bot.i18n import N_, Translator
from bot.questionnaire import QUESTIONS, FormContext, Kind, Question
from bot.views.application import status_label
from storage.reports import ExportRow

Column = tuple[str, Callable[[ExportRow], str]]


if TYPE_CHECKING:  # openpyxl is imported when an export is made: it slows every start down
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

CSV_BOM = b"\xef\xbb\xbf"
# Cells that a spreadsheet would run as a formula (CSV injection); plain numbers are harmless.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d .]*")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILENAME_PART = re.compile(r"[^a-z0-9]+")
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


def _render(question: Question, value: Any, labels: Mapping[str, str], t: Translator) -> str:
    if value is None or value == [] or value == "":
        return ""
    if question.kind is Kind.CHOICE:
        return labels.get(str(value), str(value))
    if question.kind is Kind.MULTI and isinstance(value, list):
        return ", ".join(labels.get(str(code), str(code)) for code in value)
    if question.kind is Kind.PHOTOS and isinstance(value, list):
        return t.ngettext("%(count)s photo", "%(count)s photos", len(value))
    if isinstance(value, dict):
        if "voice" in value:
            seconds = int(value.get("duration") or 0)
            # The same words as the summary, without the emoji some spreadsheets show badly.
            text = t.ngettext(
                "🎤 message vocal (%(count)s s)", "🎤 message vocal (%(count)s s)", seconds
            )
            return text.removeprefix("🎤").strip()
        return ""
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def answer_cell(question: Question, form: FormContext, value: Any, t: Translator) -> str:
    """An answer as plain text for a spreadsheet cell; empty when skipped or not asked.

    Choice labels, multi-selects joined with ", ", photos and voice notes as a count or a
    length: never their Telegram file ids.
    """
    return _render(question, value, _labels(question, form, t), t)


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
            statuses[row.status] = status_label(t, row.status)
        return statuses[row.status]

    def answer_column(question: Question) -> Column:
        labels = _labels(question, form, t)

        def render(row: ExportRow) -> str:
            return _render(question, row.answers.get(question.key), labels, t)

        return (t.gettext(question.label), render)

    columns: list[Column] = [
        (t.gettext(N_("Référence")), lambda row: row.reference),
        (t.gettext(N_("Phase")), _phase_number),
        (t.gettext(N_("Statut")), status),
        (
            t.gettext(N_("Envoyée le")),
            lambda row: _local_time(row.submitted_at, zone(row.phase_code)),
        ),
    ]
    columns += [answer_column(question) for question in QUESTIONS]
    return columns


def _clean(text: str) -> str:
    """Without the control characters that the xlsx format (XML) cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("", text)
    return cleaned


def _csv_safe(text: str) -> str:
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _table(rows: Iterable[ExportRow], columns: Sequence[Column]) -> Iterable[list[str]]:
    for row in rows:
        yield [render(row) for _, render in columns]


def to_csv(rows: Iterable[ExportRow], columns: Sequence[Column]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel shows Arabic; a header line first."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([_csv_safe(header) for header, _ in columns])
    for values in _table(rows, columns):
        writer.writerow([_csv_safe(value) for value in values])
    return CSV_BOM + buffer.getvalue().encode("utf-8")


def _sheet_title(title: str) -> str:
    cleaned = _SHEET_TITLE_FORBIDDEN.sub("-", _clean(title)).strip("'").strip()
    return cleaned[:31] or "Sheet1"


def _width(text: str) -> float:
    longest = max((len(line) for line in text.splitlines()), default=0)
    return float(min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH))


def to_xlsx(
    rows: Iterable[ExportRow], columns: Sequence[Column], sheet_title: str, rtl: bool = False
) -> bytes:
    """An Excel workbook: bold frozen header, columns sized to their content, RTL if asked.

    Every cell is text (a name typed as `=...` stays a name, never a formula).
    """
    lines = ([_clean(value) for value in values] for values in _table(rows, columns))
    sample = list(itertools.islice(lines, _WIDTH_SAMPLE))  # the rest is streamed
    headers = [_clean(header) for header, _ in columns]
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    sheet.sheet_view.rightToLeft = rtl
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers):
        width = max([_width(header), *(_width(values[index]) for values in sample)])
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    bold = Font(bold=True)

    def cell(value: str, font: Font | None = None) -> WriteOnlyCell:
        written = WriteOnlyCell(sheet, value=value)
        written.data_type = "s"
        if font is not None:
            written.font = font
        return written

    sheet.append([cell(header, bold) for header in headers])
    for values in itertools.chain(sample, lines):
        # Plain strings are fastest; only a text that looks like a formula needs a typed cell.
        sheet.append([cell(v) if v.startswith("=") else (v or None) for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(market_code: str, phase_number: int | None, day: date, extension: str) -> str:
    """`ifrane-phase2-2026-11-23.xlsx`, or `ifrane-2026-11-23.csv` for every phase (ASCII)."""
    market = _FILENAME_PART.sub("-", market_code.lower()).strip("-") or "export"
    suffix = _FILENAME_PART.sub("", extension.lower().lstrip(".")) or "dat"
    phase = f"-phase{int(phase_number)}" if phase_number is not None else ""
    return f"{market}{phase}-{day.isoformat()}.{suffix}"
