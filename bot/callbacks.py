"""Every button's callback data: one small typed class per action, the only home of the codes.

A class packs itself (`ConfirmOffer(42, OfferChoice.YES).pack() == "cf:42:y"`), parses itself
(`ConfirmOffer.parse("cf:42:y")`, None for anything malformed) and names its route
(`ConfirmOffer.pattern()`). The wire format is `<code>:<field>:<field>...`, the codes and field
spellings of the buttons already sent: a button in a chat from before an upgrade still means the
same. Telegram limits callback data to 1-64 BYTES
(https://core.telegram.org/bots/api#inlinekeyboardbutton): short ASCII codes, never labels, and
every parsed value is still checked against the database by its handler.

Fields are typed: `int` (an id: ASCII digits, at most 18 to fit SQLite's integers, no leading
zero), `str` (a code: letters, digits, `_` and `-`), `bool` (`y`/`n`), a `StrEnum` (its
values), and trailing `X | None = None` fields that a button may leave out.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable
from enum import StrEnum
from typing import Any, ClassVar, Self, TypeVar, dataclass_transform

SEPARATOR = ":"
MAX_CALLBACK_BYTES = 64
MAX_ID_DIGITS = 18  # SQLite integers are 64-bit: every number of 18 digits fits
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
# Written as the bot writes them: one string per id ("7", never "007"), so that a button's data
# names one thing, and a check on the string (a fuzz model, a log search) sees what the bot sees.
_ID = re.compile(rf"0|[1-9][0-9]{{0,{MAX_ID_DIGITS - 1}}}")
_CODE = re.compile(r"[a-z]{1,8}")


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
        if (
            self.kind is int
            and type(value) is int
            and value >= 0
            and len(str(value)) <= MAX_ID_DIGITS
        ):
            return str(value)
        if self.kind is str and isinstance(value, str) and _TOKEN.fullmatch(value):
            return value
        raise ValueError(f"{self.name}: {value!r} cannot be button data")

    def read(self, text: str) -> object:
        """The value, or None if `text` is not one."""
        if self.kind is bool:
            return {"y": True, "n": False}.get(text)
        if self.kind is int:
            return int(text) if _ID.fullmatch(text) else None
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


@dataclass_transform(frozen_default=True)
def action(kind: Kind) -> Kind:
    """Class decorator: a frozen dataclass, its fields read, its code refused if used twice."""
    dataclasses.dataclass(frozen=True)(kind)  # in place: the class itself comes back
    if not _CODE.fullmatch(kind.CODE) or kind.CODE in _REGISTRY:
        raise TypeError(f"{kind.__name__}: bad or repeated code {kind.CODE!r}")
    kind.FIELDS = _fields(kind)
    _REGISTRY[kind.CODE] = kind
    return kind


# ---- the applicant's buttons ----------------------------------------------------------------


@action
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


@action
class OpenMenu(CallbackData):
    CODE = "menu"
    item: MenuItem


@action
class ShowMarket(CallbackData):
    CODE = "mkt"  # A market's card, or with `phase` (its number) that phase
    market: str
    phase: int | None = None


# `ChooseMarket(ALL_MARKETS)`: choose a market again.
ALL_MARKETS = "all"


@action
class ChooseMarket(CallbackData):
    CODE = "apply"
    market: str


@action
class ChoosePhase(CallbackData):
    CODE = "ph"
    phase: str


@action
class Consent(CallbackData):
    CODE = "cons"
    phase: str
    yes: bool


@action
class Resume(CallbackData):
    CODE = "res"
    application_id: int


@action
class Choose(CallbackData):
    CODE = "a"  # One option of a single-choice question
    application_id: int
    question: str
    choice: str


@action
class Toggle(CallbackData):
    CODE = "t"  # Tick or untick one option of a multiple-choice question
    application_id: int
    question: str
    choice: str


@action
class Done(CallbackData):
    CODE = "d"
    application_id: int
    question: str


@action
class Skip(CallbackData):
    CODE = "s"
    application_id: int
    question: str


# `EditAnswer(app)` shows the summary's ✏️ buttons, `EditAnswer(app, CLOSE_GRID)` puts the
# summary's buttons back (no question key is "-"), `EditAnswer(app, key)` edits that answer.
CLOSE_GRID = "-"


@action
class EditAnswer(CallbackData):
    CODE = "e"
    application_id: int
    question: str | None = None


@action
class BackToSummary(CallbackData):
    CODE = "back"  # Leave the question being edited, of a draft or of a correction
    application_id: int


@action
class Submit(CallbackData):
    CODE = "sub"
    application_id: int


@action
class Cancel(CallbackData):
    CODE = "can"
    application_id: int


@action
class CancelConfirmed(CallbackData):
    CODE = "cany"
    application_id: int


@action
class Withdraw(CallbackData):
    CODE = "wd"
    application_id: int


@action
class WithdrawConfirmed(CallbackData):
    CODE = "wdy"
    application_id: int


class OfferChoice(StrEnum):
    YES = "y"  # I come
    NO = "n"  # I will not come: asks first
    NO_CONFIRMED = "x"  # yes, I will not come
    KEEP = "k"  # no, I keep my place


@action
class ConfirmOffer(CallbackData):
    CODE = "cf"
    application_id: int
    choice: OfferChoice


@action
class CalendarFile(CallbackData):
    CODE = "ics"
    application_id: int


class ReminderSetting(StrEnum):
    ON = "on"
    OFF = "off"


@action
class SetReminders(CallbackData):
    CODE = "rem"  # The reminder 7 days before, on or off
    setting: ReminderSetting


@action
class Correct(CallbackData):
    CODE = "cor"
    application_id: int


@action
class CorrectAnswer(CallbackData):
    CODE = "ce"
    application_id: int
    question: str


@action
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


@action
class ReviewCard(CallbackData):
    """A review card's buttons; `scope` (a market, a phase or `all`) is the queue it walks."""

    CODE = "rv"
    action: CardAction
    application_id: int
    scope: str


@action
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
    SKIP_LANGUAGE = "skip"  # an optional language (not fr/ar): its readers get the first text
    NO_PHOTO = "nophoto"
    PREVIEW = "pv"  # name: the language to preview
    SEND = "send"
    RESTART = "re"
    DISCARD = "x"
    STOP = "stop"  # `draft_id` is then the broadcast being sent


# `BroadcastStep(VALUE, draft, name, ANY_VALUE)`: that filter set to "all".
ANY_VALUE = "-"


@action
class BroadcastStep(CallbackData):
    CODE = "bc"
    action: BroadcastAction
    draft_id: int
    name: str | None = None
    value: str | None = None


def callback_classes() -> tuple[type[CallbackData], ...]:
    """Every action, in the order declared."""
    return tuple(_REGISTRY.values())
