"""The webhook server's limits, in process, over raw sockets: what an attacker can send."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from telegram import Bot, Update
from telegram.error import BadRequest
from tornado.netutil import bind_sockets

from bot.webhook import (
    SECRET_HEADER,
    LimitedHTTPServer,
    WebhookLimits,
    WebhookUpdater,
    webhook_server,
)

SECRET = "unit-webhook_SECRET-0123456789"
PATH = "/telegram/souk"
LIMITS = WebhookLimits(
    max_body_bytes=64 * 1024, body_seconds=0.5, idle_seconds=1.0, max_connections=4
)


@dataclass
class Served:
    server: LimitedHTTPServer
    port: int
    queue: asyncio.Queue[object]


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    queue: asyncio.Queue[object] = asyncio.Queue()
    bot = Bot("123456:TEST-TOKEN")
    server = webhook_server(bot, queue, PATH, SECRET, LIMITS)
    sockets = bind_sockets(0, "127.0.0.1")
    server.add_sockets(sockets)
    yield Served(server, int(sockets[0].getsockname()[1]), queue)
    server.stop()
    await server.close_all_connections()


def update_json(text: str = "/start", padding: int = 0) -> bytes:
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1_800_000_000,
            "chat": {"id": 42, "type": "private", "first_name": "Fatima"},
            "from": {"id": 42, "is_bot": False, "first_name": "Fatima"},
            "text": text,
        },
    }
    return json.dumps(update).encode() + b" " * padding


def head(length: int, secret: str | None = SECRET) -> bytes:
    lines = [f"POST {PATH} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    lines.append(f"Content-Length: {length}")
    if secret is not None:
        lines.append(f"{SECRET_HEADER}: {secret}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def connect(served: Served) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", served.port)


async def status(reader: asyncio.StreamReader, within: float = 2.0) -> int:
    line = await asyncio.wait_for(reader.readline(), within)
    assert line.startswith(b"HTTP/1.1 "), line
    return int(line.split()[1])


async def closed(reader: asyncio.StreamReader, within: float) -> bool:
    """True when the server closes the connection within `within` seconds."""
    try:
        while await asyncio.wait_for(reader.read(65536), within):
            pass
    except TimeoutError:
        return False
    except ConnectionError:
        return True
    return True


async def test_an_update_with_the_secret_is_queued(served: Served) -> None:
    reader, writer = await connect(served)
    body = update_json()
    writer.write(head(len(body)) + body)
    assert await status(reader) == 200
    update = await asyncio.wait_for(served.queue.get(), 1)
    assert isinstance(update, Update) and update.effective_user is not None
    assert update.effective_user.first_name == "Fatima"
    writer.close()


async def test_a_wrong_secret_is_refused_before_the_body_is_read(served: Served) -> None:
    for secret in ("wrong", None, SECRET[:-1]):
        reader, writer = await connect(served)
        # 50 MB announced, 10 bytes sent: the answer comes from the headers alone.
        writer.write(head(50_000_000, secret) + b'{"update_')
        assert await status(reader) == 403
        assert await closed(reader, within=1.0), "the body is not waited for"
        writer.close()
    assert served.queue.empty()


async def test_a_body_over_the_limit_is_refused_before_it_is_read(served: Served) -> None:
    reader, writer = await connect(served)
    writer.write(head(LIMITS.max_body_bytes + 1) + b'{"update_')
    assert await status(reader) == 413
    assert await closed(reader, within=1.0)
    writer.close()
    # At the limit it is taken: the limit is the body's size, not less.
    reader, writer = await connect(served)
    body = update_json()
    body += b" " * (LIMITS.max_body_bytes - len(body))
    writer.write(head(len(body)) + body)
    assert await status(reader) == 200
    writer.close()


async def test_a_chunked_body_over_the_limit_is_cut(served: Served) -> None:
    reader, writer = await connect(served)
    request = head(0).replace(b"Content-Length: 0", b"Transfer-Encoding: chunked")
    writer.write(request)
    chunk = b" " * 16384
    try:
        for _ in range(LIMITS.max_body_bytes // len(chunk) + 2):
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            await writer.drain()
    except ConnectionError:
        pass  # closed by the server while the client was still sending
    # tornado answers 400 to a body over max_body_size and closes the connection; the chunk
    # that went over stays unread, so the client may see a reset instead of the answer.
    try:
        answer = await asyncio.wait_for(reader.read(), 2.0)
    except ConnectionError:
        answer = b""
    assert answer in (b"", b"HTTP/1.1 400 Bad Request\r\n\r\n")
    assert served.queue.empty()


async def test_a_stalled_body_is_closed_after_the_timeout(served: Served) -> None:
    reader, writer = await connect(served)
    writer.write(head(1000) + b'{"update_id": 1')
    started = time.monotonic()
    assert await closed(reader, within=LIMITS.body_seconds + 2)
    assert time.monotonic() - started >= LIMITS.body_seconds - 0.1
    writer.close()


async def test_half_sent_headers_are_closed_after_the_idle_timeout(served: Served) -> None:
    reader, writer = await connect(served)
    writer.write(f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
    assert await closed(reader, within=LIMITS.idle_seconds + 2)
    writer.close()


async def test_connections_beyond_the_cap_are_closed_at_once(served: Served) -> None:
    held = [await connect(served) for _ in range(LIMITS.max_connections)]
    await asyncio.sleep(0.1)
    reader, writer = await connect(served)
    assert await closed(reader, within=0.5)
    writer.close()
    for _, open_writer in held:
        open_writer.close()
    await asyncio.sleep(0.1)
    # Once they are closed, a post gets through again.
    reader, writer = await connect(served)
    body = update_json()
    writer.write(head(len(body)) + body)
    assert await status(reader) == 200
    writer.close()


async def test_a_body_that_is_no_update_is_refused_without_logging_it(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    reader, writer = await connect(served)
    body = b'{"update_id": "Fatima +212612345678"'
    writer.write(head(len(body)) + body)
    assert await status(reader) == 400
    writer.close()
    assert "212612345678" not in caplog.text
    assert served.queue.empty()


class RecordingBot(Bot):
    """setWebhook recorded, or refused, without a network."""

    def __init__(self, refuse: bool = False) -> None:
        super().__init__("123456:TEST-TOKEN")
        self._refuse = refuse
        self._webhooks: list[dict[str, object]] = []

    async def set_webhook(self, url: str, **kwargs: Any) -> bool:  # type: ignore[override]
        if self._refuse:
            raise BadRequest("Bad webhook: an https url must be provided for webhook")
        self._webhooks.append({"url": url, **kwargs})
        return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_updater_serves_then_sets_the_webhook_and_stops() -> None:
    bot = RecordingBot()
    updater = WebhookUpdater(bot, asyncio.Queue(), LIMITS)
    port = free_port()
    await updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path=PATH.lstrip("/"),
        webhook_url=f"https://souk.example.ma{PATH}",
        secret_token=SECRET,
        allowed_updates=["message"],
    )
    assert updater.running
    (webhook,) = bot._webhooks
    assert webhook["url"] == f"https://souk.example.ma{PATH}"
    assert webhook["secret_token"] == SECRET and webhook["allowed_updates"] == ["message"]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = update_json()
    writer.write(head(len(body)).replace(PATH.encode(), f"{PATH}/".encode()) + body)
    assert await status(reader) == 200  # a trailing slash too, as PTB's server took
    assert isinstance(await asyncio.wait_for(updater.update_queue.get(), 1), Update)
    writer.close()
    await updater.stop()
    assert not updater.running
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)


async def test_a_refused_set_webhook_closes_the_server() -> None:
    updater = WebhookUpdater(RecordingBot(refuse=True), asyncio.Queue(), LIMITS)
    port = free_port()
    with pytest.raises(BadRequest):
        await updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            webhook_url=f"https://souk.example.ma{PATH}",
            secret_token=SECRET,
        )
    assert not updater.running
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)
