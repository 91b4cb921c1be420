"""The catalogs: complete, placeholders intact, Arabic plurals right, languages discoverable."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n import FSI, LOCALES_DIR, PDI, I18n
from scripts.messages import extract

PLACEHOLDER = re.compile(r"%\(([a-z_]+)\)s")
TRANSLATED_LOCALES = [p.name for p in LOCALES_DIR.iterdir() if p.is_dir() and p.name != "fr"]


def load(locale: str) -> Catalog:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def as_tuple(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


@pytest.fixture(scope="module")
def code_msgids() -> set[str]:
    return {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in extract()
        if message.id
    }


@pytest.mark.parametrize("locale", ["fr", *TRANSLATED_LOCALES])
def test_every_text_of_the_code_is_in_the_catalog(locale: str, code_msgids: set[str]) -> None:
    catalog_ids = {as_tuple(m.id)[0] for m in load(locale) if m.id}
    missing = sorted(code_msgids - catalog_ids)
    assert not missing, f"run `make messages`; missing in {locale}: {missing[:5]}"


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_catalog_is_complete(locale: str) -> None:
    catalog = load(locale)
    untranslated = [
        m.id
        for m in catalog
        if m.id
        and (
            m.fuzzy
            or len(as_tuple(m.string)) < catalog.num_plurals * isinstance(m.id, tuple)
            or not all(as_tuple(m.string))
        )
    ]
    assert not untranslated, f"{locale}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}"


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_placeholders_match(locale: str) -> None:
    for message in load(locale):
        if not message.id:
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(as_tuple(message.id))))
        for index, text in enumerate(as_tuple(message.string)):
            found = set(PLACEHOLDER.findall(text))
            assert found <= wanted, f"{locale} {message.id!r}[{index}]: unknown {found - wanted}"
            # Arabic zero, singular and dual forms may say the number in words ("لا أحد",
            # "مكانان"); elsewhere only the singular may ("ⵢⴰⵏ ⵓⴷⵖⴰⵔ").
            in_words = (0, 1, 2) if locale == "ar" else (0,)
            optional = {"count"} if isinstance(message.id, tuple) and index in in_words else set()
            assert wanted - optional <= found, (
                f"{locale} {message.id!r}[{index}] lacks {wanted - found}"
            )


@pytest.mark.parametrize(
    ("count", "slot"),
    [(0, 0), (1, 1), (2, 2), (3, 3), (10, 3), (11, 4), (99, 4), (100, 5), (102, 5), (111, 4)],
)
def test_arabic_plural_slots(count: int, slot: int) -> None:
    """GNU/CLDR order, not Babel's swapped one (Babel issue 816)."""
    catalog = load("ar")
    entry = next(m for m in catalog if isinstance(m.id, tuple) and m.id[0] == "%(count)s place")
    translator = I18n().translator("ar")
    expected = as_tuple(entry.string)[slot] % {"count": count}
    assert translator.ngettext("%(count)s place", "%(count)s places", count) == expected


def test_french_plural() -> None:
    t = I18n().translator("fr")
    assert t.ngettext("%(count)s place", "%(count)s places", 1) == "1 place"
    assert t.ngettext("%(count)s place", "%(count)s places", 70) == "70 places"


def test_picker_names_each_language_in_itself() -> None:
    i18n = I18n()
    assert i18n.locales[:2] == ("fr", "ar")
    assert i18n.native_name("fr") == "Français"
    assert i18n.native_name("ar") == "العربية"


@pytest.mark.parametrize(
    ("language_code", "locale"),
    [("ar", "ar"), ("ar-MA", "ar"), ("fr-FR", "fr"), ("en", "fr"), (None, "fr")],
)
def test_resolve_telegram_language(language_code: str | None, locale: str) -> None:
    assert I18n().resolve(language_code) == locale


def test_dates_in_moroccan_arabic_and_french() -> None:
    i18n = I18n()
    may = datetime(2027, 5, 3, 10, 0, tzinfo=ZoneInfo("Africa/Casablanca"))
    assert "ماي" in i18n.translator("ar").date(may)
    assert "3" in i18n.translator("ar").date(may)  # Latin digits, as written in Morocco
    assert i18n.translator("fr").date(may) == "lundi 3 mai 2027"
    assert i18n.translator("fr").time(may) == "10:00"


