"""How button data is written and read: the `CallbackData` base, its typed fields and the
`@action` registry. The actions themselves are in members.py and team.py."""

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


def callback_classes() -> tuple[type[CallbackData], ...]:
    """Every action, in the order declared."""
    return tuple(_REGISTRY.values())
