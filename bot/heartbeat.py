"""The bot's sign of life for `python -m bot check`: a row rewritten every minute that says
when updates last came in and when the outbox dispatcher last turned.

Updates: in polling mode, the time of the last getUpdates that Telegram answered (PTB's
polling loop goes on "running" while every call fails); in webhook mode Telegram posts only
when there is something to say, so the row says that the bot's own server is up.
"""

from __future__ import annotations

import os
from datetime import datetime
from http import HTTPStatus

from telegram._utils.types import ODVInput  # PTB's own annotation of do_request
from telegram.request import HTTPXRequest, RequestData

from bot.clock import Clock
from bot.context import BotContext
from storage.heartbeat import Heartbeat, HeartbeatRepository

LIVENESS_KEY = "liveness"  # bot_data key
INTERVAL_SECONDS = 60


class Liveness:
    """In memory, the time of each sign of life; the heartbeat job writes them down."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.started_at = clock()
        self.updates_at: datetime | None = None
        self.outbox_at: datetime | None = None

    def updates_came(self) -> None:
        self.updates_at = self._clock()

    def outbox_turned(self) -> None:
        self.outbox_at = self._clock()


class PollingRequest(HTTPXRequest):
    """The request object PTB uses for getUpdates only (ApplicationBuilder's default for it:
    one connection), noting each answer Telegram gives."""

    def __init__(self, liveness: Liveness) -> None:
        super().__init__(connection_pool_size=1)
        self._liveness = liveness

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        code, payload = await super().do_request(
            url,
            method,
            request_data,
            read_timeout,
            write_timeout,
            connect_timeout,
            pool_timeout,
        )
        if code == HTTPStatus.OK:
            self._liveness.updates_came()
        return code, payload


async def write_heartbeat(context: BotContext) -> None:
    """Every minute: the row `python -m bot check` reads."""
    services = context.services
    if services.operations.storage_loss is not None:
        return  # the row would go into a lost file; the check then finds the heartbeat stale
    liveness = context.bot_data[LIVENESS_KEY]
    assert isinstance(liveness, Liveness)
    now = services.clock()
    updater = context.application.updater
    if services.settings.mode == "webhook" and updater is not None and updater.running:
        liveness.updates_came()
    beat = Heartbeat(
        liveness.started_at,
        now,
        liveness.updates_at,
        liveness.outbox_at,
        services.settings.mode,
        os.getpid(),
    )
    await HeartbeatRepository(services.db).write(beat)
