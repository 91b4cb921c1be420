"""/grant, /revoke and /team (admins), and /close, /open of a phase (organizers)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import BotContext
from bot.handlers.audience import team
from bot.handlers.common import reply
from bot.menus import clear_team_menu, set_team_menus
from bot.validation import parse_id
from bot.views.privacy import split_messages
from bot.views.team import refusal_text
from storage.roles import ROLES, Change


async def grant_command(update: Update, context: BotContext) -> None:
    """`/grant <user id> <admin|organizer|reviewer>`"""
    t, services = context.t, context.services
    args = context.args or []
    user_id = parse_id(args[0]) if len(args) == 2 else None
    if user_id is None or args[1] not in ROLES:
        await reply(update, context, t.gettext("Usage : /grant <id> <admin|organizer|reviewer>"))
        return
    assert update.effective_user is not None
    change = await services.roles.grant(
        user_id, args[1], update.effective_user.id, services.clock()
    )
    if change is not Change.DONE:
        await reply(update, context, refusal_text(t, change, args[0]))
        return
    await set_team_menus(context.bot, services.i18n, services.roles)
    await reply(
        update, context, t.gettext("✅ %(id)s est maintenant %(role)s.", id=args[0], role=args[1])
    )


async def revoke_command(update: Update, context: BotContext) -> None:
    """`/revoke <user id>`"""
    t, services = context.t, context.services
    args = context.args or []
    user_id = parse_id(args[0]) if len(args) == 1 else None
    if user_id is None:
        await reply(update, context, t.gettext("Usage : /revoke <id>"))
        return
    change = await services.roles.revoke(user_id)
    if change is Change.DONE:
        await clear_team_menu(context.bot, services.i18n, user_id)
        await reply(update, context, t.gettext("✅ Rôle retiré à %(id)s.", id=args[0]))
    else:
        await reply(update, context, refusal_text(t, change, args[0]))


async def team_command(update: Update, context: BotContext) -> None:
    t = context.t
    members = await context.services.roles.team()
    lines = [t.gettext("L'équipe :")] + [
        f"• {t.isolate(member.user_id)} {t.isolate(member.first_name)} — {member.role}"
        for member in members
    ]
    for text in split_messages(t, lines):  # a large team: several messages of 4,096 at most
        await reply(update, context, text)


async def _set_open(update: Update, context: BotContext, is_open: bool) -> None:
    t, services = context.t, context.services
    code = (context.args or [""])[0]
    if not await services.catalogue_rows.set_applications_open(code, is_open):
        await reply(update, context, t.gettext("Phase inconnue. Exemple : /close ifrane-2"))
        return
    text = (
        t.gettext("✅ Candidatures ouvertes pour %(phase)s.", phase=code)
        if is_open
        else t.gettext("✅ Candidatures fermées pour %(phase)s.", phase=code)
    )
    await reply(update, context, text)


async def close_command(update: Update, context: BotContext) -> None:
    await _set_open(update, context, False)


async def open_command(update: Update, context: BotContext) -> None:
    await _set_open(update, context, True)


DECIDERS = team("decide")
ADMINS = team("team")


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        DECIDERS.command("close", close_command),
        DECIDERS.command("open", open_command),
        ADMINS.command("grant", grant_command),
        ADMINS.command("revoke", revoke_command),
        ADMINS.command("team", team_command),
    ]
