"""The fake's fault injections, seen through python-telegram-bot's own client: which
`telegram.error` each one raises is what the bot's outbox decides on."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from telegram import Bot as PTBBot
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.request import HTTPXRequest

from localbotapi import FakeTelegram, FakeUser

TOKEN = "123456:TEST-TOKEN"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        yield server
    assert not server.internal_errors, server.internal_errors


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[PTBBot]:
    request = HTTPXRequest(read_timeout=0.5)
    async with PTBBot(TOKEN, base_url=f"{fake.base_url}/bot", request=request) as client:
        yield client


@pytest.fixture
def fatima(fake: FakeTelegram) -> FakeUser:
    return fake.user(1001, first_name="Fatima")


async def test_no_fault_by_default(fake: FakeTelegram, bot: PTBBot, fatima: FakeUser) -> None:
    await bot.send_message(fatima.id, "salam")
    assert fatima.expect_message(timeout=1).text == "salam"
    assert fake.network.played == []


async def test_late_answer_is_delivered_and_times_out(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    fake.answer_late(1.0, "sendMessage", chat_id=fatima.id)
    with pytest.raises(TimedOut) as raised:
        await bot.send_message(fatima.id, "accepted")
    assert isinstance(raised.value.__cause__, httpx.ReadTimeout)
    assert fatima.expect_message(timeout=1).text == "accepted"  # it arrived all the same
    await bot.send_message(fatima.id, "next")  # used up: the next one is answered at once


async def test_dropped_answer_is_delivered_and_a_network_error(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    fake.drop_answer("sendMessage")
    with pytest.raises(NetworkError) as raised:
        await bot.send_message(fatima.id, "accepted")
    assert not isinstance(raised.value, TimedOut)
    assert isinstance(raised.value.__cause__, httpx.RemoteProtocolError)
    assert fatima.expect_message(timeout=1).text == "accepted"


async def test_server_error_for_one_chat_for_a_while(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    other = fake.user(1002)
    fake.fail_chat(fatima.id, 0.5)
    with pytest.raises(NetworkError, match="Internal Server Error") as raised:
        await bot.send_message(fatima.id, "lost")
    assert raised.value.__cause__ is None  # Telegram answered: nothing was sent
    await bot.send_message(other.id, "fine")  # other chats are not concerned
    fatima.expect_no_message(0.2)
    await asyncio.sleep(0.5)
    await bot.send_message(fatima.id, "again")
    assert fatima.expect_message(timeout=1).text == "again"


async def test_latency_delays_the_call(fake: FakeTelegram, bot: PTBBot, fatima: FakeUser) -> None:
    fake.add_latency(0.3, "sendMessage", count=1)
    started = time.monotonic()
    await bot.send_message(fatima.id, "slow")
    assert time.monotonic() - started >= 0.3


async def test_connect_error_is_a_network_error_caused_by_connecting() -> None:
    """A failure before the request left: nothing listens on the port."""
    with socketless_port() as port, pytest.raises(NetworkError) as raised:
        await PTBBot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot").send_message(1, "x")
    assert isinstance(raised.value.__cause__, httpx.ConnectError)


async def test_callback_query_expires(fake: FakeTelegram, bot: PTBBot, fatima: FakeUser) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data="y")]])
    await bot.send_message(fatima.id, "?", reply_markup=keyboard)
    fake.expire_callback_queries_after(0.2)
    old = fatima.press("Oui")
    await asyncio.sleep(0.3)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(old)
    # A script waiting for the answer learns the press was handled, without a text.
    assert (await fatima.acallback_answer(old, timeout=1))["text"] is None
    fresh = fatima.press("Oui")
    assert await bot.answer_callback_query(fresh)


def test_callback_queries_expire_after_15_seconds_by_default(fake: FakeTelegram) -> None:
    assert fake.call(lambda: fake._state.callback_query_ttl) == 15.0


async def test_held_polling_redelivers_the_unconfirmed_batch(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    fatima.send_text("one")
    (first,) = await bot.get_updates(timeout=0)
    fake.hold_polling()
    held = asyncio.create_task(bot.get_updates(offset=first.update_id + 1, timeout=0))
    await asyncio.sleep(0.2)
    assert not held.done()
    fake.release_polling()
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await held
    (again,) = await bot.get_updates(timeout=0)  # the confirmation never arrived
    assert again.update_id == first.update_id
    assert await bot.get_updates(offset=first.update_id + 1, timeout=0) == ()


class socketless_port:
    """A port on 127.0.0.1 with nothing listening (bound, not listening, while in use)."""

    def __enter__(self) -> int:
        import socket

        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        return int(self._socket.getsockname()[1])

    def __exit__(self, *_: object) -> None:
        self._socket.close()
