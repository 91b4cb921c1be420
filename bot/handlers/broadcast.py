"""/broadcast and /broadcasts: announcements to chosen applicants, and their progress (organizers).

Every organizer action answers with one message or one edit: the wizard message is edited in
place, and the preview is the announcement itself with the buttons under it.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, BaseHandler

from bot.callbacks import ANY_VALUE, BroadcastStep
from bot.callbacks import BroadcastAction as Step
from bot.context import BotContext, Services
from bot.handlers.access import may
from bot.handlers.audience import team
from bot.handlers.common import answer_button, edit_pressed, refuse_button, reply, sender_id
from bot.i18n import Translator
from bot.ratelimit import PACED
from bot.services.broadcasts import AUDIENCE, PHOTO, PREVIEW, TEXT_PREFIX, text_for
from bot.validation import ValidationError
from bot.views import broadcast as view
from storage.broadcasts import Broadcast

log = logging.getLogger(__name__)

SHOWN_PROGRESS = "broadcast_progress_shown"  # bot_data: last text shown per broadcast id


async def _edit(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit a wizard message in place, whether it is text or a photo with a caption."""
    try:
        if message.photo:
            await message.edit_caption(text, reply_markup=markup)
        else:
            await message.edit_text(text, reply_markup=markup)
    except BadRequest as error:  # "message is not modified": the same press twice
        log.debug("wizard message not edited: %s", error)


async def _stage_view(
    context: BotContext, draft: Broadcast
) -> tuple[str, InlineKeyboardMarkup | None]:
    t, services = context.t, context.services
    service = services.broadcasts
    if draft.stage.startswith(TEXT_PREFIX):
        locale = draft.stage.removeprefix(TEXT_PREFIX)
        first, optional = locale == service.locales[0], service.optional(locale)
        return view.text_prompt(t, services.i18n, locale, first, optional), view.text_keyboard(
            t, draft.id, first, optional
        )
    if draft.stage == PHOTO:
        return view.photo_prompt(t), view.photo_keyboard(t, draft.id)
    reach = await service.reach(draft.audience)
    text = view.audience_text(t, services.catalogue, services.i18n, draft.audience, reach)
    return text, view.audience_keyboard(t, draft.id, draft.audience)


async def _show_preview(
    update: Update, context: BotContext, draft: Broadcast, locale: str | None = None
) -> None:
    """The announcement exactly as recipients in `locale` will read it, with the buttons."""
    t, services = context.t, context.services
    shown = locale or t.locale
    text = text_for(draft, shown, services.broadcasts.locales[0])
    reach = await services.broadcasts.reach(draft.audience)
    markup = view.preview_keyboard(t, services.i18n, draft, shown, reach)
    chat = update.effective_chat
    assert chat is not None
    if draft.photo:
        await context.bot.send_photo(chat.id, draft.photo, caption=text, reply_markup=markup)
    else:
        await context.bot.send_message(chat.id, text, reply_markup=markup)


async def show(update: Update, context: BotContext, draft: Broadcast, *, edit: bool) -> None:
    if draft.stage == PREVIEW:
        await _show_preview(update, context, draft)
        return
    text, markup = await _stage_view(context, draft)
    query = update.callback_query
    if edit and query is not None and isinstance(query.message, Message):
        await _edit(query.message, text, markup)
    else:
        await reply(update, context, text, markup)


async def broadcast_command(update: Update, context: BotContext) -> None:
    """`/broadcast`: a new announcement, or the unfinished one where it was left."""
    draft = await context.services.broadcasts.open_draft(sender_id(update))
    await show(update, context, draft, edit=False)


async def _own_draft(update: Update, context: BotContext, draft_id: int) -> Broadcast | None:
    draft = await context.services.broadcast_records.draft_of(sender_id(update))
    return draft if draft is not None and draft.id == draft_id else None


async def broadcast_button(update: Update, context: BotContext, pressed: BroadcastStep) -> None:
    if pressed.action is Step.STOP:
        await _stop(update, context, pressed.draft_id)
        return
    draft = await _own_draft(update, context, pressed.draft_id)
    if draft is None:
        await refuse_button(update, context)
        return
    await DRAFT_ACTIONS[pressed.action](update, context, draft, pressed)


async def _choose_filter(
    update: Update, context: BotContext, draft: Broadcast, pressed: BroadcastStep
) -> None:
    t, services = context.t, context.services
    name = pressed.name or ""
    codes = services.broadcasts.options(name, draft.audience)
    query = update.callback_query
    if not codes or draft.stage != AUDIENCE or query is None:
        await refuse_button(update, context)
        return
    await answer_button(update)
    markup = view.options_keyboard(t, services.catalogue, services.i18n, draft.id, name, codes)
    if isinstance(query.message, Message):
        await _edit(query.message, t.gettext(view.FILTER_NAMES[name]), markup)


