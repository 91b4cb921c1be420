"""The organizers' screens to move a confirmed stand (its card already sent) to a free one,
and what a scan of the card it replaced says; no I/O."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import keyboards
from bot.callbacks import ConfirmMove, PickFreeStand, StandsAction, StandsButton
from bot.i18n import Translator
from bot.services.stands import Board
from storage.stands import Assignment, Exhibitor

LABEL_MAX = 30


def _label(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def _name(t: Translator, exhibitor: Exhibitor) -> str:
    return t.isolate(exhibitor.name or exhibitor.reference)


def _order(board: Board, number: str) -> int:
    return next((i for i, s in enumerate(board.phase.stands) if s.number == number), 0)


def relocate_button(t: Translator, board: Board) -> list[InlineKeyboardButton]:
    """Under the board, when a stand is confirmed: the way to move one."""
    if not board.confirmed():
        return []
    return [
        keyboards.button(
            t.gettext("🔁 Déplacer un stand confirmé"),
            StandsButton(StandsAction.RELOCATE, board.phase.code),
        )
    ]


def choose_text(t: Translator) -> str:
    return t.start_rtl(
        t.gettext(
            "🔁 Quel exposant change de stand ? Il recevra une nouvelle carte ; l'ancienne ne "
            "servira plus à noter son arrivée."
        )
    )


def choose_keyboard(board: Board) -> InlineKeyboardMarkup:
    buttons = [
        keyboards.button(
            _label(f"🔁 {a.stand} {board.exhibitors[a.application_id].name}"),
            StandsButton(StandsAction.CHANGE, board.phase.code, a.application_id),
        )
        for a in sorted(board.confirmed(), key=lambda a: _order(board, a.stand))
    ]
    return keyboards.inline([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def free_text(t: Translator, board: Board, assignment: Assignment) -> str:
    exhibitor = board.exhibitors[assignment.application_id]
    if not board.free():
        return t.start_rtl(
            t.gettext(
                "Aucun stand libre : %(name)s garde le stand %(stand)s.",
                name=_name(t, exhibitor),
                stand=t.isolate(assignment.stand),
            )
        )
    return t.start_rtl(
        t.gettext(
            "Stand confirmé de %(name)s : %(stand)s. Vers quel stand libre le déplacer ?",
            name=_name(t, exhibitor),
            stand=t.isolate(assignment.stand),
        )
    )


def free_keyboard(board: Board, application_id: int) -> InlineKeyboardMarkup | None:
    buttons = [
        keyboards.button(
            f"{stand.number}{'⚡' if stand.electricity else ''}",
            PickFreeStand(board.phase.code, application_id, stand.number),
        )
        for stand in board.free()
    ]
    if not buttons:
        return None
    return keyboards.inline([buttons[i : i + 5] for i in range(0, len(buttons), 5)])


def confirm_text(t: Translator, board: Board, assignment: Assignment, new: str) -> str:
    return t.start_rtl(
        t.gettext(
            "Déplacer %(name)s du stand %(old)s au stand %(new)s ? Une nouvelle carte lui sera "
            "envoyée ; l'ancienne ne servira plus à noter son arrivée.",
            name=_name(t, board.exhibitors[assignment.application_id]),
            old=t.isolate(assignment.stand),
            new=t.isolate(new),
        )
    )


def confirm_keyboard(
    t: Translator, board: Board, assignment: Assignment, new: str
) -> InlineKeyboardMarkup:
    phase = board.phase.code
    return keyboards.inline(
        [
            [
                keyboards.button(
                    t.gettext("✅ Confirmer le déplacement"),
                    ConfirmMove(phase, assignment.application_id, assignment.stand, new),
                )
            ],
            [keyboards.button(t.gettext("↩️ Annuler"), StandsButton(StandsAction.SHOW, phase))],
        ]
    )


def moved_text(t: Translator, exhibitor: Exhibitor, old: str, new: str) -> str:
    return t.start_rtl(
        t.gettext(
            "✅ %(name)s passe du stand %(old)s au stand %(new)s : sa nouvelle carte part.",
            name=_name(t, exhibitor),
            old=t.isolate(old),
            new=t.isolate(new),
        )
    )


def stale_text(t: Translator) -> str:
    return t.start_rtl(
        t.gettext(
            "Ce déplacement n'est plus possible : le stand a changé entre-temps ou n'est plus "
            "libre."
        )
    )


def replaced_text(
    t: Translator, exhibitor: Exhibitor, old: str, current: str, phase_code: str
) -> str:
    """An organizer scanned a card that a move replaced: nothing marked."""
    return t.start_rtl(
        t.gettext(
            "⛔ Carte remplacée : %(name)s n'est plus au stand %(old)s. Son stand actuel : "
            "%(current)s. Rien n'a été noté : scannez sa nouvelle carte, ou notez l'arrivée "
            "avec /arrivals %(phase)s.",
            name=_name(t, exhibitor),
            old=t.isolate(old),
            current=t.isolate(current),
            phase=t.isolate(phase_code),
        )
    )
