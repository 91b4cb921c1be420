"""Translations: one catalog per language, loaded from the .po files at start-up.

Each user gets a `Translator` for their own locale; nothing is installed globally, so a
background task can render one message in Arabic and the next in French.
"""

from __future__ import annotations

import gettext
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from functools import cached_property
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
DEFAULT_LOCALE = "fr"
# The order of the language picker; languages found on disk but not listed here follow, sorted.
PREFERRED_ORDER = ("fr", "ar", "zgh")
# Babel locales used to format dates and numbers: Moroccan month names (ماي، يوليوز، غشت;
# ⵎⴰⵢⵢⵓ, ⵢⵓⵍⵢⵓⵣ, ⵖⵓⵛⵜ in Standard Moroccan Tamazight) and Latin digits, as Moroccans write them.
FORMAT_LOCALES = {"fr": "fr_MA", "ar": "ar_MA", "zgh": "zgh_MA"}
# Telegram sends the app's language as `language_code`, and no Telegram app offers Tamazight:
# these codes are rare, but a client or a language pack that sends one means a Tamazight
# speaker. `zgh` is Standard Moroccan Tamazight (the catalog: Tifinagh, IRCAM's norm); `tzm`
# Central Atlas Tamazight (Ifrane, Azrou, El Hajeb, Khénifra), `shi` Tashelhit and `rif`
# Tarifit are the Moroccan varieties it was built from; `ber` is the old ISO 639-2 collective
# code for Berber languages. Kabyle (`kab`) is left out: it is Algerian, written in Latin
# letters by most of its readers, and has Telegram translations of its own.
LANGUAGE_ALIASES = {"tzm": "zgh", "shi": "zgh", "rif": "zgh", "ber": "zgh"}

# U+2068 FIRST STRONG ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE keep a phone number, a
# reference or a Latin name in one piece inside Arabic text (Unicode UAX #9, section 2.7).
FSI, PDI, RLM, LRI = "\u2068", "\u2069", "\u200f", "\u2066"
# A command inside Arabic text ("(/status)") is Latin letters after a slash, which the bidi
# algorithm treats as neutral: unisolated it reads "(status/)". Catalog texts in a right-to-left
# language get every command isolated left to right, before any placeholder is filled.
_COMMAND = re.compile(r"(?<![\w/])/[a-z_]+\b")
# Explicit directional formatting: embeddings and overrides (U+202A-E, closed by U+202C) and
# isolates (U+2066-9). Left open in a quoted name, they would turn the rest of the sentence
# around; a stray U+2069 would close our own isolate early.
DIRECTIONAL_FORMATTING = str.maketrans(
    dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
)


def N_(msgid: str) -> str:
    """Mark a French msgid for extraction without translating it now."""
    return msgid


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in {"R", "AL"} for ch in text)


