"""Text drawn into images with Pillow, Arabic included: fonts bundled, letters joined, right to left.

Reusable by any picture the bot draws (the poster; a chart drawn with Pillow). Pillow lays out
Arabic properly (shaping by HarfBuzz, direction by FriBiDi) only with libraqm, whose FriBiDi part
is a system library that a slim container may lack (`PIL.features.check("raqm")`). Without it,
`bot/arabic.py` (arabic-reshaper and python-bidi, shared with the stats chart) picks each
letter's joined form and puts the line in display order, which Pillow's basic layout then
draws as is: the result reads the same.

The fonts are bundled (OFL, `bot/data/fonts/OFL.txt`) so that every machine draws the same:
Noto Naskh Arabic has the Arabic letters and digits, Noto Sans the Latin ones.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageDraw, ImageFont, features

from bot.arabic import visual

FONTS = Path(__file__).resolve().parent.parent / "data" / "fonts"
ARABIC_FONT = {False: "NotoNaskhArabic-Regular.ttf", True: "NotoNaskhArabic-Bold.ttf"}
LATIN_FONT = {False: "NotoSans-Regular.ttf", True: "NotoSans-Bold.ttf"}
# Bidi controls (isolates, marks) that the translator puts around numbers for Telegram: the
# layout below already knows each line's direction, and the basic layout would draw them.
_CONTROLS: dict[int, str | None] = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
# Noto Naskh Arabic has only the hyphen U+2010 among dashes: a date range "3–9 ماي" would
# show a missing-glyph box.
_ARABIC_FONT_GAPS = {ord("\u2013"): "\u2010", ord("\u2014"): "\u2010", ord("-"): "\u2010"}


def has_raqm() -> bool:
    return bool(features.check("raqm"))


def is_arabic(text: str) -> bool:
    """Whether a line is Arabic (its first letter is right-to-left)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


@dataclass(frozen=True)
class Lettering:
    """How lines are drawn: with libraqm (`shaped_by_pillow`) or shaped in Python first."""

    shaped_by_pillow: bool

    @classmethod
    def best(cls) -> Lettering:
        return cls(shaped_by_pillow=has_raqm())

    def font(self, text: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        name = (ARABIC_FONT if is_arabic(text) else LATIN_FONT)[bold]
        return _font(name, size, self.shaped_by_pillow)

    def _prepared(self, text: str) -> tuple[str, str | None]:
        """The string to give Pillow and the direction to ask of it."""
        clean = text.translate(_CONTROLS)
        if not is_arabic(clean):
            return clean, ("ltr" if self.shaped_by_pillow else None)
        clean = clean.translate(_ARABIC_FONT_GAPS)
        if self.shaped_by_pillow:
            return clean, "rtl"
        return visual(clean), None

    def width(self, text: str, size: int, bold: bool = False) -> float:
        prepared, direction = self._prepared(text)
        return self.font(text, size, bold).getlength(prepared, direction=direction)

    def draw(
        self,
        canvas: ImageDraw.ImageDraw,
        xy: tuple[float, float],
        text: str,
        size: int,
        *,
        bold: bool = False,
        fill: str = "black",
        anchor: str = "ma",
    ) -> None:
        """One line at `xy`; `anchor` as Pillow's ("ma": centred on x, top at y)."""
        prepared, direction = self._prepared(text)
        font = self.font(text, size, bold)
        canvas.text(xy, prepared, font=font, fill=fill, anchor=anchor, direction=direction)

    def wrap(self, text: str, size: int, width: float, bold: bool = False) -> Iterator[str]:
        """The words of `text` in lines no wider than `width` (a word too long stays whole)."""
        line: list[str] = []
        for word in text.split():
            candidate = " ".join([*line, word])
            if line and self.width(candidate, size, bold) > width:
                yield " ".join(line)
                line = [word]
            else:
                line.append(word)
        if line:
            yield " ".join(line)


@cache
def _font(name: str, size: int, raqm: bool) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if raqm else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=engine)
