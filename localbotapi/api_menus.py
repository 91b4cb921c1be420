"""The fake's methods about the bot and its chats rather than messages: command menus, the
menu button, the bot's name and descriptions, chat actions, getChat."""

from __future__ import annotations

from .api_base import ApiBase
from .errors import (
    bad_request,
)
from .models import JSONDict
from .params import (
    CHAT_ACTIONS,
    COMMAND_NAME,
    INTEGER,
    LANGUAGE_CODE,
    Handler,
    Params,
)


class MenuMethods(ApiBase):
    def _commands_key(self, p: Params) -> tuple[str, int | str | None, str | None]:
        scope = p.get_json("scope") or {}
        if not isinstance(scope, dict):
            raise bad_request("can't parse BotCommandScope JSON object")
        scope_type = str(scope.get("type", "default"))
        chat_id = scope.get("chat_id")
        if isinstance(chat_id, str) and INTEGER.match(chat_id):
            chat_id = int(chat_id)
        language = p.get_str("language_code") or None
        if language is not None and not LANGUAGE_CODE.match(language):
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
            if not COMMAND_NAME.match(name):
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
