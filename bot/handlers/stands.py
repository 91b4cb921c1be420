"""/stands (organizers: propose, change, accept), /arrivals (the team on the ground), and the
stand card's link `/start arr_<token>`, called from /start."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.callbacks import MarkArrived, MoveToStand, StandsAction, StandsButton
from bot.context import BotContext
from bot.handlers.audience import team
from bot.handlers.common import answer_button, edit_pressed, reply, sender_id
from bot.permissions import allows
from bot.services.stands import ARRIVAL_PREFIX, first_day_closing
from bot.views import stands as views
from bot.views.stand_card import StandCard
from bot.views.stand_messages import card_message


async def _phase_or_choice(update: Update, context: BotContext, action: StandsAction) -> str | None:
    code = (context.args or [""])[0]
    if code:
        return code
    t, catalogue = context.t, context.services.catalogue
    now = context.services.clock()
    phases = [(m, p) for m in catalogue.markets for p in m.phases if p.ends > now]
    await reply(
        update, context, t.gettext("Quelle phase ?"), views.phases_keyboard(t, phases, action)
    )
    return None


async def _show_board(update: Update, context: BotContext, code: str) -> None:
    t = context.t
    board = await context.services.stands.proposal(code)
    if board is None:
        await reply(update, context, t.gettext("Phase inconnue. Exemple : /stands ifrane-1"))
        return
    await reply(update, context, views.board_text(t, board), views.board_keyboard(t, board))


async def stands_command(update: Update, context: BotContext) -> None:
    code = await _phase_or_choice(update, context, StandsAction.SHOW)
    if code is not None:
        await _show_board(update, context, code)


async def arrivals_command(update: Update, context: BotContext) -> None:
    code = await _phase_or_choice(update, context, StandsAction.ARRIVALS)
    if code is not None:
        await _show_arrivals(update, context, code)


async def _show_arrivals(update: Update, context: BotContext, code: str) -> None:
    t, services = context.t, context.services
    board = await services.stands.board(code)
    if board is None:
        await reply(update, context, t.gettext("Phase inconnue. Exemple : /arrivals ifrane-1"))
        return
    over = services.clock() >= first_day_closing(board.market, board.phase)
    text = views.arrivals_text(t, board, services.clock(), over)
    await reply(update, context, text, views.arrivals_keyboard(board))


async def stands_button(update: Update, context: BotContext, pressed: StandsButton) -> None:
    await answer_button(update)
    t, services = context.t, context.services
    if pressed.action is StandsAction.ARRIVALS:
        if not allows(context.role, "review"):
            return
        await _show_arrivals(update, context, pressed.phase)
        return
    if not allows(context.role, "decide"):
        return
    if pressed.action is StandsAction.SHOW:
        await _show_board(update, context, pressed.phase)
    elif pressed.action is StandsAction.ACCEPT:
        await edit_pressed(update)
        username = context.bot.username
        count = await services.stands.confirm_all(pressed.phase, sender_id(update), username)
        await reply(update, context, views.confirmed_text(t, count))
    elif pressed.application_id is not None:
        board = await services.stands.board(pressed.phase)
        if board is None or not any(
            a.application_id == pressed.application_id and not a.confirmed
            for a in board.assignments
        ):
            await reply(update, context, t.gettext("Ce stand est déjà confirmé."))
            return
        await reply(
            update,
            context,
            views.change_text(t, board, pressed.application_id),
            views.change_keyboard(board, pressed.application_id),
        )


async def move_button(update: Update, context: BotContext, pressed: MoveToStand) -> None:
    await answer_button(update)
    await edit_pressed(update)
    moved = await context.services.stands.move(pressed.phase, pressed.application_id, pressed.stand)
    if not moved:
        await reply(update, context, context.t.gettext("Ce stand est déjà confirmé."))
    await _show_board(update, context, pressed.phase)


async def mark_button(update: Update, context: BotContext, pressed: MarkArrived) -> None:
    await answer_button(update)
    services = context.services
    board = await services.stands.board(pressed.phase)
    confirmed = {a.application_id: a for a in board.confirmed()} if board else {}
    if board is None or pressed.application_id not in confirmed:
        return
    new, arrival = await services.stands.arrive(
        pressed.application_id, pressed.phase, sender_id(update), "hand"
    )
    exhibitor = board.exhibitors[pressed.application_id]
    stand = confirmed[pressed.application_id].stand
    text = views.arrived_text(context.t, exhibitor, stand, arrival, new, board.market.timezone)
    await reply(update, context, text)
    await _show_arrivals(update, context, pressed.phase)


async def open_arrival(update: Update, context: BotContext, payload: str) -> bool:
    """`/start arr_<token>`: an organizer marks the arrival; the exhibitor sees their card;
    anyone else is treated as if there were no payload (False)."""
    services = context.services
    token = payload.removeprefix(ARRIVAL_PREFIX)
    assignment = await services.stands.repository.by_token(token) if token else None
    if assignment is None or not assignment.confirmed:
        return False
    board = await services.stands.board(assignment.phase_code)
    exhibitor = board.exhibitors.get(assignment.application_id) if board else None
    if board is None or exhibitor is None:
        return False
    if allows(context.role, "review"):
        new, arrival = await services.stands.arrive(
            assignment.application_id, assignment.phase_code, sender_id(update), "scan"
        )
        text = views.arrived_text(
            context.t, exhibitor, assignment.stand, arrival, new, board.market.timezone
        )
        await reply(update, context, text)
        return True
    if sender_id(update) != assignment.user_id:
        return False
    stand = board.phase.stand(assignment.stand)
    if stand is None:
        return False
    link = f"https://t.me/{context.bot.username}?start={payload}"
    card = StandCard(board.market, board.phase, stand, exhibitor.name, exhibitor.reference, link)
    message = card_message(context.t, card)
    chat = update.effective_chat
    assert chat is not None and message.photo is not None
    await context.bot.send_photo(chat.id, message.photo, caption=message.text)
    return True


DECIDERS = team("decide")
GROUND = team("review")


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        DECIDERS.command("stands", stands_command),
        GROUND.command("arrivals", arrivals_command),
        GROUND.route(StandsButton, stands_button),
        DECIDERS.route(MoveToStand, move_button),
        GROUND.route(MarkArrived, mark_button),
    ]
