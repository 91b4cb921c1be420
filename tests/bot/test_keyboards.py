"""The callback-data codec: short ASCII codes, and ids read back safely."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.keyboards import MAX_CALLBACK_BYTES, decode, encode, parse_id


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("007", 7),
        ("999999999999999999", 999_999_999_999_999_999),
        ("", None),
        ("-1", None),
        ("²", None),  # str.isdigit() is True, int() refuses it
        ("٣", None),  # int() reads it as 3: not a code the bot ever makes
        ("1 ", None),
        ("1e3", None),
        ("9223372036854775808", None),  # past SQLite's 64-bit integers
        ("99999999999999999999", None),
    ],
)
def test_parse_id(field: str, expected: int | None) -> None:
    assert parse_id(field) == expected


@given(st.text())
def test_parse_id_is_total(field: str) -> None:
    value = parse_id(field)
    assert value is None or (0 <= value < 2**63 and field.isascii() and int(field) == value)


def test_encode_refuses_long_or_non_ascii_data() -> None:
    assert decode(encode("rv", "show", 12, "all")) == ("rv", ["show", "12", "all"])
    with pytest.raises(ValueError):
        encode("x", "a" * MAX_CALLBACK_BYTES)
    with pytest.raises(ValueError):
        encode("x", "ⵜ")
