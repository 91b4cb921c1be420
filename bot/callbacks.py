"""Every button's callback data: one small typed class per action, the only home of the codes.

A class packs itself (`ConfirmOffer(42, OfferChoice.YES).pack() == "cf:42:y"`), parses itself
(`ConfirmOffer.parse("cf:42:y")`, None for anything malformed) and names its route
(`ConfirmOffer.pattern()`). The wire format is `<code>:<field>:<field>...`, the codes and field
spellings of the buttons already sent: a button in a chat from before an upgrade still means the
same. Telegram limits callback data to 1-64 BYTES
(https://core.telegram.org/bots/api#inlinekeyboardbutton): short ASCII codes, never labels, and
every parsed value is still checked against the database by its handler.

Fields are typed: `int` (an id: ASCII digits, at most 18, SQLite's integers), `str` (a code:
letters, digits, `_` and `-`), `bool` (`y`/`n`), a `StrEnum` (its values), and trailing
`X | None = None` fields that a button may leave out.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable
from enum import StrEnum
from typing import Any, ClassVar, Self, TypeVar

SEPARATOR = ":"
MAX_CALLBACK_BYTES = 64
# SQLite integers are 64-bit: every number of 18 digits fits, and no id of ours is longer.
MAX_ID_DIGITS = 18
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_CODE = re.compile(r"[a-z]{1,8}")


def parse_id(field: str) -> int | None:
    """A number from callback data or a command argument, or None if it is not one.

    Only ASCII digits: `str.isdigit()` also accepts "²" (which `int()` refuses) and "٣" (which
    it reads), and a forged id too long for SQLite would raise OverflowError in the query.
    """
    if not field.isascii() or not field.isdigit() or len(field) > MAX_ID_DIGITS:
        return None
    return int(field)


@dataclasses.dataclass(frozen=True)
class Field:
    """How one field is written and read."""

    name: str
    kind: type[Any]  # int, str, bool or a StrEnum
    optional: bool

    def write(self, value: object) -> str:
        if isinstance(value, bool) and self.kind is bool:
            return "y" if value else "n"
        if isinstance(value, StrEnum) and isinstance(value, self.kind):
            return value.value
        if self.kind is int and type(value) is int and value >= 0 and len(str(value)) <= 18:
            return str(value)
        if self.kind is str and isinstance(value, str) and _TOKEN.fullmatch(value):
            return value
        raise ValueError(f"{self.name}: {value!r} cannot be button data")

    def read(self, text: str) -> object:
        """The value, or None if `text` is not one."""
        if self.kind is bool:
            return {"y": True, "n": False}.get(text)
        if self.kind is int:
            return parse_id(text)
        if self.kind is str:
            return text if _TOKEN.fullmatch(text) else None
        try:
            return self.kind(text)
        except ValueError:
            return None


def _fields(cls: type) -> tuple[Field, ...]:
    hints = typing.get_type_hints(cls)
    result: list[Field] = []
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        args = typing.get_args(hint)
        optional = isinstance(hint, types.UnionType) and type(None) in args
        kind = next(arg for arg in args if arg is not type(None)) if optional else hint
        if not (kind in {int, str, bool} or issubclass(kind, StrEnum)):
            raise TypeError(f"{cls.__name__}.{field.name}: {hint} cannot be button data")
        if result and result[-1].optional and not optional:
            raise TypeError(f"{cls.__name__}.{field.name}: optional fields come last")
        result.append(Field(field.name, kind, optional))
    return tuple(result)


class CallbackData:
    """The base of every action; subclasses are frozen dataclasses with a CODE."""

    CODE: ClassVar[str]
    FIELDS: ClassVar[tuple[Field, ...]] = ()

    def pack(self) -> str:
        parts = [self.CODE]
        values = [getattr(self, field.name) for field in self.FIELDS]
        for index, (field, value) in enumerate(zip(self.FIELDS, values, strict=True)):
            if value is None and field.optional:
                if any(later is not None for later in values[index:]):
                    raise ValueError(f"{self!r}: a field left out before one given")
                break
            parts.append(field.write(value))
        data = SEPARATOR.join(parts)
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The button pressed, or None for anything malformed (old, forged, another action)."""
        if not data or len(data.encode()) > MAX_CALLBACK_BYTES:
            return None
        code, *texts = data.split(SEPARATOR)
        required = sum(not field.optional for field in cls.FIELDS)
        if code != cls.CODE or not required <= len(texts) <= len(cls.FIELDS):
            return None
        values = [field.read(text) for field, text in zip(cls.FIELDS, texts, strict=False)]
        if any(value is None for value in values):
            return None
        build: Callable[..., Self] = cls
        return build(*values)

    @classmethod
    def pattern(cls) -> str:
        """The CallbackQueryHandler pattern: this action's data, well formed or not (its
        route answers a malformed one as a stale button)."""
        return rf"^{cls.CODE}(:|$)"


