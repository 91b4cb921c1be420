"""The catalogue of markets: a TOML file edited by organizers, validated once at start-up.

The file (see `bot/data/markets.toml`, whose header documents every key) lists the markets
with their phases, poles and training sessions, and the choices offered by the bot: sectors,
provinces, support programmes, stand needs and reasons for rejecting an application.

Every problem raises a `CatalogueError` naming the file, the key (a dotted path with indexes,
such as `markets[0].phases[1].ends`) and the reason, so an organizer can fix the file alone.

Times are written in the file as wall time in the market's time zone (TOML local date-times,
no offset): that is the truth, and the datetimes built here are aware, with
`zoneinfo.ZoneInfo(market timezone)`. The application must call `zoneinfo.reset_tzpath(to=[])`
(so that the `tzdata` package, not the older system files, is used) before loading.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DEFAULT_CATALOGUE_PATH",
    "SUPPORTED_TEXT_LOCALES",
    "Catalogue",
    "CatalogueError",
    "LocalizedText",
    "Market",
    "Option",
    "Phase",
    "Pole",
    "Training",
    "load_catalogue",
    "parse_catalogue",
]

DEFAULT_CATALOGUE_PATH: Path = Path(__file__).parent / "data" / "markets.toml"

# Every catalogue text must exist in these locales; other locales ("zgh", "en"...) are optional.
SUPPORTED_TEXT_LOCALES: tuple[str, ...] = ("fr", "ar")
FALLBACK_LOCALE = "fr"

# Codes end up in deep links (`/start ifrane`) and callback data (at most 64 bytes): keep
# them short and ASCII.
_MARKET_CODE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])")
_REF_PREFIX = re.compile(r"[A-Z]{2,5}")
_OPTION_CODE = re.compile(r"[a-z][a-z0-9_]{1,29}")
_TRAINING_CODE = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,38}[a-z0-9])")
_LOCALE = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2})?")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_PHASE_CODE = re.compile(r"(.+)-([0-9]{1,4})")
_TOML_LOCATION = re.compile(r"\(at line (\d+), column (\d+)\)")

_MARKET_CODE_RULE = (
    "2 to 20 characters: lowercase letters a-z, digits and '-', "
    "not starting or ending with '-' (e.g. ifrane)"
)
_REF_PREFIX_RULE = "2 to 5 capital letters A-Z (e.g. IFR)"
_OPTION_CODE_RULE = (
    "2 to 30 characters: lowercase letters a-z, digits and '_', "
    "starting with a letter (e.g. crafts)"
)
_TRAINING_CODE_RULE = (
    "2 to 40 characters: lowercase letters a-z, digits, '-' and '_', "
    "not starting or ending with '-' or '_' (e.g. ifrane-1-admin)"
)
_DATETIME_EXAMPLE = "2027-05-03T10:00:00"


class CatalogueError(Exception):
    """A problem in the catalogue file: `str(e) == f"{file}: {key}: {reason}"`."""

    def __init__(self, file: str, key: str, reason: str) -> None:
        super().__init__(f"{file}: {key}: {reason}")
        self.file = file
        self.key = key
        self.reason = reason


# --------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalizedText:
    """An immutable mapping locale -> text; always has "fr" and "ar" when built from a file."""

    texts: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, **texts: str) -> LocalizedText:
        """Build from keyword arguments: `LocalizedText.of(fr="Artisanat", ar="...")`."""
        return cls(tuple(texts.items()))

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(locale for locale, _ in self.texts)

    def get(self, locale: str) -> str:
        """Text in `locale`, else in its language ("ar_MA" -> "ar"), else in French.

        Telegram's `language_code` style ("ar-MA", "pt-br") is accepted too.
        """
        texts = dict(self.texts)
        if locale in texts:
            return texts[locale]
        normalized = locale.replace("-", "_")
        language, _, region = normalized.partition("_")
        language = language.lower()
        if region:
            full = f"{language}_{region.upper()}"
            if full in texts:
                return texts[full]
        if language in texts:
            return texts[language]
        if FALLBACK_LOCALE in texts:
            return texts[FALLBACK_LOCALE]
        return self.texts[0][1] if self.texts else ""

    def __contains__(self, locale: object) -> bool:
        return any(locale == known for known, _ in self.texts)


@dataclass(frozen=True)
class Option:
    """One choice of a list: a sector, a province, a programme, a stand need, a reject reason."""

    code: str
    name: LocalizedText


@dataclass(frozen=True)
class Pole:
    """An area of a market (exhibition, institutional, animation...)."""

    code: str
    name: LocalizedText
    description: LocalizedText


@dataclass(frozen=True)
class Training:
    """A training session for exhibitors, held during one phase of its market."""

    code: str
    market_code: str
    phase_number: int
    title: LocalizedText
    starts: datetime
    duration: timedelta
    place: LocalizedText
    seats: int

    @property
    def ends(self) -> datetime:
        return self.starts + self.duration

    @property
    def phase_code(self) -> str:
        return f"{self.market_code}-{self.phase_number}"


@dataclass(frozen=True)
class Phase:
    """One session of a market, with its own dates, exhibitors and application deadline."""

    market_code: str
    number: int
    starts: datetime
    ends: datetime
    application_deadline: datetime
    place: LocalizedText
    capacity: int
    setup_time: time | None = None  # local wall time of stand set-up on the first day

    @property
    def code(self) -> str:
        return f"{self.market_code}-{self.number}"

    @property
    def setup_at(self) -> datetime | None:
        """Set-up on the first day, as an aware datetime in the market's time zone."""
        if self.setup_time is None:
            return None
        return datetime.combine(self.starts.date(), self.setup_time, tzinfo=self.starts.tzinfo)


