"""What the fake stores: chats, messages, files, callback queries, user profiles, and how a
stored message reads to a test (`snapshot`)."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from .models import (
    BotMessage,
    InlineButton,
    JSONDict,
    ReplyButton,
    SentFile,
)

_J = TypeVar("_J")


# (file_id prefix, folder in file_path, default extension, default MIME type) per file kind.
FILE_KINDS: dict[str, tuple[str, str, str, str]] = {
    "photo": ("AgACAgQAAxkBAAI", "photos", "jpg", "image/jpeg"),
    "voice": ("AwACAgQAAxkBAAI", "voice", "oga", "audio/ogg"),
    "document": ("BQACAgQAAxkBAAI", "documents", "bin", "application/octet-stream"),
    "sticker": ("CAACAgQAAxkBAAI", "stickers", "webp", "image/webp"),
    "audio": ("CQACAgQAAxkBAAI", "music", "mp3", "audio/mpeg"),
    "video": ("BAACAgQAAxkBAAI", "videos", "mp4", "video/mp4"),
    "animation": ("CgACAgQAAxkBAAI", "animations", "mp4", "video/mp4"),
    "video_note": ("DQACAgQAAxkBAAI", "video_notes", "mp4", "video/mp4"),
}


class Signal:
    """Wakes every coroutine waiting on it; waiters re-check their own condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait_for(self, predicate: Callable[[], bool], seconds: float) -> bool:
        """Wait until `predicate()` holds (True) or `seconds` pass (False)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            event = self._event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True


@dataclass
class UserProfile:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_premium: bool = False

    def to_dict(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        if self.is_premium:
            data["is_premium"] = True
        return data


@dataclass
class StoredFile:
    kind: str
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes | None
    file_name: str | None
    mime_type: str | None
    url: str | None = None

    @property
    def file_size(self) -> int | None:
        return None if self.content is None else len(self.content)

    def to_file_dict(self) -> JSONDict:
        """The `File` object getFile returns."""
        data: JSONDict = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_path": self.file_path,
        }
        if self.file_size is not None:
            data["file_size"] = self.file_size
        return data

    def media_dict(self) -> JSONDict:
        """file_id, file_unique_id, file_size, file_name, mime_type (those known)."""
        data: JSONDict = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_size is not None:
            data["file_size"] = self.file_size
        if self.file_name is not None:
            data["file_name"] = self.file_name
        if self.mime_type is not None:
            data["mime_type"] = self.mime_type
        return data

    def sent_file(self) -> SentFile:
        return SentFile(
            kind=self.kind,
            file_id=self.file_id,
            file_unique_id=self.file_unique_id,
            file_name=self.file_name,
            mime_type=self.mime_type,
            file_size=self.file_size,
            content=self.content,
            url=self.url,
        )


@dataclass
class StoredMessage:
    message: JSONDict  # the current Telegram Message dict
    from_bot: bool
    method: str
    raw_text: str | None = None
    parse_mode: str | None = None
    reply_markup: JSONDict | None = None  # the markup as sent, of any kind
    attachment: StoredFile | None = None
    deleted: bool = False
    edited: bool = False
    past_inline_markups: list[JSONDict] = field(default_factory=list)

    @property
    def message_id(self) -> int:
        return int(self.message["message_id"])

    @property
    def inline_markup(self) -> JSONDict | None:
        markup = self.message.get("reply_markup")
        return markup if isinstance(markup, dict) else None


@dataclass
class CallbackRecord:
    id: str
    chat_id: int
    message_id: int | None
    data: str | None
    answer: JSONDict | None = None
    pressed_at: float = field(default_factory=time.monotonic)
    expired: bool = False  # the bot answered too late: Telegram refused ("query is too old")


class Chat:
    def __init__(
        self,
        chat_id: int,
        chat_type: str,
        *,
        title: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
    ) -> None:
        self.id = chat_id
        self.type = chat_type
        self.title = title
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.messages: dict[int, StoredMessage] = {}
        self.events: list[BotMessage] = []
        self.cursor = 0  # events before this index were consumed by expect_*/drain
        self.signal = Signal()
        self.reply_keyboard: JSONDict | None = None  # the reply keyboard currently shown
        self.chat_actions: list[str] = []
        self._next_message_id = itertools.count(1)

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup", "channel")

    def next_message_id(self) -> int:
        return next(self._next_message_id)

    def to_dict(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "type": self.type}
        if self.is_group:
            data["title"] = self.title or f"Group {self.id}"
        else:
            data["first_name"] = self.first_name or ""
            if self.last_name:
                data["last_name"] = self.last_name
            if self.username:
                data["username"] = self.username
        return data

    def chat_instance(self) -> str:
        return str((self.id * 2654435761 + 0x5BD1E995) % (1 << 63))

    def bot_messages(self) -> list[StoredMessage]:
        return [m for m in self.messages.values() if m.from_bot and not m.deleted]


def _inline_buttons(markup: JSONDict | None) -> list[list[InlineButton]]:
    if not markup:
        return []
    return [
        [
            InlineButton(
                text=str(button.get("text", "")),
                callback_data=button.get("callback_data"),
                url=button.get("url"),
                raw=dict(button),
            )
            for button in row
        ]
        for row in markup.get("inline_keyboard", [])
    ]


def update_kind(update: JSONDict) -> str:
    return next((key for key in update if key != "update_id"), "")


def reply_buttons(markup: JSONDict | None) -> list[list[ReplyButton]] | None:
    if not markup or "keyboard" not in markup:
        return None
    rows: list[list[ReplyButton]] = []
    for row in markup["keyboard"]:
        buttons: list[ReplyButton] = []
        for button in row:
            if isinstance(button, str):
                buttons.append(ReplyButton(text=button))
            else:
                buttons.append(
                    ReplyButton(
                        text=str(button.get("text", "")),
                        request_contact=bool(button.get("request_contact")),
                        request_location=bool(button.get("request_location")),
                    )
                )
        rows.append(buttons)
    return rows


def snapshot(stored: StoredMessage) -> BotMessage:
    message = stored.message
    attachment = stored.attachment.sent_file() if stored.attachment else None
    text = message.get("text", message.get("caption"))
    entities = message.get("entities", message.get("caption_entities", []))
    reply_to = message.get("reply_to_message")
    return BotMessage(
        message_id=stored.message_id,
        chat_id=int(message["chat"]["id"]),
        text=text,
        method=stored.method,
        inline_keyboard=_inline_buttons(stored.inline_markup),
        reply_keyboard=reply_buttons(stored.reply_markup),
        remove_keyboard=bool(stored.reply_markup and stored.reply_markup.get("remove_keyboard")),
        force_reply=bool(stored.reply_markup and stored.reply_markup.get("force_reply")),
        document=attachment if attachment and attachment["kind"] == "document" else None,
        photo=attachment if attachment and attachment["kind"] == "photo" else None,
        attachment=attachment,
        parse_mode=stored.parse_mode,
        edited=stored.edited,
        raw_text=stored.raw_text,
        entities=list(entities or []),
        date=int(message.get("date", 0)),
        reply_to_message_id=int(reply_to["message_id"]) if reply_to else None,
        raw=copy_json(message),
    )


def copy_json(value: _J) -> _J:
    """A deep copy of a JSON-like value (dicts, lists, scalars; bytes are shared)."""
    return cast(_J, _copy(value))


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value