_REGISTRY: dict[str, type[CallbackData]] = {}
Kind = TypeVar("Kind", bound=type[CallbackData])


def register(kind: Kind) -> Kind:
    """Class decorator, above @dataclass: reads the fields, refuses a code used twice."""
    if not _CODE.fullmatch(kind.CODE) or kind.CODE in _REGISTRY:
        raise TypeError(f"{kind.__name__}: bad or repeated code {kind.CODE!r}")
    kind.FIELDS = _fields(kind)
    _REGISTRY[kind.CODE] = kind
    return kind


# ---- the applicant's buttons ----------------------------------------------------------------


@register
@dataclasses.dataclass(frozen=True)
class ChooseLanguage(CallbackData):
    CODE = "lang"
    locale: str


class MenuItem(StrEnum):
    HOME = "home"
    APPLY = "apply"
    INFO = "info"
    STATUS = "status"
    LANGUAGE = "lang"
    HELP = "help"


@register
@dataclasses.dataclass(frozen=True)
class OpenMenu(CallbackData):
    CODE = "menu"
    item: MenuItem


@register
@dataclasses.dataclass(frozen=True)
class ShowMarket(CallbackData):
    """A market's card, or with `phase` (its number) that phase."""

    CODE = "mkt"
    market: str
    phase: int | None = None


# `ChooseMarket(ALL_MARKETS)`: choose a market again.
ALL_MARKETS = "all"


@register
@dataclasses.dataclass(frozen=True)
class ChooseMarket(CallbackData):
    CODE = "apply"
    market: str


@register
@dataclasses.dataclass(frozen=True)
class ChoosePhase(CallbackData):
    CODE = "ph"
    phase: str


@register
@dataclasses.dataclass(frozen=True)
class Consent(CallbackData):
    CODE = "cons"
    phase: str
    yes: bool


@register
@dataclasses.dataclass(frozen=True)
class Resume(CallbackData):
    CODE = "res"
    application_id: int


@register
@dataclasses.dataclass(frozen=True)
class Choose(CallbackData):
    """One option of a single-choice question."""

    CODE = "a"
    application_id: int
    question: str
    choice: str


@register
@dataclasses.dataclass(frozen=True)
class Toggle(CallbackData):
    """Tick or untick one option of a multiple-choice question."""

    CODE = "t"
    application_id: int
    question: str
    choice: str


@register
@dataclasses.dataclass(frozen=True)
class Done(CallbackData):
    CODE = "d"
    application_id: int
    question: str


@register
@dataclasses.dataclass(frozen=True)
class Skip(CallbackData):
    CODE = "s"
    application_id: int
    question: str


# `EditAnswer(app)` shows the summary's ✏️ buttons, `EditAnswer(app, CLOSE_GRID)` puts the
# summary's buttons back (no question key is "-"), `EditAnswer(app, key)` edits that answer.
CLOSE_GRID = "-"


@register
@dataclasses.dataclass(frozen=True)
class EditAnswer(CallbackData):
    CODE = "e"
    application_id: int
    question: str | None = None