@dataclass(frozen=True)
class Market:
    """A market or fair that cooperatives apply to, held in one or more phases."""

    code: str
    ref_prefix: str
    name: LocalizedText
    organizer: LocalizedText
    place: LocalizedText
    description: LocalizedText
    region: LocalizedText
    area_m2: int | None
    timezone: ZoneInfo
    poles: tuple[Pole, ...]
    phases: tuple[Phase, ...]
    trainings: tuple[Training, ...]

    @property
    def timezone_name(self) -> str:
        return self.timezone.key

    @property
    def total_capacity(self) -> int:
        return sum(phase.capacity for phase in self.phases)

    def phase(self, number: int) -> Phase | None:
        return next((p for p in self.phases if p.number == number), None)

    def pole(self, code: str) -> Pole | None:
        return _find(self.poles, code)

    def trainings_for(self, phase_number: int) -> tuple[Training, ...]:
        return tuple(t for t in self.trainings if t.phase_number == phase_number)


@dataclass(frozen=True)
class Catalogue:
    markets: tuple[Market, ...]
    sectors: tuple[Option, ...]
    provinces: tuple[Option, ...]
    programmes: tuple[Option, ...]
    stand_needs: tuple[Option, ...]
    reject_reasons: tuple[Option, ...]

    def market(self, code: str) -> Market | None:
        return _find(self.markets, code)

    def phase(self, code: str) -> Phase | None:
        """The phase with code "ifrane-2" (market code, dash, phase number), if any."""
        match = _PHASE_CODE.fullmatch(code)
        if match is None:
            return None
        market = self.market(match.group(1))
        return market.phase(int(match.group(2))) if market is not None else None

    def training(self, code: str) -> Training | None:
        return next((t for m in self.markets for t in m.trainings if t.code == code), None)

    def sector(self, code: str) -> Option | None:
        return _find(self.sectors, code)

    def province(self, code: str) -> Option | None:
        return _find(self.provinces, code)

    def programme(self, code: str) -> Option | None:
        return _find(self.programmes, code)

    def stand_need(self, code: str) -> Option | None:
        return _find(self.stand_needs, code)

    def reject_reason(self, code: str) -> Option | None:
        return _find(self.reject_reasons, code)


_C = TypeVar("_C", Option, Pole, Market)


def _find(items: Iterable[_C], code: str) -> _C | None:
    return next((item for item in items if item.code == code), None)


# --------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------


