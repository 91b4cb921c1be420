"""The main menu: the buttons every journey starts from."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot import keyboards
from bot.context import BotContext
from bot.handlers.audience import MEMBERS
from bot.handlers.common import reply
from bot.handlers.questionnaire import informs


async def show_home(update: Update, context: BotContext) -> None:
    user = update.effective_user
    name = user.first_name if user and user.first_name else ""
    text = context.t.gettext(
        "Bonjour %(name)s ! Que voulez-vous faire ?", name=context.t.isolate(name)
    )
    await reply(update, context, context.t.start_rtl(text), keyboards.main_menu(context.t))


async def menu_command(update: Update, context: BotContext) -> None:
    await show_home(update, context)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.command("menu", informs(menu_command)),
    ]
