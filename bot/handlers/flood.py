"""Runs before everything else: a user sending too much is told once, then ignored a while.

Ignored updates cost nothing but this check: no database write, no reply. The one exception is
a button press, which is still answered (answerCallbackQuery, no text): Telegram keeps the
button's loading spinner turning until the bot answers
(https://core.telegram.org/bots/api#answercallbackquery), which on a cheap phone looks like a
frozen app and invites more presses. The answer is no chat message: it adds nothing to the
conversation, and costs one light API call per press Telegram delivers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.flood import FloodControl, Verdict
from bot.handlers.common import answer_button, reply

log = logging.getLogger(__name__)

FloodGuard = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def flood_guard(flood: FloodControl) -> FloodGuard:
    """The TypeHandler callback that applies `flood` to every update with a sender."""

    async def limit_flood(update: Update, context: BotContext) -> None:
        user = update.effective_user
        if user is None:
            return  # channel posts and the like: the user-tracking handler drops them
        verdict = flood.check(user.id)
        if verdict is Verdict.ALLOW:
            return
        try:
            await answer_button(update)
            if verdict is Verdict.WARN:
                log.info("user %d sent too much: ignored for %.0f s", user.id, flood.mute)
                await slow_down(update, context, flood)
        except TelegramError as error:  # e.g. the query expired or the user blocked the bot
            log.info("could not answer a flooding user: %s", error)
        raise ApplicationHandlerStop

    return limit_flood


async def slow_down(update: Update, context: BotContext, flood: FloodControl) -> None:
    """The one warning, in the user's language; only in private chats (no noise in groups)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    services = context.services
    stored = await services.users.get(user.id)  # read only: the pause must cost no write
    context.locale = (stored.locale if stored else None) or services.i18n.resolve(
        user.language_code
    )
    seconds = round(flood.mute)
    text = context.t.ngettext(
        "Doucement 🙂 Vous envoyez beaucoup de messages. Attendez %(count)s seconde, "
        "puis continuez.",
        "Doucement 🙂 Vous envoyez beaucoup de messages. Attendez %(count)s secondes, "
        "puis continuez.",
        seconds,
    )
    await reply(update, context, context.t.start_rtl(text))