def load_catalogue(path: Path | str) -> Catalogue:
    """Read and validate a catalogue file; raises `CatalogueError` on any problem."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogueError(
            file, "(file)", f"cannot read the file: {exc.strerror or exc}"
        ) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogueError(
            file, f"line {line}", "the file is not UTF-8 text (save it as UTF-8)"
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        location = _TOML_LOCATION.search(message)
        # "(at end of document)": point at the last line, where the problem shows.
        line_number = location.group(1) if location else str(max(len(text.splitlines()), 1))
        key = f"line {line_number}"
        raise CatalogueError(file, key, f"invalid TOML syntax: {message}") from exc
    return parse_catalogue(data, file)


def parse_catalogue(data: dict[str, Any], file: str) -> Catalogue:
    """Validate already-parsed TOML (a dict from `tomllib`) and build the catalogue."""
    return _Parser(file).catalogue(data)


_OPTION_LISTS = ("sectors", "provinces", "programmes", "stand_needs", "reject_reasons")
_ROOT_KEYS = (*_OPTION_LISTS, "markets")
_OPTION_KEYS = ("code", "name")
_POLE_KEYS = ("code", "name", "description")
_MARKET_REQUIRED = (
    "code",
    "ref_prefix",
    "timezone",
    "name",
    "organizer",
    "place",
    "region",
    "description",
    "phases",
)
_MARKET_OPTIONAL = ("area_m2", "poles", "trainings")
_PHASE_REQUIRED = ("number", "starts", "ends", "application_deadline", "place", "capacity")
_PHASE_OPTIONAL = ("setup_time",)
_TRAINING_KEYS = ("code", "phase", "title", "starts", "duration_minutes", "place", "seats")

_T = TypeVar("_T")


def _join(path: str, key: str) -> str:
    shown = key if _BARE_KEY.fullmatch(key) else '"' + key.replace('"', '\\"') + '"'
    return f"{path}.{shown}" if path else shown


def _describe(value: object) -> str:
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


def _show(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


class _Parser:
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
                raise self.error(_join(path, key), f"unknown key ({hint})")
        for key in required:
            if key not in table:
                raise self.error(_join(path, key), "missing required key")

    def table(self, value: object, path: str, what: str) -> dict[str, object]:
        if not isinstance(value, dict):
            raise self.error(path, f"must be {what}, not {_describe(value)}")
        return value

    def table_list(
        self, table: Mapping[str, object], key: str, path: str, header: str, *, min_items: int
    ) -> list[tuple[str, dict[str, object]]]:
        """The tables of an array of tables `[[header]]`, with their paths."""
        list_path = _join(path, key)
        value = table.get(key, [])
        if not isinstance(value, list):
            raise self.error(
                list_path, f"must be a list of [[{header}]] sections, not {_describe(value)}"
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
            raise self.error(_join(path, key), f"must be text in quotes, not {_describe(value)}")
        return value

    def code(
        self, table: Mapping[str, object], key: str, path: str, pattern: re.Pattern[str], rule: str
    ) -> str:
        value = self.string(table, key, path)
        if not pattern.fullmatch(value):
            raise self.error(_join(path, key), f"invalid code '{value}': use {rule}")
        return value

    def integer(self, table: Mapping[str, object], key: str, path: str, *, example: int) -> int:
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(
                _join(path, key),
                f"must be a whole number without quotes (e.g. {example}), not {_describe(value)}",
            )
        return value

    def positive(self, table: Mapping[str, object], key: str, path: str, *, example: int) -> int:
        value = self.integer(table, key, path, example=example)
        if value <= 0:
            raise self.error(_join(path, key), f"must be greater than 0 (got {value})")
        return value

    def text(self, table: Mapping[str, object], key: str, path: str) -> LocalizedText:
        text_path = _join(path, key)
        value = table[key]
        if not isinstance(value, dict):
            raise self.error(
                text_path,
                'must be a table of translations like { fr = "...", ar = "..." }, '
                f"not {_describe(value)}",
            )
        texts: list[tuple[str, str]] = []
        for locale, text in value.items():
            locale_path = _join(text_path, locale)
            if not _LOCALE.fullmatch(locale):
                raise self.error(
                    locale_path, "unknown language code: use fr, ar or another code like zgh"
                )
            if not isinstance(text, str):
                raise self.error(locale_path, f"must be text in quotes, not {_describe(text)}")
            if not text.strip():
                raise self.error(locale_path, "empty text")
            texts.append((locale, text.strip()))
        present = {locale for locale, _ in texts}
        for locale in SUPPORTED_TEXT_LOCALES:
            if locale not in present:
                required = " and ".join(f"'{code}'" for code in SUPPORTED_TEXT_LOCALES)
                raise self.error(
                    _join(text_path, locale),
                    f"missing translation: every text needs {required}",
                )
        # Required locales first, in a stable order; optional ones as written.
        texts.sort(key=lambda item: _locale_rank(item[0]))
        return LocalizedText(tuple(texts))

    def local_datetime(
        self, table: Mapping[str, object], key: str, path: str, tz: ZoneInfo
    ) -> datetime:
        key_path = _join(path, key)
        value = table[key]
        rule = (
            f"write a local date-time without quotes, e.g. {_DATETIME_EXAMPLE} "
            f"(wall time in the market's time zone {tz.key})"
        )
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                raise self.error(
                    key_path,
                    "bad date: remove the offset or Z, the time is read as wall time in the "
                    f"market's time zone {tz.key} (e.g. {_DATETIME_EXAMPLE})",
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
        raise self.error(key_path, f"bad date: got {_describe(value)}; {rule}")

    def local_time(self, table: Mapping[str, object], key: str, path: str) -> time:
        value = table[key]
        if isinstance(value, time) and value.tzinfo is None:
            return value
        raise self.error(
            _join(path, key),
            f"must be a local time without quotes, e.g. 08:00:00, not {_describe(value)}",
        )

    def timezone(self, table: Mapping[str, object], key: str, path: str) -> ZoneInfo:
        name = self.string(table, key, path)
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise self.error(
                _join(path, key),
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

    # ---- sections ---------------------------------------------------------------------------

    def catalogue(self, data: Mapping[str, object]) -> Catalogue:
        root = self.table(data, "(file)", "a TOML document")
        self.check_keys(root, "", _ROOT_KEYS)
        options = {name: self.options(root, name) for name in _OPTION_LISTS}
        market_items = self.table_list(root, "markets", "", "markets", min_items=1)
        markets = tuple(self.market(table, path) for path, table in market_items)
        self.unique(
            ((f"{p}.code", m.code) for (p, _), m in zip(market_items, markets, strict=True)),
            "market code",
        )
        self.unique(
            (
                (f"{p}.ref_prefix", m.ref_prefix)
                for (p, _), m in zip(market_items, markets, strict=True)
            ),
            "reference prefix",
        )
        training_paths: dict[str, str] = {}
        for (path, _), market in zip(market_items, markets, strict=True):
            self.unique(
                (
                    (f"{path}.trainings[{i}].code", training.code)
                    for i, training in enumerate(market.trainings)
                ),
                "training code",
                training_paths,
            )
        return Catalogue(
            markets=markets,
            sectors=options["sectors"],
            provinces=options["provinces"],
            programmes=options["programmes"],
            stand_needs=options["stand_needs"],
            reject_reasons=options["reject_reasons"],
        )

    def options(self, root: Mapping[str, object], name: str) -> tuple[Option, ...]:
        result = []
        items = self.table_list(root, name, "", name, min_items=1)
        for path, table in items:
            self.check_keys(table, path, _OPTION_KEYS)
            code = self.code(table, "code", path, _OPTION_CODE, _OPTION_CODE_RULE)
            result.append(Option(code=code, name=self.text(table, "name", path)))
        self.unique(
            ((f"{p}.code", o.code) for (p, _), o in zip(items, result, strict=True)), "code"
        )
        return tuple(result)

    def market(self, table: dict[str, object], path: str) -> Market:
        self.check_keys(table, path, _MARKET_REQUIRED, _MARKET_OPTIONAL)
        code = self.code(table, "code", path, _MARKET_CODE, _MARKET_CODE_RULE)
        ref_prefix = self.code(table, "ref_prefix", path, _REF_PREFIX, _REF_PREFIX_RULE)
        tz = self.timezone(table, "timezone", path)
        texts = {
            key: self.text(table, key, path)
            for key in ("name", "organizer", "place", "region", "description")
        }
        area = self.positive(table, "area_m2", path, example=1000) if "area_m2" in table else None

        pole_items = self.table_list(table, "poles", path, "markets.poles", min_items=0)
        poles = []
        for pole_path, pole_table in pole_items:
            self.check_keys(pole_table, pole_path, _POLE_KEYS)
            poles.append(
                Pole(
                    code=self.code(pole_table, "code", pole_path, _OPTION_CODE, _OPTION_CODE_RULE),
                    name=self.text(pole_table, "name", pole_path),
                    description=self.text(pole_table, "description", pole_path),
                )
            )
        self.unique(
            ((f"{p}.code", pole.code) for (p, _), pole in zip(pole_items, poles, strict=True)),
            "pole code",
        )

        phase_items = self.table_list(table, "phases", path, "markets.phases", min_items=1)
        phases: list[Phase] = []
        for index, (phase_path, phase_table) in enumerate(phase_items):
            phases.append(self.phase(phase_table, phase_path, index, code, tz, phases))

        training_items = self.table_list(table, "trainings", path, "markets.trainings", min_items=0)
        trainings = tuple(
            self.training(training_table, training_path, code, tz, phases)
            for training_path, training_table in training_items
        )
        return Market(
            code=code,
            ref_prefix=ref_prefix,
            name=texts["name"],
            organizer=texts["organizer"],
            place=texts["place"],
            description=texts["description"],
            region=texts["region"],
            area_m2=area,
            timezone=tz,
            poles=tuple(poles),
            phases=tuple(phases),
            trainings=trainings,
        )

    def phase(
        self,
        table: dict[str, object],
        path: str,
        index: int,
        market_code: str,
        tz: ZoneInfo,
        previous: list[Phase],
    ) -> Phase:
        self.check_keys(table, path, _PHASE_REQUIRED, _PHASE_OPTIONAL)
        number = self.integer(table, "number", path, example=index + 1)
        if any(phase.number == number for phase in previous):
            raise self.error(
                f"{path}.number",
                f"duplicate phase number {number} (phases are numbered 1, 2, 3... in order)",
            )
        if number != index + 1:
            raise self.error(
                f"{path}.number",
                f"phase numbers must be 1, 2, 3... in order: expected {index + 1}, got {number}",
            )
        starts = self.local_datetime(table, "starts", path, tz)
        ends = self.local_datetime(table, "ends", path, tz)
        if ends < starts:
            raise self.error(f"{path}.ends", "ends before it starts")
        if ends == starts:
            raise self.error(f"{path}.ends", "ends at the moment it starts")
        if previous and starts < previous[-1].ends:
            raise self.error(
                f"{path}.starts",
                f"starts before phase {previous[-1].number} ends ({_show(previous[-1].ends)}): "
                "phases must follow each other",
            )
        deadline = self.local_datetime(table, "application_deadline", path, tz)
        if deadline > starts:
            raise self.error(
                f"{path}.application_deadline",
                f"application deadline ({_show(deadline)}) is after the phase starts "
                f"({_show(starts)})",
            )
        setup_time = self.local_time(table, "setup_time", path) if "setup_time" in table else None
        if setup_time is not None and setup_time > starts.time():
            raise self.error(
                f"{path}.setup_time",
                f"stand set-up ({setup_time.isoformat('minutes')}) is after the opening on the "
                f"first day ({starts.time().isoformat('minutes')})",
            )
        return Phase(
            market_code=market_code,
            number=number,
            starts=starts,
            ends=ends,
            application_deadline=deadline,
            place=self.text(table, "place", path),
            capacity=self.positive(table, "capacity", path, example=70),
            setup_time=setup_time,
        )

    def training(
        self,
        table: dict[str, object],
        path: str,
        market_code: str,
        tz: ZoneInfo,
        phases: list[Phase],
    ) -> Training:
        self.check_keys(table, path, _TRAINING_KEYS)
        code = self.code(table, "code", path, _TRAINING_CODE, _TRAINING_CODE_RULE)
        number = self.integer(table, "phase", path, example=1)
        phase = next((p for p in phases if p.number == number), None)
        if phase is None:
            raise self.error(
                f"{path}.phase",
                f"unknown phase {number}: this market has phases 1 to {len(phases)}",
            )
        starts = self.local_datetime(table, "starts", path, tz)
        minutes = self.positive(table, "duration_minutes", path, example=120)
        duration = timedelta(minutes=minutes)
        if starts < phase.starts:
            raise self.error(
                f"{path}.starts",
                f"training starts ({_show(starts)}) before phase {number} starts "
                f"({_show(phase.starts)})",
            )
        if starts + duration > phase.ends:
            raise self.error(
                f"{path}.duration_minutes",
                f"training ends ({_show(starts + duration)}) after phase {number} ends "
                f"({_show(phase.ends)})",
            )
        return Training(
            code=code,
            market_code=market_code,
            phase_number=number,
            title=self.text(table, "title", path),
            starts=starts,
            duration=duration,
            place=self.text(table, "place", path),
            seats=self.positive(table, "seats", path, example=30),
        )


def _locale_rank(locale: str) -> int:
    if locale in SUPPORTED_TEXT_LOCALES:
        return SUPPORTED_TEXT_LOCALES.index(locale)
    return len(SUPPORTED_TEXT_LOCALES)


def main(argv: list[str] | None = None) -> int:
    """Check a catalogue file: `python -m bot.catalogue [path]`; exit status 1 on error."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_CATALOGUE_PATH
    try:
        catalogue = load_catalogue(path)
    except CatalogueError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1
    for market in catalogue.markets:
        phases = ", ".join(
            f"{p.code} {p.starts:%Y-%m-%d}..{p.ends:%Y-%m-%d} ({p.capacity})" for p in market.phases
        )
        print(f"{market.code}: {phases}; {len(market.trainings)} training(s)")
    print(f"OK {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
