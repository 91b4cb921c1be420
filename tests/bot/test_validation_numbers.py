"""Phones and register numbers: what people type, and what each parser keeps or refuses."""

from __future__ import annotations

import pytest

from bot.validation import (
    parse_contact_phone,
    parse_cooperative_register,
    parse_ice,
    parse_phone,
    parse_rnae,
)
from tests.bot.test_validation import refused

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
