"""The Bot API methods: request parameters in, Telegram-shaped `result` out (or ApiError).

The methods about messages and updates are here; files and places in `api_media.py`, menus and
the bot's texts in `api_menus.py`; what they share in `api_base.py`."""

from __future__ import annotations

import time

from .api_base import markup_equal
from .api_media import MediaMethods
from .api_menus import MenuMethods
from .errors import (
    MESSAGE_TO_DELETE_NOT_FOUND,
    NOT_MODIFIED,
    QUERY_INVALID,
    ApiError,
    bad_request,
)
from .models import JSONDict
from .params import (
    WEBHOOK_ACTIVE,
    Handler,
    Params,
)
from .state import DEFAULT_UPDATE_KINDS, TelegramState
from .webhook import check_secret_token, check_webhook_url


class BotApi(MediaMethods, MenuMethods):
    """Bot API method handlers over a TelegramState; every handler is `async (Params) -> result`."""

    def __init__(self, state: TelegramState) -> None:
        super().__init__(state)
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
            and markup_equal(stored.inline_markup, new_markup)
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
            and markup_equal(stored.inline_markup, new_markup)
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
        if markup_equal(stored.inline_markup, new_markup):
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
