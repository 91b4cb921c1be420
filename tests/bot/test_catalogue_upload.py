"""The catalogue from the chat (issue 15, item 6) and the `auto_offer` key (item 4): an edited
file is checked as at start-up, naming the file as sent; a good one replaces MARKETS_FILE and
the previous file stays beside it under a dated name."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.catalogue import DEFAULT_CATALOGUE_PATH, CatalogueError
from bot.services import catalogue_file

SOURCE = DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8")
FIRST_MARKET = '[[markets]]\ncode = "ifrane"'


def with_auto_offer(value: str) -> bytes:
    return SOURCE.replace(FIRST_MARKET, f"{FIRST_MARKET}\nauto_offer = {value}", 1).encode()


def test_auto_offer_defaults_to_offering_and_can_be_turned_off() -> None:
    default = catalogue_file.check(SOURCE.encode(), "markets.toml")
    assert all(market.auto_offer for market in default.markets)
    off = catalogue_file.check(with_auto_offer("false"), "markets.toml")
    assert [market.auto_offer for market in off.markets] == [False, True]


def test_a_wrong_auto_offer_names_the_key() -> None:
    with pytest.raises(CatalogueError) as caught:
        catalogue_file.check(with_auto_offer('"non"'), "mes-marches.toml")
    assert str(caught.value).startswith(
        "mes-marches.toml: markets[0].auto_offer: must be true or false"
    )


def test_a_broken_file_names_the_file_as_sent_the_key_and_the_reason() -> None:
    broken = SOURCE.replace("  capacity = 70", "  capacity = 0", 1).encode()
    with pytest.raises(CatalogueError) as caught:
        catalogue_file.check(broken, "markets.toml")
    assert str(caught.value) == (
        "markets.toml: markets[0].phases[0].capacity: must be greater than 0 (got 0)"
    )


def test_install_keeps_the_previous_file_under_a_dated_name(tmp_path: Path) -> None:
    path = tmp_path / "markets.toml"
    path.write_text("old", encoding="utf-8")
    moment = datetime(2026, 12, 5, 15, 4, 5)
    copy = catalogue_file.install(path, b"new", moment)
    assert copy == tmp_path / "markets-2026-12-05-150405.toml"
    assert copy.read_text(encoding="utf-8") == "old" and path.read_bytes() == b"new"
    again = catalogue_file.install(path, b"newer", moment)  # the same second: another name
    assert again is not None and again != copy and again.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "markets-2026-12-05-150405-2.toml",
        "markets-2026-12-05-150405.toml",
        "markets.toml",
    ]


def test_only_toml_documents_are_taken_for_a_catalogue() -> None:
    assert catalogue_file.is_catalogue_name("Markets.TOML")
    assert not catalogue_file.is_catalogue_name("photo.jpg")
    assert not catalogue_file.is_catalogue_name(None)
