"""/stands (organizers: propose, change, accept; move a confirmed stand to a free one),
/arrivals (the team on the ground), and the stand card's link `/start arr_<token>`, called
from /start. Arrivals are marked only while the phase runs (the service says when)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.callbacks import (
    ConfirmMove,
    MarkArrived,
    MoveToStand,
    PickFreeStand,
    StandsAction,
    StandsButton,
)
from bot.context import BotContext
from bot.handlers.audience import team
from bot.handlers.common import answer_button, edit_pressed, reply, sender_id
from bot.permissions import allows
from bot.services.stands import (
    ARRIVAL_PREFIX,
    Board,
    Marking,
    arrival_link,
    arrival_window,
    first_day_closing,
)
from bot.views import stand_moves
from bot.views import stands as views
from bot.views.stand_card import StandCard
from bot.views.stand_messages import card_message
from storage.stands import Assignment, Exhibitor


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
    now = services.clock()
    over = now >= first_day_closing(board.market, board.phase)
    window = arrival_window(board.market, board.phase)
    text = views.arrivals_text(t, board, now, over, window)
    await reply(update, context, text, views.arrivals_keyboard(board, window.holds(now)))


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
    elif pressed.action is StandsAction.RELOCATE:
        board = await services.stands.board(pressed.phase)
        if board is not None and board.confirmed():
            await reply(
                update, context, stand_moves.choose_text(t), stand_moves.choose_keyboard(board)
            )
    elif pressed.application_id is not None:
        board = await services.stands.board(pressed.phase)
        held = _held(board, pressed.application_id)
        if board is None or held is None:
            await reply(update, context, stand_moves.stale_text(t))
            return
        if held.confirmed:
            await reply(
                update,
                context,
                stand_moves.free_text(t, board, held),
                stand_moves.free_keyboard(board, held.application_id),
            )
            return
        await reply(
            update,
            context,
            views.change_text(t, board, pressed.application_id),
            views.change_keyboard(board, pressed.application_id),
        )


def _held(board: Board | None, application_id: int) -> Assignment | None:
    """The stand this exhibitor holds, if they are still a confirmed exhibitor of the phase."""
    if board is None or application_id not in board.exhibitors:
        return None
    return next((a for a in board.assignments if a.application_id == application_id), None)


async def pick_free_button(update: Update, context: BotContext, pressed: PickFreeStand) -> None:
    await answer_button(update)
    t = context.t
    board = await context.services.stands.board(pressed.phase)
    held = _held(board, pressed.application_id)
    free = {s.number for s in board.free()} if board is not None else set()
    if board is None or held is None or not held.confirmed or pressed.stand not in free:
        await reply(update, context, stand_moves.stale_text(t))
        return
    await reply(
        update,
        context,
        stand_moves.confirm_text(t, board, held, pressed.stand),
        stand_moves.confirm_keyboard(t, board, held, pressed.stand),
    )


async def confirm_move_button(update: Update, context: BotContext, pressed: ConfirmMove) -> None:
    await answer_button(update)
    await edit_pressed(update)
    t, stands = context.t, context.services.stands
    moved = await stands.relocate(
        pressed.phase,
        pressed.application_id,
        (pressed.old, pressed.new),
        sender_id(update),
        context.bot.username,
    )
    board = await stands.board(pressed.phase)
    exhibitor = board.exhibitors.get(pressed.application_id) if board else None
    if moved and exhibitor is not None:
        text = stand_moves.moved_text(t, exhibitor, pressed.old, pressed.new)
        await reply(update, context, text)
    else:
        await reply(update, context, stand_moves.stale_text(t))
    await _show_board(update, context, pressed.phase)


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
    marking = await services.stands.arrive(
        pressed.application_id, pressed.phase, sender_id(update), "hand"
    )
    exhibitor = board.exhibitors[pressed.application_id]
    stand = confirmed[pressed.application_id].stand
    await reply(update, context, _marked_text(context, board, marking, exhibitor, stand))
    await _show_arrivals(update, context, pressed.phase)


def _marked_text(
    context: BotContext, board: Board, marking: Marking | None, exhibitor: Exhibitor, stand: str
) -> str:
    t, zone = context.t, board.market.timezone
    if marking is None or marking.arrival is None:
        window = marking.window if marking else arrival_window(board.market, board.phase)
        return views.outside_window_text(t, window, zone)
    return views.arrived_text(t, exhibitor, stand, marking.arrival, marking.new, zone)


async def open_arrival(update: Update, context: BotContext, payload: str) -> bool:
    """`/start arr_<token>`: an organizer marks the arrival; the exhibitor sees their card;
    anyone else is treated as if there were no payload (False)."""
    services = context.services
    repository = services.stands.repository
    token = payload.removeprefix(ARRIVAL_PREFIX)
    assignment = await repository.by_token(token) if token else None
    replaced = await repository.replaced(token) if token and assignment is None else None
    if replaced is not None:
        assignment = await repository.of_application(replaced.application_id)
    if assignment is None or not assignment.confirmed:
        return False
    board = await services.stands.board(assignment.phase_code)
    exhibitor = board.exhibitors.get(assignment.application_id) if board else None
    if board is None or exhibitor is None:
        return False
    if allows(context.role, "review"):
        if replaced is not None:
            text = stand_moves.replaced_text(
                context.t, exhibitor, replaced.from_stand, assignment.stand, board.phase.code
            )
            await reply(update, context, text)
            return True
        marking = await services.stands.arrive(
            assignment.application_id, assignment.phase_code, sender_id(update), "scan"
        )
        await reply(
            update, context, _marked_text(context, board, marking, exhibitor, assignment.stand)
        )
        return True
    if sender_id(update) != assignment.user_id or assignment.token is None:
        return False
    # The exhibitor opening an old card's link gets the card of their stand now.
    return await _send_card(update, context, board, assignment, exhibitor)


async def _send_card(
    update: Update, context: BotContext, board: Board, assignment: Assignment, exhibitor: Exhibitor
) -> bool:
    stand = board.phase.stand(assignment.stand)
    if stand is None or assignment.token is None:
        return False
    link = arrival_link(context.bot.username, assignment.token)
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
        DECIDERS.route(PickFreeStand, pick_free_button),
        DECIDERS.route(ConfirmMove, confirm_move_button),
        GROUND.route(MarkArrived, mark_button),
    ]
