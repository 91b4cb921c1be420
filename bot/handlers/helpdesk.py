"""The help desk in the chat: "💬 Poser une question" (and /ask) for members; /questions, the
ticket's "✍️ Répondre" button and replies to a ticket for the organizers' team.

A member's question and an organizer's answer are typed text like any other: `on_message`
(called first by handlers/talk.py) takes the message when one is awaited, and only then.
Typed text answers the application form only while its question is on screen: a question
typed after "Poser une question" is never taken as an answer, and the form's question, shown
again below a later screen, takes the next text back.
"""

from __future__ import annotations

import re
from datetime import tzinfo

from telegram import Message, Update
from telegram.ext import BaseHandler

from bot import keyboards
from bot.callbacks import StopAsking, TicketAction, TicketButton
from bot.context import BotContext
from bot.handlers.audience import MEMBERS, team
from bot.handlers.common import answer_button, edit_pressed, refuse_button, reply, sender_id
from bot.handlers.questionnaire import resume_form
from bot.permissions import PERMISSIONS
from bot.talk import SMALL_TALK, bundled_keywords
from bot.validation import ValidationError
from bot.views import helpdesk as view
from bot.views.talk import small_talk_line
from storage.tickets import Ticket

PERMISSION = "questions"
# The ticket's reference in the message an organizer replies to: the first one in it (the
# ticket's header comes before the member's own words).
REFERENCE = re.compile(r"\bQ-(\d{1,18})\b")


def _zone(context: BotContext) -> tzinfo:
    return context.services.catalogue.markets[0].timezone


def _wake(context: BotContext) -> None:
    dispatcher = context.services.dispatcher
    if dispatcher is not None:
        dispatcher.wake()


# ---- members ------------------------------------------------------------------------------


async def ask_command(update: Update, context: BotContext) -> None:
    """/ask and the menu's "💬 Poser une question": the next message is the question."""
    await context.services.helpdesk.start_asking(sender_id(update))
    await reply(update, context, view.ask_prompt(context.t), view.ask_keyboard(context.t))


async def stop_asking_button(update: Update, context: BotContext, pressed: StopAsking) -> None:
    """❌ Annuler under the prompt; pressed after the question was sent (or an hour later), it
    has nothing left to cancel, and says so on the button."""
    if not await context.services.helpdesk.stop_waiting(sender_id(update)):
        await refuse_button(update, context)
        await edit_pressed(update)
        return
    await answer_button(update)
    await edit_pressed(update)
    t = context.t
    await reply(update, context, view.stopped_text(t), keyboards.main_menu(t))
    await resume_form(update, context)


async def _ask(update: Update, context: BotContext, message: Message) -> None:
    t, user = context.t, update.effective_user
    assert user is not None
    if message.voice is not None:
        kind, text, file_id = "voice", None, message.voice.file_id
    elif message.photo:
        kind, text, file_id = "photo", message.caption, message.photo[-1].file_id
    elif message.text is not None:
        said = bundled_keywords().whole(message.text)
        if said is not None and said.intent in SMALL_TALK:
            # "السلام عليكم" first, the question next, as people write to a person.
            note = f"{small_talk_line(t, said.intent)}\n{view.ask_prompt(t)}"
            await reply(update, context, t.start_rtl(note), view.ask_keyboard(t))
            return
        kind, text, file_id = "text", message.text, None
    else:  # a sticker, a file...: still waiting for the question
        await reply(update, context, view.unsupported_text(t), view.ask_keyboard(t))
        return
    try:
        ticket = await context.services.helpdesk.ask(
            user.id, user.first_name or "", t.locale, kind, text, file_id, PERMISSIONS[PERMISSION]
        )
    except ValidationError as error:
        hint = t.start_rtl(t.gettext(error.message, **error.params))
        await reply(update, context, hint, view.ask_keyboard(t))
        return
    _wake(context)
    await reply(update, context, view.asked_text(t, ticket), keyboards.main_menu(t))
    await resume_form(update, context)


async def on_message(update: Update, context: BotContext) -> bool:
    """A message that is a question, or an organizer's answer; False for any other (it goes on
    to the form, then to small talk)."""
    message = update.message
    if message is None:
        return False
    if await _reply_to_ticket(update, context, message):
        return True
    helpdesk, user_id = context.services.helpdesk, sender_id(update)
    wait = await helpdesk.waiting(user_id)
    if wait is None:
        return False
    if wait.ticket_id is not None:
        if context.role not in PERMISSIONS[PERMISSION]:  # revoked meanwhile
            await helpdesk.stop_waiting(user_id)
            return False
        await _answer(update, context, wait.ticket_id, message)
        return True
    if not context.form_hidden and await context.services.applications.in_progress(user_id):
        # The form's question was shown again after the prompt: the text answers it.
        await helpdesk.stop_waiting(user_id)
        return False
    await _ask(update, context, message)
    return True


