"""/reminders: what the bot will remind me of, and turning the non-essential ones off."""

from __future__ import annotations

from datetime import datetime

from telegram import Update

from bot import keyboards
from bot.context import BotContext
from bot.handlers.common import answer_button, reply, sender_id
from bot.handlers.fallback import stale_button
from bot.i18n import N_
from bot.services.reminders import sync_reminders

LABELS = {
    "phase_soon": N_("Début du marché"),
    "training_soon": N_("Formation"),
    "confirm_soon": N_("Confirmer votre présence"),
    "draft_deadline": N_("Terminer votre candidature"),
}


async def reminders_command(update: Update, context: BotContext) -> None:
    t, services = context.t, context.services
    user = sender_id(update)
    planned = await services.outbox.planned_for(user)
    off = await services.users.reminders_off(user)
    zone = services.catalogue.markets[0].timezone
    lines = [t.gettext("Vos rappels prévus :") if planned else t.gettext("Aucun rappel prévu.")]
    lines += [
        t.gettext(
            "• %(when)s — %(what)s",
            when=t.datetime(datetime.fromisoformat(at).astimezone(zone)),
            what=t.gettext(LABELS.get(template, template)),
        )
        for at, template, _ in planned
    ]
    if off:
        lines.append(t.gettext("Les rappels non essentiels sont arrêtés."))
    toggle = (
        keyboards.button(t.gettext("🔔 Recevoir tous les rappels"), "rem", "on")
        if off
        else keyboards.button(t.gettext("🔕 Rappels essentiels seuls"), "rem", "off")
    )
    await reply(update, context, t.start_rtl("\n".join(lines)), keyboards.inline([[toggle]]))


async def reminders_button(update: Update, context: BotContext) -> None:
    """`rem:on|off`"""
    _, args = keyboards.decode(update.callback_query.data if update.callback_query else None)
    if args not in (["on"], ["off"]):
        await stale_button(update, context)
        return
    services = context.services
    await services.users.set_reminders_off(sender_id(update), args[0] == "off")
    await sync_reminders(
        services.catalogue, services.applications.repository, services.outbox, services.clock()
    )
    await answer_button(update)
    await reminders_command(update, context)
