"""FakeTelegram: the aiohttp Bot API server in its own thread + the thread-safe control API.

Its parts: `server_core.py` (state, threads), `server_controls.py` (faults and holds),
`server_inspection.py` (what it received), `server_http.py` (the HTTP side)."""

from __future__ import annotations

import asyncio
import socket
import threading
from types import TracebackType

from aiohttp import web

from .records import Chat, UserProfile
from .server_controls import Controls
from .server_http import HttpServer
from .server_inspection import Inspection
from .user import FakeUser


class FakeTelegram(Controls, Inspection, HttpServer):
    """An offline Telegram Bot API server for one bot token, plus scripted users.

    State lives in a private event loop running in a background thread. The synchronous
    methods are safe to call from any other thread (they hop into that loop); inside the
    loop, use the `a...` coroutine variants (see the package docstring).
    """

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
