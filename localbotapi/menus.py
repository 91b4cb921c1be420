"""Which command menu a user sees: Telegram's resolution order over the menus set.

https://core.telegram.org/bots/api#determining-list-of-commands, for a private chat: the
first list set among chat + language, chat, all private chats + language, all private chats,
default + language, default. getMyCommands, by contrast, answers only the list set for
exactly the scope and language asked (empty if none), as Telegram does.
"""

from __future__ import annotations

from .models import JSONDict

CommandsKey = tuple[str, int | str | None, str | None]


def menu_language(language_code: str | None) -> str | None:
    """Menus are set per two-letter ISO 639-1 code; a user's may be a tag like `pt-br`."""
    primary = (language_code or "").split("-")[0].strip().lower()
    return primary or None


def resolve_menu(
    commands: dict[CommandsKey, list[JSONDict]], chat_id: int, language_code: str | None
) -> list[JSONDict]:
    language = menu_language(language_code)
    order: list[CommandsKey] = []
    for scope, scope_chat in (("chat", chat_id), ("all_private_chats", None), ("default", None)):
        if language is not None:
            order.append((scope, scope_chat, language))
        order.append((scope, scope_chat, None))
    for key in order:
        if key in commands:
            return [dict(command) for command in commands[key]]
    return []
