"""Answering the questionnaire: typed text, voice notes, contacts, photos and buttons.

Every accepted answer is committed before the next question is sent; the question to ask is
always derived from the database, so stale buttons and restarts cannot skip or repeat one.
The same questions serve a draft and the correction of a sent application (/correct).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import Message, ReplyKeyboardRemove, Update
from telegram.ext import BaseHandler

from bot import keyboards
from bot.callbacks import Choose, Done, Skip, Toggle
from bot.context import BotContext
from bot.handlers.audience import MEMBERS
from bot.handlers.common import (
    ReplyMarkup,
    answer_button,
    edit_pressed,
    refuse_button,
    reply,
    reply_with_prompt,
    sender_id,
    voice_seconds,
)
from bot.i18n import N_
from bot.questionnaire import TRAINING_FULL, Ask, Kind, Question, choice_codes, choice_label
from bot.services.applications import Draft, kind_accepts_text
from bot.services.voice import SUMMARY
from bot.talk import SMALL_TALK, bundled_keywords
from bot.validation import ValidationError, parse_contact_phone
from bot.views import application as view
from bot.views import structures as structures_view
from bot.views.talk import small_talk_line
from storage.statuses import Status

Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

HINTS = {
    Kind.CHOICE: N_("Touchez un des boutons."),
    Kind.MULTI: N_("Touchez les boutons, puis « Terminé »."),
    Kind.PHOTOS: N_("Envoyez une photo, ou touchez « Passer »."),
    Kind.TEXT: N_("Écrivez votre réponse."),
    Kind.TEXT_OR_VOICE: N_("Écrivez votre réponse ou envoyez un message vocal."),
    Kind.COUNT: N_("Écrivez un nombre, par exemple 12."),
    Kind.PHONE: N_("Touchez « Partager mon numéro » ou écrivez votre numéro."),
}


# One line above a question shown again after another screen, so the applicant knows where
# they are; the second says why a message sent meanwhile was not kept.
RESUMED = N_("📝 Votre candidature continue là où vous en étiez :")
NOT_TAKEN = N_(
    "📝 Votre candidature continue. Votre message n'a pas été pris comme réponse :"
    " répondez à cette question."
)


async def show_step(
    update: Update, context: BotContext, draft: Draft, note: str | None = None
) -> None:
    """Ask the current question, or show the summary when all is answered; `note` (translated
    already) goes on top."""
    t, step = context.t, draft.step
    if isinstance(step, Ask):
        question = step.question
        text = view.question_text(t, draft, question)
        markup: ReplyMarkup | None = view.question_keyboard(t, draft, question)
        prompt = question.key
    elif draft.application.status != Status.DRAFT:
        text, markup = view.correction_text(t, draft), view.correction_keyboard(t, draft)
        prompt = None
    else:
        text, markup = view.summary_text(t, draft), view.summary_keyboard(t, draft)
        prompt = SUMMARY
    if note:
        text = t.start_rtl(f"{note}\n\n{text}")
    await reply_with_prompt(update, context, text, markup, prompt, form=True)
    if not isinstance(step, Ask):
        changes = await context.services.applications.profile_changes(draft)
        if changes is not None:
            structure, keys = changes
            offer = structures_view.profile_differs_text(t, structure, keys)
            keyboard = structures_view.profile_keyboard(t, draft.application.id)
            await reply(update, context, t.start_rtl(offer), keyboard)


async def resume_form(update: Update, context: BotContext, note: str = RESUMED) -> bool:
    """Show the application in progress again (its question, or its summary) under another
    screen; False if there is none."""
    draft = await context.services.applications.in_progress(sender_id(update))
    if draft is None:
        return False
    await show_step(update, context, draft, context.t.gettext(note))
    return True


def informs(handler: Handler) -> Handler:
    """For screens that only inform (/info, /help, the menu...): once the handler has
    answered, an application in progress shows its question again, so that the next typed
    text answers a question on screen. Screens that wait for a choice (the language picker,
    confirmations) are left alone: a text sent then shows the question again instead."""

    @wraps(handler)
    async def then_resume(update: Update, context: BotContext) -> None:
        await handler(update, context)
        if update.effective_user is not None:
            await resume_form(update, context)

    return then_resume


async def _continue(update: Update, context: BotContext, draft: Draft) -> None:
    """The next step of the application just answered (a draft, or one being corrected)."""
    current = await context.services.applications.reload(draft)
    if current is not None:
        await show_step(update, context, current)
    elif draft.application.status != Status.DRAFT:  # decided or withdrawn in the meantime
        t = context.t
        text = t.gettext("Cette candidature ne peut plus être corrigée.")
        await reply(update, context, text, keyboards.main_menu(t))


async def _hint(
    update: Update, context: BotContext, draft: Draft, msgid: str, **params: Any
) -> None:
    text = context.t.start_rtl(context.t.gettext(msgid, **params))
    await reply(update, context, text, form=True)
    await show_step(update, context, draft)


async def on_message(update: Update, context: BotContext) -> bool:
    """A message in a private chat that is not a command, while an application is in
    progress: the answer to its question, if the question is on screen. False when no
    application is in progress (the message is for `handlers.talk`)."""
    message = update.message
    draft = await context.services.applications.in_progress(sender_id(update))
    if message is None or draft is None:
        return False
    step = draft.step
    if not isinstance(step, Ask):
        await _hint(update, context, draft, N_("Utilisez les boutons sous le résumé."))
        return True
    t = context.t
    # Another screen came after the question: ask it again first. Only the share-contact
    # button answers anyway: a reply keyboard stays on screen under any message.
    shared = message.contact is not None and step.question.kind is Kind.PHONE
    if context.form_hidden and not shared:
        await show_step(update, context, draft, t.gettext(NOT_TAKEN))
        return True
    said = bundled_keywords().whole(message.text or "")
    if said is not None and said.intent in SMALL_TALK:  # "salam", "merci": not an answer
        await show_step(
            update, context, draft, f"{small_talk_line(t, said.intent)}\n{t.gettext(RESUMED)}"
        )
        return True
    question = step.question
    try:
        accepted = await _accept(update, context, draft, question, message)
    except ValidationError as error:
        await _hint(update, context, draft, error.message, **error.params)
        return True
    if not accepted:
        await _hint(update, context, draft, HINTS[question.kind])
        return True
    await _continue(update, context, draft)
    return True


async def _accept(
    update: Update, context: BotContext, draft: Draft, question: Question, message: Message
) -> bool:
    """Save the message as the answer if it fits the question; False if it does not fit."""
    service, t = context.services.applications, context.t
    if message.contact is not None and question.kind is Kind.PHONE:
        # A facilitator sends the contact person's card: the number is theirs, not the sender's.
        own = message.contact.user_id == sender_id(update)
        if not own and not draft.application.facilitated:
            raise ValidationError(N_("Partagez votre propre numéro, ou écrivez-le."))
        phone = parse_contact_phone(message.contact.phone_number)
        await service.answer(draft, question, phone)
    elif message.voice is not None and question.kind is Kind.TEXT_OR_VOICE:
        voice = {"voice": message.voice.file_id, "duration": voice_seconds(message.voice)}
        await service.answer(draft, question, voice)
        return True
    elif message.photo and question.kind is Kind.PHOTOS:
        await service.add_photo(draft, question, message.photo[-1].file_id)
        return True
    elif message.text is not None and kind_accepts_text(question):
        value = await service.parse_and_answer(draft, question, message.text)
        if question.kind is Kind.PHONE:
            phone = value
        else:
            return True
    else:
        return False
    # The share-contact keyboard stays on screen until removed explicitly.
    await reply(
        update,
        context,
        t.gettext("✅ Numéro enregistré : %(phone)s", phone=t.isolate(phone)),
        ReplyKeyboardRemove(),
        form=True,
    )
    return True


async def on_edited_message(update: Update, context: BotContext) -> None:
    """Telegram tells the bot about edits; the bot acts on new messages only, and says so."""
    draft = await context.services.applications.in_progress(sender_id(update))
    if draft is None:
        t = context.t
        text = t.gettext("Modifier un message envoyé ne change rien : envoyez un nouveau message.")
        await reply(update, context, t.start_rtl(text), keyboards.main_menu(t))
        return
    await _hint(
        update,
        context,
        draft,
        N_("Modifier un message envoyé ne change pas la réponse. Utilisez le résumé."),
    )


async def refuse_in_form(update: Update, context: BotContext) -> None:
    """A form button that does not parse: refused, and the application in progress (if any)
    asks its question again."""
    await refuse_button(update, context)
    draft = await context.services.applications.in_progress(sender_id(update))
    if draft is not None:
        await show_step(update, context, draft)


async def _button_draft(
    update: Update, context: BotContext, application_id: int, question_key: str
) -> Draft | None:
    """The draft a questionnaire button belongs to, if the button is still current."""
    draft = await context.services.applications.in_progress(sender_id(update), application_id)
    if draft is None or draft.application.id != application_id or not draft.asks(question_key):
        await refuse_button(update, context)
        if draft is not None:
            await show_step(update, context, draft)
        return None
    return draft


async def choice_button(update: Update, context: BotContext, pressed: Choose) -> None:
    """One option of a single-choice question."""
    draft = await _button_draft(update, context, pressed.application_id, pressed.question)
    if draft is None:
        return
    code = pressed.choice
    question = draft.step.question  # type: ignore[union-attr]
    if question.kind is not Kind.CHOICE or code not in choice_codes(question, draft.form):
        await refuse_button(update, context)
        return
    await context.services.applications.answer(draft, question, code)
    await answer_button(update)
    await _mark_answered(
        update, context, draft, question, choice_label(question, draft.form, code, context.t)
    )
    await _continue(update, context, draft)


async def _mark_answered(
    update: Update, context: BotContext, draft: Draft, question: Question, label: str
) -> None:
    """Show the answer in place of the buttons, so an old keyboard cannot be pressed again."""
    text = f"{view.question_text(context.t, draft, question)}\n✅ {label}"
    await edit_pressed(update, None, text)


async def toggle_button(update: Update, context: BotContext, pressed: Toggle) -> None:
    """Tick or untick, and redraw the ticks."""
    draft = await _button_draft(update, context, pressed.application_id, pressed.question)
    if draft is None:
        return
    question = draft.step.question  # type: ignore[union-attr]
    try:
        await context.services.applications.toggle(draft, question, pressed.choice)
    except ValidationError as error:
        if error.message == TRAINING_FULL:
            await answer_button(update, context.t.gettext(TRAINING_FULL), alert=True)
        else:
            await refuse_button(update, context)
        return
    await answer_button(update)
    updated = await context.services.applications.reload(draft)
    if updated is not None:
        markup = view.question_keyboard(context.t, updated, question)
        await edit_pressed(update, markup)  # type: ignore[arg-type]


async def done_button(update: Update, context: BotContext, pressed: Done) -> None:
    """The ticked options (or photos sent) are the answer."""
    draft = await _button_draft(update, context, pressed.application_id, pressed.question)
    if draft is None:
        return
    question = draft.step.question  # type: ignore[union-attr]
    try:
        await context.services.applications.finish(draft, question)
    except ValidationError:  # not a question with a Done button: a forged button
        await refuse_button(update, context)
        return
    await answer_button(update)
    value = draft.pending(question) or []
    await _mark_answered(
        update, context, draft, question, view.answer_text(context.t, draft, question, list(value))
    )
    await _continue(update, context, draft)


async def skip_button(update: Update, context: BotContext, pressed: Skip) -> None:
    """On optional questions only."""
    draft = await _button_draft(update, context, pressed.application_id, pressed.question)
    if draft is None:
        return
    question = draft.step.question  # type: ignore[union-attr]
    if not question.optional:
        await refuse_button(update, context)
        return
    await context.services.applications.skip(draft, question)
    await answer_button(update)
    await _mark_answered(update, context, draft, question, context.t.gettext("Passé"))
    await _continue(update, context, draft)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.route(Choose, choice_button, stale=refuse_in_form),
        MEMBERS.route(Toggle, toggle_button, stale=refuse_in_form),
        MEMBERS.route(Done, done_button, stale=refuse_in_form),
        MEMBERS.route(Skip, skip_button, stale=refuse_in_form),
    ]
