"""A phase's stands and plan in the catalogue: both ways of writing them, and errors that name
the key and say what to write."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.catalogue import DEFAULT_CATALOGUE_PATH, CatalogueError, parse_catalogue

BUNDLED: dict[str, Any] = tomllib.loads(DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8"))


def with_phase(**keys: object) -> dict[str, Any]:
    data = copy.deepcopy(BUNDLED)
    phase = data["markets"][0]["phases"][1]
    phase.update(keys)
    return data


def test_bundled_phase_has_its_plan_and_numbered_stands() -> None:
    catalogue = parse_catalogue(BUNDLED, str(DEFAULT_CATALOGUE_PATH))
    phase = catalogue.phase("ifrane-1")
    assert phase is not None and phase.plan is not None and phase.plan.exists()
    assert len(phase.stands) == 70 and phase.stands[0].number == "E1"
    assert phase.stands[0].electricity and phase.stands[0].at == (80, 600)


def test_a_count_per_pole_numbers_the_stands_in_order() -> None:
    data = with_phase(stands={"institutional": 2, "exhibition": 3})
    phase = parse_catalogue(data, "m.toml").phase("ifrane-2")
    assert phase is not None
    assert [(s.number, s.pole) for s in phase.stands] == [
        ("1", "institutional"),
        ("2", "institutional"),
        ("3", "exhibition"),
        ("4", "exhibition"),
        ("5", "exhibition"),
    ]


@pytest.mark.parametrize(
    ("stands", "key", "reason"),
    [
        ({"market": 3}, "markets[0].phases[1].stands.pole", "unknown pole 'market'"),
        (
            [{"number": "A1", "pole": "exhibition"}, {"number": "A1", "pole": "exhibition"}],
            "markets[0].phases[1].stands[1].number",
            "duplicate stand number 'A1'",
        ),
        (
            [{"number": "A 1", "pole": "exhibition"}],
            "markets[0].phases[1].stands[0].number",
            "is not a stand number",
        ),
        (
            [{"number": "A1", "pole": "exhibition", "at": [3]}],
            "markets[0].phases[1].stands[0].at",
            "two whole numbers of pixels",
        ),
    ],
)
def test_stand_errors_name_the_key(stands: object, key: str, reason: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(with_phase(stands=stands), "m.toml")
    assert caught.value.key == key and reason in caught.value.reason


def test_a_missing_plan_is_refused_at_start_up(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(with_phase(plan="plans/nowhere.png"), str(tmp_path / "m.toml"))
    assert caught.value.key == "markets[0].phases[1].plan"
    assert "cannot open 'plans/nowhere.png'" in caught.value.reason
