"""What a scripted user reads: the next message, none within a while, everything so far."""

from __future__ import annotations

from .models import BotMessage
from .user_core import HISTORY, UserCore


class Reading(UserCore):
    def expect_message(self, timeout: float = 10.0, contains: str | None = None) -> BotMessage:
        """The next unconsumed bot event in this chat (a new message or an edit).

        With `contains`, that event's text must contain it (it is not skipped otherwise).
        """
        return self._fake.run_coroutine(self.aexpect_message(timeout, contains))

    async def aexpect_message(
        self,
        timeout: float = 10.0,  # noqa: ASYNC109 - mirrors expect_message(timeout=)
        contains: str | None = None,
    ) -> BotMessage:
        return await self._fake.arun(self._expect_message(timeout, contains))

    async def _expect_message(self, seconds: float, contains: str | None) -> BotMessage:
        chat = self._chat
        arrived = await chat.signal.wait_for(lambda: len(chat.events) > chat.cursor, seconds)
        if not arrived:
            raise AssertionError(
                f"no new bot message in chat {self.chat_id} within {seconds}s"
                + (f" (expected one containing {contains!r})" if contains else "")
                + "\n"
                + self._history()
            )
        event = chat.events[chat.cursor]
        chat.cursor += 1
        if contains is not None and contains not in (event.text or ""):
            raise AssertionError(
                f"next bot message in chat {self.chat_id} does not contain {contains!r}:\n  "
                f"{event.describe()}\n{self._history()}"
            )
        return event

    def expect_no_message(self, within: float = 1.0) -> None:
        """Assert the bot sends or edits nothing in this chat during `within` seconds."""
        self._fake.run_coroutine(self.aexpect_no_message(within))

    async def aexpect_no_message(self, within: float = 1.0) -> None:
        await self._fake.arun(self._expect_no_message(within))

    async def _expect_no_message(self, within: float) -> None:
        chat = self._chat
        arrived = await chat.signal.wait_for(lambda: len(chat.events) > chat.cursor, within)
        if arrived:
            unexpected = chat.events[chat.cursor :]
            raise AssertionError(
                f"expected no bot message in chat {self.chat_id}, got:\n  "
                + "\n  ".join(event.describe() for event in unexpected)
            )

    def drain(self) -> list[BotMessage]:
        """Mark every pending event consumed; returns them."""

        def consume() -> list[BotMessage]:
            pending = self._chat.events[self._chat.cursor :]
            self._chat.cursor = len(self._chat.events)
            return pending

        return self._fake.call(consume)

    async def adrain(self) -> list[BotMessage]:
        return self.drain()

    @property
    def messages(self) -> list[BotMessage]:
        """The bot's messages in this chat as they are now (edits applied, deletions gone)."""
        return self._fake.call(self._current_messages)

    @property
    def last_message(self) -> BotMessage | None:
        messages = self.messages
        return messages[-1] if messages else None

    @property
    def events(self) -> list[BotMessage]:
        """Every bot event (message or edit) in this chat so far, consumed or not."""
        return self._fake.call(lambda: list(self._chat.events))

    @property
    def chat_actions(self) -> list[str]:
        """sendChatAction actions the bot sent to this chat, in order."""
        return self._fake.call(lambda: list(self._chat.chat_actions))

    def _history(self) -> str:
        chat = self._chat
        lines = [f"recent bot events in chat {chat.id} (newest last):"]
        recent = chat.events[-HISTORY:]
        lines += [f"  {event.describe()}" for event in recent] or ["  (none)"]
        failures = [
            call
            for call in self._state.calls
            if not call.ok and call.params.get("chat_id") == chat.id
        ][-HISTORY:]
        if failures:
            lines.append("failed API calls for this chat:")
            lines += [
                f"  {call.method} -> {call.status} {call.response.get('description')}"
                for call in failures
            ]
        return "\n".join(lines)
