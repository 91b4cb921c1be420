"""What /grant and /revoke answer when they change nothing."""

from __future__ import annotations

from bot.i18n import Translator
from bot.team_roles import role_name
from storage.roles import ROLES, Change


def refusal_text(t: Translator, change: Change, user_id: str) -> str:
    """Why a role was not changed: admins of ADMIN_IDS are changed only in the configuration,
    and the team always keeps one admin."""
    person = t.isolate(user_id)
    if change is Change.CONFIGURED:
        text = t.gettext(
            "⛔ %(id)s est admin dans la configuration (%(setting)s) : ce rôle se change "
            "seulement là, puis au redémarrage du bot.",
            id=person,
            setting=t.isolate("ADMIN_IDS"),
        )
    elif change is Change.LAST_ADMIN:
        text = t.gettext(
            "⛔ %(id)s est le dernier admin : nommez d'abord un autre admin (%(command)s).",
            id=person,
            command=t.isolate("/grant <id> admin"),
        )
    else:
        text = t.gettext("Aucun rôle à retirer pour %(id)s.", id=person)
    return t.start_rtl(text)


def grant_usage(t: Translator) -> str:
    """How to give a role: by reply to a forwarded message, or with a Telegram id."""
    text = t.gettext(
        "Pour donner un rôle dans l'équipe :\n"
        "• transférez-moi un message de la personne, puis répondez à ce message par %(grant)s ;\n"
        "• ou envoyez-lui un lien d'invitation : %(invite)s ;\n"
        "• ou, si vous connaissez son numéro Telegram : %(by_id)s.\n"
        "Rôles : %(roles)s.",
        grant=t.isolate("/grant"),
        invite=t.isolate("/invite"),
        by_id=t.isolate("/grant 123456789 " + role_name(t, "organizer")),
        roles=t.join(role_name(t, role) for role in ROLES),
    )
    return t.start_rtl(text)


def hidden_sender_text(t: Translator, name: str) -> str:
    """A forward from someone whose privacy settings hide their account: no id to give a
    role to (https://core.telegram.org/bots/api#messageoriginhiddenuser)."""
    text = t.gettext(
        "⚠️ %(person)s cache son compte dans les messages transférés (réglage de "
        "confidentialité de Telegram) : je ne peux pas savoir qui c'est. Envoyez-lui plutôt un "
        "lien d'invitation : %(invite)s.",
        person=t.isolate(name),
        invite=t.isolate("/invite " + role_name(t, "organizer")),
    )
    return t.start_rtl(text)
