"""Tests for the pure input validators in bot.validation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import I18n
from bot.validation import (
    ValidationError,
    clean_text,
    normalize_digits,
    parse_contact_phone,
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


# ---- phones ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0612345678", "+212612345678"),
        ("06 12 34 56 78", "+212612345678"),
        ("06-12-34-56-78", "+212612345678"),
        ("06.12.34.56.78", "+212612345678"),
        ("+212612345678", "+212612345678"),
        ("+212 6 12 34 56 78", "+212612345678"),
        ("+212 (0)6 12 34 56 78", "+212612345678"),
        ("(+212) 612345678", "+212612345678"),
        ("00212612345678", "+212612345678"),
        ("212612345678", "+212612345678"),
        ("٠٦١٢٣٤٥٦٧٨", "+212612345678"),
        ("۰۶۱۲۳۴۵۶۷۸", "+212612345678"),
        ("\u2066٠٦ ١٢ ٣٤ ٥٦ ٧٨\u2069", "+212612345678"),
        ("0712345678", "+212712345678"),
        ("612345678", "+212612345678"),  # trunk 0 forgotten
        ("0522123456", "+212522123456"),
        ("05 35 62 34 56", "+212535623456"),
        ("+33612345678", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("+34612345678", "+34612345678"),
    ],
)
def test_parse_phone_accepts(text: str, expected: str) -> None:
    assert parse_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Écrivez votre numéro"),
        ("  ", "Écrivez votre numéro"),
        ("tel 0612345678", "seulement les chiffres"),
        ("06l2345678", "seulement les chiffres"),
        ("+", "seulement les chiffres"),
        ("0612345678+", "seulement les chiffres"),
        ("06 12 34 56 7", "marocain"),  # too short
        ("061234567890", "marocain"),  # too long
        ("0812345678", "marocain"),  # neither mobile nor fixed line
        ("0212345678", "marocain"),
        ("33612345678", "marocain"),  # foreign without "+": read as Moroccan
        ("+2120812345678", "marocain"),
        ("0" * 40, "marocain"),
        ("+33 1", "pas valide"),
        ("+999123456789", "pas valide"),
        ("+6834002", "pas valide"),  # valid in Niue, but shorter than 8 digits
    ],
)
def test_parse_phone_refuses(text: str, fragment: str) -> None:
    assert fragment in refused(parse_phone, text).message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("212612345678", "+212612345678"),
        ("+212612345678", "+212612345678"),
        ("212712345678", "+212712345678"),
        ("33612345678", "+33612345678"),
        ("0612345678", "+212612345678"),
        ("٢١٢٦١٢٣٤٥٦٧٨", "+212612345678"),
    ],
)
def test_parse_contact_phone_accepts(text: str, expected: str) -> None:
    assert parse_contact_phone(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "212", "212812345678", "6834002", "999123456789"])
def test_parse_contact_phone_refuses(text: str) -> None:
    refused(parse_contact_phone, text)


# ---- identifiers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("001234567000089", "001234567000089"),
        ("001 234 567 000 089", "001234567000089"),
        (" 001234567000089 ", "001234567000089"),
        ("٠٠١٢٣٤٥٦٧٠٠٠٠٨٩", "001234567000089"),
        ("\u2066001234567000089\u2069", "001234567000089"),
    ],
)
def test_parse_ice_accepts(text: str, expected: str) -> None:
    assert parse_ice(text) == expected


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("", {}),
        ("00123456700008", {"count": 14}),
        ("0012345670000891", {"count": 16}),
        ("ICE001234567000089", {}),
        ("001-234-567-000-089", {}),
        ("00123456700008x", {}),
        ("²" * 15, {}),  # superscript digits are not ASCII digits
    ],
)
def test_parse_ice_refuses(text: str, params: dict[str, object]) -> None:
    assert refused(parse_ice, text).params == params


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", "1234"),
        ("7", "7"),
        ("1234/2020", "1234/2020"),
        ("1234 / 2020", "1234/2020"),
        ("12-34", "12-34"),
        ("RC  5678", "RC 5678"),
        ("ع 12/2019", "ع 12/2019"),
        ("١٢٣٤/٢٠٢٠", "1234/2020"),
        ("A" * 29 + "1", "A" * 29 + "1"),
    ],
)
def test_parse_cooperative_register_accepts(text: str, expected: str) -> None:
    assert parse_cooperative_register(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Écrivez le numéro"),
        ("  ", "Écrivez le numéro"),
        ("abc", "contenir des chiffres"),
        ("/-", "contenir des chiffres"),
        ("12#3", "seulement"),
        ("12.3", "seulement"),
        ("12_3", "seulement"),
        ("1" * 31, "trop long"),
    ],
)
def test_parse_cooperative_register_refuses(text: str, fragment: str) -> None:
    assert fragment in refused(parse_cooperative_register, text).message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12345", "12345"),
        ("12 345 678", "12345678"),
        ("1" * 20, "1" * 20),
        ("١٢٣٤٥٦", "123456"),
    ],
)
def test_parse_rnae_accepts(text: str, expected: str) -> None:
    assert parse_rnae(text) == expected


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("", {}),
        ("1234", {"count": 4}),
        ("1" * 21, {"count": 21}),
        ("12a45", {}),
        ("12-345", {}),
    ],
)
def test_parse_rnae_refuses(text: str, params: dict[str, object]) -> None:
    assert refused(parse_rnae, text).params == params


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


# ---- properties ----------------------------------------------------------------------------

ODD_TEXT = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(
            [*TIFINAGH, "🙂", "👩\u200d🌾", "\u200f", "\u2066", "\x00", "\n", " ", "٣", "a", "ب"]
        ),
        max_size=300,
    ).map("".join),
    st.text(max_size=10_000),
    st.just("🙂" * 10_000),
    st.just(TIFINAGH * 1_200),
    st.just("\x00\x01\x1f\x7f\u0085\u2028\u2029" * 100),
)

PARSERS: list[Callable[[str], object]] = [
    parse_free_text,
    parse_person_name,
    parse_structure_name,
    parse_town,
    parse_count,
    parse_phone,
    parse_contact_phone,
    parse_ice,
    parse_cooperative_register,
    parse_rnae,
]


@settings(max_examples=300, deadline=None)
@given(ODD_TEXT)
def test_clean_text_is_total_single_line_and_idempotent(text: str) -> None:
    cleaned = clean_text(text)
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert "\n" not in cleaned
    assert not any(char in cleaned for char in "\u200e\u200f\u202a\u202e\u2066\u2069\x00")
    assert clean_text(cleaned) == cleaned
    cleaned.encode("utf-8")  # no lone surrogates left


@settings(max_examples=300, deadline=None)
@given(ODD_TEXT)
def test_parsers_raise_only_validation_error(text: str) -> None:
    for parse in PARSERS:
        try:
            result = parse(text)
        except ValidationError as error:
            assert isinstance(error.render(), str)
        else:
            assert isinstance(result, (str, int))


@settings(max_examples=300, deadline=None)
@given(ODD_TEXT, st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=500))
def test_parse_free_text_respects_limits(text: str, minimum: int, maximum: int) -> None:
    """Accepted exactly when the cleaned text is not empty and fits the limits."""
    cleaned = clean_text(text)
    fits = bool(cleaned) and minimum <= len(cleaned) <= maximum
    try:
        result = parse_free_text(text, min_length=minimum, max_length=maximum)
    except ValidationError:
        assert not fits, (text, minimum, maximum)
        return
    assert fits, (text, minimum, maximum, result)
    assert result == cleaned


PHONE_LIKE = st.one_of(
    st.text(alphabet="0123456789 +-().٠١٢٣٤٥٦٧٨٩", max_size=25),
    st.from_regex(r"\A(0|\+212|00212|212)[5-7][0-9]{8}\Z"),
    st.from_regex(r"\A\+[1-9][0-9]{3,16}\Z"),
    st.text(),
)


@settings(max_examples=500, deadline=None)
@given(PHONE_LIKE)
def test_parse_phone_output_is_e164(text: str) -> None:
    """Whatever is accepted is E.164; and every written form of a valid Moroccan number (by
    phonenumbers' own rules, computed apart) is accepted, as that number."""
    moroccan = re.fullmatch(r"(0|\+212|00212|212)([5-7][0-9]{8})", text)
    expected = "+212" + moroccan.group(2) if moroccan else None
    if expected and not phonenumbers.is_valid_number(phonenumbers.parse(expected)):
        expected = None
    for parse in (parse_phone, parse_contact_phone):
        try:
            result = parse(text)
        except ValidationError:
            assert expected is None, (parse.__name__, text)
            continue
        assert E164.match(result), (text, result)
        assert expected is None or result == expected, (text, result)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"\A0[67][0-9]{8}\Z"), st.sampled_from(["", " ", "-", "."]))
