"""What "Send" answers when the phase already has a live application with the same phone or
register number."""

from __future__ import annotations

from bot.catalogue import Market
from bot.i18n import Translator
from bot.views.application import application_line
from bot.views.contact import contact_line
from storage.applications import Application


def duplicate_text(t: Translator, market: Market, existing: Application, own: bool) -> str:
    """The owner sees their application; anyone else learns only that one exists, and whom to
    ask: its reference and decision would tell a stranger who typed a phone or a register
    number whether that person applied and what was decided."""
    if own:
        lines = [
            t.gettext(
                "Une candidature existe déjà pour cette phase, avec le même téléphone "
                "ou le même numéro d'inscription :"
            ),
            application_line(t, market, existing),
        ]
    else:
        lines = [
            t.gettext(
                "Une candidature est déjà enregistrée pour cette phase avec ce téléphone "
                "ou ce numéro d'inscription. La vôtre n'est pas envoyée."
            ),
            t.gettext("S'il s'agit d'une erreur, contactez les organisateurs."),
        ]
        contact = contact_line(t, market)
        if contact is not None:
            lines.append(contact)
    return t.start_rtl("\n".join(lines))
