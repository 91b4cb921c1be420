"""E2E fixtures: one fake Bot API and one real bot process per test module."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from localbotapi import FakeTelegram
from tests.e2e.bot_process import BotProcess

_user_ids = itertools.count(10_001)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token="123456:TEST-TOKEN") as server:
        yield server


@pytest.fixture(scope="module")
def bot(fake: FakeTelegram, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    process = BotProcess(fake, tmp_path_factory.mktemp("bot"))
    process.start()
    yield process
    code = process.stop()
    assert code == 0, f"bot exited with {code}:\n{process.log()}"
    assert "Traceback" not in process.log(), process.log()


@pytest.fixture
def new_user_id() -> int:
    """Each test talks to the shared bot as a fresh user."""
    return next(_user_ids)


def fresh_workdir(tmp_path: Path) -> Path:
    workdir = tmp_path / "bot"
    workdir.mkdir()
    return workdir
