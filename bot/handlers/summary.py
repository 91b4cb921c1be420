"""The applicant's summary: edit an answer, submit, or cancel the draft."""

from __future__ import annotations

from telegram import Update

from bot import keyboards
from bot.context import BotContext
from bot.handlers.common import answer_button, edit_pressed, refuse_button, reply, sender_id
from bot.handlers.questionnaire import show_step
from bot.questionnaire import Review
from bot.services.applications import Draft, Duplicate, Refusal
from bot.views import application as view
from bot.views.duplicate import duplicate_text
from storage.applications import Application


async def _summary_draft(
    update: Update, context: BotContext, nargs: int
) -> tuple[Draft, list[str]] | None:
    """The draft, if this summary button belongs to it and it is at the summary."""
    _, args = keyboards.decode(update.callback_query.data if update.callback_query else None)
    draft = await context.services.applications.draft(sender_id(update))
    if draft is None or len(args) != nargs or args[0] != str(draft.application.id):
        await refuse_button(update, context)
        if draft is not None:
            await show_step(update, context, draft)
        return None
    return draft, args


async def edit_button(update: Update, context: BotContext) -> None:
    """`e:<app>:<question>`: ask that question again, then come back to the summary.

    `e:<app>` shows the ✏️ buttons in place of the summary's, `e:<app>:-` puts those back."""
    _, args = keyboards.decode(update.callback_query.data if update.callback_query else None)
    found = await _summary_draft(update, context, 2 if len(args) > 1 else 1)
    if found is None:
        return
    draft, args = found
    service, t = context.services.applications, context.t
    if isinstance(draft.step, Review) and (len(args) == 1 or args[1] == view.CLOSE_GRID):
        await answer_button(update)
        grid = len(args) == 1
        markup = view.summary_grid_keyboard(t, draft) if grid else view.summary_keyboard(t, draft)
        await edit_pressed(update, markup)
        return
    key = args[1] if len(args) == 2 else ""
    if not isinstance(draft.step, Review) or not await service.edit(draft, key):
        await refuse_button(update, context)
        await show_step(update, context, draft)
        return
    await answer_button(update)
    updated = await service.draft(sender_id(update))
    if updated is not None:
        await show_step(update, context, updated)


async def back_button(update: Update, context: BotContext) -> None:
    """`back:<app>`: leave the question being edited, of a draft or of a correction (/correct)."""
    _, args = keyboards.decode(update.callback_query.data if update.callback_query else None)
    service = context.services.applications
    wanted = keyboards.parse_id(args[0]) if len(args) == 1 else None
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


async def submit_button(update: Update, context: BotContext) -> None:
    """`sub:<app>`"""
    found = await _summary_draft(update, context, 1)
    if found is None:
        return
    draft, _ = found
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
        own = result.existing.user_id == draft.application.user_id
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


async def cancel_button(update: Update, context: BotContext) -> None:
    """`can:<app>`: ask for confirmation first; nothing is deleted yet."""
    found = await _summary_draft(update, context, 1)
    if found is None:
        return
    draft, _ = found
    t = context.t
    await answer_button(update)
    markup = keyboards.inline(
        [
            [keyboards.button(t.gettext("🗑️ Oui, tout effacer"), "cany", draft.application.id)],
            [keyboards.button(t.gettext("↩️ Non, garder"), "res", draft.application.id)],
        ]
    )
    await reply(
        update, context, t.gettext("Effacer cette candidature et toutes ses réponses ?"), markup
    )


async def cancel_confirmed_button(update: Update, context: BotContext) -> None:
    """`cany:<app>`"""
    found = await _summary_draft(update, context, 1)
    if found is None:
        return
    draft, _ = found
    await context.services.applications.cancel(draft)
    await answer_button(update)
    t = context.t
    await reply(update, context, t.gettext("La candidature est effacée."), keyboards.main_menu(t))
