"""What a Bot API request carries: its parameters decoded as Telegram reads them, Telegram's
limits, and which methods send (they count towards the flood limits and fail once blocked)."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from .errors import (
    bad_request,
)
from .models import JSONDict, UploadedFile

MAX_TEXT = 4096


MAX_CAPTION = 1024


MAX_CALLBACK_DATA = 64


MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files: "file is too big"
MAX_UPLOAD = 50 * 1024 * 1024  # a bot's upload (sendDocument...): 413 over it
# Kinds a known file id is refused as another kind from (documents are modelled as lenient).
STRICT_KINDS = frozenset({"voice", "photo", "audio"})


# Form-encoded and multipart requests carry every value as a string; these are decoded.
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "menu_button",
        "link_preview_options",
        "reply_parameters",
        "media",
        "message_ids",
        "results",
        "options",
        "explanation_entities",
        "permissions",
    }
)


INT_FIELDS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "offset",
        "limit",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "duration",
        "width",
        "height",
        "length",
        "max_connections",
        "live_period",
        "user_id",
    }
)


FLOAT_FIELDS = frozenset({"timeout", "latitude", "longitude", "horizontal_accuracy"})


BOOL_FIELDS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "has_spoiler",
        "disable_content_type_detection",
        "supports_streaming",
        "show_caption_above_media",
        "allow_paid_broadcast",
        "for_channels",
    }
)


# Methods that post or change a message; they count towards the flood limits.
SENDING_METHODS = frozenset(
    {
        "sendmessage",
        "senddocument",
        "sendphoto",
        "sendvoice",
        "sendaudio",
        "sendvideo",
        "sendanimation",
        "sendsticker",
        "sendlocation",
        "sendmediagroup",
        "sendcontact",
        "sendpoll",
        "senddice",
        "sendvenue",
        "sendvideonote",
        "copymessage",
        "copymessages",
        "forwardmessage",
        "forwardmessages",
        "editmessagetext",
        "editmessagecaption",
        "editmessagereplymarkup",
        "editmessagemedia",
    }
)


# Methods that reach the user and therefore fail with 403 once the user blocked the bot.
REACHES_USER_METHODS = SENDING_METHODS | {"sendchataction"}


CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")


LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")


INTEGER = re.compile(r"^-?\d+$")


def normalize_params(raw: dict[str, Any]) -> JSONDict:
    """Decode string values the way Telegram reads them (JSON fields, numbers, booleans)."""
    params: JSONDict = {}
    for key, value in raw.items():
        if isinstance(value, bytes | bytearray):
            value = bytes(value).decode("utf-8", "replace")
        if isinstance(value, str):
            if key in JSON_FIELDS:
                try:
                    value = json.loads(value)
                except ValueError as exc:
                    raise bad_request(f"can't parse {key} JSON object") from exc
            elif key in INT_FIELDS and INTEGER.match(value):
                value = int(value)
            elif key in FLOAT_FIELDS:
                try:
                    value = float(value)
                except ValueError as exc:
                    raise bad_request(f"wrong parameter {key} in request") from exc
            elif key in BOOL_FIELDS and value.lower() in ("true", "false"):
                value = value.lower() == "true"
        params[key] = value
    return params


class Params:
    """Typed access to one request's parameters and uploaded files."""

    def __init__(self, data: JSONDict, files: dict[str, UploadedFile]) -> None:
        self.data = data
        self.files = files

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def get_str(self, key: str) -> str | None:
        value = self.data.get(key)
        return None if value is None else str(value)

    def get_int(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise bad_request(f"wrong parameter {key} in request")
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise bad_request(f"wrong parameter {key} in request") from exc

    def get_float(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise bad_request(f"wrong parameter {key} in request") from exc

    def get_bool(self, key: str) -> bool:
        value = self.data.get(key)
        if isinstance(value, str):
            return value.lower() == "true"
        return bool(value)

    def get_json(self, key: str) -> Any:
        value = self.data.get(key)
        if isinstance(value, str) and key in JSON_FIELDS:
            try:
                return json.loads(value)
            except ValueError as exc:
                raise bad_request(f"can't parse {key} JSON object") from exc
        return value

    def chat_id(self) -> int | str | None:
        value = self.data.get("chat_id")
        if isinstance(value, str) and INTEGER.match(value):
            return int(value)
        return value if isinstance(value, int | str) else None


Handler = Callable[[Params], Awaitable[Any]]
