"""Webhook delivery: while a webhook is set, queued updates are POSTed to it, like Telegram does.

Telegram's behaviour (https://core.telegram.org/bots/api#setwebhook, #getwebhookinfo):
- each update is one HTTPS POST of the JSON-serialized Update, with the header
  `X-Telegram-Bot-Api-Secret-Token: <secret_token>` when setWebhook was given one;
- a response other than 2XX (or no response) is a failure: the update stays queued, is retried
  later, and getWebhookInfo reports `last_error_date` / `last_error_message`;
- while a webhook is set, getUpdates answers 409 Conflict.

The fake posts one update at a time, oldest first (Telegram may use up to `max_connections`
parallel connections; order is what the bot's ConversationHandlers rely on anyway), retries
after 0.05 s doubling up to 1 s (Telegram waits much longer), and retries at once when
setWebhook is called again (a restarted bot). It only ever posts to a loopback address.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import time
import traceback
from urllib.parse import urlsplit

import aiohttp

from .errors import ApiError, bad_request
from .models import JSONDict, WebhookAttempt
from .state import TelegramState

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def check_webhook_url(url: str) -> None:
    """Telegram's checks on a setWebhook URL, plus the fake's own: loopback only."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise bad_request("bad webhook: Failed to parse webhook URL") from exc
    if parts.scheme not in ("http", "https") or not host:
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if host not in LOOPBACK_HOSTS:
        # The tests never reach the internet: a real URL here is a mistake in the test.
        raise bad_request(
            f"bad webhook: the fake Bot API only posts to 127.0.0.1, ::1 or localhost, not {host}"
        )
    if port is not None and not 0 < port < 65536:
        raise bad_request("bad webhook: Webhook can be set up only on valid ports")


def check_secret_token(secret: str | None) -> None:
    if secret is not None and not _SECRET_TOKEN.match(secret):
        raise ApiError(400, "Bad Request: secret token contains unallowed characters")


class WebhookDelivery:
    """The task, in the fake's loop, that posts queued updates to the webhook."""

    def __init__(
        self,
        state: TelegramState,
        *,
        first_retry: float = 0.05,
        max_retry: float = 1.0,
        timeout: float = 10.0,
        record: bool = True,
        internal_errors: list[str] | None = None,
    ) -> None:
        self._state = state
        self._internal_errors = internal_errors if internal_errors is not None else []
        self._first_retry = first_retry
        self._max_retry = max_retry
        self._timeout = timeout
        self._record = record
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="fake-webhook")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    def _has_work(self) -> bool:
        state = self._state
        return state.closing or (state.webhook is not None and bool(state.updates))

    def _reset(self, webhook: JSONDict) -> bool:
        return self._state.closing or self._state.webhook is not webhook

    async def _run(self) -> None:
        state = self._state
        delay = self._first_retry
        timeout = aiohttp.ClientTimeout(total=self._timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while not state.closing:
                if not await state.updates_signal.wait_for(self._has_work, 60.0):
                    continue
                webhook = state.webhook
                if state.closing or webhook is None or not state.updates:
                    continue
                update = state.updates[0]
                try:
                    error = await self._post(session, webhook, update)
                except Exception:  # a bug of the fake: report it, keep delivering
                    self._internal_errors.append(traceback.format_exc())
                    error = "Internal error of the fake"
                if error is None:
                    state.confirm(int(update["update_id"]) + 1)
                    delay = self._first_retry
                    continue
                state.webhook_last_error = (int(time.time()), error)
                # Wait before retrying, but retry at once when the webhook is set again.
                await state.updates_signal.wait_for(functools.partial(self._reset, webhook), delay)
                delay = min(delay * 2, self._max_retry)

    async def _post(
        self, session: aiohttp.ClientSession, webhook: JSONDict, update: JSONDict
    ) -> str | None:
        """POST one update; None when the bot took it, else Telegram's wording of the failure."""
        # PTB's webhook server refuses any Content-Type but exactly "application/json" (403).
        headers = {"Content-Type": "application/json"}
        secret = webhook.get("secret_token")
        if secret:
            headers[SECRET_HEADER] = str(secret)
        body = json.dumps(update, ensure_ascii=False).encode()
        status: int | None = None
        error: str | None = None
        try:
            async with session.post(str(webhook["url"]), data=body, headers=headers) as response:
                await response.read()
                status = response.status
                if not 200 <= status < 300:
                    error = f"Wrong response from the webhook: {status} {response.reason}"
        except aiohttp.ClientConnectorError:
            error = "Connection refused"
        except TimeoutError:
            error = "Read timeout expired"
        except aiohttp.ClientError as exc:
            error = f"Connection error: {type(exc).__name__}"
        if self._record:
            self._state.webhook_attempts.append(
                WebhookAttempt(
                    update_id=int(update["update_id"]),
                    url=str(webhook["url"]),
                    status=status,
                    error=error,
                    timestamp=time.monotonic(),
                )
            )
        return error