@dataclass(frozen=True)
class Translator:
    """Texts, dates and numbers for one locale."""

    locale: str
    catalog: gettext.NullTranslations

    @cached_property
    def babel_locale(self) -> Locale:
        try:
            return Locale.parse(FORMAT_LOCALES.get(self.locale, self.locale))
        except (UnknownLocaleError, ValueError):
            return Locale.parse(FORMAT_LOCALES[DEFAULT_LOCALE])

    @cached_property
    def rtl(self) -> bool:
        return self.babel_locale.character_order == "right-to-left"

    def gettext(self, msgid: str, **params: object) -> str:
        return self._format(self.catalog.gettext(msgid), params)

    def ngettext(self, singular: str, plural: str, count: int, **params: object) -> str:
        """Plural-aware text; `%(count)s` in the msgid receives the count."""
        text = self.catalog.ngettext(singular, plural, count)
        return self._format(text, {"count": count, **params})

    def pgettext(self, context: str, msgid: str, **params: object) -> str:
        return self._format(self.catalog.pgettext(context, msgid), params)

    def _format(self, text: str, params: Mapping[str, object]) -> str:
        if self.rtl and "/" in text:
            text = _COMMAND.sub(lambda command: f"{LRI}{command.group(0)}{PDI}", text)
        return text % params if params else text

    def isolate(self, value: object) -> str:
        """Wrap a number, code or name so it keeps its own direction inside the sentence.

        Directional formatting characters inside it are dropped: what people type (a Telegram
        first name...) must not change how the rest of the message reads."""
        text = str(value).translate(DIRECTIONAL_FORMATTING)
        if self.rtl or _has_rtl(text):
            return f"{FSI}{text}{PDI}"
        return text

    def start_rtl(self, text: str) -> str:
        """Telegram lays out a paragraph by its first strong character: force RTL in Arabic."""
        return f"{RLM}{text}" if self.rtl and text and not text.startswith(RLM) else text

    def number(self, value: int) -> str:
        """`1 000` in French, `1.000` in Moroccan Arabic: as each reads a large number."""
        return format_decimal(value, locale=self.babel_locale)

    def date(self, value: datetime) -> str:
        """`samedi 3 mai 2027` / `السبت 3 ماي 2027`, in the event's own time zone."""
        return format_date(value, "EEEE d MMMM y", locale=self.babel_locale)

    def short_date(self, value: datetime) -> str:
        return format_date(value, "d MMMM y", locale=self.babel_locale)

    def time(self, value: datetime | time) -> str:
        return format_time(value, "HH:mm", locale=self.babel_locale)

    def datetime(self, value: datetime) -> str:
        """`lundi 3 mai 2027, 10:00` / `الاثنين 3 ماي 2027، 10:00` (the Arabic comma)."""
        pattern = f"EEEE d MMMM y'{self.comma}'HH:mm"
        return format_datetime(value, pattern, locale=self.babel_locale)

    @property
    def comma(self) -> str:
        """The list separator: "، " in Arabic, ", " otherwise."""
        return "، " if self.rtl else ", "

    def join(self, items: Iterable[str]) -> str:
        return self.comma.join(items)

    def language_name(self, code: str) -> str:
        """A language's name in the reader's language: "arabe" in French, "الفرنسية" in Arabic."""
        try:
            return Locale.parse(code).get_display_name(self.babel_locale) or code
        except (UnknownLocaleError, ValueError):
            return code


def _load_catalog(po_path: Path) -> gettext.GNUTranslations:
    # Compiling in memory means a fresh clone works without a `pybabel compile` step.
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parent.parent.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class I18n:
    """All languages found under `locales_dir`, each as `<code>/LC_MESSAGES/messages.po`."""

    def __init__(self, locales_dir: Path = LOCALES_DIR) -> None:
        found = {
            po.parent.parent.name: po
            for po in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
        }
        if DEFAULT_LOCALE not in found:
            raise FileNotFoundError(f"{locales_dir}: no {DEFAULT_LOCALE} catalog")
        ordered = [code for code in PREFERRED_ORDER if code in found]
        ordered += sorted(code for code in found if code not in PREFERRED_ORDER)
        self.locales: tuple[str, ...] = tuple(ordered)
        self._translators = {
            code: Translator(code, _load_catalog(found[code])) for code in self.locales
        }

    def translator(self, locale: str | None) -> Translator:
        return self._translators.get(locale or DEFAULT_LOCALE, self._translators[DEFAULT_LOCALE])

    def resolve(self, language_code: str | None) -> str:
        """Best supported locale for a Telegram `language_code` such as `ar`, `fr-FR`."""
        if language_code:
            base = language_code.replace("_", "-").split("-")[0].lower()
            base = LANGUAGE_ALIASES.get(base, base)
            if base in self._translators:
                return base
        return DEFAULT_LOCALE

    def native_name(self, locale: str) -> str:
        """The language's name in itself, capitalised as on a button: Français, العربية."""
        name = Locale.parse(locale).get_display_name(locale) or locale
        return name[:1].upper() + name[1:]
