"""Whatever no other handler took: a short hint and the menu, never silence."""

from __future__ import annotations

from telegram import Update

from bot import keyboards
from bot.context import BotContext
from bot.handlers.common import refuse_button, reply


async def unknown_message(update: Update, context: BotContext) -> None:
    text = context.t.gettext("Je n'ai pas compris. Choisissez dans le menu :")
    await reply(update, context, context.t.start_rtl(text), keyboards.main_menu(context.t))


async def stale_button(update: Update, context: BotContext) -> None:
    """A button from an old message, or forged data: say so politely, change nothing."""
    await refuse_button(update, context)
    await reply(
        update,
        context,
        context.t.gettext("Ce bouton n'est plus valable. Voici le menu :"),
        keyboards.main_menu(context.t),
    )