def test_isolates_codes_in_arabic_only() -> None:
    i18n = I18n()
    assert i18n.translator("ar").isolate("+212612345678") == f"{FSI}+212612345678{PDI}"
    assert i18n.translator("fr").isolate("+212612345678") == "+212612345678"
    assert i18n.translator("fr").isolate("فاطمة") == f"{FSI}فاطمة{PDI}"


def test_isolated_text_cannot_reorder_the_sentence() -> None:
    """A first name with an override or an isolate left open (found by the fuzz tests)."""
    i18n = I18n()
    assert i18n.translator("fr").isolate("\u202eamitaF") == "amitaF"
    assert i18n.translator("fr").isolate("Ali \u2067علي") == f"{FSI}Ali علي{PDI}"
    assert i18n.translator("ar").isolate("x\u2069y\u202c") == f"{FSI}xy{PDI}"
    assert i18n.translator("ar").isolate("\u200fعلي") == f"{FSI}\u200fعلي{PDI}"  # marks stay


def test_another_language_is_a_catalog_away(tmp_path: Path) -> None:
    """Drop a catalog in, and the picker offers it in its own name, after the bundled ones."""
    shutil.copytree(LOCALES_DIR, tmp_path / "locales")
    english = tmp_path / "locales" / "en" / "LC_MESSAGES"
    english.mkdir(parents=True)
    catalog = Catalog(locale="en")
    catalog.add("Choisissez votre langue :", "Choose your language:")
    from babel.messages.pofile import write_po

    with (english / "messages.po").open("wb") as handle:
        write_po(handle, catalog)
    i18n = I18n(tmp_path / "locales")
    assert i18n.locales == ("fr", "ar", "zgh", "en")
    assert i18n.native_name("en") == "English"
    assert i18n.translator("en").gettext("Choisissez votre langue :") == "Choose your language:"
    # Untranslated texts fall back to the French msgid rather than failing.
    assert i18n.translator("en").gettext("Aide") == "Aide"
    assert i18n.resolve("en-GB") == "en"


@pytest.mark.parametrize("status", ["submitted", "waitlisted"])
def test_review_card_buttons_are_translated(status: str) -> None:
    """The decision buttons were plain strings, not marked for extraction: an Arabic
    organizer read "✅ Accepter" (found by the property-based tests)."""
    from bot.views.console import card_keyboard
    from storage.applications import Application

    application = Application(7, 1, "ifrane-1", status, "IFR-1-0007", None, "", None)
    markup = card_keyboard(I18n().translator("ar"), application, "all", has_media=True)
    labels = [button.text for row in markup.inline_keyboard for button in row]
    assert labels and all(re.search("[\u0600-\u06ff]", label) for label in labels), labels


def test_arabic_dates_and_lists_use_the_arabic_comma() -> None:
    moment = datetime(2027, 5, 3, 10, tzinfo=ZoneInfo("Africa/Casablanca"))
    arabic, french = I18n().translator("ar"), I18n().translator("fr")
    assert arabic.datetime(moment).endswith("2027، 10:00")
    assert "," not in arabic.datetime(moment)
    assert french.datetime(moment) == "lundi 3 mai 2027, 10:00"
    assert arabic.join(["أ", "ب"]) == "أ، ب"
    assert french.join(["a", "b"]) == "a, b"


def test_language_names_are_in_the_readers_language() -> None:
    """The broadcast wizard asks for "the text in French": "بالفرنسية", not "بـFrançais"."""
    assert I18n().translator("ar").language_name("fr") == "الفرنسية"
    assert I18n().translator("fr").language_name("ar") == "arabe"


def test_commands_inside_arabic_text_keep_their_slash_in_front() -> None:
    """ "(/status)" in an Arabic sentence would read "(status/)": the command is isolated left to
    right; French is left alone, and so is text that fills a placeholder."""
    i18n = I18n()
    msgid = "Suivez-la avec « Ma candidature » (/status)."
    arabic = i18n.translator("ar").gettext(msgid)
    assert "\u2066/status\u2069" in arabic
    assert i18n.translator("fr").gettext(msgid) == msgid
    typed = i18n.translator("ar").gettext("%(label)s : %(value)s", label="x", value="a/b /c")
    assert "\u2066" not in typed
