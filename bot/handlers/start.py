"""/start: the language picker for newcomers, the menu for everyone else, deep links to markets."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import BotContext
from bot.handlers.apply import offer_to_resume
from bot.handlers.audience import MEMBERS
from bot.handlers.decisions import show_pending
from bot.handlers.info import open_deep_link
from bot.handlers.invites import open_invite
from bot.handlers.language import show_picker
from bot.handlers.menu import show_home
from bot.handlers.stands import open_arrival
from bot.handlers.trainings import ATTENDANCE_PREFIX, open_attendance
from bot.services.stands import is_arrival
from bot.services.team import is_invite

# Deep-link payloads are at most 64 characters of [A-Za-z0-9_-]
# (https://core.telegram.org/bots/features#deep-linking).
MAX_PAYLOAD = 64


async def start(update: Update, context: BotContext) -> None:
    payload = context.args[0][:MAX_PAYLOAD] if context.args else None
    if payload and is_invite(payload):  # an invitation to the team (bot/handlers/invites.py)
        await open_invite(update, context, payload)
        return
    if payload and payload.startswith(ATTENDANCE_PREFIX):  # a session's QR code
        await open_attendance(update, context, payload.removeprefix(ATTENDANCE_PREFIX))
        return
    if payload and is_arrival(payload):  # a stand card's QR code (bot/handlers/stands.py)
        if await open_arrival(update, context, payload):
            return
        payload = None  # anyone else: the plain /start, the token told nothing
    if not context.locale_chosen:
        if payload and context.user_data is not None:
            context.user_data["deep_link"] = payload
        await show_picker(update, context)
        return
    if payload and await open_deep_link(update, context, payload):
        return
    await show_home(update, context)
    if update.effective_user is not None:
        draft = await context.services.applications.draft(update.effective_user.id)
        if draft is not None:
            await offer_to_resume(update, context, draft)
        await show_pending(update, context)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.command("start", start),
    ]
