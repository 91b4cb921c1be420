"""The heartbeat the health check reads (issue 19, item 3): written every minute from the signs
of life of polling (an answered getUpdates), of the webhook server, and of the outbox loop."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from telegram.error import RetryAfter
from telegram.request import HTTPXRequest

from bot.check import check
from bot.config import load_settings
from bot.context import Services
from bot.heartbeat import LIVENESS_KEY, Liveness, PollingRequest, write_heartbeat
from bot.services import outbox as outbox_module
from bot.services.monitoring import StorageLoss
from bot.services.outbox import Dispatcher
from storage.outbox import NewDelivery
from tests.bot.services.test_outbox import ScriptedBot, render
from tests.conftest import FakeClock


async def test_an_answered_get_updates_is_a_sign_of_life(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([(200, b'{"ok":true,"result":[]}'), (409, b"Conflict"), (502, b"Bad Gateway")])

    async def answer(*_: Any, **__: Any) -> tuple[int, bytes]:
        return next(answers)

    monkeypatch.setattr(HTTPXRequest, "do_request", answer)
    liveness = Liveness(clock)
    request = PollingRequest(liveness)
    assert liveness.updates_at is None
    await request.do_request("https://api.telegram.org/bot1:a/getUpdates", "POST")
    assert liveness.updates_at == clock()
    answered = clock()
    for _ in range(2):  # another poller has the token; Telegram down: no sign of life
        clock.advance(seconds=30)
        await request.do_request("https://api.telegram.org/bot1:a/getUpdates", "POST")
    assert liveness.updates_at == answered


async def test_the_outbox_loop_beats_even_through_a_long_429_pause(
    services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox_module, "BEAT_SECONDS", 0.05)
    bot = ScriptedBot()
    bot.errors.append(RetryAfter(timedelta(hours=1)))
    await services.outbox.enqueue(
        [NewDelivery(1, "notification", "t", {"n": 0}, clock(), "k")], clock()
    )
    beats: list[float] = []
    loop = asyncio.get_running_loop()
    dispatcher = Dispatcher(
        services.outbox,
        bot,  # type: ignore[arg-type]
        render,
        clock,
        beat=lambda: beats.append(loop.time()),
    )
    task = asyncio.create_task(dispatcher.run())
    await asyncio.sleep(1.5)  # the first idle turn takes 0.5 s, then the 429 pause
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert bot.sent == []  # paused for the hour
    assert len(beats) >= 10, beats


def job_context(services: Services, liveness: Liveness, running: bool) -> Any:
    return SimpleNamespace(
        services=services,
        bot_data={LIVENESS_KEY: liveness},
        application=SimpleNamespace(updater=SimpleNamespace(running=running)),
    )


async def test_webhook_mode_the_job_writes_what_the_check_reads(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    environ = {
        "BOT_TOKEN": "1:abc",
        "DATABASE_PATH": str(services.db.path),
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": "http://127.0.0.1:8443/hook",
        "WEBHOOK_SECRET": "s" * 32,
    }
    services.settings = load_settings(environ)
    liveness = Liveness(clock)
    liveness.outbox_turned()
    await write_heartbeat(job_context(services, liveness, running=True))
    await services.db.checkpoint()
    code, line = check(environ, clock(), dotenv=tmp_path / "no.env")
    assert (code, line.split(",")[0]) == (0, "healthy: webhook"), line

    # The server stopped serving (the loop still runs the jobs): unhealthy once it is stale.
    clock.advance(minutes=4)
    liveness.outbox_turned()
    await write_heartbeat(job_context(services, liveness, running=False))
    code, line = check(environ, clock(), dotenv=tmp_path / "no.env")
    assert code == 1 and "webhook server has not been serving for 4 min" in line, line


async def test_nothing_is_written_into_a_lost_database_file(
    services: Services, clock: FakeClock
) -> None:
    services.operations.storage_loss = StorageLoss("deleted", clock())
    await write_heartbeat(job_context(services, Liveness(clock), running=True))
    rows = await services.db.fetchall("SELECT * FROM heartbeat")
    assert rows == []
