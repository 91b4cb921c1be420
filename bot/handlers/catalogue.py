"""The market catalogue from the chat (organizers): /reload reads the file again without
restarting the bot; /catalogue sends the file, and an edited `.toml` sent back replaces it."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, BaseHandler

from bot.catalogue import Catalogue, CatalogueError, load_catalogue
from bot.context import BotContext
from bot.handlers.access import may
from bot.handlers.audience import team
from bot.handlers.common import reply, sender_id
from bot.organizer_notices import notices
from bot.services import catalogue_file
from bot.services.catalogue import sync_catalogue
from bot.services.reminders import sync_reminders
from bot.views import catalogue_file as view
from storage.organizer_events import CatalogueChange

log = logging.getLogger(__name__)

# Two members' updates run concurrently (bot/updates.py): without it, one could write the
# file while the other's catalogue is applied, leaving the bot on a catalogue not in the file.
_CHANGING = asyncio.Lock()


async def _apply(context: BotContext, catalogue: Catalogue) -> str:
    """Phases, places and dates apply at once, and the reminders are recomputed so that none
    is left at an old date. Returns the counts, in words."""
    services, t = context.services, context.t
    await sync_catalogue(catalogue, services.catalogue_rows)
    services.use_catalogue(catalogue)
    # New dates or trainings move every reminder: the catalogue's door re-plans them all.
    await sync_reminders(
        catalogue,
        services.applications.repository,
        services.outbox,
        services.clock(),
        services.settings.quiet_hours,
    )
    phases = sum(len(market.phases) for market in catalogue.markets)
    log.info(
        "catalogue applied from %s: %d markets, %d phases",
        services.settings.markets_file,
        len(catalogue.markets),
        phases,
    )
    return t.join(
        [
            t.ngettext("%(count)s marché", "%(count)s marchés", len(catalogue.markets)),
            t.ngettext("%(count)s phase", "%(count)s phases", phases),
        ]
    )


async def reload_command(update: Update, context: BotContext) -> None:
    """A file with a mistake changes nothing: the organizer reads where it is, the bot goes on
    with the catalogue it has."""
    t, services = context.t, context.services
    path = services.settings.markets_file
    async with _CHANGING:
        try:
            catalogue = await asyncio.to_thread(load_catalogue, path)
        except CatalogueError as error:
            text = t.gettext("❌ Catalogue non rechargé : %(error)s", error=str(error))
        else:
            counts = await _apply(context, catalogue)
            text = t.gettext(
                "✅ Catalogue rechargé (%(counts)s). Rappels recalculés.", counts=counts
            )
    await reply(update, context, text)


async def catalogue_command(update: Update, context: BotContext) -> None:
    """The file in use, to edit and send back."""
    path = context.services.settings.markets_file
    try:
        content = await asyncio.to_thread(path.read_bytes)
    except OSError as error:
        await reply(update, context, view.unreadable_text(context.t, error.strerror or ""))
        return
    found = await notices(context.services).last_catalogue_change()
    last = None
    if found is not None:
        change, name = found
        zone = context.services.catalogue.markets[0].timezone
        last = (change.changed_at.astimezone(zone), name or str(change.user_id))
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id, content, filename=path.name, caption=view.sent_caption(context.t, last)
    )


async def catalogue_upload(update: Update, context: BotContext) -> None:
    """An edited catalogue sent as a `.toml` document by a member who may change it; any other
    document goes on to the other handlers (an applicant's file, a member's other file)."""
    message = update.message
    document = message.document if message is not None else None
    if document is None or context.role is None:
        return
    if not catalogue_file.is_catalogue_name(document.file_name):
        return
    if not await may(context, sender_id(update), "catalogue"):
        return
    t, services = context.t, context.services
    name = document.file_name or "catalogue.toml"
    if (document.file_size or 0) > catalogue_file.MAX_CATALOGUE_BYTES:
        await reply(update, context, view.too_big_text(t))
        raise ApplicationHandlerStop
    try:
        telegram_file = await context.bot.get_file(document.file_id)
        raw = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as error:
        log.warning("catalogue upload not downloaded: %s", error)
        await reply(update, context, view.not_downloaded_text(t))
        raise ApplicationHandlerStop from None
    if len(raw) > catalogue_file.MAX_CATALOGUE_BYTES:
        await reply(update, context, view.too_big_text(t))
        raise ApplicationHandlerStop
    try:
        catalogue = await asyncio.to_thread(catalogue_file.check, raw, name)
    except CatalogueError as error:
        await reply(update, context, view.refused_text(t, str(error)))
        raise ApplicationHandlerStop from None
    path, now = services.settings.markets_file, services.clock()
    local = now.astimezone(services.catalogue.markets[0].timezone)
    async with _CHANGING:
        try:
            copy = await asyncio.to_thread(catalogue_file.install, path, raw, local)
        except OSError as error:
            log.warning("catalogue file %s not written: %s", path, error)
            await reply(update, context, view.not_written_text(t, error.strerror or ""))
            raise ApplicationHandlerStop from None
        await notices(services).record_catalogue_change(
            CatalogueChange(sender_id(update), now, name, copy.name if copy else None)
        )
        counts = await _apply(context, catalogue)
    await reply(update, context, view.applied_text(t, counts, copy.name if copy else None))
    raise ApplicationHandlerStop


CATALOGUE_EDITORS = team("catalogue")


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CATALOGUE_EDITORS.command("reload", reload_command),
        CATALOGUE_EDITORS.command("catalogue", catalogue_command),
    ]
