"""/grant, /revoke and /team (admins), and /close, /open of a phase (organizers)."""

from __future__ import annotations

from functools import partial

from telegram import Message, MessageOriginHiddenUser, MessageOriginUser, Update
from telegram.ext import BaseHandler

from bot.callbacks import GrantRole, SwitchPhase
from bot.context import BotContext
from bot.handlers import questionnaire, talk
from bot.handlers.audience import team
from bot.handlers.common import answer_button, edit_pressed, refuse_button, reply, sender_id
from bot.menus import clear_team_menu, set_team_menus
from bot.permissions import allows
from bot.team_roles import parse_role, role_name
from bot.validation import parse_id
from bot.views.phases import phase_label
from bot.views.privacy import split_messages
from bot.views.team import grant_usage, hidden_sender_text, refusal_text
from bot.views.team_console import (
    granted_text,
    person_name,
    phases_keyboard,
    roles_keyboard,
)
from storage.roles import ROLES, Change


async def grant_command(update: Update, context: BotContext) -> None:
    """`/grant <user id> <role>`, or `/grant [role]` in reply to a message forwarded from the
    person; the role in any of the bot's languages (bot/team_roles.py), or chosen by button."""
    t = context.t
    args = context.args or []
    message = update.effective_message
    replied = message.reply_to_message if message is not None else None
    if replied is not None and len(args) <= 1:
        await _grant_forwarded(update, context, replied, args[0] if args else None)
        return
    user_id = parse_id(args[0]) if len(args) == 2 else None
    role = parse_role(args[1]) if len(args) == 2 else None
    if user_id is None or role is None:
        await reply(update, context, grant_usage(t))
        return
    await _grant(update, context, user_id, role, args[0])


async def _grant_forwarded(
    update: Update, context: BotContext, replied: Message, typed_role: str | None
) -> None:
    t = context.t
    origin = replied.forward_origin
    # A forward names its sender only if their privacy settings allow it; otherwise it is a
    # MessageOriginHiddenUser with a name and no id (https://core.telegram.org/bots/api#messageorigin).
    if isinstance(origin, MessageOriginHiddenUser):
        await reply(update, context, hidden_sender_text(t, origin.sender_user_name))
        return
    if not isinstance(origin, MessageOriginUser) or origin.sender_user.is_bot:
        await reply(update, context, grant_usage(t))
        return
    person = origin.sender_user
    role = parse_role(typed_role) if typed_role else None
    if role is None:
        name = person_name(person.first_name, person.id)
        text = t.start_rtl(t.gettext("Quel rôle donner à %(person)s ?", person=t.isolate(name)))
        keyboard = roles_keyboard(t, partial(GrantRole, person.id))
        # Quoting the forward lets the button's press read the person's name from it.
        await reply(update, context, text, keyboard, reply_to=replied.message_id)
        return
    name = person_name(person.first_name, person.id)
    await _grant(update, context, person.id, role, name, person.first_name)


async def forwarded_message(update: Update, context: BotContext) -> None:
    """A message an admin forwards (with no question of a form waiting for it): offer to give
    its author a role, with a button per role. Anyone else's forward is an ordinary message."""
    message = update.message
    if message is None or not allows(context.role, "team"):
        await talk.on_message(update, context)
        return
    if not await questionnaire.on_message(update, context):
        await _grant_forwarded(update, context, message, None)


async def grant_button(update: Update, context: BotContext, pressed: GrantRole) -> None:
    if pressed.role not in ROLES:
        await refuse_button(update, context)
        return
    await answer_button(update)
    await edit_pressed(update)
    first_name = _forwarded_name(update, pressed.user_id)
    if not first_name:
        user = await context.services.users.get(pressed.user_id)
        first_name = user.first_name if user else ""
    name = person_name(first_name, pressed.user_id)
    await _grant(update, context, pressed.user_id, pressed.role, name, first_name)


