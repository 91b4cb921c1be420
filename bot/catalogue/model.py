"""The catalogue's model: a TOML file edited by organizers, validated once at start-up.

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

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

DEFAULT_CATALOGUE_PATH: Path = Path(__file__).parent.parent / "data" / "markets.toml"

# Every catalogue text must exist in these locales; other locales ("zgh", "en"...) are optional.
SUPPORTED_TEXT_LOCALES: tuple[str, ...] = ("fr", "ar")
# A text missing in the reader's language is shown in French, Tamazight included: the bot's
# first language, written left to right as Tifinagh is (an Arabic name would need isolating
# in every sentence), and the one every organizer writes first. The bundled markets have
# their `zgh` texts; `python -m bot.catalogue` does not require them of a new market.
FALLBACK_LOCALE = "fr"
# A market's short name goes on buttons, which Telegram cuts to one line of a phone's width.
SHORT_NAME_MAX = 20
# Option names and training titles go on buttons too, after a tick ("▫️ " or "✅ ") when
# several can be chosen: 27 characters and the tick make the 30 that a phone shows.
BUTTON_TEXT_MAX = 27
_PHASE_CODE = re.compile(r"(.+)-([0-9]{1,4})")


class CatalogueError(Exception):
    """A problem in the catalogue file: `str(e) == f"{file}: {key}: {reason}"`."""

    def __init__(self, file: str, key: str, reason: str) -> None:
        super().__init__(f"{file}: {key}: {reason}")
        self.file = file
        self.key = key
        self.reason = reason


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
    sectors: tuple[str, ...] = ()  # the sectors whose exhibitors get its stands first


@dataclass(frozen=True)
class Stand:
    """A place on the market ground; `at` is its centre on the phase's plan image, in pixels."""

    number: str
    pole: str
    size_m2: int | None = None
    electricity: bool = False
    at: tuple[int, int] | None = None


@dataclass(frozen=True)
class Contact:
    """How applicants reach a market's organizers: a phone number, a Telegram username, or both."""

    phone: str | None  # E.164, e.g. +212535000000
    telegram: str | None  # a username without "@"


@dataclass(frozen=True)
class Location:
    """Where a phase is held, for a map pin (`sendVenue`)."""

    latitude: float
    longitude: float


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
    location: Location | None = None
    stands: tuple[Stand, ...] = ()  # in order, front of the ground first
    plan: Path | None = None  # an image of the ground, resolved against the catalogue file

    @property
    def code(self) -> str:
        return f"{self.market_code}-{self.number}"

    def stand(self, number: str) -> Stand | None:
        return next((stand for stand in self.stands if stand.number == number), None)

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
    short_name: LocalizedText  # for buttons: at most SHORT_NAME_MAX characters
    contact: Contact | None = None
    opens: time | None = None  # daily opening hours, local wall time
    closes: time | None = None
    confirmation_days: int = 3  # an accepted applicant confirms within at least this many days
    # A freed place goes to the first on the waiting list at once (True), or waits for an
    # organizer's button (False).
    auto_offer: bool = True

    @property
    def timezone_name(self) -> str:
        return self.timezone.key

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

    def reject_reason(self, code: str) -> Option | None:
        return _find(self.reject_reasons, code)


_C = TypeVar("_C", Option, Pole, Market)


def _find(items: Iterable[_C], code: str) -> _C | None:
    return next((item for item in items if item.code == code), None)
