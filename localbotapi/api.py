"""The Bot API methods: request parameters in, Telegram-shaped `result` out (or ApiError)."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from .errors import (
    BUTTON_DATA_INVALID,
    CAPTION_TOO_LONG,
    CHAT_NOT_FOUND,
    FILE_TYPE_MISMATCH,
    MESSAGE_TO_DELETE_NOT_FOUND,
    MESSAGE_TO_EDIT_NOT_FOUND,
    NOT_MODIFIED,
    QUERY_INVALID,
    TEXT_EMPTY,
    TEXT_TOO_LONG,
    WRONG_FILE,
    ApiError,
    bad_request,
)
from .formatting import parse_formatted
from .models import JSONDict, UploadedFile
from .state import DEFAULT_UPDATE_KINDS, Chat, StoredFile, StoredMessage, TelegramState
from .webhook import check_secret_token, check_webhook_url

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

_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
_INT = re.compile(r"^-?\d+$")


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
            elif key in INT_FIELDS and _INT.match(value):
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
        if isinstance(value, str) and _INT.match(value):
            return int(value)
        return value if isinstance(value, int | str) else None


Handler = Callable[[Params], Awaitable[Any]]


def _markup_equal(left: JSONDict | None, right: JSONDict | None) -> bool:
    return (left or None) == (right or None)


class BotApi:
    """Bot API method handlers over a TelegramState; every handler is `async (Params) -> result`."""

    def __init__(self, state: TelegramState) -> None:
        self.state = state
        self._poll_generation = 0
        self.polling_gate = asyncio.Event()  # cleared: getUpdates calls are held
        self.polling_gate.set()
        self._media_groups = itertools.count(13_000_000_000_000_001)
        handlers: dict[str, Handler] = {
            "getMe": self.get_me,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "deleteMessages": self.delete_messages,
            "answerCallbackQuery": self.answer_callback_query,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "sendChatAction": self.send_chat_action,
            "sendLocation": self.send_location,
            "sendVenue": self.send_venue,
            "copyMessage": self.copy_message,
            "getFile": self.get_file,
            "getChat": self.get_chat,
            "setChatMenuButton": self.set_chat_menu_button,
            "getChatMenuButton": self.get_chat_menu_button,
            "setMyName": self._bot_text_setter("name"),
            "getMyName": self._bot_text_getter("name"),
            "setMyDescription": self._bot_text_setter("description"),
            "getMyDescription": self._bot_text_getter("description"),
            "setMyShortDescription": self._bot_text_setter("short_description"),
            "getMyShortDescription": self._bot_text_getter("short_description"),
            "close": self.ok,
            "logOut": self.ok,
        }
        for kind in ("document", "photo", "voice", "audio", "video", "animation", "sticker"):
            handlers["send" + kind.capitalize()] = self._media_sender(kind)
        handlers["sendMediaGroup"] = self.send_media_group
        # Telegram method names are case-insensitive.
        self._handlers = {name.lower(): (name, handler) for name, handler in handlers.items()}

    def resolve(self, method: str) -> tuple[str, Handler] | None:
        return self._handlers.get(method.lower())

    # -- helpers -----------------------------------------------------------------------------

    def target_chat(self, p: Params, key: str = "chat_id") -> Chat:
        value = p.chat_id() if key == "chat_id" else p.get(key)
        if value is None or value == "":
            raise bad_request(f"{key} is empty")
        if isinstance(value, str) and _INT.match(value):
            value = int(value)
        chat = self.state.chat(value)
        if chat is None:
            raise ApiError(400, CHAT_NOT_FOUND)
        return chat

    def _formatted(
        self, p: Params, key: str, *, entities_key: str, limit: int, too_long: str
    ) -> tuple[str, list[JSONDict], str | None]:
        raw = p.get_str(key) or ""
        parse_mode = p.get_str("parse_mode") or None
        explicit = p.get_json(entities_key)
        if explicit:
            plain, entities = raw, list(explicit)
        else:
            plain, entities = parse_formatted(raw, parse_mode)
        if len(plain) > limit:
            raise ApiError(400, too_long)
        return plain, entities, parse_mode

    def _text(self, p: Params) -> tuple[str, list[JSONDict], str, str | None]:
        raw = p.get_str("text")
        if raw is None or not raw.strip():
            raise ApiError(400, TEXT_EMPTY)
        plain, entities, parse_mode = self._formatted(
            p, "text", entities_key="entities", limit=MAX_TEXT, too_long=TEXT_TOO_LONG
        )
        if not plain.strip():
            raise ApiError(400, TEXT_EMPTY)
        return plain, entities, raw, parse_mode

    def _caption(self, p: Params) -> tuple[JSONDict, str | None, str | None]:
        raw = p.get_str("caption")
        if not raw:
            return {}, None, None
        plain, entities, parse_mode = self._formatted(
            p,
            "caption",
            entities_key="caption_entities",
            limit=MAX_CAPTION,
            too_long=CAPTION_TOO_LONG,
        )
        content: JSONDict = {"caption": plain}
        if entities:
            content["caption_entities"] = entities
        return content, raw, parse_mode

    def markup(self, p: Params) -> JSONDict | None:
        markup = p.get_json("reply_markup")
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            self._check_inline_keyboard(markup["inline_keyboard"])
        elif "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise bad_request(
                    'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
                )
            for row in rows:
                for button in row:
                    text = button if isinstance(button, str) else button.get("text")
                    if not isinstance(text, str) or not text:
                        raise bad_request("can't parse keyboard button: Text must be non-empty")
        elif not (markup.get("remove_keyboard") or markup.get("force_reply")):
            raise bad_request("can't parse reply keyboard markup JSON object")
        return markup

    @staticmethod
    def _check_inline_keyboard(rows: Any) -> None:
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
            )
        actions = (
            "callback_data",
            "url",
            "login_url",
            "switch_inline_query",
            "switch_inline_query_current_chat",
            "switch_inline_query_chosen_chat",
            "copy_text",
            "web_app",
            "callback_game",
            "pay",
        )
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                    raise bad_request(
                        'can\'t parse inline keyboard button: Field "text" must be of type String'
                    )
                data = button.get("callback_data")
                if data is not None and (
                    not isinstance(data, str) or not data or len(data.encode()) > MAX_CALLBACK_DATA
                ):
                    raise ApiError(400, BUTTON_DATA_INVALID)
                if not any(key in button for key in actions):
                    raise bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )

    def _inline_only(self, p: Params) -> JSONDict | None:
        markup = self.markup(p)
        if markup is not None and "inline_keyboard" not in markup:
            raise bad_request("inline keyboard expected")
        return markup

    def _reply_to(self, chat: Chat, p: Params) -> int | None:
        reply_parameters = p.get_json("reply_parameters")
        allow_missing = p.get_bool("allow_sending_without_reply")
        message_id = p.get_int("reply_to_message_id")
        if isinstance(reply_parameters, dict):
            message_id = int(reply_parameters.get("message_id", 0)) or None
            allow_missing = allow_missing or bool(
                reply_parameters.get("allow_sending_without_reply")
            )
        if message_id is None:
            return None
        stored = chat.messages.get(message_id)
        if stored is None or stored.deleted:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        return message_id

    def _editable(self, p: Params) -> tuple[Chat, StoredMessage]:
        if p.get("inline_message_id") is not None and p.get("chat_id") is None:
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self.target_chat(p)
        message_id = p.get_int("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        stored = chat.messages.get(message_id)
        if stored is None or stored.deleted:
            raise ApiError(400, MESSAGE_TO_EDIT_NOT_FOUND)
        if not stored.from_bot:
            raise bad_request("message can't be edited")
        return chat, stored

    def _apply_edit(
        self, chat: Chat, stored: StoredMessage, method: str, new_markup: JSONDict | None
    ) -> JSONDict:
        old_markup = stored.inline_markup
        if old_markup is not None and not _markup_equal(old_markup, new_markup):
            stored.past_inline_markups.append(old_markup)
        if new_markup is not None:
            stored.message["reply_markup"] = new_markup
            stored.reply_markup = new_markup
        else:
            stored.message.pop("reply_markup", None)
            if stored.reply_markup and "inline_keyboard" in stored.reply_markup:
                stored.reply_markup = None
        stored.message["edit_date"] = max(int(stored.message["date"]), _now())
        stored.edited = True
        stored.method = method
        self.state.emit(chat, stored)
        return stored.message

    # -- methods -----------------------------------------------------------------------------

    async def ok(self, p: Params) -> bool:
        return True

    async def get_me(self, p: Params) -> JSONDict:
        return {
            **self.state.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_updates(self, p: Params) -> list[JSONDict]:
        state = self.state
        if state.webhook is not None:
            raise ApiError(409, WEBHOOK_ACTIVE)
        offset = p.get_int("offset")
        confirms = offset is not None and bool(state.updates)
        if confirms and offset > state.updates[0]["update_id"] and not self.polling_gate.is_set():
            # Held (FakeTelegram.hold_polling): this confirmation never reaches "Telegram".
            await self.polling_gate.wait()
            raise ApiError(502, "Bad Gateway")
        limit = min(max(p.get_int("limit") or 100, 1), 100)
        timeout = max(p.get_float("timeout") or 0.0, 0.0)
        allowed = p.get_json("allowed_updates")
        if isinstance(allowed, list):
            state.set_allowed_updates(allowed)
        # A newer getUpdates ends an older one still waiting, as on Telegram.
        self._poll_generation += 1
        generation = self._poll_generation
        state.updates_signal.fire()
        state.confirm(offset)

        def ready() -> bool:
            return (
                bool(state.updates)
                or state.closing
                or generation != self._poll_generation
                or state.webhook is not None
            )

        if timeout > 0:
            await state.updates_signal.wait_for(ready, timeout)
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        if state.webhook is not None:  # set while this poll waited: the webhook gets them
            raise ApiError(409, WEBHOOK_ACTIVE)
        updates = state.pending(limit)
        state.delivered_updates += len(updates)
        return updates

    async def set_webhook(self, p: Params) -> bool:
        """An empty `url` removes the webhook, as on Telegram."""
        state = self.state
        url = p.get_str("url") or ""
        if not url:
            return await self.delete_webhook(p)
        check_webhook_url(url)
        secret = p.get_str("secret_token") or None
        check_secret_token(secret)
        if p.get_bool("drop_pending_updates"):
            state.updates.clear()
        allowed = p.get_json("allowed_updates")
        if isinstance(allowed, list):
            state.set_allowed_updates(allowed)
        state.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": min(max(p.get_int("max_connections") or 40, 1), 100),
            "ip_address": p.get_str("ip_address") or None,
            "has_custom_certificate": "certificate" in p.files or bool(p.get("certificate")),
        }
        state.webhook_last_error = None
        state.updates_signal.fire()  # wakes the delivery task (and ends a waiting getUpdates)
        return True

    async def delete_webhook(self, p: Params) -> bool:
        state = self.state
        if p.get_bool("drop_pending_updates"):
            state.updates.clear()
        state.webhook = None
        state.webhook_last_error = None
        state.updates_signal.fire()
        return True

    async def get_webhook_info(self, p: Params) -> JSONDict:
        state = self.state
        webhook = state.webhook
        info: JSONDict = {
            "url": webhook["url"] if webhook else "",
            "has_custom_certificate": bool(webhook and webhook["has_custom_certificate"]),
            "pending_update_count": len(state.updates),
        }
        if webhook is None:
            return info
        info["max_connections"] = webhook["max_connections"]
        if webhook["ip_address"]:
            info["ip_address"] = webhook["ip_address"]
        if state.allowed_updates != DEFAULT_UPDATE_KINDS:
            info["allowed_updates"] = sorted(state.allowed_updates)
        if state.webhook_last_error is not None:
            info["last_error_date"], info["last_error_message"] = state.webhook_last_error
        return info

    async def send_message(self, p: Params) -> JSONDict:
        chat = self.target_chat(p)
        plain, entities, raw, parse_mode = self._text(p)
        markup = self.markup(p)
        reply_to = self._reply_to(chat, p)
        content: JSONDict = {"text": plain}
        if entities:
            content["entities"] = entities
        stored = self.state.add_bot_message(
            chat,
            "sendMessage",
            content,
            raw_text=raw,
            parse_mode=parse_mode,
            reply_markup=markup,
            reply_to=reply_to,
        )
        return stored.message

    async def edit_message_text(self, p: Params) -> JSONDict:
        chat, stored = self._editable(p)
        if "text" not in stored.message:
            raise bad_request("there is no text in the message to edit")
        plain, entities, raw, parse_mode = self._text(p)
        new_markup = self._inline_only(p)
        if (
            plain == stored.message["text"]
            and entities == stored.message.get("entities", [])
            and _markup_equal(stored.inline_markup, new_markup)
        ):
            raise ApiError(400, NOT_MODIFIED)
        stored.message["text"] = plain
        if entities:
            stored.message["entities"] = entities
        else:
            stored.message.pop("entities", None)
        stored.raw_text = raw
        stored.parse_mode = parse_mode
        return self._apply_edit(chat, stored, "editMessageText", new_markup)

    async def edit_message_caption(self, p: Params) -> JSONDict:
        chat, stored = self._editable(p)
        if stored.attachment is None:
            raise bad_request("there is no caption in the message to edit")
        content, raw, parse_mode = self._caption(p)
        new_markup = self._inline_only(p)
        if (
            content.get("caption") == stored.message.get("caption")
            and content.get("caption_entities") == stored.message.get("caption_entities")
            and _markup_equal(stored.inline_markup, new_markup)
        ):
            raise ApiError(400, NOT_MODIFIED)
        stored.message.pop("caption", None)
        stored.message.pop("caption_entities", None)
        stored.message.update(content)
        stored.raw_text = raw
        stored.parse_mode = parse_mode
        return self._apply_edit(chat, stored, "editMessageCaption", new_markup)

    async def edit_message_reply_markup(self, p: Params) -> JSONDict:
        chat, stored = self._editable(p)
        new_markup = self._inline_only(p)
        if _markup_equal(stored.inline_markup, new_markup):
            raise ApiError(400, NOT_MODIFIED)
        return self._apply_edit(chat, stored, "editMessageReplyMarkup", new_markup)

    async def delete_message(self, p: Params) -> bool:
        chat = self.target_chat(p)
        message_id = p.get_int("message_id")
        stored = chat.messages.get(message_id) if message_id is not None else None
        if stored is None or stored.deleted:
            raise ApiError(400, MESSAGE_TO_DELETE_NOT_FOUND)
        stored.deleted = True
        chat.signal.fire()
        return True

    async def delete_messages(self, p: Params) -> bool:
        chat = self.target_chat(p)
        ids = p.get_json("message_ids")
        if not isinstance(ids, list) or not ids:
            raise bad_request("message_ids is empty")
        for message_id in ids:
            stored = chat.messages.get(int(message_id))
            if stored is not None:
                stored.deleted = True
        chat.signal.fire()
        return True

    async def answer_callback_query(self, p: Params) -> bool:
        query_id = p.get_str("callback_query_id")
        record = self.state.callback_queries.get(query_id or "")
        if record is None or record.answer is not None:
            raise ApiError(400, QUERY_INVALID)
        ttl = self.state.callback_query_ttl
        if ttl is not None and time.monotonic() - record.pressed_at > ttl:
            record.expired = True
            chat = self.state.chats.get(record.chat_id)
            if chat is not None:
                chat.signal.fire()
            raise ApiError(400, QUERY_INVALID)
        record.answer = {
            "text": p.get_str("text"),
            "show_alert": p.get_bool("show_alert"),
            "url": p.get_str("url"),
            "cache_time": p.get_int("cache_time"),
        }
        chat = self.state.chats.get(record.chat_id)
        if chat is not None:
            chat.signal.fire()
        return True

    def _commands_key(self, p: Params) -> tuple[str, int | str | None, str | None]:
        scope = p.get_json("scope") or {}
        if not isinstance(scope, dict):
            raise bad_request("can't parse BotCommandScope JSON object")
        scope_type = str(scope.get("type", "default"))
        chat_id = scope.get("chat_id")
        if isinstance(chat_id, str) and _INT.match(chat_id):
            chat_id = int(chat_id)
        language = p.get_str("language_code") or None
        if language is not None and not _LANGUAGE_CODE.match(language):
            raise bad_request("LANGUAGE_CODE_INVALID")
        return scope_type, chat_id, language

    async def set_my_commands(self, p: Params) -> bool:
        commands = p.get_json("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        cleaned: list[JSONDict] = []
        for command in commands:
            name = str(command.get("command", "")) if isinstance(command, dict) else ""
            description = str(command.get("description", "")) if isinstance(command, dict) else ""
            if not _COMMAND_NAME.match(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = self._commands_key(p)
        if cleaned:
            self.state.commands[key] = cleaned
        else:
            self.state.commands.pop(key, None)
        return True

    async def get_my_commands(self, p: Params) -> list[JSONDict]:
        return list(self.state.commands.get(self._commands_key(p), []))

    async def delete_my_commands(self, p: Params) -> bool:
        self.state.commands.pop(self._commands_key(p), None)
        return True

    async def send_chat_action(self, p: Params) -> bool:
        chat = self.target_chat(p)
        action = p.get_str("action") or ""
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat.chat_actions.append(action)
        return True

    async def send_location(self, p: Params) -> JSONDict:
        chat = self.target_chat(p)
        latitude = p.get_float("latitude")
        longitude = p.get_float("longitude")
        if latitude is None or longitude is None:
            raise bad_request("wrong latitude or longitude")
        stored = self.state.add_bot_message(
            chat,
            "sendLocation",
            {"location": {"latitude": latitude, "longitude": longitude}},
            reply_markup=self.markup(p),
            reply_to=self._reply_to(chat, p),
        )
        return stored.message

    def _coordinates(self, p: Params) -> JSONDict:
        """A location from `latitude` and `longitude`, both required and on the globe."""
        latitude = p.get_float("latitude")
        longitude = p.get_float("longitude")
        if latitude is None or not -90 <= latitude <= 90:
            raise bad_request("wrong latitude specified")
        if longitude is None or not -180 <= longitude <= 180:
            raise bad_request("wrong longitude specified")
        return {"latitude": latitude, "longitude": longitude}

    async def send_venue(self, p: Params) -> JSONDict:
        """https://core.telegram.org/bots/api#sendvenue: the Message carries `venue` (with its
        `location`) and, for older clients, the same `location` at top level."""
        chat = self.target_chat(p)
        location = self._coordinates(p)
        title, address = p.get_str("title") or "", p.get_str("address") or ""
        if not title.strip():
            raise bad_request("title is empty")
        if not address.strip():
            raise bad_request("address is empty")
        venue: JSONDict = {"location": location, "title": title, "address": address}
        for key in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
            if p.get_str(key):
                venue[key] = p.get_str(key)
        stored = self.state.add_bot_message(
            chat,
            "sendVenue",
            {"venue": venue, "location": dict(location)},
            reply_markup=self.markup(p),
            reply_to=self._reply_to(chat, p),
        )
        return stored.message

    async def copy_message(self, p: Params) -> JSONDict:
        chat = self.target_chat(p)
        source_chat = self.target_chat(p, "from_chat_id")
        message_id = p.get_int("message_id")
        source = source_chat.messages.get(message_id) if message_id is not None else None
        if source is None or source.deleted:
            raise bad_request("message to copy not found")
        kept = ("text", "entities", "caption", "caption_entities", "location", "venue", "contact")
        kinds = ("document", "photo", "voice", "audio", "video", "animation", "sticker")
        content = {k: v for k, v in source.message.items() if k in kept or k in kinds}
        if p.get("caption") is not None:
            caption, _, _ = self._caption(p)
            content.pop("caption", None)
            content.pop("caption_entities", None)
            content.update(caption)
        stored = self.state.add_bot_message(
            chat,
            "copyMessage",
            content,
            raw_text=content.get("text", content.get("caption")),
            reply_markup=self.markup(p),
            attachment=source.attachment,
            reply_to=self._reply_to(chat, p),
        )
        return {"message_id": stored.message_id}

    def _input_file(self, p: Params, kind: str) -> StoredFile:
        value = p.get(kind)
        upload = p.files.get(kind)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = p.files.get(value.removeprefix("attach://"))
        if upload is not None:
            if not upload.content:
                raise bad_request("file must be non-empty")
            content_type = upload.content_type
            if content_type in (None, "application/octet-stream"):
                content_type = None
            return self.state.register_file(
                kind, upload.content, file_name=upload.filename, mime_type=content_type
            )
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {kind} in the request")
        if value.startswith(("http://", "https://")):
            name = value.rsplit("/", 1)[-1].split("?", 1)[0] or None
            return self.state.register_file(kind, None, file_name=name, url=value)
        known = self.state.files.get(value)
        if known is None:
            raise ApiError(400, WRONG_FILE)
        if known.kind != kind and {known.kind, kind} & STRICT_KINDS:
            raise ApiError(400, FILE_TYPE_MISMATCH)
        return known

    def _media_sender(self, kind: str) -> Handler:
        method = "send" + kind.capitalize()

        async def send(p: Params) -> JSONDict:
            chat = self.target_chat(p)
            file = self._input_file(p, kind)
            caption, raw, parse_mode = self._caption(p) if kind != "sticker" else ({}, None, None)
            content = self._media_content(kind, file, p)
            content.update(caption)
            stored = self.state.add_bot_message(
                chat,
                method,
                content,
                raw_text=raw,
                parse_mode=parse_mode,
                reply_markup=self.markup(p),
                attachment=file,
                reply_to=self._reply_to(chat, p),
            )
            return stored.message

        return send

    async def send_media_group(self, p: Params) -> list[JSONDict]:
        """An album: 2 to 10 photos, videos, documents or audios, one message each, sharing a
        media_group_id (captions and entities of the items are not modelled)."""
        chat = self.target_chat(p)
        items = p.get("media")
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            raise bad_request("media must include 2-10 items")
        group_id = str(next(self._media_groups))
        sent: list[JSONDict] = []
        for item in items:
            kind = item.get("type") if isinstance(item, dict) else None
            if kind not in ("photo", "video", "document", "audio"):
                raise bad_request("unsupported media type in the media group")
            file = self._input_file(Params({kind: item.get("media")}, p.files), kind)
            content = self._media_content(kind, file, Params({}, {}))
            content["media_group_id"] = group_id
            stored = self.state.add_bot_message(chat, "sendMediaGroup", content, attachment=file)
            sent.append(stored.message)
        return sent

    def _media_content(self, kind: str, file: StoredFile, p: Params) -> JSONDict:
        media = file.media_dict()
        if kind == "photo":
            small = {
                "file_id": file.file_id[:-8] + "AAMCBAAD",
                "file_unique_id": file.file_unique_id[:-1] + "m",
                "width": 90,
                "height": 67,
            }
            large: JSONDict = {
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "width": p.get_int("width") or 1280,
                "height": p.get_int("height") or 960,
            }
            if file.file_size is not None:
                large["file_size"] = file.file_size
            return {"photo": [small, large]}
        if kind == "sticker":
            media.pop("file_name", None)
            media.pop("mime_type", None)
            return {
                "sticker": {
                    **media,
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            }
        if kind in ("voice", "audio", "video", "animation"):
            media["duration"] = p.get_int("duration") or 1
            if kind == "voice":
                media.pop("file_name", None)
        if kind in ("video", "animation"):
            media["width"] = p.get_int("width") or 640
            media["height"] = p.get_int("height") or 480
        return {kind: media}

    async def get_file(self, p: Params) -> JSONDict:
        file_id = p.get_str("file_id")
        if not file_id:
            raise bad_request("file_id is empty")
        file = self.state.files.get(file_id)
        if file is None:
            raise bad_request("invalid file_id")
        if file.file_size is not None and file.file_size > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return file.to_file_dict()

    async def get_chat(self, p: Params) -> JSONDict:
        chat = self.target_chat(p)
        return {
            **chat.to_dict(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def set_chat_menu_button(self, p: Params) -> bool:
        button = p.get_json("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or "type" not in button:
            raise bad_request("can't parse menu button JSON object")
        chat_id = p.chat_id()
        if chat_id is not None:
            self.target_chat(p)
        self.state.menu_buttons[chat_id] = button
        return True

    async def get_chat_menu_button(self, p: Params) -> JSONDict:
        chat_id = p.chat_id()
        return (
            self.state.menu_buttons.get(chat_id)
            or self.state.menu_buttons.get(None)
            or {"type": "default"}
        )

    def _bot_text_setter(self, field: str) -> Handler:
        async def setter(p: Params) -> bool:
            language = p.get_str("language_code") or None
            value = p.get_str(field) or ""
            if value:
                self.state.bot_texts[(field, language)] = value
            else:
                self.state.bot_texts.pop((field, language), None)
            return True

        return setter

    def _bot_text_getter(self, field: str) -> Handler:
        async def getter(p: Params) -> JSONDict:
            language = p.get_str("language_code") or None
            texts = self.state.bot_texts
            default = self.state.bot_user["first_name"] if field == "name" else ""
            return {field: texts.get((field, language), texts.get((field, None), default))}

        return getter


def _now() -> int:
    return int(time.time())
