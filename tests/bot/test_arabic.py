"""Arabic drawn by matplotlib or Pillow: letters joined, in display order, in a font that has them."""

from __future__ import annotations

from matplotlib import ft2font

from bot.arabic import font_path, has_arabic, visual


def test_letters_are_joined_and_in_display_order() -> None:
    # سوق: sin (initial), waw (final, joined), qaf (isolated: waw does not join to the left).
    drawn = visual("سوق")
    assert drawn == "\ufed5\ufeee\ufeb3"  # qaf, waw final, sin initial: read from the left


def test_numbers_and_latin_keep_their_order_inside_arabic() -> None:
    drawn = visual("المرحلة 2 — IFR-1-0042")
    assert "IFR-1-0042" in drawn
    assert drawn.startswith("IFR-1-0042 — 2 ")  # the end of the sentence, on the left
    assert not has_arabic(drawn)  # every letter in a joined (presentation) form


def test_bidi_marks_are_not_drawn() -> None:
    drawn = visual("\u200fالمرحلة \u20662\u2069")
    assert not any(char in drawn for char in "\u200f\u2066\u2069")


def test_text_without_arabic_is_unchanged() -> None:
    assert visual("Candidatures — Ifrane 2") == "Candidatures — Ifrane 2"


def test_the_font_has_every_glyph_drawn() -> None:
    font = ft2font.FT2Font(str(font_path()))
    charmap = font.get_charmap()
    drawn = visual("الطلبات المرسلة، رفض المرشح، قائمة الانتظار")
    assert all(ord(char) in charmap for char in drawn)
