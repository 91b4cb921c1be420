"""The main menu's buttons (`OpenMenu`), each leading to its feature."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import BaseHandler

from bot.callbacks import MenuItem, OpenMenu
from bot.context import BotContext
from bot.handlers import apply, help, helpdesk, info, language, menu, status
from bot.handlers.audience import MEMBERS
from bot.handlers.common import answer_button
from bot.handlers.questionnaire import informs

Destination = Callable[[Update, BotContext], Awaitable[None]]

# Screens that only inform show an application in progress again below them (`informs`);
# Apply and the language picker wait for a choice.
DESTINATIONS: dict[MenuItem, Destination] = {
    MenuItem.HOME: informs(menu.show_home),
    MenuItem.APPLY: apply.apply_command,
    MenuItem.INFO: informs(info.info_command),
    MenuItem.STATUS: informs(status.status_command),
    MenuItem.LANGUAGE: language.show_picker,
    MenuItem.HELP: informs(help.help_command),
    # Waits for the question: the form's question must not come back below the prompt.
    MenuItem.ASK: helpdesk.ask_command,
}


async def menu_button(update: Update, context: BotContext, pressed: OpenMenu) -> None:
    await answer_button(update)
    await DESTINATIONS[pressed.item](update, context)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.route(OpenMenu, menu_button),
    ]
