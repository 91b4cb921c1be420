"""Tamazight (Standard Moroccan Tamazight in Tifinagh, `zgh`): the third language.

The catalog's completeness and placeholders are checked with the other catalogs
(tests/bot/test_i18n.py), its button labels with theirs (tests/bot/test_button_labels.py).
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import re
import tomllib
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog
from telegram.error import BadRequest

from bot import keyboards, menus
from bot.catalogue import DEFAULT_CATALOGUE_PATH, CatalogueError, parse_catalogue
from bot.catalogue.model import LocalizedText
from bot.i18n import I18n
from scripts.untranslated import merge, todo
from tests.bot.test_i18n import load

I18N = I18n()
ZGH = I18N.translator("zgh")
TIFINAGH = re.compile("[\u2d30-\u2d7f]")


def test_the_picker_offers_tamazight_in_tifinagh_third() -> None:
    labels = [b.text for row in keyboards.language_picker(I18N).inline_keyboard for b in row]
    assert labels == ["Français", "العربية", "ⵜⴰⵎⴰⵣⵉⵖⵜ"]


@pytest.mark.parametrize(
    ("language_code", "locale"),
    [
        ("zgh", "zgh"),
        ("zgh-MA", "zgh"),
        ("tzm", "zgh"),  # Central Atlas Tamazight: Ifrane, Azrou, Khénifra
        ("shi", "zgh"),
        ("rif", "zgh"),
        ("ber", "zgh"),
        ("kab", "fr"),  # Kabyle: Algerian, mostly read in Latin letters
        ("ar-MA", "ar"),
    ],
)
def test_telegram_language_codes_of_tamazight_speakers(language_code: str, locale: str) -> None:
    assert I18N.resolve(language_code) == locale


def test_tifinagh_reads_left_to_right() -> None:
    assert ZGH.rtl is False
    assert ZGH.isolate("+212612345678") == "+212612345678"  # no isolate needed
    assert ZGH.start_rtl("ⴰⵣⵓⵍ") == "ⴰⵣⵓⵍ"  # no right-to-left mark
    assert ZGH.join(["ⴰ", "ⴱ"]) == "ⴰ, ⴱ"


def test_dates_use_babels_tamazight_month_names() -> None:
    moment = datetime(2027, 5, 3, 10, 0, tzinfo=ZoneInfo("Africa/Casablanca"))
    assert ZGH.date(moment) == "ⴰⵢⵏⴰⵙ 3 ⵎⴰⵢⵢⵓ 2027"
    assert ZGH.short_date(moment.replace(month=8)) == "3 ⵖⵓⵛⵜ 2027"
    assert ZGH.time(moment) == "10:00"


def test_two_plural_forms_one_for_one() -> None:
    """Babel has no plural rule for zgh (one form for every count); the catalog has two."""
    assert load("zgh").num_plurals == 2
    one = ZGH.ngettext("%(count)s place", "%(count)s places", 1)
    many = ZGH.ngettext("%(count)s place", "%(count)s places", 70)
    assert one == "1 ⵓⴷⵖⴰⵔ" and many == "70 ⵏ ⵉⴷⵖⴰⵔⵏ"
    assert ZGH.ngettext("%(count)s place", "%(count)s places", 0) == "0 ⵏ ⵉⴷⵖⴰⵔⵏ"


# Kept as written: an acronym, and units read the same in every language.
KEPT_AS_IS = {"ICE", "%(hours)s h %(minutes)s min"}


def test_every_translation_is_in_tifinagh() -> None:
    """No entry left in French or pasted in Arabic: each has Tifinagh, unless its msgid is
    only placeholders, commands and symbols ("%(label)s : %(value)s", "/start")."""
    placeholders = re.compile(r"%\([a-z_]+\)s|/[a-z_]+")
    for message in load("zgh"):
        if not message.id or message.id in KEPT_AS_IS:
            continue
        msgids = [message.id] if isinstance(message.id, str) else list(message.id)
        words = re.search("[A-Za-zÀ-ÿ]{2,}", placeholders.sub("", " ".join(msgids)))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert not re.search("[\u0600-\u06ff]", text), (message.id, text)
            assert not words or TIFINAGH.search(text), (message.id, text)


# ---- the command menus -------------------------------------------------------------------------


class TelegramMenus:
    """setMyCommands as Telegram answers it: a language code must be ISO 639-1."""

    def __init__(self) -> None:
        self.languages: list[str | None] = []

    async def set_my_commands(
        self, commands: object, scope: object = None, language_code: str | None = None
    ) -> bool:
        if language_code is not None and not re.fullmatch("[a-z]{2}", language_code):
            raise BadRequest("LANGUAGE_CODE_INVALID")
        self.languages.append(language_code)
        return True


def test_menus_skip_tamazight_which_has_no_two_letter_code(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = TelegramMenus()
    asyncio.run(menus.set_public_menus(bot, I18N))  # type: ignore[arg-type]
    assert bot.languages == [None, "fr", "ar"]
    assert "could not be set" not in caplog.text


# ---- the catalogue of markets ------------------------------------------------------------------


def _bundled() -> dict[str, Any]:
    return tomllib.loads(DEFAULT_CATALOGUE_PATH.read_text("utf-8"))


def _texts(value: object) -> Iterator[LocalizedText]:
    if isinstance(value, LocalizedText):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _texts(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item)


def test_the_bundled_markets_speak_tamazight() -> None:
    texts = list(_texts(parse_catalogue(_bundled(), "markets.toml")))
    assert len(texts) > 50
    missing = [text.get("fr") for text in texts if "zgh" not in text]
    assert not missing, missing
    assert all(TIFINAGH.search(text.get("zgh")) for text in texts)


def test_a_tamazight_text_must_be_in_tifinagh() -> None:
    data = copy.deepcopy(_bundled())
    data["sectors"][0]["name"]["zgh"] = "Tazuri"  # a transliteration
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(data, "markets.toml")
    assert error.value.key == "sectors[0].name.zgh"
    assert "Tifinagh" in error.value.reason


def test_a_missing_tamazight_text_shows_the_french() -> None:
    data = copy.deepcopy(_bundled())
    del data["sectors"][0]["name"]["zgh"]
    sector = parse_catalogue(data, "markets.toml").sectors[0]
    assert sector.name.get("zgh") == "Artisanat"


# ---- scripts/untranslated.py: what the next helper fills ---------------------------------------


def _catalog(*entries: tuple[str | tuple[str, str], str | tuple[str, str]]) -> Catalog:
    catalog = Catalog(locale="zgh")
    catalog._num_plurals, catalog._plural_expr = 2, "(n != 1)"
    for msgid, msgstr in entries:
        catalog.add(msgid, msgstr)
    return catalog


def test_untranslated_entries_are_exported_with_the_arabic_beside() -> None:
    catalog = _catalog(("Aide", "ⵜⴰⵡⵉⵙⵉ"), ("Nouveau texte", ""))
    reference = Catalog(locale="ar")
    reference.add("Nouveau texte", "نص جديد")
    exported = todo(catalog, reference)
    assert [m.id for m in exported if m.id] == ["Nouveau texte"]
    assert "ar: نص جديد" in exported["Nouveau texte"].auto_comments


def test_a_filled_file_is_merged_and_a_broken_placeholder_refused() -> None:
    catalog = _catalog(
        ("Bonjour %(name)s !", ""), (("%(count)s place", "%(count)s places"), ("", ""))
    )
    filled = _catalog(
        ("Bonjour %(name)s !", "ⴰⵣⵓⵍ %(name)s!"),
        (("%(count)s place", "%(count)s places"), ("%(count)s ⵓⴷⵖⴰⵔ", "%(count)s ⵏ ⵉⴷⵖⴰⵔⵏ")),
    )
    assert merge(catalog, filled) == (2, [])
    assert catalog["Bonjour %(name)s !"].string == "ⴰⵣⵓⵍ %(name)s!"
    broken = _catalog(("Bonjour %(name)s !", "ⴰⵣⵓⵍ %(nom)s!"))
    copied, problems = merge(_catalog(("Bonjour %(name)s !", "")), broken)
    assert copied == 0 and problems and "Bonjour" in problems[0]
