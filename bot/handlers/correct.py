"""/correct: an applicant corrects the answers of a sent application, with the same questions.

Each correction is saved at once and recorded (`answer_changes`): organizers see on the review
card that the application changed, when, and which answers.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot import keyboards
from bot.callbacks import Correct, CorrectAnswer
from bot.context import BotContext
from bot.handlers.audience import MEMBERS
from bot.handlers.common import answer_button, reply, sender_id
from bot.handlers.fallback import stale_button
from bot.handlers.questionnaire import show_step
from bot.questionnaire import Ask
from bot.services.applications import Draft
from bot.views.buttons import fit


async def correct_command(update: Update, context: BotContext) -> None:
    """The correction screen of the sent application, or a choice if there are several."""
    t, service = context.t, context.services.applications
    user_id = sender_id(update)
    applications = await service.correctable(user_id)
    if len(applications) == 1:
        draft = await service.correction_of(user_id, applications[0].id)
        if draft is not None:
            await _show(update, context, draft)
            return
    if not applications:
        text = t.gettext("Vous n'avez pas de candidature envoyée à corriger.")
        await reply(update, context, text, keyboards.main_menu(t))
        return
    rows = []
    for application in applications:
        market = service.catalogue.market(application.phase_code.rsplit("-", 1)[0])
        label = fit(
            t.gettext(
                "✏️ %(reference)s · %(market)s",
                reference=application.reference or "",
                market=market.short_name.get(t.locale) if market else application.phase_code,
            ),
            t.gettext("✏️ %(reference)s", reference=application.reference or ""),
        )
        rows.append([keyboards.button(label, Correct(application.id))])
    await reply(update, context, t.gettext("Quelle candidature corriger ?"), keyboards.inline(rows))


async def _show(update: Update, context: BotContext, draft: Draft) -> None:
    """The correction screen; a question left half-way elsewhere is closed first."""
    service = context.services.applications
    await service.end_corrections(sender_id(update))
    current = await service.reload(draft)
    if (
        current is not None
        and isinstance(step := current.step, Ask)
        and not current.application.editing
    ):
        # A question without an answer (one added to the form since sending): ask it as a
        # correction, so that the answer goes to this application.
        await service.start_correction(current, step.question.key)
        current = await service.reload(current)
    if current is not None:
        await show_step(update, context, current)


async def correct_button(update: Update, context: BotContext, pressed: Correct) -> None:
    """From /correct or /status."""
    service = context.services.applications
    draft = await service.correction_of(sender_id(update), pressed.application_id)
    if draft is None:
        await stale_button(update, context)
        return
    await answer_button(update)
    await _show(update, context, draft)


async def correct_edit_button(update: Update, context: BotContext, pressed: CorrectAnswer) -> None:
    """Ask that question again; the answer replaces the old one."""
    service = context.services.applications
    draft = await service.correction_of(sender_id(update), pressed.application_id)
    if draft is None or not await service.start_correction(draft, pressed.question):
        await stale_button(update, context)
        return
    await answer_button(update)
    current = await service.reload(draft)
    if current is not None:
        await show_step(update, context, current)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.command("correct", correct_command),
        MEMBERS.route(Correct, correct_button),
        MEMBERS.route(CorrectAnswer, correct_edit_button),
    ]
