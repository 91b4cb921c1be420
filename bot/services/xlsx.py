"""The export's workbook, written directly as SpreadsheetML (ECMA-376): one sheet of inline
strings, numbers as numeric cells, a bold header, columns sized from a sample of rows."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Sequence

Cell = str | int  # an int is written as a number (an xlsx numeric cell, CSV digits unquoted)


# Control characters an .xlsx cannot hold (XML 1.0 forbids them; openpyxl's ILLEGAL_CHARACTERS_RE).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


_MIN_WIDTH, _MAX_WIDTH = 8, 60


_WIDTH_SAMPLE = 1000  # rows looked at to size the columns


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


def workbook(headers: list[str], lines: Iterable[list[Cell]], sheet_title: str, rtl: bool) -> bytes:
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
