"""The one error handler: log with context, tell the user, lose nothing."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError

from bot.context import BotContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    if isinstance(error, Forbidden):
        log.info("user blocked the bot: %s", error)
        return
    if isinstance(error, NetworkError) and not isinstance(update, Update):
        log.warning("network error while polling: %s", error)
        return
    kind = type(update).__name__
    if isinstance(update, Update):
        fields = [
            name
            for name in ("message", "callback_query", "edited_message")
            if getattr(update, name)
        ]
        kind = f"update {update.update_id} ({', '.join(fields) or 'other'})"
    log.error("error while handling %s", kind, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        # Answers are saved before the bot replies, so an error here loses nothing already given.
        await context.bot.send_message(
            update.effective_chat.id,
            context.t.gettext(
                "Désolé, un problème est survenu. Vos réponses sont gardées. Réessayez."
            ),
        )
    except Exception:  # the error may be that Telegram is unreachable: nothing more to do
        log.warning("could not tell the user about the error", exc_info=True)
