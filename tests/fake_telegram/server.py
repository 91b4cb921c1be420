"""FakeTelegram: the aiohttp Bot API server in its own thread + the thread-safe control API."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import socket
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Coroutine, Iterable
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import web

from .api import BotApi
from .errors import BLOCKED, METHOD_NOT_FOUND, UNAUTHORIZED, ApiError, too_many_requests
from .faults import Fault, Faults, Rule, window
from .holds import Hold, Holds
from .limits import RateLimiter
from .menus import resolve_menu
from .models import FakeStats, JSONDict, RateLimits, RecordedCall, UploadedFile, WebhookAttempt
from .params import REACHES_USER_METHODS, SENDING_METHODS, Handler, Params, normalize_params
from .state import Chat, TelegramState, UserProfile, copy_json
from .user import FakeUser
from .webhook import WebhookDelivery

T = TypeVar("T")

_LOGGER = logging.getLogger(__name__)
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
_SYNC_CALL_TIMEOUT = 30.0
CommandsKey = tuple[str, int | str | None, str | None]


class FakeTelegram:
    """An offline Telegram Bot API server for one bot token, plus scripted users.

    State lives in a private event loop running in a background thread. The synchronous
    methods are safe to call from any other thread (they hop into that loop); inside the
    loop, use the `a...` coroutine variants (see the package docstring).
    """

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
        if host not in _LOOPBACK_HOSTS:
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

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeTelegram:
        """Bind 127.0.0.1 on a free port and serve from a background thread (no-op if running)."""
        with self._lifecycle:
            if self._thread is not None:
                return self
            if self._stopped:
                raise RuntimeError("a stopped FakeTelegram cannot be restarted; create a new one")
            loop = asyncio.new_event_loop()
            ready = threading.Event()
            failures: list[BaseException] = []
            thread = threading.Thread(
                target=self._thread_main,
                args=(loop, ready, failures),
                name="fake-telegram",
                daemon=True,
            )
            self._loop = loop
            thread.start()
            if not ready.wait(10) or failures:
                thread.join(5)
                self._loop = None
                raise RuntimeError("the fake Telegram server did not start") from (
                    failures[0] if failures else None
                )
            self._thread = thread
        return self

    def stop(self) -> None:
        """Stop serving and join the thread. Recorded state stays readable afterwards."""
        with self._lifecycle:
            thread, loop = self._thread, self._loop
            if thread is None or loop is None:
                return
            try:
                asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
            finally:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(10)
                self._thread = None
                self._loop = None
                self._loop_thread_id = None
                self._stopped = True

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _thread_main(
        self,
        loop: asyncio.AbstractEventLoop,
        ready: threading.Event,
        failures: list[BaseException],
    ) -> None:
        asyncio.set_event_loop(loop)
        self._loop_thread_id = threading.get_ident()
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:
            failures.append(exc)
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            leftovers = asyncio.all_tasks(loop)
            for task in leftovers:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _serve(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        family = socket.AF_INET6 if self.host == "::1" else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1" if self.host == "localhost" else self.host, 0))
        site = web.SockSite(runner, sock)
        await site.start()
        self._runner = runner
        self._port = int(sock.getsockname()[1])
        self._webhook.start()

    async def _shutdown(self) -> None:
        self._state.closing = True
        self._state.updates_signal.fire()
        for chat in self._state.chats.values():
            chat.signal.fire()
        await self._webhook.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

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

    # -- bridging threads --------------------------------------------------------------------

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
        return future.result(_SYNC_CALL_TIMEOUT)

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

    # -- users -------------------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
        chat_title: str | None = None,
    ) -> FakeUser:
        """A user talking to the bot: in a private chat (chat id == user id) or in `chat_id`."""
        return self.call(
            self._user,
            user_id,
            first_name,
            last_name,
            username,
            language_code,
            chat_id,
            chat_type,
            chat_title,
        )

    def _user(
        self,
        user_id: int,
        first_name: str | None,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
        chat_id: int | None,
        chat_type: str,
        chat_title: str | None,
    ) -> FakeUser:
        state = self._state
        profile = state.users.get(user_id)
        if profile is None:
            profile = UserProfile(
                id=user_id,
                first_name=first_name or f"User{user_id}",
                last_name=last_name,
                username=username,
                language_code=language_code,
            )
            state.users[user_id] = profile
        else:
            if first_name is not None:
                profile.first_name = first_name
            if last_name is not None:
                profile.last_name = last_name
            if username is not None:
                profile.username = username
            if language_code is not None:
                profile.language_code = language_code
        if chat_id is None or chat_id == user_id:
            chat_id, chat_type = user_id, "private"
        elif chat_type == "private":
            raise ValueError("a private chat's id is the user's id; pass chat_type='group'")
        chat = state.chats.get(chat_id)
        if chat is None:
            if chat_type == "private":
                chat = Chat(
                    chat_id,
                    "private",
                    first_name=profile.first_name,
                    last_name=profile.last_name,
                    username=profile.username,
                )
            else:
                chat = Chat(chat_id, chat_type, title=chat_title)
            state.chats[chat_id] = chat
        key = (user_id, chat_id)
        user = self._users.get(key)
        if user is None:
            user = FakeUser(self, state, profile, chat)
            self._users[key] = user
        return user

    # -- fault injection ---------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        count: int = 1,
        parameters: JSONDict | None = None,
    ) -> None:
        """The next `count` calls of `method` answer `{"ok": false, error_code, description}`."""
        error = ApiError(error_code, description, parameters)

        def add() -> None:
            queue = self._faults.setdefault(method.lower(), deque())
            queue.extend([error] * count)

        self.call(add)

    def inject_retry_after(
        self, method: str = "sendMessage", retry_after: int = 2, count: int = 1
    ) -> None:
        """The next `count` calls of `method` get 429 Too Many Requests with `retry_after`."""
        error = too_many_requests(retry_after)
        self.fail_next(method, 429, error.description, count, error.parameters)

    def add_latency(
        self,
        seconds: float,
        method: str | None = None,
        *,
        chat_id: int | None = None,
        count: int | None = None,
        for_seconds: float | None = None,
    ) -> None:
        """Calls of `method` (None: every sending method) wait `seconds` before being handled."""
        self._add_rule(Fault.LATENCY, method, chat_id, seconds, count, for_seconds)

    def answer_late(
        self,
        seconds: float,
        method: str | None = "sendMessage",
        *,
        chat_id: int | None = None,
        count: int | None = 1,
        for_seconds: float | None = None,
    ) -> None:
        """Delivered, then answered late: the call is handled (the user sees the message) and
        its HTTP answer comes `seconds` later, past the client's read timeout."""
        self._add_rule(Fault.LATE_ANSWER, method, chat_id, seconds, count, for_seconds)

    def drop_answer(
        self,
        method: str | None = "sendMessage",
        *,
        chat_id: int | None = None,
        count: int | None = 1,
        for_seconds: float | None = None,
    ) -> None:
        """Delivered, then the connection closes without an answer."""
        self._add_rule(Fault.DROPPED_ANSWER, method, chat_id, 0.0, count, for_seconds)

    def fail_chat(
        self,
        chat_id: int | None,
        for_seconds: float | None,
        *,
        error_code: int = 500,
        description: str = "Internal Server Error",
        method: str | None = None,
        count: int | None = None,
    ) -> None:
        """Sends to `chat_id` (None: every chat) answer `error_code` for a while; nothing is
        sent. Telegram's 5xx look like this; its front proxies answer 502 Bad Gateway."""
        error = ApiError(error_code, description)
        self._add_rule(Fault.SERVER_ERROR, method, chat_id, 0.0, count, for_seconds, error)

    def clear_faults(self) -> None:
        self.call(self.network.clear)

    def _add_rule(
        self,
        fault: Fault,
        method: str | None,
        chat_id: int | None,
        seconds: float,
        count: int | None,
        for_seconds: float | None,
        error: ApiError | None = None,
    ) -> None:
        if count is None and for_seconds is None:
            raise ValueError("give a count or for_seconds")
        rule = Rule(
            fault,
            method.lower() if method else None,
            chat_id,
            seconds,
            count,
            window(for_seconds),
            error,
        )
        self.call(self.network.add, rule)

    def expire_callback_queries_after(self, seconds: float | None) -> None:
        """answerCallbackQuery fails with Telegram's "query is too old" for a button pressed
        more than `seconds` before (None: never)."""

        def set_ttl() -> None:
            self._state.callback_query_ttl = seconds

        self.call(set_ttl)

    def hold_polling(self) -> None:
        """getUpdates calls that would confirm updates (an offset past the oldest pending one)
        wait here without reaching "Telegram": those updates stay unconfirmed, and a crash now
        means they come again. Calls that confirm nothing go through."""
        self.call(self._api.polling_gate.clear)

    def release_polling(self) -> None:
        """The held getUpdates calls fail (502) without confirming anything; later ones go
        through as usual. A bot still alive asks again with the same offset."""
        self.call(self._api.polling_gate.set)

    def block(self, user_id: int, *, notify: bool = True) -> None:
        """The user blocks the bot: sends to their private chat get 403 from now on.

        With `notify`, the bot also gets the `my_chat_member` update Telegram sends (kicked).
        """
        self.call(self._set_blocked, user_id, True, notify)

    def unblock(self, user_id: int, *, notify: bool = True) -> None:
        self.call(self._set_blocked, user_id, False, notify)

    def _set_blocked(self, user_id: int, blocked: bool, notify: bool) -> None:
        state = self._state
        if blocked == (user_id in state.blocked):
            return
        if blocked:
            state.blocked.add(user_id)
        else:
            state.blocked.discard(user_id)
        chat, profile = state.chats.get(user_id), state.users.get(user_id)
        if notify and chat is not None and profile is not None:
            bot = dict(state.bot_user)
            kicked: JSONDict = {"user": bot, "status": "kicked", "until_date": 0}
            member: JSONDict = {"user": bot, "status": "member"}
            state.enqueue(
                "my_chat_member",
                {
                    "chat": chat.to_dict(),
                    "from": profile.to_dict(),
                    "date": int(time.time()),
                    "old_chat_member": member if blocked else kicked,
                    "new_chat_member": kicked if blocked else member,
                },
            )

    def hold_answers(
        self,
        chat_ids: Iterable[int] | None = None,
        method: str = "sendMessage",
        *,
        count: int = 1,
        at_most: float = 30.0,
    ) -> Hold:
        """The next `count` calls of `method` to one of `chat_ids` (None: any chat) are handled
        (the user gets the message) and their answers held until `release_answers()`, or
        `at_most` seconds. `hold.held` lists their chats: once it is not empty, a request of
        the bot is on its way (see holds.py)."""
        chats = None if chat_ids is None else list(chat_ids)
        return self.call(self._holds.add, method, chats, count, at_most)

    def held(self, hold: Hold) -> list[int]:
        """The chats whose answers `hold` has held so far."""
        return self.call(lambda: list(hold.held))

    def release_answers(self) -> None:
        """Every held answer leaves now; no more are held."""
        self.call(self._holds.release)

    def send_update(self, update: JSONDict) -> JSONDict:
        """Queue a hand-made update (its update_id is assigned); returns it."""
        return self.call(self._state.enqueue_raw, update)

    # -- inspection --------------------------------------------------------------------------

    def calls(self, method: str | None = None, chat_id: int | None = None) -> list[RecordedCall]:
        """Snapshot of the recorded Bot API calls, optionally one method / one chat."""

        def select() -> list[RecordedCall]:
            wanted = method.lower() if method else None
            return [
                call
                for call in self._state.calls
                if (wanted is None or call.method.lower() == wanted)
                and (chat_id is None or call.params.get("chat_id") == chat_id)
            ]

        return self.call(select)

    def arrivals(self, method: str) -> int:
        """How many calls of `method` reached the fake, including a long poll still waiting
        (`calls` records a call only once it is answered)."""
        return self.call(lambda: self._arrivals[method.lower()])

    @property
    def requests(self) -> list[RecordedCall]:
        return self.calls()

    @property
    def stats(self) -> FakeStats:
        return self.call(self._stats.snapshot)

    @property
    def commands(self) -> dict[CommandsKey, list[JSONDict]]:
        """`{(scope_type, chat_id or None, language_code or None): [{command, description}]}`."""
        return self.call(lambda: copy_json(self._state.commands))

    def command_menu(self, user_id: int, language_code: str | None) -> list[JSONDict]:
        """The command menu user `user_id`, whose app is in `language_code`, sees in their
        private chat with the bot: Telegram's resolution order over every menu set
        (`tests/fake_telegram/menus.py`), unlike `commands`, which lists them all."""
        return self.call(lambda: resolve_menu(self._state.commands, user_id, language_code))

    @property
    def menu_buttons(self) -> dict[int | str | None, JSONDict]:
        return self.call(lambda: copy_json(self._state.menu_buttons))

    @property
    def bot_texts(self) -> dict[tuple[str, str | None], str]:
        """setMyName / setMyDescription / setMyShortDescription: `{(field, language): text}`."""
        return self.call(lambda: dict(self._state.bot_texts))

    @property
    def webhook(self) -> JSONDict | None:
        """setWebhook's parameters (url, secret_token, max_connections...) while one is set."""
        return self.call(lambda: copy_json(self._state.webhook))

    @property
    def webhook_attempts(self) -> list[WebhookAttempt]:
        """Every POST of an update to the webhook, delivered or failed, oldest first."""
        return self.call(lambda: list(self._state.webhook_attempts))

    @property
    def bot_user(self) -> JSONDict:
        return dict(self._state.bot_user)

    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed by the bot (getUpdates offset)."""
        return self.call(lambda: copy_json(list(self._state.updates)))

    def wait_until(
        self,
        predicate: Callable[[], object],
        timeout: float = 5.0,
        interval: float = 0.02,
        message: str = "condition",
    ) -> None:
        """Poll `predicate` (in the calling thread) until truthy; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() >= deadline:
                raise AssertionError(f"{message} not met within {timeout}s")
            time.sleep(interval)

    async def await_until(
        self,
        predicate: Callable[[], object],
        timeout: float = 5.0,  # noqa: ASYNC109 - mirrors wait_until(timeout=)
        interval: float = 0.02,
        message: str = "condition",
    ) -> None:
        """Async `wait_until` for code running in an event loop."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() >= deadline:
                raise AssertionError(f"{message} not met within {timeout}s")
            await asyncio.sleep(interval)

    # -- HTTP --------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json_response(ApiError(401, UNAUTHORIZED).body(), 401)
        method = request.match_info["method"]
        self._arrivals[method.lower()] += 1
        params: JSONDict = {}
        files: dict[str, UploadedFile] = {}
        late: Rule | None = None
        try:
            raw, files = await _read_request(request)
            params = normalize_params(raw)
            entry = self._api.resolve(method)
            if entry is None:
                raise ApiError(404, METHOD_NOT_FOUND)
            method = entry[0]
            chat_id = params.get("chat_id")
            early = self.network.take(method.lower(), chat_id, before=True)
            if early is not None and early.error is not None:
                raise early.error
            if early is not None:
                await asyncio.sleep(early.seconds)
            late = self.network.take(method.lower(), chat_id, before=False)
            result = await self._dispatch(method, entry[1], Params(params, files))
            status, body = 200, {"ok": True, "result": result}
        except ApiError as exc:
            status, body = exc.error_code, exc.body()
        except Exception as exc:
            self.internal_errors.append(traceback.format_exc())
            _LOGGER.exception("fake Telegram crashed on %s", method)
            status = 500
            body = {
                "ok": False,
                "error_code": 500,
                "description": f"Internal Server Error: {exc!r}",
            }
        self._record(method, params, files, status, body)
        if late is not None and late.fault is Fault.DROPPED_ANSWER and request.transport:
            request.transport.abort()  # handled, and the answer never leaves
        elif late is not None:
            await asyncio.sleep(late.seconds)
        return _json_response(body, status)

    async def _dispatch(self, method: str, handler: Handler, p: Params) -> Any:
        lower = method.lower()
        faults = self._faults.get(lower)
        if faults:
            raise faults.popleft()
        chat_id = p.chat_id()
        if lower in REACHES_USER_METHODS and chat_id in self._state.blocked:
            raise ApiError(403, BLOCKED)
        if lower not in SENDING_METHODS:
            return await handler(p)
        chat = self._state.chat(chat_id)
        key = chat.id if chat is not None else None
        is_group = chat.is_group if chat is not None else False
        if self.enforce_limits:
            retry_after = self._limiter.check(key, is_group, time.monotonic())
            if retry_after is not None:
                self._stats.too_many_requests += 1
                if key is not None:
                    self._stats.too_many_requests_per_chat[key] += 1
                raise too_many_requests(retry_after)
        result = await handler(p)
        in_last_second = self._limiter.record(key, is_group, time.monotonic())
        stats = self._stats
        stats.sends_total += 1
        if key is not None:
            stats.sent_per_chat[key] += 1
        stats.peak_sends_per_second = max(stats.peak_sends_per_second, in_last_second)
        await self._holds.wait(lower, chat_id)
        return result

    def _record(
        self,
        method: str,
        params: JSONDict,
        files: dict[str, UploadedFile],
        status: int,
        body: JSONDict,
    ) -> None:
        self._stats.calls_per_method[method] += 1
        if status != 200:
            self._stats.errors_per_code[status] += 1
        if self.record_calls:
            self._state.calls.append(
                RecordedCall(
                    method=method,
                    params=copy_json(params),
                    files=dict(files),
                    timestamp=time.monotonic(),
                    status=status,
                    response=copy_json(body),
                )
            )

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json_response(ApiError(401, UNAUTHORIZED).body(), 401)
        path = request.match_info["file_path"]
        file = self._state.files_by_path.get(path)
        status = 200 if file is not None and file.content is not None else 404
        self._record("downloadFile", {"file_path": path}, {}, status, {"ok": status == 200})
        if file is None or file.content is None:
            return _json_response({"ok": False, "error_code": 404, "description": "Not Found"}, 404)
        return web.Response(
            body=file.content, content_type=file.mime_type or "application/octet-stream"
        )


async def _read_request(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Parameters from the query string and a JSON, urlencoded or multipart body."""
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if not request.body_exists:
        return raw, files
    content_type = request.content_type
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as exc:
            raise ApiError(400, "Bad Request: can't parse JSON request body") from exc
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: request body must be a JSON object")
        raw.update(body)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = UploadedFile(
                    field_name=key,
                    filename=value.filename,
                    content_type=value.content_type,
                    content=value.file.read(),
                )
            else:
                raw[key] = value
    return raw, files


def _json_response(body: JSONDict, status: int) -> web.Response:
    return web.Response(
        text=json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json",
    )