async def _set_filter(
    update: Update, context: BotContext, draft: Broadcast, pressed: BroadcastStep
) -> None:
    name, code = pressed.name, pressed.value
    if name is None or code is None:
        await refuse_button(update, context)
        return
    audience = await context.services.broadcasts.set_filter(
        draft, name, None if code == ANY_VALUE else code
    )
    if audience is None:
        await refuse_button(update, context)
        return
    await answer_button(update)
    refreshed = await context.services.broadcast_records.get(draft.id)
    assert refreshed is not None
    await show(update, context, refreshed, edit=True)


async def _back_to_audience_view(
    update: Update, context: BotContext, draft: Broadcast, pressed: BroadcastStep
) -> None:
    await answer_button(update)
    await show(update, context, draft, edit=True)


async def _write(
    update: Update, context: BotContext, draft: Broadcast, pressed: BroadcastStep
) -> None:
    service = context.services.broadcasts
    if draft.stage != AUDIENCE:
        await refuse_button(update, context)
        return
    if await service.reach(draft.audience) == 0:
        await answer_button(
            update, context.t.gettext("Personne ne correspond à ces choix. Élargissez-les."), True
        )
        return
    await service.to_texts(draft)
    await answer_button(update)
    await _show_current(update, context, edit=True)


async def _show_current(update: Update, context: BotContext, *, edit: bool) -> None:
    draft = await context.services.broadcast_records.draft_of(sender_id(update))
    if draft is not None:
        await show(update, context, draft, edit=edit)


async def _same_text(
    update: Update, context: BotContext, draft: Broadcast, pressed: BroadcastStep
) -> None:
    if not await context.services.broadcasts.same_text_for_everyone(draft):
        await refuse_button(update, context)
        return
    await answer_button(update)
    await _show_current(update, context, edit=True)


async def _skip_language(
    update: Update, context: BotContext, draft: Broadcast, pressed: BroadcastStep
) -> None:
    if await context.services.broadcasts.skip_language(draft) is None:
        await refuse_button(update, context)
        return
    await answer_button(update)
    await _show_current(update, context, edit=True)


async def _no_photo(
    update: Update, context: BotContext, draft: Broadcast, pressed: BroadcastStep
) -> None:
    if draft.stage != PHOTO:
        await refuse_button(update, context)
        return
    await context.services.broadcasts.add_photo(draft, None)
    await answer_button(update)
    await _show_current(update, context, edit=False)


async def _preview_in(
    update: Update, context: BotContext, draft: Broadcast, pressed: BroadcastStep
) -> None:
    t, services = context.t, context.services
    query = update.callback_query
    locale = pressed.name or ""
    if draft.stage != PREVIEW or locale not in services.i18n.locales or query is None:
        await refuse_button(update, context)
        return
    await answer_button(update)
    reach = await services.broadcasts.reach(draft.audience)
    text = text_for(draft, locale, services.broadcasts.locales[0])
    markup = view.preview_keyboard(t, services.i18n, draft, locale, reach)
    if isinstance(query.message, Message):
        await _edit(query.message, text, markup)


async def _send(
    update: Update, context: BotContext, draft: Broadcast, pressed: BroadcastStep
) -> None:
    t, services = context.t, context.services
    query = update.callback_query
    if draft.stage != PREVIEW or query is None or not isinstance(query.message, Message):
        await refuse_button(update, context)
        return
    await answer_button(update)
    await edit_pressed(update)  # the preview's buttons go; it may be gone already
    progress_message = await context.bot.send_message(
        query.message.chat_id,
        t.gettext("📣 Préparation de l'envoi…"),
        rate_limit_args=PACED,  # right after the edit above, in the same chat
    )
    recipients = await services.broadcasts.start(
        draft, progress_message.chat_id, progress_message.message_id
    )
    if recipients is None:  # pressed twice: the first press started it
        await progress_message.delete()
        return
    if services.dispatcher is not None:
        services.dispatcher.wake()
    log.info("broadcast %s started for %s recipients", draft.id, recipients)
    await update_progress(context, services)


async def _restart(
    update: Update, context: BotContext, draft: Broadcast, pressed: BroadcastStep
) -> None:
    await context.services.broadcasts.back_to_audience(draft)
    await answer_button(update)
    await _show_current(update, context, edit=False)  # the old preview's buttons go stale


async def _discard(
    update: Update, context: BotContext, draft: Broadcast, pressed: BroadcastStep
) -> None:
    await context.services.broadcasts.discard(draft)
    await answer_button(update)
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        await _edit(query.message, context.t.gettext("Annonce abandonnée."), None)


