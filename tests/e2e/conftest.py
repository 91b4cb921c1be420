"""E2E fixtures: one fake Bot API per test module, and real bots started with the settings a
module states (`start_bot`), or inside one test (`running_bot`).

A module whose bot needs nothing special uses `bot` as is. Otherwise it overrides `bot` with
only what differs (the keywords: `running_bot` in bot_process.py), for example::

    @pytest.fixture(scope="module")
    def bot(start_bot: StartBot) -> BotProcess:
        return start_bot(name="console", admins=[ADMIN], quiet_hours="off", markets=path)

Every bot started either way must stop with exit code 0 and no traceback in its log.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from localbotapi import FakeTelegram
from tests.e2e.bot_process import BotProcess, StartBot, running_bot

_user_ids = itertools.count(10_001)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token="123456:TEST-TOKEN") as server:
        yield server


@pytest.fixture(scope="module")
def start_bot(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StartBot]:
    with ExitStack() as bots:

        def start(
            *, name: str = "bot", fake: FakeTelegram | None = None, **settings: Any
        ) -> BotProcess:
            # The module's fake only when no other is given: a module with a fake of its own
            # (test_broadcast's rate-limited one) does not start an idle second server.
            telegram = request.getfixturevalue("fake") if fake is None else fake
            return bots.enter_context(
                running_bot(telegram, tmp_path_factory.mktemp(name), **settings)
            )

        yield start


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    """A bot with default settings, shared by the module's tests."""
    return start_bot()


@pytest.fixture
def new_user_id() -> int:
    """Each test talks to the shared bot as a fresh user."""
    return next(_user_ids)
