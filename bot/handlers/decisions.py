"""An applicant's answer to a decision: confirm, decline (asked twice), the calendar file; and
the acceptances still waiting for an answer, shown after /start."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from telegram import Update
from telegram.ext import BaseHandler

from bot import keyboards
from bot.callbacks import CalendarFile, ConfirmOffer, OfferChoice
from bot.context import BotContext
from bot.handlers.audience import MEMBERS
from bot.handlers.common import answer_button, edit_pressed, reply, sender_id
from bot.handlers.fallback import stale_button
from bot.views import calendar, decisions
from storage.applications import Application

# `cf:<app>:<choice>`: y confirm, n ask before declining, x decline for good, k keep the place.


async def decided_of(context: BotContext, application: Application) -> decisions.Decided | None:
    services = context.services
    codes = await services.applications.chosen_trainings(application.id)
    return decisions.Decided.of(services.catalogue, application, codes)


async def deadline_of(context: BotContext, application: Application) -> datetime | None:
    stored = await context.services.application_records.decision_deadline(application.id)
    return datetime.fromisoformat(stored) if stored else None


async def _own(update: Update, context: BotContext, wanted: int | None) -> Application | None:
    if wanted is None:
        return None
    application = await context.services.application_records.get(wanted)
    return application if application and application.user_id == sender_id(update) else None


async def offer_button(update: Update, context: BotContext, pressed: ConfirmOffer) -> None:
    """Confirm, decline (asked first), or keep the place, on an acceptance or an offer."""
    service, t = context.services.applications, context.t
    application = await _own(update, context, pressed.application_id)
    if application is None or application.status not in decisions.TO_CONFIRM:
        await stale_button(update, context)
        return
    choice = pressed.choice
    if choice in {OfferChoice.NO, OfferChoice.KEEP}:
        decided = await decided_of(context, application)
        if decided is None:
            await stale_button(update, context)
            return
        await answer_button(update)
        if choice is OfferChoice.NO:  # one tap must not give the place away: ask first
            text = decisions.decline_question(t, decided)
            await reply(update, context, text, decisions.decline_keyboard(t, application.id))
        else:
            await edit_pressed(update)
            text = decisions.pending_text(t, decided, await deadline_of(context, application))
            markup = keyboards.inline(decisions.answer_rows(t, application, calendar=True))
            await reply(update, context, text, markup)
        return
    yes = choice is OfferChoice.YES
    changes = await service.respond_to_offer(sender_id(update), application.id, yes)
    if changes is None:
        await stale_button(update, context)
        return
    await answer_button(update)
    await edit_pressed(update)
    if yes:
        text = t.gettext("✅ Merci ! Votre présence est confirmée. À bientôt au marché.")
        calendar_row = [
            keyboards.button(t.gettext("📅 Ajouter à l'agenda"), CalendarFile(application.id))
        ]
        markup = keyboards.inline([calendar_row, keyboards.back_to_menu(t)])
    else:
        text = t.gettext("C'est noté. Votre place sera proposée à une autre structure.")
        markup = keyboards.main_menu(t)
    await reply(update, context, t.start_rtl(text), markup)


async def calendar_button(update: Update, context: BotContext, pressed: CalendarFile) -> None:
    """The .ics file of an accepted, offered or confirmed application."""
    application = await _own(update, context, pressed.application_id)
    decided = await decided_of(context, application) if application else None
    if application is None or decided is None or application.status not in decisions.WITH_CALENDAR:
        await stale_button(update, context)
        return
    await answer_button(update)
    chat = update.effective_chat
    assert chat is not None
    t = context.t
    # Only the trainings where a seat is held: a wish on a full training is not a date to keep.
    held = set(await context.services.application_records.held_trainings(application.id))
    decided = replace(decided, trainings=tuple(x for x in decided.trainings if x.code in held))
    await context.bot.send_document(
        chat.id,
        calendar.calendar_file(t, decided, context.services.clock()),
        filename=calendar.file_name(decided),
        caption=t.gettext("📅 Ouvrez ce fichier pour ajouter le marché à votre agenda."),
    )


async def show_pending(update: Update, context: BotContext) -> None:
    """After /start: every acceptance or offer still to confirm, with its buttons."""
    t = context.t
    for application in await context.services.application_records.of_user(sender_id(update)):
        if application.status not in decisions.TO_CONFIRM:
            continue
        decided = await decided_of(context, application)
        if decided is None:
            continue
        text = decisions.pending_text(t, decided, await deadline_of(context, application))
        markup = keyboards.inline(decisions.answer_rows(t, application, calendar=True))
        await reply(update, context, text, markup)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.route(ConfirmOffer, offer_button),
        MEMBERS.route(CalendarFile, calendar_button),
    ]
