"""/info and the "Markets and schedule" button: a short card per market, a phase on demand."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.callbacks import ShowMarket
from bot.catalogue import Market, Phase
from bot.context import BotContext
from bot.handlers.apply import apply_to_market
from bot.handlers.audience import MEMBERS
from bot.handlers.common import answer_button, refuse_button, reply
from bot.handlers.questionnaire import informs
from bot.views import info as view


async def send_market(update: Update, context: BotContext, market: Market) -> None:
    availabilities = await context.services.applications.market_availability(market)
    t = context.t
    await reply(
        update,
        context,
        view.market_card(t, market, availabilities),
        view.market_keyboard(t, market, availabilities),
    )


async def send_phase(update: Update, context: BotContext, market: Market, phase: Phase) -> None:
    """The venue's map pin first, then the details: their buttons end up at the bottom."""
    t = context.t
    pin = view.venue(t, market, phase)
    chat = update.effective_chat
    if pin is not None and chat is not None:
        latitude, longitude, title, address = pin
        await context.bot.send_venue(chat.id, latitude, longitude, title, address)
    availability = await context.services.applications.availability(phase)
    await reply(
        update,
        context,
        view.phase_text(t, market, availability),
        view.phase_keyboard(t, market, availability),
    )


async def info_command(update: Update, context: BotContext) -> None:
    """One short card per market (each message well under 1,000 characters)."""
    for market in context.services.catalogue.markets:
        await send_market(update, context, market)


async def market_button(update: Update, context: BotContext, pressed: ShowMarket) -> None:
    """A market's card, or with a phase number that phase."""
    market = context.services.catalogue.market(pressed.market)
    number = pressed.phase
    phase = market.phase(number) if market is not None and number is not None else None
    if market is None or (number is not None and phase is None):
        await refuse_button(update, context)
        return
    await answer_button(update)
    if phase is None:
        await send_market(update, context, market)
    else:
        await send_phase(update, context, market, phase)


async def open_deep_link(update: Update, context: BotContext, payload: str) -> bool:
    """`/start ifrane` (the poster's QR code) opens the application to that market,
    `/start ifrane-2` the details of its phase 2; False if nothing matches."""
    catalogue = context.services.catalogue
    market = catalogue.market(payload)
    if market is not None:
        await apply_to_market(update, context, market.code)
        return True
    phase = catalogue.phase(payload)
    market = catalogue.market(phase.market_code if phase else payload.rsplit("-", 1)[0])
    if market is None:
        return False
    if phase is None:  # a phase no longer in the catalogue: the market's card
        await send_market(update, context, market)
    else:
        await send_phase(update, context, market, phase)
    return True


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.command("info", informs(info_command)),
        MEMBERS.route(ShowMarket, market_button, stale=refuse_button, then=informs),
    ]
