"""The main menu's buttons (`menu:<item>`), each leading to its feature."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot import keyboards
from bot.context import BotContext
from bot.handlers import apply, help, info, language, menu, status
from bot.handlers.common import answer_button
from bot.handlers.fallback import stale_button
from bot.handlers.questionnaire import informs

Destination = Callable[[Update, BotContext], Awaitable[None]]

# Screens that only inform show an application in progress again below them (`informs`);
# Apply and the language picker wait for a choice.
DESTINATIONS: dict[str, Destination] = {
    "home": informs(menu.show_home),
    "apply": apply.apply_command,
    "info": informs(info.info_command),
    "status": informs(status.status_command),
    "lang": language.show_picker,
    "help": informs(help.help_command),
}


async def menu_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    _, args = keyboards.decode(query.data)
    destination = DESTINATIONS.get(args[0]) if len(args) == 1 else None
    if destination is None:
        await stale_button(update, context)
        return
    await answer_button(update)
    await destination(update, context)
