"""Runs before every handler: records the user, resolves their language, keeps groups out."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.handlers.common import answer_button

log = logging.getLogger(__name__)


async def track_user(update: Update, context: BotContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        raise ApplicationHandlerStop  # channel posts and the like: nothing to do
    services = context.services
    stored = await services.users.seen(
        user.id, user.first_name or "", services.clock(), update.update_id
    )
    if stored is None:  # delivered again after a crash: handled before it
        log.info("update %d already handled: ignored", update.update_id)
        raise ApplicationHandlerStop
    context.role = stored.role
    context.form_hidden = stored.form_hidden
    context.hear_questions = stored.hear_questions
    context.locale_chosen = stored.locale is not None
    context.locale = stored.locale or services.i18n.resolve(user.language_code)
    if chat.type != ChatType.PRIVATE:
        await point_to_private_chat(update, context)
        raise ApplicationHandlerStop


async def point_to_private_chat(update: Update, context: BotContext) -> None:
    """In a group, personal data has no place: answer commands with a link to the private chat."""
    message = update.effective_message
    await answer_button(update)
    if message is None or not (message.text or "").startswith("/"):
        return
    await message.reply_text(
        context.t.gettext(
            "Écrivez-moi en privé pour candidater ou vous informer : %(link)s",
            link=f"https://t.me/{context.bot.username}",
        )
    )
