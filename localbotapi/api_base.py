"""What every Bot API method of the fake shares: the state it works on, the chat a request
names, its text, caption and keyboard checked as Telegram checks them, and edits."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

from .errors import (
    BUTTON_DATA_INVALID,
    CAPTION_TOO_LONG,
    CHAT_NOT_FOUND,
    MESSAGE_TO_EDIT_NOT_FOUND,
    TEXT_EMPTY,
    TEXT_TOO_LONG,
    ApiError,
    bad_request,
)
from .formatting import parse_formatted
from .models import JSONDict
from .params import (
    INTEGER,
    MAX_CALLBACK_DATA,
    MAX_CAPTION,
    MAX_TEXT,
    Params,
)
from .records import Chat, StoredMessage
from .state import TelegramState


def markup_equal(left: JSONDict | None, right: JSONDict | None) -> bool:
    return (left or None) == (right or None)


def now_seconds() -> int:
    return int(time.time())


class ApiBase:
    def __init__(self, state: TelegramState) -> None:
        self.state = state
        self._poll_generation = 0
        self.polling_gate = asyncio.Event()  # cleared: getUpdates calls are held
        self.polling_gate.set()
        self._media_groups = itertools.count(13_000_000_000_000_001)

    def target_chat(self, p: Params, key: str = "chat_id") -> Chat:
        value = p.chat_id() if key == "chat_id" else p.get(key)
        if value is None or value == "":
            raise bad_request(f"{key} is empty")
        if isinstance(value, str) and INTEGER.match(value):
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
        if old_markup is not None and not markup_equal(old_markup, new_markup):
            stored.past_inline_markups.append(old_markup)
        if new_markup is not None:
            stored.message["reply_markup"] = new_markup
            stored.reply_markup = new_markup
        else:
            stored.message.pop("reply_markup", None)
            if stored.reply_markup and "inline_keyboard" in stored.reply_markup:
                stored.reply_markup = None
        stored.message["edit_date"] = max(int(stored.message["date"]), now_seconds())
        stored.edited = True
        stored.method = method
        self.state.emit(chat, stored)
        return stored.message
