"""Arabic for renderers that draw one glyph per character, left to right (matplotlib, and
Pillow without libraqm): the letters must be joined and the words put in display order first.

Without it, Arabic comes out as separate letters in reverse order. `visual` does both steps
(arabic-reshaper chooses each letter's joined form, python-bidi orders the text as the Unicode
bidirectional algorithm would); `font_path` names a font that has those joined forms.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import arabic_reshaper
from bidi import get_display

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
# Direction marks and isolates (t.isolate, t.start_rtl, Babel's ar_MA dates) have done their
# work once the text is in display order; a renderer would draw them as boxes.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def has_arabic(text: str) -> bool:
    return _ARABIC.search(text) is not None


def visual(text: str) -> str:
    """The text as it must be drawn, glyph after glyph from the left: Arabic letters in their
    joined forms (Unicode presentation forms), each line in display order. Text without
    Arabic comes back unchanged."""
    if not has_arabic(text):
        return text
    lines = (get_display(arabic_reshaper.reshape(line)) for line in text.split("\n"))
    return "\n".join(_BIDI_CONTROLS.sub("", line) for line in lines)


def font_path() -> Path:
    """DejaVu Sans as matplotlib ships it: it has the Arabic presentation forms `visual`
    produces, and it is installed with matplotlib (a pip wheel), so nothing to install on the
    system. Found without importing matplotlib, which takes most of a second."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise RuntimeError("matplotlib is not installed")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
