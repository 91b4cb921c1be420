"""/poster (organizers): a printable call for applications with a QR code that opens the bot."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import BaseHandler

from bot.callbacks import PosterFor
from bot.catalogue import Market
from bot.context import BotContext
from bot.handlers.broadcast import BROADCASTERS
from bot.handlers.common import answer_button, refuse_button, reply
from bot.ratelimit import PACED
from bot.views import poster as view
from bot.views import poster_screens as screens


async def poster_command(update: Update, context: BotContext) -> None:
    """`/poster [market]`: that market's poster; without a market (or an unknown one), a button
    per market."""
    t, catalogue = context.t, context.services.catalogue
    args = context.args or []
    market = catalogue.market(args[0].lower()) if args else None
    if market is None and not args and len(catalogue.markets) == 1:
        market = catalogue.markets[0]
    if market is None:
        await reply(
            update,
            context,
            screens.choose_market_text(t, args[0] if args else None),
            screens.markets_keyboard(t, catalogue.markets),
        )
        return
    await send_poster(update, context, market)


async def poster_button(update: Update, context: BotContext, pressed: PosterFor) -> None:
    market = context.services.catalogue.market(pressed.market)
    if market is None:  # removed from the catalogue since the buttons were drawn
        await refuse_button(update, context)
        return
    await answer_button(update)
    await send_poster(update, context, market)


async def send_poster(update: Update, context: BotContext, market: Market) -> None:
    """A preview as a photo, then the PNG as a document: Telegram recompresses photos, and a
    printer needs every dot of the QR code."""
    t, services = context.t, context.services
    chat = update.effective_chat
    if chat is None:
        return
    availabilities = await services.applications.market_availability(market)
    phases = [availability.phase for availability in availabilities if availability.open]
    if not phases:
        await reply(update, context, screens.all_closed_text(t, market))
        return
    link = view.deep_link(context.bot.username, market.code)
    translators = [services.i18n.translator(locale) for locale in services.i18n.locales[:2]]
    # Drawing takes a fraction of a second: the event loop serves other users meanwhile.
    png = await asyncio.to_thread(view.poster_png, translators, market, phases, link)
    await context.bot.send_photo(chat.id, png, caption=screens.preview_caption(t, market))
    await context.bot.send_document(
        chat.id,
        png,
        filename=f"affiche-{market.code}.png",
        caption=screens.document_caption(t, link),
        rate_limit_args=PACED,  # right after the preview, in the same chat
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        BROADCASTERS.command("poster", poster_command),
        BROADCASTERS.route(PosterFor, poster_button, stale=refuse_button),
    ]
