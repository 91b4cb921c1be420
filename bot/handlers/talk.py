"""Messages that are not commands: answers to the form while an application is in progress;
otherwise greetings, thanks and words naming a screen (bot/locales/keywords.toml), and voice
notes or files the bot cannot read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot import keyboards
from bot.context import BotContext
from bot.handlers import apply, helpdesk, impact, info, questionnaire, status
from bot.handlers.common import reply
from bot.handlers.fallback import unknown_message
from bot.talk import SMALL_TALK, Intent, bundled_keywords, understand
from bot.views import talk as view

Screen = Callable[[Update, BotContext], Awaitable[None]]

SCREENS: dict[Intent, Screen] = {
    Intent.APPLY: apply.apply_command,
    Intent.MARKETS: info.info_command,
    Intent.STATUS: status.status_command,
}


async def on_message(update: Update, context: BotContext) -> None:
    # A question for the team (or an organizer's answer) first: it was asked for explicitly.
    if await helpdesk.on_message(update, context):
        return
    # The impact survey's last, optional step: a voice note while it waits for one.
    if await impact.on_voice(update, context):
        return
    if await questionnaire.on_message(update, context):
        return
    message = update.message
    if message is None:
        await unknown_message(update, context)
    elif message.text is not None:
        await answer_text(update, context, message.text)
    else:  # a voice note, photo, sticker, file... with no question waiting for it
        t = context.t
        text = view.unreadable_text(t, context.services.catalogue.markets)
        await reply(update, context, text, keyboards.main_menu(t))


async def answer_text(update: Update, context: BotContext, text: str) -> None:
    match = understand(bundled_keywords(), text)
    if not match.found:
        await unknown_message(update, context)
        return
    if not context.locale_chosen and match.locale is not None:
        context.locale = match.locale  # answer "salam" in Arabic, "bonjour" in French
    t = context.t
    if match.intent is None:
        await reply(update, context, view.several_requests_text(t), keyboards.main_menu(t))
    elif match.intent in SMALL_TALK:
        await reply(update, context, view.small_talk_text(t, match.intent), keyboards.main_menu(t))
    else:
        await SCREENS[match.intent](update, context)