@register
@dataclasses.dataclass(frozen=True)
class BackToSummary(CallbackData):
    """Leave the question being edited, of a draft or of a correction."""

    CODE = "back"
    application_id: int


@register
@dataclasses.dataclass(frozen=True)
class Submit(CallbackData):
    CODE = "sub"
    application_id: int


@register
@dataclasses.dataclass(frozen=True)
class Cancel(CallbackData):
    CODE = "can"
    application_id: int


@register
@dataclasses.dataclass(frozen=True)
class CancelConfirmed(CallbackData):
    CODE = "cany"
    application_id: int


@register
@dataclasses.dataclass(frozen=True)
class Withdraw(CallbackData):
    CODE = "wd"
    application_id: int


@register
@dataclasses.dataclass(frozen=True)
class WithdrawConfirmed(CallbackData):
    CODE = "wdy"
    application_id: int


class OfferChoice(StrEnum):
    YES = "y"  # I come
    NO = "n"  # I will not come: asks first
    NO_CONFIRMED = "x"  # yes, I will not come
    KEEP = "k"  # no, I keep my place


@register
@dataclasses.dataclass(frozen=True)
class ConfirmOffer(CallbackData):
    CODE = "cf"
    application_id: int
    choice: OfferChoice


@register
@dataclasses.dataclass(frozen=True)
class CalendarFile(CallbackData):
    CODE = "ics"
    application_id: int


class ReminderSetting(StrEnum):
    ON = "on"
    OFF = "off"


@register
@dataclasses.dataclass(frozen=True)
class SetReminders(CallbackData):
    """The reminder 7 days before, on or off."""

    CODE = "rem"
    setting: ReminderSetting


@register
@dataclasses.dataclass(frozen=True)
class Correct(CallbackData):
    CODE = "cor"
    application_id: int


@register
@dataclasses.dataclass(frozen=True)
class CorrectAnswer(CallbackData):
    CODE = "ce"
    application_id: int
    question: str


@register
@dataclasses.dataclass(frozen=True)
class EraseData(CallbackData):
    """`EraseData(True, asked)` erases (`asked`: when the question was asked, a Unix time);
    `EraseData(False)` keeps everything."""

    CODE = "del"
    yes: bool
    asked: int | None = None


# ---- the organizer console ------------------------------------------------------------------


class CardAction(StrEnum):
    SHOW = "show"
    PREVIOUS = "prev"
    NEXT = "next"
    MEDIA = "med"
    REJECT = "rej"
    ACCEPT = "acc"
    WAITLIST = "wl"


@register
@dataclasses.dataclass(frozen=True)
class ReviewCard(CallbackData):
    """A review card's buttons; `scope` (a market, a phase or `all`) is the queue it walks."""

    CODE = "rv"
    action: CardAction
    application_id: int
    scope: str


@register
@dataclasses.dataclass(frozen=True)
class RejectFor(CallbackData):
    CODE = "rj"
    application_id: int
    reason: str
    scope: str


class BroadcastAction(StrEnum):
    FILTER = "f"  # name: the filter's options
    VALUE = "v"  # name, value (ANY_VALUE: no filter)
    AUDIENCE = "a"
    WRITE = "go"
    SAME_TEXT = "same"
    NO_PHOTO = "nophoto"
    PREVIEW = "pv"  # name: the language to preview
    SEND = "send"
    RESTART = "re"
    DISCARD = "x"
    STOP = "stop"  # `draft_id` is then the broadcast being sent


# `BroadcastStep(VALUE, draft, name, ANY_VALUE)`: that filter set to "all".
ANY_VALUE = "-"


@register
@dataclasses.dataclass(frozen=True)
class BroadcastStep(CallbackData):
    CODE = "bc"
    action: BroadcastAction
    draft_id: int
    name: str | None = None
    value: str | None = None


def callback_classes() -> tuple[type[CallbackData], ...]:
    """Every action, in the order declared."""
    return tuple(_REGISTRY.values())