# ---- organizers ---------------------------------------------------------------------------


async def _reply_to_ticket(update: Update, context: BotContext, message: Message) -> bool:
    """An organizer's reply (Telegram's "Reply") to a ticket the bot sent them answers it."""
    replied = message.reply_to_message
    if (
        replied is None
        or replied.from_user is None
        or replied.from_user.id != context.bot.id
        or context.role not in PERMISSIONS[PERMISSION]
    ):
        return False
    found = REFERENCE.search(replied.text or replied.caption or "")
    if found is None:
        return False
    await _answer(update, context, int(found.group(1)), message)
    return True


async def _answer(update: Update, context: BotContext, ticket_id: int, message: Message) -> None:
    t, helpdesk, user_id = context.t, context.services.helpdesk, sender_id(update)
    if not message.text:
        await reply(update, context, view.answer_in_words_text(t))
        return
    try:
        done, ticket = await helpdesk.answer(ticket_id, user_id, message.text)
    except ValidationError as error:
        await reply(update, context, t.start_rtl(t.gettext(error.message, **error.params)))
        return
    except LookupError:
        await helpdesk.stop_waiting(user_id)
        await reply(update, context, view.gone_text(t))
        return
    if done:
        _wake(context)
        await reply(update, context, view.answered_text(t, ticket))
    else:
        await helpdesk.stop_waiting(user_id)
        await _already_answered(update, context, ticket)


async def _already_answered(update: Update, context: BotContext, ticket: Ticket) -> None:
    """Someone answered first: say who and when; nothing more is sent to the member."""
    member = await context.services.users.get(ticket.answered_by) if ticket.answered_by else None
    name = member.first_name if member else ""
    text = view.already_answered_text(context.t, ticket, _zone(context), name)
    await reply(update, context, text)


async def questions_command(update: Update, context: BotContext) -> None:
    """/questions: the open tickets, oldest first, each with a button to open it."""
    t, helpdesk = context.t, context.services.helpdesk
    tickets = await helpdesk.tickets.open_tickets(view.QUEUE_SHOWN)
    shown = [(ticket, await helpdesk.asker(ticket)) for ticket in tickets]
    total = await helpdesk.tickets.count_open()
    text = view.queue_text(t, context.services.catalogue, shown, total, _zone(context))
    await reply(update, context, text, view.queue_keyboard(t, shown) if shown else None)


async def show_ticket(update: Update, context: BotContext, ticket: Ticket) -> None:
    """The ticket as the outbox sent it: a voice note or a photo comes with it."""
    t, helpdesk, chat = context.t, context.services.helpdesk, update.effective_chat
    assert chat is not None
    asker = await helpdesk.asker(ticket)
    text = view.ticket_text(t, context.services.catalogue, ticket, asker, _zone(context))
    markup = view.ticket_keyboard(t, ticket)
    if ticket.kind == "voice" and ticket.file_id:
        await context.bot.send_voice(chat.id, ticket.file_id, caption=text, reply_markup=markup)
    elif ticket.kind == "photo" and ticket.file_id:
        await context.bot.send_photo(chat.id, ticket.file_id, caption=text, reply_markup=markup)
    else:
        await reply(update, context, text, markup)


async def ticket_button(update: Update, context: BotContext, pressed: TicketButton) -> None:
    t, helpdesk, user_id = context.t, context.services.helpdesk, sender_id(update)
    await answer_button(update)
    if pressed.action is TicketAction.CANCEL:
        await edit_pressed(update)
        await helpdesk.stop_waiting(user_id)
        await reply(update, context, view.not_answering_text(t))
        return
    if pressed.action is TicketAction.OPEN:
        ticket = await helpdesk.tickets.get(pressed.ticket_id)
    else:
        ticket = await helpdesk.start_answering(user_id, pressed.ticket_id)
    if ticket is None:
        await reply(update, context, view.gone_text(t))
    elif pressed.action is TicketAction.OPEN:
        await show_ticket(update, context, ticket)
    elif not ticket.is_open:
        await _already_answered(update, context, ticket)
    else:
        await reply(
            update, context, view.answer_prompt(t, ticket), view.answer_prompt_keyboard(t, ticket)
        )


# The help desk's team: those told of members' questions, who see /questions and answer them.
ANSWERERS = team(PERMISSION)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.command("ask", ask_command),
        MEMBERS.route(StopAsking, stop_asking_button),
        ANSWERERS.command("questions", questions_command),
        ANSWERERS.route(TicketButton, ticket_button),
    ]
