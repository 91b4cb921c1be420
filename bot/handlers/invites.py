"""/invite (admins): a one-time link that makes whoever opens it a team member, once an admin
confirms. Opening it (`/start inv_...`) is handled here too, called from /start."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.callbacks import InviteAnswer, InviteRole
from bot.context import BotContext
from bot.handlers.common import answer_button, edit_pressed, refuse_button, reply, sender_id
from bot.handlers.language import show_picker
from bot.handlers.team import ADMINS
from bot.menus import set_team_menus
from bot.services.team import Decided
from bot.team_roles import parse_role
from bot.views.team import refusal_text
from bot.views.team_console import (
    claim_text,
    granted_text,
    invite_text,
    person_name,
    roles_keyboard,
)
from storage.roles import ROLES, Change


async def invite_command(update: Update, context: BotContext) -> None:
    """`/invite <role>` (in any of the bot's languages), or `/invite` and a button per role."""
    t = context.t
    args = context.args or []
    role = parse_role(" ".join(args)) if args else None
    if role is None:
        question = t.gettext("Inviter quelqu'un dans l'équipe avec quel rôle ?")
        await reply(update, context, t.start_rtl(question), roles_keyboard(t, InviteRole))
        return
    await _send_link(update, context, role)


async def invite_role_button(update: Update, context: BotContext, pressed: InviteRole) -> None:
    if pressed.role not in ROLES:
        await refuse_button(update, context)
        return
    await answer_button(update)
    await edit_pressed(update)
    await _send_link(update, context, pressed.role)


async def _send_link(update: Update, context: BotContext, role: str) -> None:
    services = context.services
    token, expires = await services.team.create_invite(role, sender_id(update))
    link = f"https://t.me/{context.bot.username}?start={token}"
    zone = services.catalogue.markets[0].timezone  # the team's time zone
    await reply(update, context, invite_text(context.t, link, role, expires, zone))


async def open_invite(update: Update, context: BotContext, token: str) -> None:
    """`/start inv_...`: the first person to open the link waits for an admin's confirmation.
    A newcomer then chooses a language: the welcome is written in it."""
    user = update.effective_user
    assert user is not None
    claim, _ = await context.services.team.open_invite(token, user.id, user.first_name)
    await reply(update, context, claim_text(context.t, claim))
    if not context.locale_chosen:
        await show_picker(update, context)


async def invite_answer_button(update: Update, context: BotContext, pressed: InviteAnswer) -> None:
    """An admin's Confirm or Refuse under "X opened your invitation"."""
    t, services = context.t, context.services
    await answer_button(update)
    await edit_pressed(update)
    decision = await services.team.decide(pressed.invite_id, pressed.confirm, sender_id(update))
    invite = decision.invite
    if decision.outcome is Decided.STALE or invite is None or invite.claimed_by is None:
        await reply(update, context, t.gettext("Cette invitation a déjà reçu une réponse."))
        return
    name = person_name(invite.claimed_name, invite.claimed_by)
    grant = decision.grant
    if decision.outcome is Decided.REFUSED or grant is None:
        text = t.gettext("Invitation refusée : %(person)s n'a aucun rôle.", person=t.isolate(name))
        await reply(update, context, t.start_rtl(text))
    elif grant.change is not Change.DONE:
        await reply(update, context, refusal_text(t, grant.change, name))
    else:
        await set_team_menus(context.bot, services.i18n, services.roles)
        bot_link = f"https://t.me/{context.bot.username}"
        await reply(update, context, granted_text(t, name, invite.role, grant.welcomed, bot_link))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        ADMINS.command("invite", invite_command),
        ADMINS.route(InviteRole, invite_role_button),
        ADMINS.route(InviteAnswer, invite_answer_button),
    ]
