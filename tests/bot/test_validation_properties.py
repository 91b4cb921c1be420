"""Properties of the validators (hypothesis): total, idempotent, within limits, every mobile
shape accepted, and no invisible character kept in a name or a town."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.validation import (
    ValidationError,
    clean_text,
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
from tests.bot.test_validation import ARABIC, E164, TIFINAGH, refused

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
