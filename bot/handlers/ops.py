"""/backup and /health (admins): a copy of the database, and how the bot is doing."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler

from bot.context import BotContext
from bot.handlers.audience import team
from bot.handlers.common import reply
from bot.services import backups, monitoring
from bot.views.ops import backup_caption, backup_too_large_text, health_text

log = logging.getLogger(__name__)


async def backup_command(update: Update, context: BotContext) -> None:
    """`/backup`: the copy is made and sent in the background, since updates are handled one
    at a time and a large database would keep every other user waiting."""
    context.application.create_task(send_backup(update, context), update=update)


async def send_backup(update: Update, context: BotContext) -> None:
    t, services = context.t, context.services
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_DOCUMENT)
    now = services.clock()
    download = await backups.backup_for_download(services.db, now)
    log.info("backup of %d bytes for admin %s", download.size, chat.id)
    if download.content is None:
        await reply(update, context, backup_too_large_text(t, download.size))
        return
    await context.bot.send_document(
        chat.id,
        download.content,
        filename=download.filename,
        caption=backup_caption(t, now, services.catalogue.markets[0].timezone),
    )


async def health_command(update: Update, context: BotContext) -> None:
    """`/health`: uptime, version, database size, outbox backlog, last error."""
    services = context.services
    figures = await monitoring.health(
        services.db,
        services.outbox,
        services.operations,
        services.settings.backup_dir,
        services.clock(),
    )
    zone = services.catalogue.markets[0].timezone
    await reply(update, context, health_text(context.t, figures, zone))


OPERATORS = team("operate")


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        OPERATORS.command("backup", backup_command),
        OPERATORS.command("health", health_command),
    ]