async def _stop(update: Update, context: BotContext, number: int) -> None:
    services = context.services
    if not await services.broadcasts.cancel(number):
        await refuse_button(update, context)
        return
    await answer_button(update, context.t.gettext("Envoi arrêté."))
    context.bot_data.setdefault(SHOWN_PROGRESS, {}).setdefault(number, "")
    await update_progress(context, services)


DRAFT_ACTIONS = {
    Step.FILTER: _choose_filter,
    Step.VALUE: _set_filter,
    Step.AUDIENCE: _back_to_audience_view,
    Step.WRITE: _write,
    Step.SAME_TEXT: _same_text,
    Step.SKIP_LANGUAGE: _skip_language,
    Step.NO_PHOTO: _no_photo,
    Step.PREVIEW: _preview_in,
    Step.SEND: _send,
    Step.RESTART: _restart,
    Step.DISCARD: _discard,
}


async def draft_input(update: Update, context: BotContext) -> None:
    """An organizer writing a broadcast: the text or the photo of the current step.

    Anything else (commands, people without a draft) goes on to the other handlers.
    """
    message = update.message
    if message is None or (message.text or "").startswith("/"):
        return
    if context.role is None:  # applicants (nearly every message): no query
        return
    service = context.services.broadcasts
    draft = await context.services.broadcast_records.draft_of(sender_id(update))
    if draft is None or draft.stage not in (PHOTO, *_text_stages(service.locales)):
        return
    if not await may(context, sender_id(update), "broadcast"):
        return
    t = context.t
    try:
        if draft.stage == PHOTO:
            if not message.photo:
                await reply(update, context, view.photo_prompt(t), view.photo_keyboard(t, draft.id))
                raise ApplicationHandlerStop
            await service.add_photo(draft, message.photo[-1].file_id)
        else:
            if not message.text:
                text, markup = await _stage_view(context, draft)
                await reply(update, context, text, markup)
                raise ApplicationHandlerStop
            await service.write(draft, message.text)
    except ValidationError as error:
        await reply(update, context, t.gettext(error.message, **error.params))
        raise ApplicationHandlerStop from None
    await _show_current(update, context, edit=False)
    raise ApplicationHandlerStop


def _text_stages(locales: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(TEXT_PREFIX + locale for locale in locales)


async def broadcasts_command(update: Update, context: BotContext) -> None:
    """`/broadcasts`: the last announcements with their counts; stop one still sending."""
    t, services = context.t, context.services
    items = await services.broadcast_records.history()
    await reply(
        update,
        context,
        view.history_text(t, items, services.broadcasts.locales[0]),
        view.history_keyboard(t, items),
    )


async def progress_job(context: BotContext) -> None:
    """Every few seconds: the progress messages, edited in place; done broadcasts report."""
    await update_progress(context, context.services)


async def update_progress(context: BotContext, services: Services) -> None:
    shown: dict[int, str] = context.bot_data.setdefault(SHOWN_PROGRESS, {})
    quiet = services.quiet()
    for broadcast in await services.broadcast_records.recent_to_follow(set(shown)):
        progress = await services.broadcasts.progress(broadcast.id)
        if broadcast.status == "sending" and progress.remaining == 0:
            await services.broadcasts.finish_if_done(broadcast.id)
            refreshed = await services.broadcast_records.get(broadcast.id)
            broadcast = refreshed or broadcast
            if services.dispatcher is not None:
                services.dispatcher.wake()  # the report to the author
        author = await services.users.get(broadcast.author_id)
        t: Translator = services.i18n.translator(author.locale if author else None)
        text = view.progress_text(t, broadcast, progress, quiet)
        if shown.get(broadcast.id) == text or broadcast.progress_message_id is None:
            continue
        try:
            await context.bot.edit_message_text(
                text,
                broadcast.progress_chat_id,
                broadcast.progress_message_id,
                rate_limit_args=PACED,  # not a reply: one a second in that chat, like the outbox
            )
        except BadRequest as error:  # deleted by the organizer, or not modified: nothing to do
            log.debug("progress of broadcast %s not edited: %s", broadcast.id, error)
        except TelegramError as error:  # flood control, network: try again at the next run
            log.info("progress of broadcast %s not edited this time: %s", broadcast.id, error)
            shown.setdefault(broadcast.id, "")
            continue
        shown[broadcast.id] = text
        if broadcast.status != "sending":
            shown.pop(broadcast.id, None)


BROADCASTERS = team("broadcast")


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        BROADCASTERS.command("broadcast", broadcast_command),
        BROADCASTERS.command("broadcasts", broadcasts_command),
        BROADCASTERS.route(BroadcastStep, broadcast_button, stale=refuse_button),
    ]
