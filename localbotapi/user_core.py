"""What a scripted user's parts share: who they are, their chat, posting an update, the
messages the bot sent them, and running in the fake's loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .models import BotMessage, JSONDict
from .records import (
    Chat,
    UserProfile,
    copy_json,
    snapshot,
)
from .state import TelegramState

if TYPE_CHECKING:
    from .server import FakeTelegram

# Plausible magic bytes, so code sniffing file types is not fooled; not decodable media.
FAKE_JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)


FAKE_OGG = b"OggS\x00\x02" + b"\x00" * 20 + b"OpusHead\x01\x01" + b"\x00" * 64


FAKE_PDF = b"%PDF-1.4\n% fake document\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


FAKE_WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


HISTORY = 8  # events shown in assertion messages


T = TypeVar("T")


class UserCore:
    def __init__(
        self, fake: FakeTelegram, state: TelegramState, profile: UserProfile, chat: Chat
    ) -> None:
        self._fake = fake
        self._state = state
        self._profile = profile
        self._chat = chat

    def __repr__(self) -> str:
        return f"FakeUser(id={self.id}, chat_id={self.chat_id}, chat_type={self.chat_type!r})"

    @property
    def id(self) -> int:
        return self._profile.id

    @property
    def chat_id(self) -> int:
        return self._chat.id

    @property
    def chat_type(self) -> str:
        return self._chat.type

    @property
    def first_name(self) -> str:
        return self._profile.first_name

    @property
    def language_code(self) -> str | None:
        return self._profile.language_code

    def _post(self, content: JSONDict, reply_to: int | None = None) -> JSONDict:
        stored = self._state.add_user_message(self._profile, self._chat, content, reply_to=reply_to)
        return copy_json(stored.message)

    def _current_messages(self) -> list[BotMessage]:
        messages = sorted(self._chat.bot_messages(), key=lambda m: m.message_id)
        return [snapshot(stored) for stored in messages]

    async def _in_fake_loop(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a non-blocking sender in the fake's loop without blocking the caller's loop."""

        async def run() -> T:
            return fn(*args, **kwargs)

        return await self._fake.arun(run())
