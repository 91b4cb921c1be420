"""How to reach a market's organizers, as every applicant-facing screen shows it."""

from __future__ import annotations

import phonenumbers

from bot.catalogue import Market
from bot.i18n import Translator

MOROCCO = 212


def readable_phone(e164: str) -> str:
    """As people dial it: "05 35 00 00 00" for a Moroccan number, "+33 6 12 …" otherwise."""
    number = phonenumbers.parse(e164)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == MOROCCO
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(number, style))


def contact_line(t: Translator, market: Market) -> str | None:
    """One line ("☎️ Organisateurs : +212…, @souk_ifrane"), or None without a contact.

    The number and the username are isolated: inside Arabic text, digit groups and Latin names
    would otherwise be laid out right to left.
    """
    contact = market.contact
    if contact is None:
        return None
    username = f"@{contact.telegram}" if contact.telegram else None
    phone = readable_phone(contact.phone) if contact.phone else None
    ways = [t.isolate(way) for way in (phone, username) if way]
    return t.gettext("☎️ Organisateurs : %(ways)s", ways=t.join(ways))
