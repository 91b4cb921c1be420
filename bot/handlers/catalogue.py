"""/reload: read the market catalogue file again without restarting the bot (organizers)."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import BaseHandler

from bot.catalogue import CatalogueError, load_catalogue
from bot.context import BotContext
from bot.handlers.audience import team
from bot.handlers.common import reply
from bot.services.catalogue import sync_catalogue
from bot.services.reminders import sync_reminders

log = logging.getLogger(__name__)


async def reload_command(update: Update, context: BotContext) -> None:
    """A file with a mistake changes nothing: the organizer reads where it is, the bot goes on
    with the catalogue it has. Otherwise phases, places and dates apply at once, and the
    reminders are recomputed so that none is left at an old date."""
    t, services = context.t, context.services
    path = services.settings.markets_file
    try:
        catalogue = await asyncio.to_thread(load_catalogue, path)
    except CatalogueError as error:
        await reply(
            update, context, t.gettext("❌ Catalogue non rechargé : %(error)s", error=str(error))
        )
        return
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
        "catalogue reloaded from %s: %d markets, %d phases", path, len(catalogue.markets), phases
    )
    counts = t.join(
        [
            t.ngettext("%(count)s marché", "%(count)s marchés", len(catalogue.markets)),
            t.ngettext("%(count)s phase", "%(count)s phases", phases),
        ]
    )
    await reply(
        update,
        context,
        t.gettext("✅ Catalogue rechargé (%(counts)s). Rappels recalculés.", counts=counts),
    )


CATALOGUE_EDITORS = team("catalogue")


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CATALOGUE_EDITORS.command("reload", reload_command)]
