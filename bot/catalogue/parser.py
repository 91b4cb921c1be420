"""Reading and validating a catalogue file: every problem names the file, the key and the reason."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.catalogue.model import (
    Catalogue,
    CatalogueError,
    Contact,
    Location,
    Market,
    Option,
    Phase,
    Pole,
    Training,
)
from bot.catalogue.readers import (
    MARKET_CODE,
    MARKET_CODE_RULE,
    OPTION_CODE,
    OPTION_CODE_RULE,
    REF_PREFIX,
    REF_PREFIX_RULE,
    TRAINING_CODE,
    TRAINING_CODE_RULE,
    Reader,
    read_toml,
    show_moment,
)
from bot.catalogue.stands import read_pole_sectors, with_stands
from bot.validation import ValidationError, parse_phone

# Sane bounds for the catalogue's numbers: far above any real market, far below what
# SQLite (64 bits) or a reference number (IFR-2-0042) could hold.
MAX_PLACES = 10_000  # a phase's capacity, a training's seats
MAX_AREA_M2 = 1_000_000
MAX_MINUTES = 366 * 24 * 60  # a training of a year


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
    data = read_toml(text, file)
    return parse_catalogue(data, file)


def parse_catalogue(data: dict[str, Any], file: str) -> Catalogue:
    """Validate already-parsed TOML (a dict from `tomllib`) and build the catalogue."""
    return _Parser(file).catalogue(data)


_OPTION_LISTS = ("sectors", "provinces", "programmes", "stand_needs", "reject_reasons")
_ROOT_KEYS = (*_OPTION_LISTS, "markets")
_OPTION_KEYS = ("code", "name")
_POLE_KEYS = ("code", "name", "description")
_POLE_OPTIONAL = ("sectors",)
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
_MARKET_OPTIONAL = (
    "area_m2",
    "poles",
    "trainings",
    "short_name",
    "contact",
    "opening_hours",
    "confirmation_days",
    "auto_offer",
)
_CONTACT_KEYS = ("phone", "telegram")
_HOURS_KEYS = ("opens", "closes")
_LOCATION_KEYS = ("latitude", "longitude")
_TELEGRAM_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
MAX_CONFIRMATION_DAYS = 30
_PHASE_REQUIRED = ("number", "starts", "ends", "application_deadline", "place", "capacity")
_PHASE_OPTIONAL = ("setup_time", "location", "stands", "plan")
_TRAINING_KEYS = ("code", "phase", "title", "starts", "duration_minutes", "place", "seats")


class _Parser(Reader):
    sector_codes: list[str]

    # ---- sections ---------------------------------------------------------------------------

    def catalogue(self, data: Mapping[str, object]) -> Catalogue:
        root = self.table(data, "(file)", "a TOML document")
        self.check_keys(root, "", _ROOT_KEYS)
        options = {name: self.options(root, name) for name in _OPTION_LISTS}
        market_items = self.table_list(root, "markets", "", "markets", min_items=1)
        self.sector_codes = [option.code for option in options["sectors"]]
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
            code = self.code(table, "code", path, OPTION_CODE, OPTION_CODE_RULE)
            result.append(Option(code=code, name=self.button_text(table, "name", path)))
        self.unique(
            ((f"{p}.code", o.code) for (p, _), o in zip(items, result, strict=True)), "code"
        )
        return tuple(result)

    def market(self, table: dict[str, object], path: str) -> Market:
        self.check_keys(table, path, _MARKET_REQUIRED, _MARKET_OPTIONAL)
        code = self.code(table, "code", path, MARKET_CODE, MARKET_CODE_RULE)
        ref_prefix = self.code(table, "ref_prefix", path, REF_PREFIX, REF_PREFIX_RULE)
        tz = self.timezone(table, "timezone", path)
        texts = {
            key: self.text(table, key, path)
            for key in ("name", "organizer", "place", "region", "description")
        }
        area = (
            self.positive(table, "area_m2", path, example=1000, maximum=MAX_AREA_M2)
            if "area_m2" in table
            else None
        )

        pole_items = self.table_list(table, "poles", path, "markets.poles", min_items=0)
        poles = []
        for pole_path, pole_table in pole_items:
            self.check_keys(pole_table, pole_path, _POLE_KEYS, _POLE_OPTIONAL)
            poles.append(
                Pole(
                    code=self.code(pole_table, "code", pole_path, OPTION_CODE, OPTION_CODE_RULE),
                    name=self.text(pole_table, "name", pole_path),
                    description=self.text(pole_table, "description", pole_path),
                    sectors=read_pole_sectors(self, pole_table, pole_path, self.sector_codes),
                )
            )
        self.unique(
            ((f"{p}.code", pole.code) for (p, _), pole in zip(pole_items, poles, strict=True)),
            "pole code",
        )

        opens, closes = (
            self.opening_hours(table, path) if "opening_hours" in table else (None, None)
        )
        confirmation_days = (
            self.positive(
                table, "confirmation_days", path, example=3, maximum=MAX_CONFIRMATION_DAYS
            )
            if "confirmation_days" in table
            else 3
        )
        phase_items = self.table_list(table, "phases", path, "markets.phases", min_items=1)
        phases: list[Phase] = []
        for index, (phase_path, phase_table) in enumerate(phase_items):
            phase = self.phase(phase_table, phase_path, index, code, tz, phases)
            phases.append(with_stands(self, phase, phase_table, phase_path, poles))

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
            short_name=self.short_name(table, path, texts["name"]),
            contact=self.contact(table, path) if "contact" in table else None,
            opens=opens,
            closes=closes,
            confirmation_days=confirmation_days,
            auto_offer=self.boolean(table, "auto_offer", path) if "auto_offer" in table else True,
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
                f"starts before phase {previous[-1].number} ends ({show_moment(previous[-1].ends)}): "
                "phases must follow each other",
            )
        deadline = self.local_datetime(table, "application_deadline", path, tz)
        if deadline > starts:
            raise self.error(
                f"{path}.application_deadline",
                f"application deadline ({show_moment(deadline)}) is after the phase starts "
                f"({show_moment(starts)})",
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
            capacity=self.positive(table, "capacity", path, example=70, maximum=MAX_PLACES),
            setup_time=setup_time,
            location=self.location(table, path) if "location" in table else None,
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
        code = self.code(table, "code", path, TRAINING_CODE, TRAINING_CODE_RULE)
        number = self.integer(table, "phase", path, example=1)
        phase = next((p for p in phases if p.number == number), None)
        if phase is None:
            raise self.error(
                f"{path}.phase",
                f"unknown phase {number}: this market has phases 1 to {len(phases)}",
            )
        starts = self.local_datetime(table, "starts", path, tz)
        minutes = self.positive(table, "duration_minutes", path, example=120, maximum=MAX_MINUTES)
        duration = timedelta(minutes=minutes)
        if starts < phase.starts:
            raise self.error(
                f"{path}.starts",
                f"training starts ({show_moment(starts)}) before phase {number} starts "
                f"({show_moment(phase.starts)})",
            )
        if starts + duration > phase.ends:
            raise self.error(
                f"{path}.duration_minutes",
                f"training ends ({show_moment(starts + duration)}) after phase {number} ends "
                f"({show_moment(phase.ends)})",
            )
        return Training(
            code=code,
            market_code=market_code,
            phase_number=number,
            title=self.button_text(table, "title", path),
            starts=starts,
            duration=duration,
            place=self.text(table, "place", path),
            seats=self.positive(table, "seats", path, example=30, maximum=MAX_PLACES),
        )

    # ---- small tables -------------------------------------------------------------------------

    def contact(self, table: Mapping[str, object], path: str) -> Contact:
        contact_path = f"{path}.contact"
        contact = self.table(table["contact"], contact_path, 'a table like { phone = "..." }')
        self.check_keys(contact, contact_path, (), _CONTACT_KEYS)
        if not contact:
            raise self.error(contact_path, "give a phone, a telegram username, or both")
        phone = None
        if "phone" in contact:
            written = self.string(contact, "phone", contact_path)
            phone = phone_e164(written)
            if phone is None:
                raise self.error(
                    f"{contact_path}.phone",
                    f"'{written}' is not a phone number (e.g. \"+212 535 00 00 00\")",
                )
        username = None
        if "telegram" in contact:
            username = self.string(contact, "telegram", contact_path).removeprefix("@")
            if not _TELEGRAM_USERNAME.fullmatch(username):
                raise self.error(
                    f"{contact_path}.telegram",
                    f"'{username}' is not a Telegram username (5 to 32 letters, digits and _, "
                    'starting with a letter, e.g. "souk_ifrane")',
                )
        return Contact(phone=phone, telegram=username)

    def opening_hours(self, table: Mapping[str, object], path: str) -> tuple[time, time]:
        hours_path = f"{path}.opening_hours"
        hours = self.table(
            table["opening_hours"],
            hours_path,
            "a table like { opens = 10:00:00, closes = 20:00:00 }",
        )
        self.check_keys(hours, hours_path, _HOURS_KEYS)
        opens = self.local_time(hours, "opens", hours_path)
        closes = self.local_time(hours, "closes", hours_path)
        if closes <= opens:
            raise self.error(
                f"{hours_path}.closes",
                f"closes ({closes.isoformat('minutes')}) before it opens "
                f"({opens.isoformat('minutes')})",
            )
        return opens, closes

    def location(self, table: Mapping[str, object], path: str) -> Location:
        location_path = f"{path}.location"
        location = self.table(
            table["location"], location_path, "a table like { latitude = 33.53, longitude = -5.11 }"
        )
        self.check_keys(location, location_path, _LOCATION_KEYS)
        latitude = self.number(location, "latitude", location_path, limit=90)
        longitude = self.number(location, "longitude", location_path, limit=180)
        return Location(latitude=latitude, longitude=longitude)


def phone_e164(written: str) -> str | None:
    try:
        return parse_phone(written)
    except ValidationError:
        return None
