"""/language and the language picker (each language named in itself)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot import keyboards
from bot.callbacks import ChooseLanguage
from bot.context import BotContext
from bot.handlers.audience import MEMBERS
from bot.handlers.common import answer_button, refuse_button, reply
from bot.handlers.menu import show_home
from bot.handlers.questionnaire import resume_form


def picker_text(context: BotContext) -> str:
    """The question in every language, one line each: the user may not read ours yet."""
    i18n = context.services.i18n
    return "\n".join(
        i18n.translator(code).start_rtl(i18n.translator(code).gettext("Choisissez votre langue :"))
        for code in i18n.locales
    )


async def show_picker(update: Update, context: BotContext) -> None:
    await reply(
        update, context, picker_text(context), keyboards.language_picker(context.services.i18n)
    )


async def language_command(update: Update, context: BotContext) -> None:
    await show_picker(update, context)


async def choose_language(update: Update, context: BotContext, pressed: ChooseLanguage) -> None:
    assert update.effective_user is not None
    services = context.services
    if pressed.locale not in services.i18n.locales:
        await refuse_button(update, context)
        return
    await services.users.set_locale(update.effective_user.id, pressed.locale)
    context.locale, context.locale_chosen = pressed.locale, True
    await answer_button(update, context.t.gettext("Langue choisie : français"))
    deep_link = context.user_data.pop("deep_link", None) if context.user_data is not None else None
    if isinstance(deep_link, str):
        from bot.handlers.info import open_deep_link

        if await open_deep_link(update, context, deep_link):
            return
    await show_home(update, context)
    # Mid-form, the question comes back below the menu, in the language just chosen.
    await resume_form(update, context)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.command("language", language_command),
        MEMBERS.route(ChooseLanguage, choose_language, stale=refuse_button),
    ]
