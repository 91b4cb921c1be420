"""Tests for the pure input validators in bot.validation."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.i18n import I18n
from bot.validation import (
    ValidationError,
    clean_text,
    normalize_digits,
    parse_cooperative_register,
    parse_count,
    parse_free_text,
    parse_ice,
    parse_person_name,
    parse_phone,
    parse_rnae,
    parse_structure_name,
    parse_town,
)

TIFINAGH = "ⵜⴰⵎⴰⵣⵉⵖⵜ"
ARABIC = I18n().translator("ar").gettext
E164 = re.compile(r"^\+\d{8,15}$")


def refused(parse: Callable[[str], object], text: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        parse(text)
    return info.value


# ---- ValidationError ------------------------------------------------------------------------


def test_validation_error_carries_msgid_and_params() -> None:
    error = ValidationError("Nombre maximum de caractères : %(maximum)s.", maximum=80)
    assert isinstance(error, ValueError)
    assert error.message == "Nombre maximum de caractères : %(maximum)s."
    assert error.params == {"maximum": 80}
    assert str(error) == "Nombre maximum de caractères : 80."
    assert error.render(lambda msgid: "الحد الأقصى لعدد الحروف: %(maximum)s") == (
        "الحد الأقصى لعدد الحروف: 80"
    )


# ---- normalize_digits / clean_text ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
        ("0612345678", "0612345678"),
        ("رقم ٠٦١٢", "رقم 0612"),
        ("", ""),
    ],
)
def test_normalize_digits(text: str, expected: str) -> None:
    assert normalize_digits(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Coopérative  Amal  ", "Coopérative Amal"),
        ("ligne 1\nligne 2\r\n\tfin", "ligne 1 ligne 2 fin"),
        ("e\u0301te\u0301", "été"),  # NFC
        ("\u200fتعاونية\u200e الأمل", "تعاونية الأمل"),
        ("\u202bنص\u202c \u2066ICE\u2069 \u2067x\u2068y\u2069", "نص ICE xy"),
        ("a\x00b\x07c\x1bd\x7fe", "abcde"),
        ("a\u00a0\u202f\u2009b", "a b"),  # no-break, narrow and thin spaces
        ("\ufeff\u200bmot", "mot"),
        ("a\ud800b", "ab"),  # lone surrogate (cannot be encoded)
        ("👩\u200d🌾 ok", "👩\u200d🌾 ok"),  # ZWJ kept in emoji sequences
        ("👩🏽\u200d🌾 ❤\ufe0f\u200d🔥", "👩🏽\u200d🌾 ❤\ufe0f\u200d🔥"),  # skin tone, VS16
        ("Fati\u200dma Za\u200chra", "Fatima Zahra"),  # joiners between letters: spoofing
        ("Az\u2060rou\U000e0041\U000e007f", "Azrou"),  # word joiner, tag characters
        ("\u3164 \u115f\u1160\uffa0\u2800", ""),  # Hangul fillers, Braille blank
        ("a\U000e0001b\u00adc\U0010fffed", "abcd"),  # language tag, soft hyphen, unassigned
        (TIFINAGH, TIFINAGH),
        ("   ", ""),
        ("", ""),
    ],
)
def test_clean_text(text: str, expected: str) -> None:
    assert clean_text(text) == expected


# ---- free text and names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ok", "ok"),
        ("  Huile d'argan\net miel  ", "Huile d'argan et miel"),
        ("زيت الأركان", "زيت الأركان"),
        (TIFINAGH, TIFINAGH),
        ("12", "12"),
        ("x" * 200, "x" * 200),
    ],
)
def test_parse_free_text_accepts(text: str, expected: str) -> None:
    assert parse_free_text(text) == expected


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("", {}),
        ("   \n\t ", {}),
        ("\u200f\u200e", {}),
        ("a", {"minimum": 2}),
        ("x" * 201, {"maximum": 200}),
    ],
)
def test_parse_free_text_refuses(text: str, params: dict[str, object]) -> None:
    assert refused(parse_free_text, text).params == params


def test_parse_free_text_custom_limits() -> None:
    assert parse_free_text("abcde", min_length=5, max_length=5) == "abcde"
    assert refused(lambda t: parse_free_text(t, min_length=5), "abcd").params == {"minimum": 5}
    assert refused(lambda t: parse_free_text(t, max_length=3), "abcd").params == {"maximum": 3}


@pytest.mark.parametrize(
    ("parse", "maximum", "example"),
    [
        (parse_person_name, 80, "Fatima Alaoui"),
        (parse_structure_name, 120, "Coopérative Tifawin"),
        (parse_town, 60, "Azrou"),
    ],
)
def test_name_parsers(parse: Callable[[str], str], maximum: int, example: str) -> None:
    for text, expected in [
        ("  Fatima   Zahra ", "Fatima Zahra"),
        ("فاطمة الزهراء", "فاطمة الزهراء"),
        (TIFINAGH, TIFINAGH),
        ("Aït Ben Haddou", "Aït Ben Haddou"),
        ("Jo", "Jo"),
        ("a" * maximum, "a" * maximum),
        ("Lot 2", "Lot 2"),
    ]:
        assert parse(text) == expected
    for text in ["", "   ", "a", "\u200fب"]:
        error = refused(parse, text)
        assert example in error.message
    too_long = refused(parse, "a" * (maximum + 1))
    assert too_long.params == {"maximum": maximum}
    for text in ["12", "1234", "-- !!", "🙂🙂"]:
        error = refused(parse, text)
        assert "lettres" in error.message
    # Blank-looking names and towns: nothing visible is left, so the question is asked again.
    for text in [
        "\u3164",
        "\u3164\u3164",
        "\u115f\u1160 \u3164",
        "\u2060\u200b\u200d",
        "\U000e0041\U000e0042\U000e0043",
        "\ufeff\ufeff",
    ]:
        error = refused(parse, text)
        assert example in error.message, text
        french, arabic = error.render(), error.render(ARABIC)
        assert french != arabic and re.search("[\u0600-\u06ff]", arabic), arabic
    assert parse("Fa\u200bti\u3164ma") == "Fatima"


# ---- counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("12", 12),
        (" 12 ", 12),
        ("0012", 12),
        ("1 200", 1200),
        ("1\u00a0200", 1200),
        ("1\u202f200", 1200),
        ("1\u2009200", 1200),
        ("1.200", 1200),
        ("100.000", 100_000),
        ("١٢", 12),
        ("۱۲", 12),
        ("١٬٢٠٠", 1200),
        ("\u200f٣٥", 35),
    ],
)
def test_parse_count_accepts(text: str, expected: int) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Écrivez un nombre."),
        ("   ", "Écrivez un nombre."),
        ("-5", "moins"),
        ("−5", "moins"),
        ("- 5", "moins"),
        ("1,5", "entier"),
        ("2.5", "entier"),
        ("1.2345", "entier"),
        ("١٫٥", "entier"),
        ("12 membres", "chiffres"),
        ("douze", "chiffres"),
        ("1 2", "chiffres"),
        ("12.", "chiffres"),
        ("+12", "chiffres"),
        ("1e3", "chiffres"),
        ("100001", "entre"),
        ("1.000.000", "entre"),
        ("9" * 5000, "entre"),  # int() would refuse such a long string
    ],
)
def test_parse_count_refuses(text: str, fragment: str) -> None:
    assert fragment in refused(parse_count, text).message


def test_parse_count_bounds() -> None:
    assert parse_count("5", minimum=1, maximum=5) == 5
    error = refused(lambda t: parse_count(t, minimum=1, maximum=5), "0")
    assert error.params == {"minimum": 1, "maximum": 5}
    assert error.render() == "Écrivez un nombre entre 1 et 5."
    assert refused(lambda t: parse_count(t, minimum=1, maximum=5), "6").params["maximum"] == 5


# ---- messages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (parse_free_text, "x" * 500),
        (parse_person_name, "1"),
        (parse_count, "1,5"),
        (parse_count, "500000"),
        (parse_phone, "0812345678"),
        (parse_ice, "123"),
        (parse_cooperative_register, "x"),
        (parse_rnae, "1"),
    ],
)
def test_messages_render_and_are_short(parse: Callable[[str], object], text: str) -> None:
    error = refused(parse, text)
    rendered = error.render()
    assert "%(" not in rendered
    assert len(rendered) <= 100
