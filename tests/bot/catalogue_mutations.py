"""What the catalogue's error tests share: the bundled data, ways to break it, and the check
that the error names the file, the key and the reason."""

from __future__ import annotations

import copy
import tomllib
import zoneinfo
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.catalogue import (
    DEFAULT_CATALOGUE_PATH,
    CatalogueError,
    parse_catalogue,
)

# Like the application at start-up: read time zones from the `tzdata` package, never from the
# (older, wrong for Morocco) system files. Clear the cache in case a zone was already loaded.
zoneinfo.reset_tzpath(to=[])
ZoneInfo.clear_cache()

CASABLANCA = ZoneInfo("Africa/Casablanca")
TODAY = datetime(2026, 11, 23, tzinfo=CASABLANCA)
FILE = "markets.toml"
BUNDLED: dict[str, Any] = tomllib.loads(DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8"))

Mutation = Callable[[dict[str, Any]], None]


def ifrane(data: dict[str, Any]) -> dict[str, Any]:
    market: dict[str, Any] = data["markets"][0]
    return market


def setter(*path: str | int, value: object) -> Mutation:
    """Set data[path...] = value."""

    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def deleter(*path: str | int) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        for mutation in mutations:
            mutation(data)

    return mutate


M0, M1 = ("markets", 0), ("markets", 1)
P0, P1 = (*M0, "phases", 0), (*M0, "phases", 1)
T0, T2 = (*M0, "trainings", 0), (*M0, "trainings", 2)


def check_error(mutate: Mutation, key: str, reason: str) -> None:
    data = copy.deepcopy(BUNDLED)
    mutate(data)
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(data, FILE)
    error = info.value
    assert (error.file, error.key) == (FILE, key)
    assert reason in error.reason
    assert str(error) == f"{FILE}: {key}: {error.reason}"
