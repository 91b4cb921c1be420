"""The webhook server: Telegram's posts, taken with limits python-telegram-bot's own lacks.

PTB's server (telegram/ext/_utils/webhookhandler.py) is a tornado `HTTPServer` built with
tornado's defaults: a body of up to 100 MB is read into memory before the secret is checked,
a body that stalls keeps its connection (and a file descriptor) for ever, and headers that
stall, for an hour (tornado.httpserver.HTTPServer: body_timeout, idle_connection_timeout).
An outside test took the bot to 1.7 GB with 16 posts of 95 MB, and out of file descriptors
with 1,100 half-sent requests. PTB builds that server inside `Updater` and exposes none of its
settings, so `WebhookUpdater` replaces `Updater.start_webhook`, which `Application.run_webhook`
calls: same start-up (setWebhook with the secret), same lifecycle, this server. An update is a
few kilobytes; Telegram opens at most `max_connections` (40) connections at once
(https://core.telegram.org/bots/api#setwebhook).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Any

from telegram import Bot, Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import ExtBot, Updater
from tornado.httpserver import HTTPServer
from tornado.iostream import IOStream
from tornado.web import Application, HTTPError, RequestHandler, stream_request_body

from bot.ratelimit import retry_after_seconds

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class WebhookLimits:
    max_body_bytes: int = 1024 * 1024  # an update is a few kB; Telegram's largest are far below
    body_seconds: float = 10.0  # to receive a whole body once its headers have arrived
    idle_seconds: float = 15.0  # for a request's headers, and between requests on a connection
    max_connections: int = 100  # open at once; Telegram uses at most 40
    set_webhook_retry_seconds: float = 1.0


@stream_request_body
class UpdateHandler(RequestHandler):
    """One post = one update. `prepare` runs once the headers are in, before any byte of the
    body is read (tornado's `stream_request_body`): a post without the secret, or announcing
    a body over the limit, is answered and its connection closed without reading the body."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot: Bot, queue: asyncio.Queue[object], secret: str, limit: int) -> None:
        self.bot, self.queue, self.secret, self.limit = bot, queue, secret, limit
        self.chunks: list[bytes] = []
        self.size = 0

    async def prepare(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            await self.refuse(HTTPStatus.FORBIDDEN)
            return
        declared = self.request.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.limit:
            await self.refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    async def refuse(self, status: HTTPStatus) -> None:
        """Answer, then close the connection: the body that may follow is never read."""
        log.debug("webhook post refused: %d %s", status.value, status.phrase)
        self.set_status(status.value)
        await self.finish()
        self.request.connection.close()  # type: ignore[union-attr]

    def data_received(self, chunk: bytes) -> None:
        # A chunked body has no Content-Length: the server's max_body_size stops it (400).
        self.size += len(chunk)
        self.chunks.append(chunk)

    async def post(self) -> None:
        try:
            data = json.loads(b"".join(self.chunks))
            update = Update.de_json(data, self.bot)
        except Exception as error:
            # Never the data: it holds applicants' names, phones and texts.
            log.warning(
                "webhook post not an update (%s), %d bytes", type(error).__name__, self.size
            )
            raise HTTPError(HTTPStatus.BAD_REQUEST) from None
        self.chunks = []
        if isinstance(self.bot, ExtBot):
            self.bot.insert_callback_data(update)
        await self.queue.put(update)

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(value, HTTPError):
            return  # an answer to a bad post, already logged at DEBUG or WARNING
        log.error("webhook handler failed", exc_info=(typ, value, tb) if typ and value else None)


class WebhookApp(Application):
    def log_request(self, handler: RequestHandler) -> None:
        """One line per update would be noise (tornado logs each request at INFO)."""


class LimitedHTTPServer(HTTPServer):
    """Refuses connections beyond `max_connections` open at once: file descriptors are shared
    with the database and the Bot API client, which must never lack one."""

    def initialize(self, *args: Any, max_connections: int = 100, **kwargs: Any) -> None:
        super().initialize(*args, **kwargs)
        self.max_connections = max_connections
        self.streams: set[IOStream] = set()

    def handle_stream(self, stream: IOStream, address: tuple[Any, ...]) -> None:
        self.streams = {open_ for open_ in self.streams if not open_.closed()}
        if len(self.streams) >= self.max_connections:
            log.warning("webhook: %d connections already open, one refused", len(self.streams))
            stream.close()
            return
        self.streams.add(stream)
        super().handle_stream(stream, address)


def webhook_server(
    bot: Bot, queue: asyncio.Queue[object], path: str, secret: str, limits: WebhookLimits
) -> LimitedHTTPServer:
    handler_args = {"bot": bot, "queue": queue, "secret": secret, "limit": limits.max_body_bytes}
    # tornado reads a route as a regular expression; PTB's took an optional trailing slash.
    app = WebhookApp([(re.escape(path.rstrip("/")) + "/?", UpdateHandler, handler_args)])
    return LimitedHTTPServer(
        app,
        max_connections=limits.max_connections,
        max_body_size=limits.max_body_bytes,  # a chunked body, a path other than the webhook's
        body_timeout=limits.body_seconds,
        idle_connection_timeout=limits.idle_seconds,
    )


class WebhookUpdater(Updater):
    """`Application.run_webhook` with this server. Only what the bot uses is supported: no
    certificate (a reverse proxy holds it), no unix socket, a secret always."""

    def __init__(
        self, bot: Bot, update_queue: asyncio.Queue[object], limits: WebhookLimits
    ) -> None:
        super().__init__(bot, update_queue)
        self.limits = limits
        self.server: LimitedHTTPServer | None = None

    @property
    def running(self) -> bool:
        return self.server is not None or super().running

    async def start_webhook(
        self,
        listen: object = "127.0.0.1",
        port: object = 8443,
        url_path: str = "",
        cert: object = None,
        key: object = None,
        bootstrap_retries: int = 0,
        webhook_url: str | None = None,
        allowed_updates: Sequence[str] | None = None,
        drop_pending_updates: bool | None = None,
        ip_address: str | None = None,
        max_connections: int = 40,
        secret_token: str | None = None,
        unix: object = None,
    ) -> asyncio.Queue[object]:
        if cert is not None or key is not None or unix is not None:
            raise RuntimeError("WebhookUpdater: no certificate or unix socket (use a proxy)")
        if not (isinstance(listen, str) and isinstance(port, int) and webhook_url and secret_token):
            raise RuntimeError("WebhookUpdater: listen, port, webhook_url and secret_token")
        if self.running:
            raise RuntimeError("This Updater is already running!")
        path = "/" + url_path.lstrip("/")
        server = webhook_server(self.bot, self.update_queue, path, secret_token, self.limits)
        # Listening first: Telegram's first post, right after setWebhook, finds the server.
        server.listen(port, address=listen)
        self.server = server
        try:
            await self._set_webhook(
                webhook_url,
                secret_token,
                allowed_updates,
                drop_pending_updates,
                ip_address,
                max_connections,
                bootstrap_retries,
            )
        except BaseException:
            await self.stop()
            raise
        return self.update_queue

    async def _set_webhook(
        self,
        url: str,
        secret: str,
        allowed_updates: Sequence[str] | None,
        drop_pending_updates: bool | None,
        ip_address: str | None,
        max_connections: int,
        retries: int,
    ) -> None:
        """Like PTB's bootstrap: `retries` more tries after a failure (-1: for ever)."""
        failures = 0
        while True:
            try:
                await self.bot.set_webhook(
                    url=url,
                    allowed_updates=allowed_updates,
                    ip_address=ip_address,
                    drop_pending_updates=drop_pending_updates,
                    max_connections=max_connections,
                    secret_token=secret,
                )
                return
            except InvalidToken:
                raise
            except RetryAfter as error:
                await asyncio.sleep(retry_after_seconds(error))
            except TelegramError:
                if 0 <= retries <= failures:
                    raise
                failures += 1
                await asyncio.sleep(self.limits.set_webhook_retry_seconds)

    async def stop(self) -> None:
        server, self.server = self.server, None
        if server is None:
            await super().stop()
            return
        server.stop()
        await server.close_all_connections()
        log.debug("webhook server stopped")
