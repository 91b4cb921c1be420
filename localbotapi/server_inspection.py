"""What a test reads from the fake: the calls it received, its figures, the menus, the
webhook, and waiting until something holds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from .menus import resolve_menu
from .models import FakeStats, JSONDict, RecordedCall, WebhookAttempt
from .records import copy_json
from .server_core import CommandsKey, ServerCore


class Inspection(ServerCore):
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
        (`localbotapi/menus.py`), unlike `commands`, which lists them all."""
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

    def transcript(self, chat_id: int) -> list[JSONDict]:
        """Every message of a chat as the app shows it now, oldest first: the Telegram Message
        dict (edits applied), who sent it, and the reply keyboard shown. For the sandbox's page."""

        def read() -> list[JSONDict]:
            chat = self._state.chat(chat_id)
            if chat is None:
                return []
            return [
                {
                    "message": copy_json(stored.message),
                    "from_bot": stored.from_bot,
                    "edited": stored.edited,
                    "reply_markup": copy_json(stored.reply_markup) if stored.reply_markup else None,
                }
                for stored in sorted(chat.messages.values(), key=lambda m: m.message_id)
                if not stored.deleted
            ]

        return self.call(read)

    def reply_keyboard(self, chat_id: int) -> JSONDict | None:
        """The reply keyboard a chat shows now (None when hidden)."""

        def read() -> JSONDict | None:
            chat = self._state.chat(chat_id)
            return copy_json(chat.reply_keyboard) if chat and chat.reply_keyboard else None

        return self.call(read)

    def file_content(self, file_id: str) -> tuple[bytes, str | None, str | None] | None:
        """A stored file's bytes, name and MIME type; None if unknown or only a URL."""

        def read() -> tuple[bytes, str | None, str | None] | None:
            file = self._state.files.get(file_id)
            if file is None or file.content is None:
                return None
            return file.content, file.file_name, file.mime_type

        return self.call(read)

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
