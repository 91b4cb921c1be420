"""Plain data shared by the fake server and the tests: what the bot sent, recorded calls, stats."""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypedDict

JSONDict = dict[str, Any]


class SentFile(TypedDict):
    """A file attached to a bot message (uploaded by the bot, or re-sent by file_id / URL)."""

    kind: str  # "document", "photo", "voice", "audio", "video", "animation", "sticker"
    file_id: str
    file_unique_id: str
    file_name: str | None
    mime_type: str | None
    file_size: int | None
    content: bytes | None  # the uploaded bytes; None when sent by URL (the fake never fetches)
    url: str | None  # set when the bot sent an http(s) URL instead of a file


@dataclass(frozen=True)
class InlineButton:
    text: str
    callback_data: str | None = None
    url: str | None = None
    raw: JSONDict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class ReplyButton:
    text: str
    request_contact: bool = False
    request_location: bool = False


@dataclass(frozen=True)
class BotMessage:
    """A snapshot of one bot message in a chat, as the user would see it at that moment.

    `text` is the message text or, for media, the caption, after Telegram parsed the
    formatting (HTML tags stripped, MarkdownV2 escapes removed); `raw_text` is what the bot sent.
    """

    message_id: int
    chat_id: int
    text: str | None
    method: str
    inline_keyboard: list[list[InlineButton]] = field(default_factory=list)
    reply_keyboard: list[list[ReplyButton]] | None = None
    remove_keyboard: bool = False
    force_reply: bool = False
    document: SentFile | None = None
    photo: SentFile | None = None
    attachment: SentFile | None = None  # any attached file: document, photo, voice, sticker...
    parse_mode: str | None = None
    edited: bool = False
    raw_text: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    date: int = 0
    reply_to_message_id: int | None = None
    raw: JSONDict = field(default_factory=dict, repr=False)  # the Telegram Message dict

    def button_texts(self) -> list[str]:
        """Texts of the inline buttons, then of the reply-keyboard buttons, row by row."""
        texts = [button.text for row in self.inline_keyboard for button in row]
        if self.reply_keyboard:
            texts.extend(button.text for row in self.reply_keyboard for button in row)
        return texts

    @property
    def venue(self) -> JSONDict | None:
        """A venue (sendVenue): `{"location": {"latitude", "longitude"}, "title", "address"}`."""
        venue = self.raw.get("venue")
        return venue if isinstance(venue, dict) else None

    @property
    def location(self) -> JSONDict | None:
        """A map point (sendLocation, or a venue's): `{"latitude": ..., "longitude": ...}`."""
        location = self.raw.get("location")
        return location if isinstance(location, dict) else None

    def has_button(self, text: str) -> bool:
        return text in self.button_texts()

    def button(self, text: str) -> InlineButton:
        """The inline button with exactly this text; AssertionError if there is none."""
        for row in self.inline_keyboard:
            for button in row:
                if button.text == text:
                    return button
        raise AssertionError(f"no inline button {text!r} in {self.describe()}")

    def callback_data(self) -> list[str]:
        return [
            button.callback_data
            for row in self.inline_keyboard
            for button in row
            if button.callback_data is not None
        ]

    def describe(self) -> str:
        """One readable line (plus buttons) for assertion messages."""
        kind = "edit" if self.edited else "message"
        parts = [f"[{self.method} {kind} #{self.message_id}]"]
        if self.attachment is not None:
            parts.append(f"<{self.attachment['kind']} {self.attachment['file_name']!r}>")
        if self.venue is not None:
            parts.append(f"<venue {self.venue['title']!r}, {self.venue['address']!r}>")
        parts.append(repr(self.text))
        if self.inline_keyboard:
            rows = [" | ".join(b.text for b in row) for row in self.inline_keyboard]
            parts.append("inline: [" + "] [".join(rows) + "]")
        if self.reply_keyboard:
            rows = [" | ".join(b.text for b in row) for row in self.reply_keyboard]
            parts.append("keyboard: [" + "] [".join(rows) + "]")
        if self.remove_keyboard:
            parts.append("(removes keyboard)")
        return " ".join(parts)


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart request."""

    field_name: str
    filename: str | None
    content_type: str | None
    content: bytes


@dataclass(frozen=True)
class RecordedCall:
    """One Bot API call as the fake received it (params normalised: JSON fields decoded)."""

    method: str
    params: JSONDict
    files: dict[str, UploadedFile]
    timestamp: float  # time.monotonic()
    status: int
    response: JSONDict

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> int | str | None:
        value = self.params.get("chat_id")
        return value if isinstance(value, int | str) else None


@dataclass(frozen=True)
class RateLimits:
    """Telegram's documented broadcast limits (https://core.telegram.org/bots/faq)."""

    global_per_second: int = 30
    private_interval: float = 1.0
    group_per_minute: int = 20


@dataclass
class FakeStats:
    too_many_requests: int = 0
    too_many_requests_per_chat: Counter[int] = field(default_factory=Counter)
    sent_per_chat: Counter[int] = field(default_factory=Counter)
    calls_per_method: Counter[str] = field(default_factory=Counter)
    errors_per_code: Counter[int] = field(default_factory=Counter)
    peak_sends_per_second: int = 0  # most accepted sends seen in one sliding second

    def snapshot(self) -> FakeStats:
        return copy.deepcopy(self)


@dataclass(frozen=True)
class WebhookAttempt:
    """One POST of an update to the webhook: `status` is None when no HTTP answer came."""

    update_id: int
    url: str
    status: int | None
    error: str | None  # None: delivered; else as getWebhookInfo's last_error_message says it
    timestamp: float  # time.monotonic()

    @property
    def delivered(self) -> bool:
        return self.error is None
