"""/info and the "Markets and schedule" button: markets, phases, poles and trainings."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards
from bot.catalogue import Market
from bot.context import BotContext
from bot.handlers.common import answer_button, refuse_button, reply
from bot.views.info import market_text, markets_overview


def _market_keyboard(context: BotContext, market: Market) -> InlineKeyboardMarkup:
    t = context.t
    return keyboards.inline(
        [
            [keyboards.button(t.gettext("📝 Candidater à ce marché"), "apply", market.code)],
            keyboards.back_to_menu(t),
        ]
    )


async def send_market(update: Update, context: BotContext, market: Market) -> None:
    await reply(update, context, market_text(context.t, market), _market_keyboard(context, market))


async def info_command(update: Update, context: BotContext) -> None:
    """Every market in full, one message each, so each stays well under 4,096 characters."""
    markets = context.services.catalogue.markets
    await reply(update, context, markets_overview(context.t, markets))
    for market in markets:
        await send_market(update, context, market)


async def market_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    _, args = keyboards.decode(query.data)
    market = context.services.catalogue.market(args[0]) if len(args) == 1 else None
    if market is None:
        await refuse_button(update, context)
        return
    await answer_button(update)
    await send_market(update, context, market)


async def open_deep_link(update: Update, context: BotContext, payload: str) -> bool:
    """`/start ifrane` or `/start ifrane-2` opens that market; False if nothing matches."""
    catalogue = context.services.catalogue
    market = catalogue.market(payload) or catalogue.market(payload.rsplit("-", 1)[0])
    if market is None:
        return False
    await send_market(update, context, market)
    return True
