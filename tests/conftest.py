"""Shared fixtures: a database on disk, the bundled catalogue, a clock tests can move."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from bot.catalogue import DEFAULT_CATALOGUE_PATH, Catalogue, load_catalogue
from bot.config import load_settings
from bot.context import Services
from bot.i18n import I18n
from bot.services.catalogue import sync_catalogue
from bot.wiring import build_services
from storage.catalogue import CatalogueRepository
from storage.db import Database

# HYPOTHESIS_PROFILE=thorough: more examples for a longer local run (the property-based tests
# of tests/fuzz multiply their own counts by ten, see tests/fuzz/texts.py). Under CI, Hypothesis's
# own "ci" profile: derandomized, so a run on a clean clone is the same run every time (a
# random search there once found a rare case while shrinking past the test timeout, and the
# submission failed for a bug no earlier run had met); the search for new cases is local.
hypothesis_settings.register_profile("thorough", max_examples=1_000)
_default_profile = "ci" if os.environ.get("CI") else "default"
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default_profile))


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(DEFAULT_CATALOGUE_PATH)


@pytest.fixture
async def db(tmp_path: Path, catalogue: Catalogue) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3")
    await sync_catalogue(catalogue, CatalogueRepository(database))
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def services(db: Database, catalogue: Catalogue, clock: FakeClock) -> Services:
    """Everything handlers use, on the test database, without Telegram: the bot's own wiring,
    without quiet hours (a test that wants them sets them)."""
    settings = load_settings({"BOT_TOKEN": "1:abc", "QUIET_HOURS": "off"})
    return build_services(settings, catalogue, db, I18n(), clock)
