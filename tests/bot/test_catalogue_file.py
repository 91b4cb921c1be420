"""The catalogue's file: reading it from a path, TOML errors, optional keys, what fits a
phone's buttons, the check command."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.catalogue import (
    DEFAULT_CATALOGUE_PATH,
    Catalogue,
    CatalogueError,
    load_catalogue,
    parse_catalogue,
)
from bot.catalogue.__main__ import main
from tests.bot.catalogue_mutations import (
    BUNDLED,
    FILE,
    ifrane,
)


def test_error_message_example() -> None:
    data = copy.deepcopy(BUNDLED)
    ifrane(data)["phases"][1]["ends"] = datetime(2027, 6, 1, 18)
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(data, "markets.toml")
    assert str(info.value) == "markets.toml: markets[0].phases[1].ends: ends before it starts"


def test_bundled_data_was_not_mutated() -> None:
    assert parse_catalogue(BUNDLED, FILE) == load_catalogue(DEFAULT_CATALOGUE_PATH)


def test_optional_keys_may_be_left_out() -> None:
    data = copy.deepcopy(BUNDLED)
    for key in ("area_m2", "poles", "trainings"):
        ifrane(data).pop(key, None)
    for phase in ifrane(data)["phases"]:
        del phase["setup_time"]
        phase.pop("stands", None)  # a phase's stands name its market's poles
        phase.pop("plan", None)
    market = parse_catalogue(data, FILE).markets[0]
    assert (market.area_m2, market.poles, market.trainings) == (None, (), ())
    assert (market.phases[0].stands, market.phases[0].plan) == ((), None)
    assert market.phases[0].setup_time is None
    assert market.phases[0].setup_at is None


def test_new_market_fields_are_read(catalogue: Catalogue) -> None:
    ifrane_market, mohammedia = catalogue.markets
    assert ifrane_market.short_name.get("fr") == "Marché d'Ifrane"
    assert ifrane_market.contact is not None and ifrane_market.contact.phone == "+212535000000"
    assert (ifrane_market.opens, ifrane_market.closes) == (time(10), time(20))
    assert ifrane_market.confirmation_days == 3
    location = ifrane_market.phases[1].location
    assert location is not None and (location.latitude, location.longitude) == (33.5331, -5.1069)
    assert mohammedia.short_name.get("ar") == "معرض المحمدية"


def test_short_name_defaults_to_a_short_enough_name() -> None:
    data = copy.deepcopy(BUNDLED)
    ifrane(data)["name"] = {"fr": "Souk d'Ifrane", "ar": "سوق إفران"}
    del ifrane(data)["short_name"]
    for key in ("contact", "opening_hours", "confirmation_days"):
        del ifrane(data)[key]
    market = parse_catalogue(data, FILE).markets[0]
    assert market.short_name == market.name
    assert (market.contact, market.opens, market.confirmation_days) == (None, None, 3)


def test_contact_username_loses_its_at_sign() -> None:
    data = copy.deepcopy(BUNDLED)
    ifrane(data)["contact"] = {"telegram": "@souk_ifrane"}
    contact = parse_catalogue(data, FILE).markets[0].contact
    assert contact is not None and contact.telegram == "souk_ifrane"


def test_other_time_zone_is_honoured() -> None:
    data = copy.deepcopy(BUNDLED)
    ifrane(data)["timezone"] = "Europe/Paris"
    market = parse_catalogue(data, FILE).markets[0]
    starts = market.phases[0].starts
    assert starts.replace(tzinfo=None) == datetime(2027, 5, 3, 10)  # wall time is the truth
    assert starts.utcoffset() == timedelta(hours=2)
    assert starts.astimezone(UTC) == datetime(2027, 5, 3, 8, tzinfo=UTC)


# ---- files -------------------------------------------------------------------------------------


def test_load_from_str_path(tmp_path: Path) -> None:
    path = tmp_path / "markets.toml"
    path.write_bytes(DEFAULT_CATALOGUE_PATH.read_bytes())
    assert load_catalogue(str(path)) == load_catalogue(path)


@pytest.mark.parametrize(
    ("content", "key", "reason"),
    [
        ("[[sectors]]\ncode = \n", "line 2", "invalid TOML syntax: "),
        ('[[markets]]\ncode = "a"\ncode = "b"\n', "line 3", "invalid TOML syntax"),
        ("starts = 2027-05-03 10:00\n", "line 1", "invalid TOML syntax"),
        ('name = { fr = "a",\n ar = "b" }\n', "line 1", "invalid TOML syntax"),
        ('[[markets]]\nname = "a', "line 2", "invalid TOML syntax"),
    ],
)
def test_invalid_toml_syntax(tmp_path: Path, content: str, key: str, reason: str) -> None:
    path = tmp_path / "markets.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert (info.value.file, info.value.key) == (str(path), key)
    assert info.value.reason.startswith(reason)
    assert str(info.value).startswith(f"{path}: {key}: invalid TOML syntax")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("a = " + "[" * 50_000 + "]" * 50_000 + "\n", "nested too deeply"),
        ("a = " + "{ b = " * 50_000 + "1" + " }" * 50_000 + "\n", "nested too deeply"),
        ("a = " + "9" * 5000 + "\n", "thousands of digits"),
    ],
)
def test_pathological_toml_is_a_catalogue_error(tmp_path: Path, content: str, reason: str) -> None:
    """tomllib raises RecursionError and ValueError on these, not TOMLDecodeError: they must
    still stop the start-up with one line, and /reload must quote them."""
    path = tmp_path / "markets.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert str(info.value) == f"{path}: (file): {info.value.reason}"
    assert reason in info.value.reason


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.key == "(file)"
    assert "cannot read the file" in str(info.value)


def test_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "markets.toml"
    path.write_bytes("# ok\n# caf\xe9\n".encode("latin-1"))
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert (info.value.key, info.value.reason) == (
        "line 2",
        "the file is not UTF-8 text (save it as UTF-8)",
    )


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "markets.toml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert (info.value.key, info.value.reason) == ("sectors", "missing required key")


def test_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(DEFAULT_CATALOGUE_PATH)]) == 0
    assert "OK" in capsys.readouterr().out
    bad = tmp_path / "markets.toml"
    bad.write_text("x = \n", encoding="utf-8")
    assert main([str(bad)]) == 1
    assert "invalid TOML syntax" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("key", "index", "field"),
    [
        ("sectors", 0, "name"),
        ("provinces", 3, "name"),
        ("programmes", 1, "name"),
        ("stand_needs", 2, "name"),
        ("reject_reasons", 4, "name"),
    ],
)
def test_names_on_buttons_fit_a_phone(key: str, index: int, field: str) -> None:
    """27 characters (plus a 3-character tick makes the 30 a phone shows) pass; 28 do not."""
    data = copy.deepcopy(BUNDLED)
    data[key][index][field] = {"fr": "W" * 27, "ar": "م" * 27}
    assert len(getattr(parse_catalogue(data, FILE), key)[index].name.get("ar")) == 27
    data[key][index][field] = {"fr": "W" * 27, "ar": "م" * 28}
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(data, FILE)
    assert error.value.key == f"{key}[{index}].{field}.ar"
    assert "at most 27 characters, it goes on buttons (got 28" in error.value.reason


def test_training_titles_fit_a_phone() -> None:
    data = copy.deepcopy(BUNDLED)
    ifrane(data)["trainings"][1]["title"]["fr"] = "Gestion financière et comptabilité simple"
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(data, FILE)
    assert error.value.key == "markets[0].trainings[1].title.fr"
