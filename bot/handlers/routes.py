"""Buttons to handlers: each handler receives the button pressed, parsed (bot/callbacks/).

`route(ConfirmOffer, decisions.offer_button)` takes every press whose data starts with `cf`;
data of that action that does not parse (an old format, a forged or cut field) gets the stale
button's answer, so no handler reads fields by position.

A new button: its class in bot/callbacks/ (`@action`, a new short code, typed fields), the
button built in a view (`keyboards.button(label, Kind(...))`), its handler
`async def pressed(update, context, button: Kind)`, and `AUDIENCE.route(Kind, handler)` in its
module's `handlers()` (bot/handlers/audience.py).
tests/bot/test_callbacks.py fails while a class has no route or no button built anywhere."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.callbacks import CallbackData
from bot.context import BotContext
from bot.handlers.access import Handler, requires
from bot.handlers.fallback import stale_button

Data = TypeVar("Data", bound=CallbackData)
ButtonHandler = Callable[[Update, BotContext, Data], Coroutine[Any, Any, None]]


def parsed(kind: type[Data], handler: ButtonHandler[Data], stale: Handler) -> Handler:
    """`handler` called with the button `kind` parsed; `stale` when it does not parse."""

    @wraps(handler)
    async def with_button(update: Update, context: BotContext) -> None:
        query = update.callback_query
        pressed = kind.parse(query.data if query is not None else None)
        if pressed is None:
            await stale(update, context)
            return
        await handler(update, context, pressed)

    return with_button


def route(
    kind: type[Data],
    handler: ButtonHandler[Data],
    *,
    permission: str | None = None,
    stale: Handler = stale_button,
    then: Callable[[Handler], Handler] | None = None,
) -> CallbackQueryHandler[BotContext, None]:
    """The CallbackQueryHandler of one action. `permission`: only team members with it (the
    others get the stale answer, as for any button that does not exist for them); `stale`:
    the answer to malformed data of this action; `then`: a wrapper such as `informs`."""
    callback = parsed(kind, handler, stale)
    if then is not None:
        callback = then(callback)
    if permission is not None:
        callback = requires(permission, callback)
    return CallbackQueryHandler(callback, pattern=kind.pattern())
