"""The catalogue parser's readers of single values: each check names the key and the reason."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.catalogue.model import (
    BUTTON_TEXT_MAX,
    SHORT_NAME_MAX,
    SUPPORTED_TEXT_LOCALES,
    CatalogueError,
    LocalizedText,
)

MARKET_CODE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])")
REF_PREFIX = re.compile(r"[A-Z]{2,5}")
OPTION_CODE = re.compile(r"[a-z][a-z0-9_]{1,29}")
TRAINING_CODE = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,38}[a-z0-9])")
LOCALE = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2})?")
# Standard Moroccan Tamazight is written in Tifinagh (Unicode block U+2D30-U+2D7F): a `zgh`
# text without a Tifinagh letter is a transliteration or a paste into the wrong language.
TIFINAGH = re.compile("[\u2d30-\u2d7f]")
BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")

MARKET_CODE_RULE = (
    "2 to 20 characters: lowercase letters a-z, digits and '-', "
    "not starting or ending with '-' (e.g. ifrane)"
)
REF_PREFIX_RULE = "2 to 5 capital letters A-Z (e.g. IFR)"
OPTION_CODE_RULE = (
    "2 to 30 characters: lowercase letters a-z, digits and '_', "
    "starting with a letter (e.g. crafts)"
)
TRAINING_CODE_RULE = (
    "2 to 40 characters: lowercase letters a-z, digits, '-' and '_', "
    "not starting or ending with '-' or '_' (e.g. ifrane-1-admin)"
)
DATETIME_EXAMPLE = "2027-05-03T10:00:00"
_TOML_LOCATION = re.compile(r"\(at line (\d+), column (\d+)\)")

_T = TypeVar("_T")


def join_key(path: str, key: str) -> str:
    shown = key if BARE_KEY.fullmatch(key) else '"' + key.replace('"', '\\"') + '"'
    return f"{path}.{shown}" if path else shown


def describe(value: object) -> str:
    """How an organizer would call the TOML value they wrote."""
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int):
        return f"a whole number ({value})"
    if isinstance(value, float):
        return f"a decimal number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'text in quotes ("{shown}")'
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return f"a date-time with an offset ({value.isoformat()})"
        return f"a date-time ({value.isoformat()})"
    if isinstance(value, date):
        return f"a date alone ({value.isoformat()})"
    if isinstance(value, time):
        return f"a time alone ({value.isoformat()})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def show_moment(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


class Reader:
    def __init__(self, file: str) -> None:
        self.file = file

    def error(self, key: str, reason: str) -> CatalogueError:
        return CatalogueError(self.file, key, reason)

    # ---- generic readers -------------------------------------------------------------------

    def check_keys(
        self,
        table: Mapping[str, object],
        path: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> None:
        allowed = (*required, *optional)
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6) or [
                    known for known in allowed if len(known) >= 4 and known in key
                ]
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else "allowed keys: " + ", ".join(allowed)
                )
                raise self.error(join_key(path, key), f"unknown key ({hint})")
        for key in required:
            if key not in table:
                raise self.error(join_key(path, key), "missing required key")

    def table(self, value: object, path: str, what: str) -> dict[str, object]:
        if not isinstance(value, dict):
            raise self.error(path, f"must be {what}, not {describe(value)}")
        return value

    def table_list(
        self, table: Mapping[str, object], key: str, path: str, header: str, *, min_items: int
    ) -> list[tuple[str, dict[str, object]]]:
        """The tables of an array of tables `[[header]]`, with their paths."""
        list_path = join_key(path, key)
        value = table.get(key, [])
        if not isinstance(value, list):
            raise self.error(
                list_path, f"must be a list of [[{header}]] sections, not {describe(value)}"
            )
        if len(value) < min_items:
            raise self.error(list_path, f"needs at least {min_items} [[{header}]] section")
        items = []
        for index, item in enumerate(value):
            item_path = f"{list_path}[{index}]"
            items.append((item_path, self.table(item, item_path, f"a [[{header}]] section")))
        return items

    def string(self, table: Mapping[str, object], key: str, path: str) -> str:
        value = table[key]
        if not isinstance(value, str):
            raise self.error(join_key(path, key), f"must be text in quotes, not {describe(value)}")
        return value

    def code(
        self, table: Mapping[str, object], key: str, path: str, pattern: re.Pattern[str], rule: str
    ) -> str:
        value = self.string(table, key, path)
        if not pattern.fullmatch(value):
            raise self.error(join_key(path, key), f"invalid code '{value}': use {rule}")
        return value

    def integer(self, table: Mapping[str, object], key: str, path: str, *, example: int) -> int:
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(
                join_key(path, key),
                f"must be a whole number without quotes (e.g. {example}), not {describe(value)}",
            )
        return value

    def boolean(self, table: Mapping[str, object], key: str, path: str) -> bool:
        value = table[key]
        if not isinstance(value, bool):
            raise self.error(
                join_key(path, key), f"must be true or false, without quotes, not {describe(value)}"
            )
        return value

    def number(self, table: Mapping[str, object], key: str, path: str, *, limit: float) -> float:
        """A decimal number between -limit and limit (a latitude, a longitude)."""
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(
                join_key(path, key),
                f"must be a number without quotes (e.g. 33.53), not {describe(value)}",
            )
        if not -limit <= value <= limit:
            raise self.error(join_key(path, key), f"must be between -{limit} and {limit}")
        return float(value)

    def positive(
        self, table: Mapping[str, object], key: str, path: str, *, example: int, maximum: int
    ) -> int:
        """A whole number from 1 to `maximum`: TOML allows any size, SQLite stores 64 bits,
        and a capacity of 10**20 is a typo that would only fail later, in the database."""
        value = self.integer(table, key, path, example=example)
        if value <= 0:
            raise self.error(join_key(path, key), f"must be greater than 0 (got {value})")
        if value > maximum:
            raise self.error(join_key(path, key), f"must be at most {maximum} (got {value})")
        return value

    def short_name(
        self, table: Mapping[str, object], path: str, name: LocalizedText
    ) -> LocalizedText:
        """The name on buttons; the full name serves if it is short enough in every language."""
        if "short_name" not in table:
            long = [locale for locale, text in name.texts if len(text) > SHORT_NAME_MAX]
            if long:
                raise self.error(
                    f"{path}.short_name",
                    f"missing: the name is longer than {SHORT_NAME_MAX} characters in "
                    f"'{long[0]}', add a short name for buttons, e.g. "
                    'short_name = { fr = "Marché d\'Ifrane", ar = "سوق إفران" }',
                )
            return name
        return self.button_text(table, "short_name", path, SHORT_NAME_MAX)

    def button_text(
        self, table: Mapping[str, object], key: str, path: str, limit: int = BUTTON_TEXT_MAX
    ) -> LocalizedText:
        """A text that goes on buttons: Telegram cuts a button's label to one line."""
        text = self.text(table, key, path)
        for locale, written in text.texts:
            if len(written) > limit:
                raise self.error(
                    f"{path}.{key}.{locale}",
                    f"at most {limit} characters, it goes on buttons "
                    f"(got {len(written)}: '{written}')",
                )
        return text

    def text(self, table: Mapping[str, object], key: str, path: str) -> LocalizedText:
        text_path = join_key(path, key)
        value = table[key]
        if not isinstance(value, dict):
            raise self.error(
                text_path,
                'must be a table of translations like { fr = "...", ar = "..." }, '
                f"not {describe(value)}",
            )
        texts: list[tuple[str, str]] = []
        for locale, text in value.items():
            locale_path = join_key(text_path, locale)
            if not LOCALE.fullmatch(locale):
                raise self.error(
                    locale_path, "unknown language code: use fr, ar or another code like zgh"
                )
            if not isinstance(text, str):
                raise self.error(locale_path, f"must be text in quotes, not {describe(text)}")
            if not text.strip():
                raise self.error(locale_path, "empty text")
            if locale.split("_")[0] == "zgh" and not TIFINAGH.search(text):
                raise self.error(
                    locale_path,
                    f'write Tamazight in Tifinagh letters, e.g. zgh = "ⴰⵙⵓⵇ ⵏ ⵉⴼⵔⴰⵏ" '
                    f"(got '{text.strip()}')",
                )
            texts.append((locale, text.strip()))
        present = {locale for locale, _ in texts}
        for locale in SUPPORTED_TEXT_LOCALES:
            if locale not in present:
                required = " and ".join(f"'{code}'" for code in SUPPORTED_TEXT_LOCALES)
                raise self.error(
                    join_key(text_path, locale),
                    f"missing translation: every text needs {required}",
                )
        # Required locales first, in a stable order; optional ones as written.
        texts.sort(key=lambda item: _locale_rank(item[0]))
        return LocalizedText(tuple(texts))

    def local_datetime(
        self, table: Mapping[str, object], key: str, path: str, tz: ZoneInfo
    ) -> datetime:
        key_path = join_key(path, key)
        value = table[key]
        rule = (
            f"write a local date-time without quotes, e.g. {DATETIME_EXAMPLE} "
            f"(wall time in the market's time zone {tz.key})"
        )
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                raise self.error(
                    key_path,
                    "bad date: remove the offset or Z, the time is read as wall time in the "
                    f"market's time zone {tz.key} (e.g. {DATETIME_EXAMPLE})",
                )
            aware = value.replace(tzinfo=tz)
            if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != value:
                raise self.error(
                    key_path,
                    f"bad date: {value.isoformat()} does not exist in {tz.key} (clock change)",
                )
            return aware
        if isinstance(value, date):
            raise self.error(
                key_path, f"bad date: a date alone is not enough, add the time; {rule}"
            )
        if isinstance(value, time):
            raise self.error(
                key_path, f"bad date: a time alone is not enough, add the date; {rule}"
            )
        if isinstance(value, str):
            raise self.error(key_path, f'bad date: "{value}" is text in quotes; {rule}')
        raise self.error(key_path, f"bad date: got {describe(value)}; {rule}")

    def local_time(self, table: Mapping[str, object], key: str, path: str) -> time:
        value = table[key]
        if isinstance(value, time) and value.tzinfo is None:
            return value
        raise self.error(
            join_key(path, key),
            f"must be a local time without quotes, e.g. 08:00:00, not {describe(value)}",
        )

    def timezone(self, table: Mapping[str, object], key: str, path: str) -> ZoneInfo:
        name = self.string(table, key, path)
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise self.error(
                join_key(path, key),
                f"unknown time zone '{name}' (use an IANA name such as Africa/Casablanca)",
            ) from None

    def unique(
        self,
        items: Iterable[tuple[str, _T]],
        what: str,
        seen: dict[_T, str] | None = None,
    ) -> None:
        """Raise on the first value already used; `items` are (key path, value)."""
        known: dict[_T, str] = {} if seen is None else seen
        for key_path, value in items:
            if value in known:
                raise self.error(
                    key_path, f"duplicate {what} '{value}' (already used at {known[value]})"
                )
            known[value] = key_path


def _locale_rank(locale: str) -> int:
    if locale in SUPPORTED_TEXT_LOCALES:
        return SUPPORTED_TEXT_LOCALES.index(locale)
    return len(SUPPORTED_TEXT_LOCALES)


def read_toml(text: str, file: str) -> dict[str, Any]:
    """The TOML of a catalogue file; any failure a `CatalogueError` naming where it is."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        # tomllib reads nested arrays and inline tables by recursion: 50,000 `[` exhaust it.
        raise CatalogueError(
            file, "(file)", "values nested too deeply (arrays or tables within each other)"
        ) from None
    except ValueError as exc:
        if not isinstance(exc, tomllib.TOMLDecodeError):
            # An integer of more than 4,300 digits: int() refuses it (Python's int_max_str_digits).
            raise CatalogueError(file, "(file)", "a number has thousands of digits") from None
        message = str(exc)
        location = _TOML_LOCATION.search(message)
        # "(at end of document)": point at the last line, where the problem shows.
        line_number = location.group(1) if location else str(max(len(text.splitlines()), 1))
        key = f"line {line_number}"
        raise CatalogueError(file, key, f"invalid TOML syntax: {message}") from exc
