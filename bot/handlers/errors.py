"""The one error handler: log with context, tell the user once and the admins, lose nothing."""

from __future__ import annotations

import logging
from collections import OrderedDict

from telegram import Update
from telegram.error import Forbidden, NetworkError
from telegram.ext import ApplicationHandlerStop

from bot.context import SERVICES_KEY, BotContext, Services
from bot.i18n import N_
from bot.services.monitoring import handler_name, queue_error_report, update_kind

log = logging.getLogger(__name__)

# Only what is true whatever failed: the message may or may not have been saved (the error
# may come before or after the write), and /start shows where the applicant stands.
APOLOGY = N_(
    "Désolé, un problème est survenu : votre dernier message n'a peut-être pas été pris en"
    " compte. Envoyez /start pour voir où vous en êtes."
)
APOLOGIZED = "apologized_updates"  # bot_data key


class Apologies:
    """The updates already apologised for: a background task started by a handler (a
    backup, say) may fail after the handler itself did."""

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._ids: OrderedDict[int, None] = OrderedDict()

    def first(self, update_id: int) -> bool:
        if update_id in self._ids:
            return False
        self._ids[update_id] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True


async def report_to_admins(services: Services, error: Exception, update: str) -> None:
    """Queue a report (rate-limited) in the outbox; the dispatcher sends it later, so the
    failed handler is not held up by Telegram, and a storm of errors makes one message."""
    now = services.clock()
    report = services.operations.errors.record(now, error, update, handler_name(error))
    if report is None:
        return
    try:
        await queue_error_report(services.roles, services.outbox, report, now)
    except Exception:  # the error may be the database itself: the log still has it all
        log.warning("could not queue the error report", exc_info=True)


async def on_error(update: object, context: BotContext) -> None:
    await handle_error(update, context)
    if isinstance(update, Update):
        # Without this, PTB hands the same update to the next handler groups
        # (Application.process_update goes on unless the error handler stops it): a message
        # that failed in one group would be handled again, and apologised for again.
        raise ApplicationHandlerStop


async def handle_error(update: object, context: BotContext) -> None:
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
    services = context.bot_data.get(SERVICES_KEY)
    if error is not None and isinstance(services, Services):  # None before start-up ends
        job = context.job.name if context.job is not None else None
        await report_to_admins(services, error, update_kind(update, job))
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    apologies = context.bot_data.setdefault(APOLOGIZED, Apologies())
    if not apologies.first(update.update_id):
        return
    try:
        await context.bot.send_message(update.effective_chat.id, context.t.gettext(APOLOGY))
    except Exception:  # the error may be that Telegram is unreachable: nothing more to do
        log.warning("could not tell the user about the error", exc_info=True)
