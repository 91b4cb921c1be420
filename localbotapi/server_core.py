"""What the fake server's parts share: its state and settings, built once, and the bridge
between the test's threads and the fake's own event loop."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections import Counter, deque
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from aiohttp import web

from .api import BotApi
from .errors import ApiError
from .faults import Faults
from .holds import Holds
from .limits import RateLimiter
from .models import FakeStats, RateLimits
from .state import TelegramState
from .user import FakeUser
from .webhook import WebhookDelivery

T = TypeVar("T")


LOGGER = logging.getLogger(__name__)


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


SYNC_CALL_TIMEOUT = 30.0


CommandsKey = tuple[str, int | str | None, str | None]


class ServerCore:
    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        enforce_limits: bool = False,
        limits: RateLimits | None = None,
        bot_username: str = "souk_test_bot",
        bot_first_name: str = "Souk Test Bot",
        host: str = "127.0.0.1",
        record_calls: bool = True,
        callback_query_ttl: float | None = 15.0,
    ) -> None:
        if host not in LOOPBACK_HOSTS:
            raise ValueError(f"the fake only binds a loopback address, not {host!r}")
        if ":" not in token or not token.split(":", 1)[0].isdigit():
            raise ValueError(f"token must look like '123456:ABC', got {token!r}")
        self.token = token
        self.host = host
        self.enforce_limits = enforce_limits
        self.record_calls = record_calls
        self.internal_errors: list[str] = []  # tracebacks of bugs in the fake itself
        self._state = TelegramState(token, bot_username, bot_first_name)
        # Telegram refuses to answer a button press after roughly 10-15 s ("query is too old").
        self._state.callback_query_ttl = callback_query_ttl
        self.network = Faults()  # latency, late or dropped answers, 5xx (see faults.py)
        self._api = BotApi(self._state)
        self._limiter = RateLimiter(limits or RateLimits())
        self._stats = FakeStats()
        self._faults: dict[str, deque[ApiError]] = {}
        self._arrivals: Counter[str] = Counter()  # calls received, answered or not yet
        self._holds = Holds()
        self._users: dict[tuple[int, int], FakeUser] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread_id: int | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._webhook = WebhookDelivery(
            self._state, record=record_calls, internal_errors=self.internal_errors
        )
        self._port: int | None = None
        self._stopped = False
        self._lifecycle = threading.Lock()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started; call start()")
        return self._port

    @property
    def base_url(self) -> str:
        """The API root: the bot calls `{base_url}/bot{token}/{method}`."""
        host = f"[{self.host}]" if self.host == "::1" else self.host
        return f"http://{host}:{self.port}"

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The fake's event loop (for benchmarks scheduling their own coroutines in it)."""
        if self._loop is None:
            raise RuntimeError("FakeTelegram is not started; call start()")
        return self._loop

    def in_loop(self) -> bool:
        """True when called from the fake's own event-loop thread."""
        return self._loop_thread_id is not None and self._loop_thread_id == threading.get_ident()

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run the plain function `fn(*args)` in the fake's loop and return its result."""
        loop = self._loop
        if loop is None or self.in_loop():
            return fn(*args)  # not started / already stopped / already in the loop
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn(*args))
            except BaseException as exc:
                future.set_exception(exc)

        loop.call_soon_threadsafe(run)
        return future.result(SYNC_CALL_TIMEOUT)

    def run_coroutine(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run `coro` in the fake's loop from another thread and wait for its result."""
        if self.in_loop():
            coro.close()
            raise RuntimeError(
                "a blocking FakeTelegram call inside the fake's own loop would deadlock; "
                "await the async variant (e.g. user.aexpect_message) instead"
            )
        loop = self._loop
        if loop is None:
            coro.close()
            raise RuntimeError("FakeTelegram is not started; call start()")
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout)

    async def arun(self, coro: Coroutine[Any, Any, T]) -> T:
        """Await `coro` in the fake's loop from any event loop (or directly when already in it)."""
        if self.in_loop():
            return await coro
        loop = self._loop
        if loop is None:
            coro.close()
            raise RuntimeError("FakeTelegram is not started; call start()")
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, loop))
