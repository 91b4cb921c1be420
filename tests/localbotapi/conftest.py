"""What the fake's own tests share: a fake server, a python-telegram-bot client of it, a user."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot as PTBBot

from localbotapi import FakeTelegram, FakeUser

TOKEN = "123456:TEST-TOKEN"


def ptb_client(fake: FakeTelegram, token: str = TOKEN) -> PTBBot:
    return PTBBot(
        token,
        base_url=f"{fake.base_url}/bot",
        base_file_url=f"{fake.base_url}/file/bot",
    )


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        yield server
    assert not server.internal_errors, server.internal_errors


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[PTBBot]:
    async with ptb_client(fake) as client:
        yield client


@pytest.fixture
def fatima(fake: FakeTelegram) -> FakeUser:
    return fake.user(1001, first_name="Fatima", language_code="ar")
