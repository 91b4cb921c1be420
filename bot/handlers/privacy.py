"""/privacy, /mydata and /delete_my_data: the policy, a copy of my data, and its erasure."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot import keyboards
from bot.callbacks import EraseData, EraseStructure
from bot.context import BotContext
from bot.handlers.audience import MEMBERS
from bot.handlers.common import answer_button, edit_pressed, reply, sender_id
from bot.handlers.fallback import stale_button
from bot.handlers.questionnaire import informs
from bot.views import privacy as view
from bot.views import structures as structures_view

# How long the erasure's confirmation button stays valid: an old one pressed by mistake, weeks
# later, must not erase anything without the question being asked again.
CONFIRM_SECONDS = 15 * 60


async def privacy_command(update: Update, context: BotContext) -> None:
    services = context.services
    settings = services.settings
    text = view.policy_text(
        context.t, services.catalogue, settings.retention_months, settings.question_retention_days
    )
    await reply(update, context, text, keyboards.main_menu(context.t))


async def mydata_command(update: Update, context: BotContext) -> None:
    """Everything stored about me: a few short messages, and the whole as a JSON file."""
    t, services = context.t, context.services
    mine = await services.privacy.my_data(sender_id(update))
    for text in view.split_messages(t, view.my_data_lines(t, services.catalogue, mine)):
        await reply(update, context, text)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        document=view.my_data_document(t, services.catalogue, mine),
        filename=view.DOCUMENT_NAME,
    )


async def delete_command(update: Update, context: BotContext) -> None:
    """Ask first: the erasure cannot be undone."""
    t = context.t
    stamp = int(context.services.clock().timestamp())
    structures = await context.services.applications.structures(sender_id(update))
    keyboard = view.delete_confirm_keyboard(t, stamp, structures)
    await reply(update, context, view.delete_confirm_text(t), keyboard)


async def erase_structure_button(
    update: Update, context: BotContext, pressed: EraseStructure
) -> None:
    """One structure's data: asked first, then erased if confirmed in time."""
    t, services, user_id = context.t, context.services, sender_id(update)
    structure = await services.applications.structure_of(user_id, pressed.structure)
    now = int(services.clock().timestamp())
    asked = pressed.asked
    if structure is None or (asked is not None and not 0 <= now - asked <= CONFIRM_SECONDS):
        await stale_button(update, context)
        return
    await answer_button(update)
    await edit_pressed(update)
    if asked is None:
        text = structures_view.erase_structure_text(t, structure)
        keyboard = structures_view.erase_structure_keyboard(t, structure.id, now)
        await reply(update, context, text, keyboard)
        return
    erasure = await services.privacy.erase_structure(user_id, structure.id)
    withdrawn = erasure.withdrawn if erasure else 0
    text = structures_view.structure_erased_text(t, structure.name, withdrawn)
    await reply(update, context, text, keyboards.main_menu(t))


async def delete_button(update: Update, context: BotContext, pressed: EraseData) -> None:
    """Yes (with the time asked) erases; no keeps everything."""
    t, services = context.t, context.services
    now = int(services.clock().timestamp())
    asked = pressed.asked if pressed.yes else None
    confirmed = asked is not None and 0 <= now - asked <= CONFIRM_SECONDS
    if pressed != EraseData(yes=False) and not confirmed:
        await stale_button(update, context)
        return
    await answer_button(update)
    await edit_pressed(update)
    if not confirmed:
        await reply(
            update, context, t.gettext("D'accord, rien n'est effacé."), keyboards.main_menu(t)
        )
        return
    erasure = await services.privacy.erase(sender_id(update))
    # The users row keeps the locale: this answer, and any later one, is in their language.
    await reply(update, context, view.erased_text(t, erasure.withdrawn), keyboards.main_menu(t))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.command("privacy", informs(privacy_command)),
        MEMBERS.command("mydata", informs(mydata_command)),
        MEMBERS.command("delete_my_data", delete_command),
        MEMBERS.route(EraseData, delete_button),
        MEMBERS.route(EraseStructure, erase_structure_button),
    ]
