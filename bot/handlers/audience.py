"""Who a group of handlers serves, stated once where the group is declared.

Every feature module ends with `handlers()`, its commands and buttons built from an audience:

    MEMBERS.command("status", informs(status_command))
    REVIEWERS.route(ReviewCard, review_button)

`MEMBERS` is anyone in a private chat; `team(permission)` is the team members holding that
permission (bot/handlers/access.py), to whom the others' commands and buttons do not exist.
Groups and channels never reach a handler: users.track_user keeps them out, and every command
built here also filters on private chats (the bot sends its buttons in private chats only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.handlers.access import Handler, requires
from bot.handlers.fallback import stale_button
from bot.handlers.routes import ButtonHandler, Data, route
from bot.permissions import PERMISSIONS

PRIVATE = filters.ChatType.PRIVATE


@dataclass(frozen=True)
class Audience:
    """Anyone in a private chat (`permission` None), or team members with `permission`."""

    permission: str | None = None

    def __post_init__(self) -> None:
        if self.permission is not None and self.permission not in PERMISSIONS:
            raise ValueError(f"unknown permission {self.permission!r}")

    def command(self, name: str, callback: Handler) -> CommandHandler[BotContext, None]:
        if self.permission is not None:
            callback = requires(self.permission, callback)
        return CommandHandler(name, callback, filters=PRIVATE)

    def route(
        self,
        kind: type[Data],
        handler: ButtonHandler[Data],
        *,
        stale: Handler = stale_button,
        then: Callable[[Handler], Handler] | None = None,
    ) -> CallbackQueryHandler[BotContext, None]:
        """The route of one button (bot/handlers/routes.py): `stale` answers data of this
        action that does not parse; `then` wraps the handler (e.g. `informs`)."""
        return route(kind, handler, permission=self.permission, stale=stale, then=then)


MEMBERS = Audience()


def team(permission: str) -> Audience:
    return Audience(permission)
