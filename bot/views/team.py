"""What /grant and /revoke answer when they change nothing."""

from __future__ import annotations

from bot.i18n import Translator
from storage.roles import Change


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
