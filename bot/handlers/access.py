"""Who may use the organizer console. To anyone else its commands and buttons do not exist."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.handlers.fallback import stale_button, unknown_message

Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

PERMISSIONS: dict[str, frozenset[str]] = {
    "review": frozenset({"reviewer", "organizer", "admin"}),
    "decide": frozenset({"organizer", "admin"}),
    "export": frozenset({"organizer", "admin"}),
    "broadcast": frozenset({"organizer", "admin"}),
    "catalogue": frozenset({"organizer", "admin"}),
    # The help desk: who is told of members' questions, sees /questions and answers them.
    "questions": frozenset({"reviewer", "organizer", "admin"}),
    "team": frozenset({"admin"}),
    # Backups hold every applicant's personal data: admins only.
    "operate": frozenset({"admin"}),
}


def requires(permission: str, handler: Handler) -> Handler:
    """Attach at registration: the handler runs only for team members with `permission`."""
    allowed = PERMISSIONS[permission]

    @wraps(handler)
    async def guarded(update: Update, context: BotContext) -> None:
        user = update.effective_user
        role = await context.services.roles.role_of(user.id) if user else None
        if role not in allowed:
            if update.callback_query is not None:
                await stale_button(update, context)
            else:
                await unknown_message(update, context)
            return
        await handler(update, context)

    return guarded


async def may(context: BotContext, user_id: int, permission: str) -> bool:
    return await context.services.roles.role_of(user_id) in PERMISSIONS[permission]
