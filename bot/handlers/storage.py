"""The database file deleted or replaced while the bot runs: stop acknowledging, tell admins.

SQLite goes on reading and writing the file it opened, even deleted: the bot would thank
people for answers nobody will ever find, and a new start would begin from an empty database.
So every update first checks that DATABASE_PATH still names the open file (a stat, a few
microseconds), and a job checks it every minute when nobody writes. Once it does not, users
are told the service is unavailable and nothing is handled; the admins are alerted directly
(the outbox is in the lost database), and a copy of what the bot still has open is written
into BACKUP_DIR through the bot's own connection: the data to put back.
"""

from __future__ import annotations

import logging
from pathlib import Path

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext, Services
from bot.handlers.common import answer_button, reply
from bot.services.backups import backup_filename
from bot.services.monitoring import StorageLoss
from bot.views.ops import storage_alert_text, unavailable_text
from storage.backup import BackupError, write_backup

log = logging.getLogger(__name__)

# What an admin may still do: see the state, and take the data the bot has.
OPERATOR_COMMANDS = ("/health", "/backup")


async def storage_guard(update: Update, context: BotContext) -> None:
    services = context.services
    watch(services, context)
    if services.operations.storage_loss is None:
        return
    message = update.effective_message
    text = (message.text or "") if message is not None else ""
    if update.message is not None and text.split("@")[0].split(" ")[0] in OPERATOR_COMMANDS:
        return  # their own guard (requires "operate") decides who may
    user, chat = update.effective_user, update.effective_chat
    try:
        if user is not None:
            stored = await services.users.get(user.id)  # a read: it still works
            context.locale = (stored.locale if stored else None) or services.i18n.resolve(
                user.language_code
            )
            if update.callback_query is not None:
                await answer_button(update, unavailable_text(context.t), alert=True)
            elif chat is not None and chat.type == ChatType.PRIVATE:
                await reply(update, context, unavailable_text(context.t))
    except TelegramError as error:
        log.info("could not tell a user the bot is unavailable: %s", error)
    raise ApplicationHandlerStop


async def watch_database(context: BotContext) -> None:
    """Every minute: notice a lost file even when nobody writes to the bot."""
    watch(context.services, context)


def watch(services: Services, context: BotContext) -> None:
    change = services.operations.watch_storage(services.db, services.clock())
    if isinstance(change, StorageLoss):
        context.application.create_task(database_lost(services, context, change))
    elif change is True:
        log.warning(
            "DATABASE_PATH %s names the open database again: back to work", services.db.path
        )


async def database_lost(services: Services, context: BotContext, loss: StorageLoss) -> None:
    db = services.db
    log.critical(
        "DATABASE_PATH %s was %s while the bot ran: nothing is saved any more and users are"
        " told the bot is unavailable. Until it stops, the bot can still copy the data it has"
        " open (/backup): put that copy back, then restart the bot.",
        db.path,
        loss.problem,
    )
    rescue: Path | None = None
    target = services.settings.backup_dir / backup_filename(services.clock())
    try:
        rescue = await write_backup(db, target)
        log.critical("a copy of the open database was written to %s", rescue)
    except (BackupError, OSError) as error:
        log.critical("no copy of the open database could be written to %s: %s", target, error)
    admins = set(services.settings.admin_ids)
    admins |= {member.user_id for member in await services.roles.team() if member.role == "admin"}
    zone = services.catalogue.markets[0].timezone
    for admin in sorted(admins):
        stored = await services.users.get(admin)
        t = services.i18n.translator(stored.locale if stored else None)
        text = storage_alert_text(t, loss, zone, str(rescue) if rescue else None)
        try:
            await context.bot.send_message(admin, text)
        except TelegramError as error:
            log.error("could not alert admin %s about the database: %s", admin, error)
