"""A scripted user's inline buttons: pressing one (by label or data), and the answer to it."""

from __future__ import annotations

from .models import JSONDict
from .records import (
    CallbackRecord,
    StoredMessage,
    copy_json,
)
from .user_core import HISTORY, UserCore


class Buttons(UserCore):
    def press(
        self,
        text: str | None = None,
        *,
        callback_data: str | None = None,
        message_id: int | None = None,
    ) -> str:
        """Press an inline button by exact text and/or callback data; returns the query id.

        Without `message_id` the newest bot message with such a button is used. With it, that
        message is used, also matching keyboards it showed before being edited (stale taps).
        """
        if text is None and callback_data is None:
            raise ValueError("press() needs the button text or callback_data")
        return self._fake.call(self._press, text, callback_data, message_id)

    def _press(self, text: str | None, callback_data: str | None, message_id: int | None) -> str:
        def matches(button: JSONDict) -> bool:
            return (text is None or button.get("text") == text) and (
                callback_data is None or button.get("callback_data") == callback_data
            )

        if message_id is not None:
            stored = self._chat.messages.get(message_id)
            if stored is None or not stored.from_bot:
                raise AssertionError(f"no bot message #{message_id} in chat {self.chat_id}")
            candidates = [stored]
        else:
            candidates = sorted(self._chat.bot_messages(), key=lambda m: m.message_id, reverse=True)
        for stored in candidates:
            markups = [stored.inline_markup] if stored.inline_markup else []
            if message_id is not None:
                markups += list(reversed(stored.past_inline_markups))
            for markup in markups:
                for row in markup.get("inline_keyboard", []):
                    for button in row:
                        if not matches(button):
                            continue
                        data = button.get("callback_data")
                        if data is None:
                            raise AssertionError(
                                f"button {button.get('text')!r} has no callback_data: {button}"
                            )
                        return self._send_callback(stored, str(data))
        wanted = text if text is not None else f"callback_data={callback_data!r}"
        shown = [snap.describe() for snap in self._current_messages()[-HISTORY:]]
        raise AssertionError(
            f"no inline button {wanted!r} in chat {self.chat_id}; bot messages:\n  "
            + "\n  ".join(shown or ["(none)"])
        )

    def press_data(self, data: str, *, message_id: int | None = None) -> str:
        """A callback query with arbitrary (e.g. forged) data on a bot message."""

        def forge() -> str:
            if message_id is not None:
                stored = self._chat.messages.get(message_id)
                if stored is None or not stored.from_bot:
                    raise AssertionError(f"no bot message #{message_id} in chat {self.chat_id}")
            else:
                messages = self._chat.bot_messages()
                if not messages:
                    raise AssertionError(f"no bot message in chat {self.chat_id} to press on")
                stored = max(messages, key=lambda m: m.message_id)
            return self._send_callback(stored, data)

        return self._fake.call(forge)

    def _send_callback(self, stored: StoredMessage, data: str) -> str:
        query_id = self._state.next_query_id()
        self._state.callback_queries[query_id] = CallbackRecord(
            id=query_id, chat_id=self.chat_id, message_id=stored.message_id, data=data
        )
        self._state.enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": self._profile.to_dict(),
                "message": copy_json(stored.message),
                "chat_instance": self._chat.chat_instance(),
                "data": data,
            },
        )
        return query_id

    def callback_answer(self, query_id: str, timeout: float = 5.0) -> JSONDict:
        """The answerCallbackQuery parameters (text, show_alert, url, cache_time); all empty
        when the bot answered after the query expired (`callback_query_ttl`)."""
        return self._fake.run_coroutine(self.acallback_answer(query_id, timeout))

    async def acallback_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - mirrors callback_answer(timeout=)
    ) -> JSONDict:
        return await self._fake.arun(self._callback_answer(query_id, timeout))

    async def _callback_answer(self, query_id: str, seconds: float) -> JSONDict:
        record = self._state.callback_queries.get(query_id)
        if record is None:
            raise AssertionError(f"unknown callback query {query_id!r}")
        answered = await self._chat.signal.wait_for(
            lambda: record.answer is not None or record.expired, seconds
        )
        if answered and record.expired:
            # The bot tried, too late for Telegram: the user's spinner just stops. Scripts that
            # wait for the answer to know the press was handled go on.
            return {"text": None, "show_alert": False, "url": None, "cache_time": None}
        if not answered or record.answer is None:
            raise AssertionError(
                f"the bot did not answer callback query {query_id} ({record.data!r}) "
                f"within {seconds}s"
            )
        return dict(record.answer)

    async def apress(
        self,
        text: str | None = None,
        *,
        callback_data: str | None = None,
        message_id: int | None = None,
    ) -> str:
        return await self._in_fake_loop(
            self.press, text, callback_data=callback_data, message_id=message_id
        )

    async def apress_data(self, data: str, *, message_id: int | None = None) -> str:
        return await self._in_fake_loop(self.press_data, data, message_id=message_id)
