"""How joining the team reads: roles to choose, invitations, the welcome, the console in /help,
and the phases to close or open."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.callbacks import CallbackData, InviteAnswer, SwitchPhase
from bot.catalogue import Market, Phase
from bot.i18n import Translator
from bot.keyboards import button, inline
from bot.menus import console_commands
from bot.services.outbox import Outgoing
from bot.team_roles import role_name
from bot.views.phases import phase_button_label
from storage.invites import Claim
from storage.roles import ROLES
from storage.templates import Template


def roles_keyboard(t: Translator, pressed: Callable[[str], CallbackData]) -> InlineKeyboardMarkup:
    """One button per role, named in the reader's language."""
    return inline([[button(role_name(t, role).capitalize(), pressed(role))] for role in ROLES])


def console_lines(t: Translator, role: str | None) -> list[str]:
    """The console's commands `role` may use, one line each: for /help and the welcome."""
    return [
        t.gettext(
            "%(description)s : %(command)s",
            description=command.description,
            command=t.isolate(f"/{command.command}"),
        )
        for command in console_commands(t, role)
    ]


def console_help(t: Translator, role: str | None) -> list[str]:
    """/help's part for a team member (none for anyone else)."""
    lines = console_lines(t, role)
    if not lines or role is None:
        return []
    heading = t.gettext("🛠 Console de l'équipe (vous êtes %(role)s) :", role=role_name(t, role))
    return ["", heading, *lines]


def welcome_text(t: Translator, role: str) -> str:
    lines = [
        t.gettext(
            "👋 Bienvenue dans l'équipe des organisateurs ! Votre rôle : %(role)s.",
            role=role_name(t, role),
        ),
        t.gettext("Vos commandes (elles sont aussi dans le menu, en bas à gauche) :"),
        *console_lines(t, role),
        "",
        t.gettext("Cette liste est aussi dans /help."),
    ]
    return t.start_rtl("\n".join(lines))


def granted_text(t: Translator, name: str, role: str, welcomed: bool, bot_link: str) -> str:
    text = t.gettext(
        "✅ %(person)s est maintenant %(role)s.", person=t.isolate(name), role=role_name(t, role)
    )
    if welcomed:
        text += "\n" + t.gettext("Un message de bienvenue lui présente ses commandes.")
    else:
        text += "\n" + t.gettext(
            "Cette personne n'a pas encore ouvert le bot : envoyez-lui ce lien, %(link)s ; "
            "ses commandes seront dans son menu.",
            link=t.isolate(bot_link),
        )
    return t.start_rtl(text)


def person_name(first_name: str, user_id: int) -> str:
    return f"{first_name} ({user_id})" if first_name else str(user_id)


def invite_text(t: Translator, link: str, role: str, expires: datetime, zone: ZoneInfo) -> str:
    text = t.gettext(
        "🔗 Lien d'invitation (rôle : %(role)s), valable une seule fois, jusqu'au %(date)s :\n"
        "%(link)s\n\n"
        "Envoyez ce lien à la personne. Quand elle l'ouvrira, je vous demanderai de confirmer "
        "avant de lui donner le rôle.",
        role=role_name(t, role),
        date=t.datetime(expires.astimezone(zone)),
        link=t.isolate(link),
    )
    return t.start_rtl(text)


def claim_text(t: Translator, claim: Claim) -> str:
    """What the person who opened an invite link reads."""
    if claim is Claim.CLAIMED:
        text = t.gettext(
            "✅ Merci ! Votre demande pour rejoindre l'équipe est envoyée. "
            "Vous recevrez un message dès qu'elle sera confirmée."
        )
    elif claim is Claim.OWN:
        text = t.gettext(
            "Ce lien d'invitation est le vôtre : envoyez-le à la personne à inviter. "
            "Il ne sert qu'une fois."
        )
    elif claim is Claim.EXPIRED:
        text = t.gettext(
            "⌛ Ce lien d'invitation a expiré. Demandez un nouveau lien à la personne qui vous "
            "l'a envoyé."
        )
    else:
        text = t.gettext(
            "⛔ Ce lien d'invitation n'est plus valable. Demandez un nouveau lien à la personne "
            "qui vous l'a envoyé."
        )
    return t.start_rtl(text)


def team_delivery(
    t: Translator, template: Template, params: Mapping[str, object]
) -> Outgoing | None:
    """The outbox messages of joining the team (bot/services/team.py), in the recipient's
    language: the welcome (params: role), a refusal, an invitation opened (to the admin who
    invited; params: invite_id, role, user_id, name)."""
    if template == Template.TEAM_WELCOME:
        return Outgoing(welcome_text(t, str(params["role"])))
    if template == Template.INVITE_REFUSED:
        return Outgoing(
            t.start_rtl(t.gettext("Votre demande pour rejoindre l'équipe n'a pas été acceptée."))
        )
    if template != Template.INVITE_OPENED:
        return None
    invite_id = int(str(params["invite_id"]))
    name = person_name(str(params.get("name") or ""), int(str(params["user_id"])))
    text = t.gettext(
        "🔔 %(person)s a ouvert votre lien d'invitation (rôle : %(role)s). Lui donner ce rôle ?",
        person=t.isolate(name),
        role=role_name(t, str(params["role"])),
    )
    markup = inline(
        [
            [
                button(t.gettext("✅ Confirmer"), InviteAnswer(invite_id, True)),
                button(t.gettext("❌ Refuser"), InviteAnswer(invite_id, False)),
            ]
        ]
    )
    return Outgoing(t.start_rtl(text), markup)


def phases_keyboard(
    t: Translator, phases: Sequence[tuple[Market, Phase]], is_open: bool
) -> InlineKeyboardMarkup:
    """One button per phase to open (`is_open`) or close."""
    rows = []
    for market, phase in phases:
        rows.append(
            [button(phase_button_label(t, market, phase), SwitchPhase(phase.code, is_open))]
        )
    return inline(rows)
