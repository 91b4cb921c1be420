"""Roles named in the reader's language and understood in any of the bot's languages."""

from __future__ import annotations

import pytest

from bot.i18n import I18n
from bot.team_roles import parse_role, role_name
from bot.validation import phone_search_key

I18N = I18n()


@pytest.mark.parametrize(
    ("typed", "role"),
    [
        ("organizer", "organizer"),
        ("Organisatrice", "organizer"),
        ("ORGANISATEUR", "organizer"),
        ("منظم", "organizer"),
        ("مُنظّمة", "organizer"),  # with vowel marks
        ("examinateur", "reviewer"),
        ("مراجع", "reviewer"),
        ("administratrice", "admin"),
        ("مشرف", "admin"),
        ("مسؤول", "admin"),
        ("ⴰⵎⵙⵓⴷⵙ", "organizer"),  # Tamazight in Tifinagh
        ("ⵜⴰⵎⵙⵎⵓⵇⵇⵍⵜ", "reviewer"),  # feminine
        ("ⵜⴰⵏⵎⵀⴰⵍⵜ", "admin"),
        ("chef", None),
        ("", None),
    ],
)
def test_roles_are_understood_in_any_language_or_as_codes(typed: str, role: str | None) -> None:
    assert parse_role(typed) == role


def test_roles_are_named_in_the_readers_language_and_read_back() -> None:
    for locale in I18N.locales:
        t = I18N.translator(locale)
        for role in ("reviewer", "organizer", "admin"):
            assert parse_role(role_name(t, role)) == role, (locale, role)
    assert role_name(I18N.translator("ar"), "organizer") == "منظم"
    assert role_name(I18N.translator("fr"), "reviewer") == "examinateur"


@pytest.mark.parametrize(
    "typed",
    [
        "0661 23 45 67",
        "0661234567",
        "661234567",
        "212661234567",
        "+212661234567",
        "+212 6 61 23 45 67",
        "00212661234567",
        "06-61-23-45-67",
        "06.61.23.45.67",
        "٠٦٦١٢٣٤٥٦٧",
        "۰۶۶۱۲۳۴۵۶۷",
        "\u2066+212 661 234 567\u2069",  # copied from an Arabic message
    ],
)
def test_a_phone_searched_in_any_form_is_the_stored_form(typed: str) -> None:
    assert phone_search_key(typed) == "+212661234567"


@pytest.mark.parametrize("typed", ["Tifawin", "IFR-1-0042", "1234/2019", "0661", "12"])
def test_what_is_not_a_phone_is_searched_as_typed(typed: str) -> None:
    assert phone_search_key(typed) is None
