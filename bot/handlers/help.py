"""/help: what the bot does, in a few short lines, and how to reach each market's organizers."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot import keyboards
from bot.context import BotContext
from bot.handlers.audience import MEMBERS
from bot.handlers.common import reply
from bot.handlers.questionnaire import informs
from bot.views.contact import contact_line
from bot.views.team_console import console_help


def help_text(context: BotContext) -> str:
    t = context.t
    return t.start_rtl(
        "\n".join(
            [
                t.gettext("Ce bot vous aide à participer aux marchés solidaires."),
                t.gettext("📝 Candidater : /apply"),
                t.gettext("📅 Marchés, dates et formations : /info"),
                t.gettext("📂 Votre candidature : /status"),
                t.gettext("✏️ Corriger une candidature envoyée : /correct"),
                t.gettext("🌐 Changer de langue : /language"),
                t.gettext("🔒 Vos données personnelles : /privacy"),
                t.gettext("💬 Poser une question aux organisateurs : /ask"),
                t.gettext("Utilisez les boutons. Vous pouvez aussi envoyer un message vocal."),
                *contact_lines(context),
                *console_help(t, context.role),
            ]
        )
    )


def contact_lines(context: BotContext) -> list[str]:
    """How to reach the organizers of each market: a question the bot cannot answer goes there."""
    t, lines = context.t, []
    for market in context.services.catalogue.markets:
        contact = contact_line(t, market)
        if contact:
            lines += [
                "",
                t.gettext("🏪 %(market)s", market=market.short_name.get(t.locale)),
                contact,
            ]
    return lines


async def help_command(update: Update, context: BotContext) -> None:
    await reply(update, context, help_text(context), keyboards.main_menu(context.t))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.command("help", informs(help_command)),
    ]
