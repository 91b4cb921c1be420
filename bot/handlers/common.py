"""Small helpers shared by handlers: reply to whatever the update is."""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta

from telegram import (
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
    Update,
    Voice,
)
from telegram.error import BadRequest, TelegramError

from bot.context import BotContext
from bot.views.voice import with_play_button

log = logging.getLogger(__name__)

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove

# How Telegram refuses to edit a message that is already as asked (the second tap of a double
# tap), or that is gone (deleted, or too old): nothing to do then.
EDIT_REFUSALS = ("message is not modified", "message to edit not found", "can't be edited")


async def reply(
    update: Update,
    context: BotContext,
    text: str,
    markup: ReplyMarkup | None = None,
    *,
    form: bool = False,
    reply_to: int | None = None,
) -> Message:
    """Send `text` to the chat of the update, a message or a button press alike.

    `form`: the message is part of the application form (a question, a hint, the summary).
    Any other message pushes the form's question out of sight; the database records it, so
    that typed text answers only a question on screen, even after a restart.
    `reply_to`: the message this one answers, quoted above it."""
    chat = update.effective_chat
    assert chat is not None
    if not form:  # recorded before sending: a crash in between errs on the side of asking again
        await _record_form_hidden(update, context, True)
    quoted = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    message = await context.bot.send_message(
        chat.id, text, reply_markup=markup, reply_parameters=quoted
    )
    if form:
        await _record_form_hidden(update, context, False)
    return message


async def _record_form_hidden(update: Update, context: BotContext, hidden: bool) -> None:
    user = update.effective_user
    if user is None or context.form_hidden is hidden:
        return
    await context.services.users.set_form_hidden(user.id, hidden)
    context.form_hidden = hidden


async def answer_button(update: Update, text: str | None = None, alert: bool = False) -> None:
    """Stop the button's spinner; Telegram shows it until answered (or for a while).

    Answering is a courtesy and may fail: Telegram refuses it for a press more than about
    15 s old ("query is too old and response timeout expired or query ID is invalid", after a
    restart or under load; https://core.telegram.org/bots/api#answercallbackquery), and it
    is a network call like any other. The work the button asked for goes on regardless."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text, show_alert=alert)
    except TelegramError as error:
        log.info("button press %s not answered: %s", query.id, error)


async def refuse_button(update: Update, context: BotContext) -> None:
    """A button that no longer matches the database: say so on the button, change nothing."""
    await answer_button(update, context.t.gettext("Ce bouton n'est plus valable."))


async def edit_pressed(
    update: Update, markup: InlineKeyboardMarkup | None = None, text: str | None = None
) -> None:
    """Replace the keyboard (and with `text`, the text) of the message whose button was pressed.

    A double tap runs the handler twice, the second time on a message already edited; a
    button may also be pressed on a message deleted meanwhile: Telegram refuses those edits,
    and the reply that follows says everything. A message without text (a photo, a file:
    forged data) only loses its keyboard."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    try:
        if text is None or query.message.text is None:
            await query.edit_message_reply_markup(markup)
        else:
            await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if not any(refusal in error.message.lower() for refusal in EDIT_REFUSALS):
            raise
        log.debug("pressed message not edited: %s", error)


def sender_id(update: Update) -> int:
    """The sender; private-chat handlers only run for updates that have one."""
    assert update.effective_user is not None
    return update.effective_user.id


def voice_seconds(voice: Voice) -> int:
    """A voice note's length in whole seconds. python-telegram-bot 22.2+ warns that `duration`
    becomes a timedelta in its next major version (an int today); both are read here, so the
    answers stored as JSON keep an int."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        length = voice.duration
    return int(length.total_seconds()) if isinstance(length, timedelta) else int(length)


async def send_prompt(update: Update, context: BotContext, file_id: str) -> None:
    """Send a recording again by its file id. Telegram refuses an id it no longer knows (a
    recording made under another bot token): the member then just reads the question."""
    chat = update.effective_chat
    if chat is None:
        return
    try:
        await context.bot.send_voice(chat.id, file_id)
    except BadRequest as error:
        log.warning("voice prompt not sent: %s", error)


async def reply_with_prompt(
    update: Update,
    context: BotContext,
    text: str,
    markup: ReplyMarkup | None,
    prompt: str | None,
    *,
    form: bool = False,
) -> None:
    """`reply`, with "🔊 Écouter" when `prompt` has a recording in the reader's language, and
    the recording itself after the text for members who hear every question (/settings)."""
    t = context.t
    recording = await context.services.voice.prompt(t.locale, prompt) if prompt else None
    if recording is not None and prompt is not None:
        markup = with_play_button(t, markup, prompt)
    await reply(update, context, text, markup, form=form)
    if recording is not None and context.hear_questions:
        await send_prompt(update, context, recording.file_id)