def test_every_moroccan_mobile_shape_is_accepted(national: str, separator: str) -> None:
    spaced = separator.join(national[i : i + 2] for i in range(0, 10, 2))
    expected = "+212" + national[1:]
    arabic = national.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    # Some prefixes (e.g. 0600...) are not allocated: phonenumbers, asked apart, says which.
    allocated = phonenumbers.is_valid_number(phonenumbers.parse(expected))
    for text in (national, spaced, "+212" + national[1:], "00212" + national[1:], arabic):
        if allocated:
            assert parse_phone(text) == expected, text
        else:
            with pytest.raises(ValidationError):
                parse_phone(text)


def test_the_mobile_shapes_are_mostly_allocated() -> None:
    """The property above checks acceptance only if its examples are allocated numbers."""
    assert phonenumbers.is_valid_number(phonenumbers.parse("+212612345678"))
    assert parse_phone("06 12 34 56 78") == "+212612345678"


# ---- invisible characters --------------------------------------------------------------------

INVISIBLE = st.one_of(
    st.sampled_from(
        [
            "\u3164",
            "\u115f",
            "\u1160",
            "\uffa0",
            "\u2060",
            "\u200b",
            "\u200c",
            "\u200d",
            "\ufeff",
            "\u200e",
            "\u200f",
            "\u2066",
            "\u2069",
            "\u061c",
            "\u00ad",
            "\u2800",
        ]
    ),
    st.characters(min_codepoint=0xE0020, max_codepoint=0xE007F),  # tag characters
    st.characters(categories=["Cf", "Cn"]),
)
VISIBLE = st.sampled_from(["a", "é", "ب", "ⵜ", "🙂", "1", " ", "-", "'"])


def is_invisible(char: str) -> bool:
    return (
        unicodedata.category(char) in {"Cf", "Cn", "Cc", "Cs"}
        or char in "\u3164\u115f\u1160\uffa0\u2800"
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(INVISIBLE, VISIBLE), max_size=40).map("".join))
def test_names_and_towns_keep_no_invisible_character(text: str) -> None:
    visible_letter = any(
        unicodedata.category(char).startswith("L") and not is_invisible(char) for char in text
    )
    for parse in (parse_person_name, parse_structure_name, parse_town):
        try:
            result = parse(text)
        except ValidationError:
            continue
        # The joiner may stay only inside an emoji sequence.
        assert not any(is_invisible(c) for c in result.replace("🙂\u200d🙂", "")), (text, result)
        assert visible_letter, (text, result)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(INVISIBLE, st.just(" ")), min_size=1, max_size=40).map("".join))
def test_a_blank_looking_name_or_town_is_refused(text: str) -> None:
    for parse in (parse_person_name, parse_structure_name, parse_town, parse_free_text):
        error = refused(parse, text)
        assert error.render(ARABIC) != error.render()
