"""The fake's webhooks: set, info, conflicts, delivery in order with the secret, retries."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest
from aiohttp import web
from telegram import Bot as PTBBot
from telegram import (
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from localbotapi import FakeTelegram, FakeUser
from localbotapi.models import JSONDict
from tests.localbotapi.conftest import TOKEN

SECRET = "fake-webhook-SECRET_123"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Receiver:
    """A stand-in for the bot's webhook server: records posts, answers `statuses` in turn."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.posts: list[tuple[dict[str, str], JSONDict]] = []
        self.statuses = list(statuses or [])
        self.runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.Response:
        self.posts.append((dict(request.headers), await request.json()))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    async def start(self, port: int) -> None:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", port).start()

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


async def test_webhook_set_info_conflict_and_delete(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    url = f"http://127.0.0.1:{_free_port()}/hook"
    waiting = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    assert await bot.set_webhook(url, secret_token=SECRET, max_connections=10)
    with pytest.raises(Conflict, match="webhook is active"):
        await waiting  # a poll waiting when the webhook was set ends with 409, as on Telegram
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert fake.webhook is not None and fake.webhook["secret_token"] == SECRET
    fatima.send_text("salam")
    await fake.await_until(lambda: fake.webhook_attempts, message="a delivery attempt")
    info = await bot.get_webhook_info()
    assert info.url == url
    assert info.pending_update_count == 1
    assert info.max_connections == 10
    assert info.last_error_message == "Connection refused"
    assert info.last_error_date is not None

    with pytest.raises(BadRequest, match=r"only posts to 127\.0\.0\.1"):
        await bot.set_webhook("https://example.com/hook")
    with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
        await bot.set_webhook("ftp://127.0.0.1/hook")
    with pytest.raises(BadRequest, match=r"(?i)secret token contains unallowed characters"):
        await bot.set_webhook(url, secret_token="not allowed!")
    assert fake.webhook is not None and fake.webhook["url"] == url  # unchanged by the refusals

    assert await bot.delete_webhook()
    assert fake.webhook is None
    assert (await bot.get_webhook_info()).url == ""
    updates = await bot.get_updates()  # polling works again; the update waited
    assert [u.message.text for u in updates if u.message] == ["salam"]
    # setWebhook with an empty URL removes the webhook too; drop_pending_updates empties the queue.
    await bot.set_webhook(url)
    fatima.send_text("one more")
    await bot.set_webhook("", drop_pending_updates=True)
    assert fake.webhook is None and fake.pending_updates() == []


async def test_webhook_posts_updates_in_order_with_secret_and_retries(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    port = _free_port()
    receiver = Receiver(statuses=[500])  # the first post fails, like a bot still starting
    await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token=SECRET)
    first = fatima.send_text("first")
    second = fatima.send_command("/start")
    # Nobody listens yet: the update stays queued and is retried.
    await fake.await_until(
        lambda: len(fake.webhook_attempts) >= 2, message="retries while not listening"
    )
    assert {a.error for a in fake.webhook_attempts} == {"Connection refused"}
    assert len(fake.pending_updates()) == 2
    try:
        await receiver.start(port)
        await fake.await_until(lambda: not fake.pending_updates(), message="all delivered")
    finally:
        await receiver.stop()
    bodies = [body for _, body in receiver.posts]
    assert [b["message"]["text"] for b in bodies] == ["first", "first", "/start"]
    assert [b["message"]["message_id"] for b in bodies[1:]] == [
        first["message_id"],
        second["message_id"],
    ]
    for headers, _ in receiver.posts:
        assert headers["X-Telegram-Bot-Api-Secret-Token"] == SECRET
        assert headers["Content-Type"] == "application/json"
    attempts = fake.webhook_attempts
    assert [a.status for a in attempts if a.status is not None] == [500, 200, 200]
    assert attempts[-1].delivered and not attempts[-3].delivered
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def test_ptb_application_webhook_round_trip(fake: FakeTelegram, fatima: FakeUser) -> None:
    """PTB's own webhook server takes the fake's posts and refuses a wrong secret with 403."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"Marhba {context.args}")

    port = _free_port()
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{fake.base_url}/bot")
        .base_file_url(f"{fake.base_url}/file/bot")
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    fatima.send_command("/start", "before")  # queued before the webhook is set
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token=SECRET,
        )
        assert (await fatima.aexpect_message(timeout=5)).text == "Marhba ['before']"
        fatima.send_command("/start", "ifrane")
        assert (await fatima.aexpect_message(timeout=5)).text == "Marhba ['ifrane']"
        forged = {
            "update_id": 1,
            "message": {
                "message_id": 99,
                "date": 0,
                "chat": {"id": fatima.chat_id, "type": "private"},
                "from": {"id": fatima.id, "is_bot": False, "first_name": "Forger"},
                "text": "/start forged",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        async with httpx.AsyncClient() as client:
            hook = f"http://127.0.0.1:{port}/hook"
            wrong = await client.post(
                hook, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            )
            missing = await client.post(hook, json=forged)
        assert (wrong.status_code, missing.status_code) == (403, 403)
        await fatima.aexpect_no_message(within=0.5)
        await app.updater.stop()
        await app.stop()
    assert not fake.calls("getUpdates")
    assert fake.webhook is not None, "PTB leaves the webhook set when it stops"
