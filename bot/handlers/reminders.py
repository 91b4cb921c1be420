"""/reminders: the events that concern me, when I will be reminded, and turning the
non-essential reminders off."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.callbacks import ReminderSetting, SetReminders
from bot.context import BotContext
from bot.handlers.audience import MEMBERS
from bot.handlers.common import answer_button, reply, sender_id
from bot.handlers.questionnaire import informs
from bot.services.reminders import events, with_seats
from bot.views.reminders import reminders_messages, toggle_keyboard


async def reminders_command(update: Update, context: BotContext) -> None:
    t, services = context.t, context.services
    user = sender_id(update)
    now = services.clock()
    sources = await services.application_records.for_reminders(user)
    found = events(services.catalogue, sources, now, services.settings.quiet_hours)
    records = services.application_records
    held = {source[0].id: await records.held_trainings(source[0].id) for source in sources}
    found = with_seats(found, held)
    off = await services.users.reminders_off(user)
    messages = reminders_messages(t, found, now, off)
    for index, text in enumerate(messages):
        last = index == len(messages) - 1
        await reply(update, context, text, toggle_keyboard(t, off) if last and found else None)


async def reminders_button(update: Update, context: BotContext, pressed: SetReminders) -> None:
    """The reminder 7 days before, on or off."""
    services = context.services
    await services.applications.set_reminders_off(
        sender_id(update), pressed.setting is ReminderSetting.OFF, services.users
    )
    await answer_button(update)
    await reminders_command(update, context)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.command("reminders", informs(reminders_command)),
        MEMBERS.route(SetReminders, reminders_button),
    ]
