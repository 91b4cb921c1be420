"""What a test makes the fake do: faults, late or dropped answers, held polling and answers,
blocked users, updates of its own."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable

from .errors import ApiError, too_many_requests
from .faults import Fault, Rule, window
from .holds import Hold
from .models import JSONDict
from .server_core import ServerCore


class Controls(ServerCore):
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