def _forwarded_name(update: Update, user_id: int) -> str:
    """The first name of `user_id` from the forward the pressed message quotes, if it does."""
    query = update.callback_query
    message = query.message if query is not None else None
    replied = message.reply_to_message if isinstance(message, Message) else None
    origin = replied.forward_origin if replied is not None else None
    if isinstance(origin, MessageOriginUser) and origin.sender_user.id == user_id:
        return origin.sender_user.first_name
    return ""


async def _grant(
    update: Update, context: BotContext, user_id: int, role: str, name: str, first_name: str = ""
) -> None:
    """Give the role; `name` says who in the replies, `first_name` is kept for /team."""
    t, services = context.t, context.services
    grant = await services.team.grant(user_id, role, sender_id(update), first_name)
    if grant.change is not Change.DONE:
        await reply(update, context, refusal_text(t, grant.change, name))
        return
    await set_team_menus(context.bot, services.i18n, services.roles)
    bot_link = f"https://t.me/{context.bot.username}"
    await reply(update, context, granted_text(t, name, role, grant.welcomed, bot_link))


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
        f"• {t.isolate(member.user_id)} {t.isolate(member.first_name)} — {role_name(t, member.role)}"
        for member in members
    ]
    for text in split_messages(t, lines):  # a large team: several messages of 4,096 at most
        await reply(update, context, text)


async def _set_open(update: Update, context: BotContext, is_open: bool) -> None:
    """`/close <phase>` or `/open <phase>`; without a phase, the phases to choose from."""
    code = (context.args or [""])[0]
    if not code:
        await _offer_phases(update, context, is_open)
        return
    await _switch(update, context, code, is_open)


async def _offer_phases(update: Update, context: BotContext, is_open: bool) -> None:
    """The phases not yet over whose applications are not already as asked."""
    t, services = context.t, context.services
    now, choices = services.clock(), []
    for market in services.catalogue.markets:
        for phase in market.phases:
            state = await services.catalogue_rows.phase_state(phase.code)
            if phase.ends > now and state is not None and state[1] is not is_open:
                choices.append((market, phase))
    if not choices:
        text = (
            t.gettext("Les candidatures sont déjà ouvertes pour toutes les phases à venir.")
            if is_open
            else t.gettext("Les candidatures sont déjà fermées pour toutes les phases à venir.")
        )
        await reply(update, context, text)
        return
    question = (
        t.gettext("Rouvrir les candidatures de quelle phase ?")
        if is_open
        else t.gettext("Fermer les candidatures de quelle phase ?")
    )
    await reply(update, context, question, phases_keyboard(t, choices, is_open))


async def switch_phase_button(update: Update, context: BotContext, pressed: SwitchPhase) -> None:
    await answer_button(update)
    await edit_pressed(update)
    await _switch(update, context, pressed.phase, pressed.is_open)


async def _switch(update: Update, context: BotContext, code: str, is_open: bool) -> None:
    t, services = context.t, context.services
    phase = services.catalogue.phase(code)
    market = services.catalogue.market(phase.market_code) if phase else None
    if (
        phase is None
        or market is None
        or not await services.catalogue_rows.set_applications_open(code, is_open)
    ):
        await reply(update, context, t.gettext("Phase inconnue. Exemple : /close ifrane-2"))
        return
    label = phase_label(t, market, phase)
    text = (
        t.gettext("✅ Candidatures ouvertes pour %(phase)s.", phase=label)
        if is_open
        else t.gettext("✅ Candidatures fermées pour %(phase)s.", phase=label)
    )
    await reply(update, context, t.start_rtl(text))


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
        DECIDERS.route(SwitchPhase, switch_phase_button),
        ADMINS.command("grant", grant_command),
        ADMINS.command("revoke", revoke_command),
        ADMINS.command("team", team_command),
        ADMINS.route(GrantRole, grant_button, stale=refuse_button),
    ]
