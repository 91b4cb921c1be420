"""What every typed answer goes through first: digits made ASCII, invisible characters dropped.

Kept apart from bot.validation (which re-exports both functions) so that each stays short.
"""

from __future__ import annotations

import unicodedata

# Arabic-Indic (U+0660-0669) and Extended Arabic-Indic, as on Persian/Urdu keyboards
# (U+06F0-06F9), to ASCII digits.
_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)

# Invisible characters that only steer text direction or hide content: LRM, RLM, the
# embeddings and overrides U+202A-E, the isolates U+2066-9, the Arabic letter mark, the
# zero-width space and the byte order mark. The other format characters (category Cf: word
# joiner, tag characters U+E0020-E007F...) and unassigned code points (Cn) go too, see
# clean_text.
_REMOVED = frozenset(
    "\u200e\u200f\u061c\u200b\ufeff"
    + "".join(chr(c) for c in range(0x202A, 0x202F))
    # U+2066-2069 are listed apart to keep the ranges readable.
    + "".join(chr(c) for c in range(0x2066, 0x206A))
)
# Drawn as nothing, yet letters or marks by their category: the Hangul fillers (U+115F, U+1160,
# U+3164, U+FFA0), the Braille blank, the combining grapheme joiner and Khmer's inherent vowels.
# A name made of them looks blank on the review card and in the export.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cs", "Cf", "Cn"})
_ZWJ = "\u200d"
_EMOJI_BEFORE_ZWJ = frozenset({"So", "Sk"})  # a pictograph, or a skin tone modifier
_VARIATION_SELECTOR_16 = "\ufe0f"  # emoji presentation, as in ❤️‍🔥


def normalize_digits(text: str) -> str:
    """Replace Arabic-Indic digits ٠-٩ and Eastern Arabic-Indic digits ۰-۹ with 0-9."""
    return text.translate(_DIGITS)


def clean_text(text: str) -> str:
    """Strip, NFC, drop control, format, unassigned and blank-looking characters (bidi marks,
    zero-width characters, tags, Hangul fillers), collapse whitespace to one space.

    The zero-width joiner is kept only inside an emoji sequence (👩‍🌾). The result is on one
    line: newlines and tabs become spaces.
    """
    kept: list[str] = []
    for index, char in enumerate(text):
        if char.isspace():
            kept.append(" ")
        elif char == _ZWJ and _joins_emoji(text, index):
            kept.append(char)
        elif (
            char in _REMOVED
            or char in _BLANK_LOOKING
            or unicodedata.category(char) in _INVISIBLE_CATEGORIES
        ):
            continue
        else:
            kept.append(char)
    normalized = unicodedata.normalize("NFC", "".join(kept))
    return " ".join(normalized.split())


def _joins_emoji(text: str, index: int) -> bool:
    """Whether the joiner at `index` sits between two emoji."""
    if index == 0 or index + 1 >= len(text):
        return False
    before, after = text[index - 1], text[index + 1]
    emoji_before = before == _VARIATION_SELECTOR_16 or (
        unicodedata.category(before) in _EMOJI_BEFORE_ZWJ and before not in _BLANK_LOOKING
    )
    return emoji_before and unicodedata.category(after) == "So" and after not in _BLANK_LOOKING
