"""How the bot answers what people write or send outside the form: greetings, thanks, several
requests at once, and voice notes or files it cannot read."""

from __future__ import annotations

from collections.abc import Iterable

from bot.catalogue import Market
from bot.i18n import N_, Translator
from bot.talk import Intent
from bot.views.contact import contact_line

SMALL_TALK_LINES = {
    Intent.GREETING: N_("👋 Bonjour, bienvenue !"),
    Intent.THANKS: N_("😊 Avec plaisir !"),
    Intent.GOODBYE: N_("👋 Au revoir, à bientôt !"),
}


def small_talk_line(t: Translator, intent: Intent) -> str:
    """One short line answering a greeting, thanks or goodbye."""
    return t.gettext(SMALL_TALK_LINES.get(intent, SMALL_TALK_LINES[Intent.GREETING]))


def small_talk_text(t: Translator, intent: Intent) -> str:
    """The answer at the menu: the line, then what to do next."""
    lines = [
        small_talk_line(t, intent),
        t.gettext("Que voulez-vous faire ? Choisissez dans le menu :"),
    ]
    return t.start_rtl("\n".join(lines))


def several_requests_text(t: Translator) -> str:
    """Words naming two screens at once: the bot does not guess."""
    return t.start_rtl(
        t.gettext("Votre message parle de plusieurs choses. Choisissez dans le menu :")
    )


def unreadable_text(t: Translator, markets: Iterable[Market]) -> str:
    """A voice note, photo, sticker or file sent at the menu: what the bot can do, and whom to
    ask instead."""
    lines = [
        t.gettext("🤖 Je suis un assistant automatique : je ne lis pas ce type de message ici."),
        t.gettext("Avec le menu, vous pouvez :"),
        t.gettext("📝 candidater à un marché"),
        t.gettext("📅 voir les marchés, les dates et les formations"),
        t.gettext("📂 suivre votre candidature"),
    ]
    lines += [
        t.gettext(
            "%(market)s — %(contact)s",
            market=t.isolate(market.short_name.get(t.locale)),
            contact=line,
        )
        for market in markets
        if (line := contact_line(t, market)) is not None
    ]
    return t.start_rtl("\n".join(lines))
