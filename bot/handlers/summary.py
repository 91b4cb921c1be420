"""The applicant's summary: edit an answer, submit, or cancel the draft."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot import keyboards
from bot.callbacks import (
    CLOSE_GRID,
    BackToSummary,
    Cancel,
    CancelConfirmed,
    EditAnswer,
    Resume,
    Submit,
    UpdateProfile,
)
from bot.context import BotContext
from bot.handlers.audience import MEMBERS
from bot.handlers.common import answer_button, edit_pressed, refuse_button, reply, sender_id
from bot.handlers.questionnaire import refuse_in_form, show_step
from bot.questionnaire import Review
from bot.services.applications import Draft, Duplicate, Refusal
from bot.views import application as view
from bot.views.duplicate import duplicate_text
from bot.views.structures import profile_updated_text
from storage.applications import Application


async def refuse_at_summary(update: Update, context: BotContext) -> None:
    """A summary button that does not parse: refused, and the draft (if any) shown again."""
    await _refuse(update, context, await context.services.applications.draft(sender_id(update)))


async def _refuse(update: Update, context: BotContext, draft: Draft | None) -> None:
    await refuse_button(update, context)
    if draft is not None:
        await show_step(update, context, draft)


async def _summary_draft(update: Update, context: BotContext, application_id: int) -> Draft | None:
    """The draft, if this summary button belongs to it and it is at the summary."""
    draft = await context.services.applications.draft(sender_id(update))
    if draft is None or application_id != draft.application.id:
        await _refuse(update, context, draft)
        return None
    return draft


async def edit_button(update: Update, context: BotContext, pressed: EditAnswer) -> None:
    """A question: ask it again, then come back to the summary. Without one, the ✏️ buttons
    in place of the summary's; with CLOSE_GRID, those put back."""
    draft = await _summary_draft(update, context, pressed.application_id)
    if draft is None:
        return
    service, t = context.services.applications, context.t
    key = pressed.question
    if isinstance(draft.step, Review) and key in {None, CLOSE_GRID}:
        await answer_button(update)
        grid = key is None
        markup = view.summary_grid_keyboard(t, draft) if grid else view.summary_keyboard(t, draft)
        await edit_pressed(update, markup)
        return
    if not isinstance(draft.step, Review) or not await service.edit(draft, key or ""):
        await refuse_button(update, context)
        await show_step(update, context, draft)
        return
    await answer_button(update)
    updated = await service.draft(sender_id(update))
    if updated is not None:
        await show_step(update, context, updated)


async def back_button(update: Update, context: BotContext, pressed: BackToSummary) -> None:
    """Leave the question being edited, of a draft or of a correction (/correct)."""
    service = context.services.applications
    wanted = pressed.application_id
    draft = await service.in_progress(sender_id(update), wanted)
    if draft is None or draft.application.id != wanted:
        await refuse_button(update, context)
        if draft is not None:
            await show_step(update, context, draft)
        return
    await service.leave_edit(draft)
    await answer_button(update)
    updated = await service.reload(draft)
    if updated is not None:
        await show_step(update, context, updated)


async def update_profile_button(
    update: Update, context: BotContext, pressed: UpdateProfile
) -> None:
    """The summary's answers that differ from the structure's stored profile go into it."""
    service = context.services.applications
    draft = await service.in_progress(sender_id(update), pressed.application_id)
    if draft is None or draft.application.id != pressed.application_id:
        await refuse_button(update, context)
        return
    structure = await service.update_profile(draft)
    await answer_button(update)
    await edit_pressed(update)
    if structure is not None:
        t = context.t
        await reply(update, context, t.start_rtl(profile_updated_text(t, structure)))


async def submit_button(update: Update, context: BotContext, pressed: Submit) -> None:
    draft = await _summary_draft(update, context, pressed.application_id)
    if draft is None:
        return
    t = context.t
    result = await context.services.applications.submit(draft)
    await answer_button(update)
    if isinstance(result, Application):
        await edit_pressed(update)
        text = "\n".join(
            [
                t.gettext(
                    "✅ Candidature envoyée ! Référence : %(reference)s",
                    reference=t.isolate(result.reference or ""),
                ),
                t.gettext("Les organisateurs vont l'examiner. Vous recevrez leur réponse ici."),
                t.gettext("Suivez-la avec « Ma candidature » (/status)."),
            ]
        )
        await reply(update, context, t.start_rtl(text), keyboards.main_menu(t))
    elif isinstance(result, Duplicate):
        # Only the same structure's own application is shown: a facilitator who typed another
        # structure's register number must not learn that structure's application.
        own = (
            result.existing.user_id == draft.application.user_id
            and result.existing.structure_id is not None
            and result.existing.structure_id == draft.application.structure_id
        )
        text = duplicate_text(t, draft.form.market, result.existing, own)
        await reply(update, context, text, keyboards.main_menu(t))
    elif isinstance(result, Refusal):
        await reply(
            update,
            context,
            t.gettext("Les candidatures pour cette phase sont fermées."),
            keyboards.main_menu(t),
        )
    else:
        await show_step(update, context, draft)


async def cancel_button(update: Update, context: BotContext, pressed: Cancel) -> None:
    """Ask for confirmation first; nothing is deleted yet."""
    draft = await _summary_draft(update, context, pressed.application_id)
    if draft is None:
        return
    t = context.t
    await answer_button(update)
    markup = keyboards.inline(
        [
            [
                keyboards.button(
                    t.gettext("🗑️ Oui, tout effacer"), CancelConfirmed(draft.application.id)
                )
            ],
            [keyboards.button(t.gettext("↩️ Non, garder"), Resume(draft.application.id))],
        ]
    )
    await reply(
        update, context, t.gettext("Effacer cette candidature et toutes ses réponses ?"), markup
    )


async def cancel_confirmed_button(
    update: Update, context: BotContext, pressed: CancelConfirmed
) -> None:
    draft = await _summary_draft(update, context, pressed.application_id)
    if draft is None:
        return
    await context.services.applications.cancel(draft)
    await answer_button(update)
    t = context.t
    await reply(update, context, t.gettext("La candidature est effacée."), keyboards.main_menu(t))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.route(EditAnswer, edit_button, stale=refuse_at_summary),
        MEMBERS.route(BackToSummary, back_button, stale=refuse_in_form),
        MEMBERS.route(Submit, submit_button, stale=refuse_at_summary),
        MEMBERS.route(UpdateProfile, update_profile_button),
        MEMBERS.route(Cancel, cancel_button, stale=refuse_at_summary),
        MEMBERS.route(CancelConfirmed, cancel_confirmed_button, stale=refuse_at_summary),
    ]
