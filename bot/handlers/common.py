"""Small helpers shared by handlers: reply to whatever the update is."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update

from bot.context import BotContext

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


async def reply(
    update: Update, context: BotContext, text: str, markup: ReplyMarkup | None = None
) -> Message:
    """Send `text` to the chat of the update, a message or a button press alike."""
    chat = update.effective_chat
    assert chat is not None
    return await context.bot.send_message(chat.id, text, reply_markup=markup)


async def answer_button(update: Update, text: str | None = None, alert: bool = False) -> None:
    """Stop the button's spinner; Telegram shows it until answered (or for a while)."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=alert)


async def refuse_button(update: Update, context: BotContext) -> None:
    """A button that no longer matches the database: say so on the button, change nothing."""
    await answer_button(update, context.t.gettext("Ce bouton n'est plus valable."))


def sender_id(update: Update) -> int:
    """The sender; private-chat handlers only run for updates that have one."""
    assert update.effective_user is not None
    return update.effective_user.id
