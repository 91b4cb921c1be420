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
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from functools import partial
from typing import Any

from bot.i18n import DEFAULT_LOCALE, N_, Translator
from bot.questionnaire import QUESTIONS, FormContext, Kind, Question
from bot.services.media import media_files
from bot.services.xlsx import Cell, workbook
from bot.statuses import for_organizers
from storage.reports import ExportRow

Column = tuple[str, Callable[[ExportRow], Cell]]

CSV_BOM = b"\xef\xbb\xbf"
# Cells that a spreadsheet would run as a formula (CSV injection); plain numbers are harmless.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d .]*")
_RISKY = re.compile(r"[=+\-@\t\r]")
_CSV_PART = re.compile(r"[^;,\t\r\n]+")  # a cell's parts between the separators of any locale
_FILENAME_PART = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\d{1,9}")


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

    by_facilitator = t.gettext(N_("un intermédiaire"))
    by_itself = t.gettext(N_("la structure"))

    def filer(row: ExportRow) -> str:
        return by_facilitator if row.facilitated else by_itself

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
        (t.gettext(N_("Structure n°")), lambda row: str(row.structure_id or "")),
        (t.gettext(N_("Compte déposant")), lambda row: str(row.user_id)),
        (t.gettext(N_("Déposée par")), filer),
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
    return workbook(headers, lines, sheet_title, rtl), _csv(headers, lines)


def table_xlsx(
    headers: list[str], lines: Sequence[list[Cell]], sheet_title: str, rtl: bool = False
) -> bytes:
    """One sheet of any table (the funders' report), written as the export is."""
    return workbook(headers, lines, sheet_title, rtl)


def export_filename(market_code: str, phase_number: int | None, day: date, extension: str) -> str:
    """`ifrane-phase2-2026-11-23.xlsx`, or `ifrane-2026-11-23.csv` for every phase (ASCII)."""
    market = _FILENAME_PART.sub("-", market_code.lower()).strip("-") or "export"
    suffix = _FILENAME_PART.sub("", extension.lower().lstrip(".")) or "dat"
    phase = f"-phase{int(phase_number)}" if phase_number is not None else ""
    return f"{market}{phase}-{day.isoformat()}.{suffix}"
