"""An attestation of participation as a one-page PDF: French on the left half of the page's
width, Arabic under it right-aligned, the verification code at the bottom.

Pure: the PDF is drawn from the outbox row's params alone (the texts in both languages were
written when the attestation was issued; an attestation is a dated document, not a screen).
The fonts are embedded (bot/data/fonts/, SIL OFL); HarfBuzz (uharfbuzz) joins the Arabic
letters and fpdf2 lays out each paragraph right to left, Latin names and digits inside it
included.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

FONTS = Path(__file__).resolve().parent.parent / "data" / "fonts"
GREEN = (11, 110, 79)
GREY = (68, 68, 68)
# Telegram shows these invisible marks' effect; in a PDF, fpdf2's own bidi algorithm does the
# layout and the fonts have no glyph for them.
_BIDI_MARKS = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))


def _plain(text: object) -> str:
    return str(text).translate(_BIDI_MARKS)


def attestation_pdf(params: Mapping[str, Any]) -> bytes:
    """`params["fr"]` and `params["ar"]`: {title, body, code_line}; `params["code"]`."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(_plain(params["fr"]["title"]))
    pdf.set_creator("souk-bot")
    pdf.add_font("sans", "", str(FONTS / "NotoSans-Regular.ttf"))
    pdf.add_font("sans", "B", str(FONTS / "NotoSans-Bold.ttf"))
    pdf.add_font("naskh", "", str(FONTS / "NotoNaskhArabic-Regular.ttf"))
    pdf.add_font("naskh", "B", str(FONTS / "NotoNaskhArabic-Bold.ttf"))
    # Latin letters inside the Arabic text (a cooperative's name) come from Noto Sans, Arabic
    # letters inside the French (a person's name) from Noto Naskh Arabic.
    pdf.set_fallback_fonts(["sans", "naskh"])
    pdf.set_text_shaping(True)
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(22, 22, 22)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_draw_color(*GREEN)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(30)
    _block(pdf, width, "sans", params["fr"], Align.L)
    pdf.ln(10)
    pdf.set_draw_color(*GREY)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(10)
    _block(pdf, width, "naskh", params["ar"], Align.R)
    pdf.set_y(pdf.h - 56)
    pdf.set_font("sans", "B", 16)
    pdf.set_text_color(*GREEN)
    pdf.cell(width, 10, _plain(params["code"]), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("sans", "", 10)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(
        width,
        5,
        _plain(params["fr"]["code_line"]),
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font("naskh", "", 11)
    pdf.multi_cell(
        width,
        6,
        _plain(params["ar"]["code_line"]),
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font("sans", "B", 12)
    pdf.set_text_color(0, 0, 0)
    pdf.cell(
        width,
        8,
        f"/verify {_plain(params['code'])}",
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())


def _block(pdf: FPDF, width: float, font: str, texts: Mapping[str, Any], align: Align) -> None:
    pdf.set_font(font, "B", 22)
    pdf.set_text_color(*GREEN)
    pdf.multi_cell(
        width, 12, _plain(texts["title"]), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(6)
    pdf.set_font(font, "", 13)
    pdf.set_text_color(0, 0, 0)
    pdf.multi_cell(
        width, 8, _plain(texts["body"]), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
