"""/notifications: each organizer chooses a daily digest or a notice at once; and the button
that offers a place left free (`auto_offer = false`) to the first on the waiting list."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.callbacks import OfferFreed, SetNotices
from bot.context import BotContext
from bot.handlers.audience import team
from bot.handlers.common import answer_button, edit_pressed, reply, sender_id
from bot.organizer_notices import notices
from bot.views import organizer_events as view


async def notifications_command(update: Update, context: BotContext) -> None:
    t = context.t
    immediate = await notices(context.services).immediate(sender_id(update))
    await reply(
        update,
        context,
        view.notifications_text(t, immediate),
        view.notifications_keyboard(t, immediate),
    )


async def notices_button(update: Update, context: BotContext, pressed: SetNotices) -> None:
    t, services = context.t, context.services
    await notices(services).choose(sender_id(update), pressed.immediate, services.clock())
    await answer_button(update, t.gettext("Réglage enregistré."))
    await edit_pressed(
        update,
        view.notifications_keyboard(t, pressed.immediate),
        view.notifications_text(t, pressed.immediate),
    )


async def offer_freed_button(update: Update, context: BotContext, pressed: OfferFreed) -> None:
    """Through the decision door: the offer, its message to the applicant and its reminders
    are written together; a second press, or another organizer's, finds no place left."""
    t, services = context.t, context.services
    await answer_button(update)
    changes = await notices(services).offer_waiting_place(
        services.applications, pressed.phase, sender_id(update), services.clock()
    )
    if not changes:
        await reply(update, context, view.nothing_to_offer_text(t))
        return
    offered = await services.application_records.get(changes[0].application_id)
    await reply(update, context, view.offered_text(t, offered.reference if offered else None))


# Decisions follow from what organizers are told: those who may decide are told.
DECIDERS = team("decide")


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        DECIDERS.command("notifications", notifications_command),
        DECIDERS.route(SetNotices, notices_button),
        DECIDERS.route(OfferFreed, offer_freed_button),
    ]
