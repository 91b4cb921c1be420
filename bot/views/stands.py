"""The organizers' screens of stands and arrivals, and the messages of the day; no I/O."""

from __future__ import annotations

from datetime import datetime, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import keyboards
from bot.callbacks import MarkArrived, MoveToStand, StandsAction, StandsButton
from bot.catalogue import Market, Phase
from bot.i18n import Translator
from bot.services.stands import ArrivalWindow, Board
from bot.views import stand_moves
from bot.views.phases import phase_label
from storage.stands import Arrival, Assignment, Exhibitor

LABEL_MAX = 30
LIST_MAX = 3500  # under Telegram's 4096 characters, with the header


def _label(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def _pole(t: Translator, market: Market, code: str) -> str:
    pole = market.pole(code)
    return pole.name.get(t.locale) if pole is not None else code


def phases_keyboard(
    t: Translator, phases: list[tuple[Market, Phase]], action: StandsAction
) -> InlineKeyboardMarkup:
    return keyboards.inline(
        [
            [keyboards.button(_label(phase_label(t, m, p)), StandsButton(action, p.code))]
            for m, p in phases
        ]
    )


def rule_text(t: Translator) -> str:
    return t.gettext(
        "Règle : chaque pôle reçoit les secteurs que le catalogue lui donne ; qui a demandé "
        "l'électricité choisit d'abord parmi les stands équipés ; les stands sont pris de "
        "l'entrée vers le fond, une structure de femmes puis une autre, à tour de rôle."
    )


def _line(t: Translator, board: Board, assignment: Assignment) -> str:
    exhibitor = board.exhibitors[assignment.application_id]
    stand = board.phase.stand(assignment.stand)
    mark = "✅" if assignment.confirmed else "📝"
    power = " ⚡" if stand is not None and stand.electricity else ""
    return t.gettext(
        "%(mark)s %(stand)s%(power)s · %(pole)s · %(name)s",
        mark=mark,
        stand=t.isolate(assignment.stand),
        power=power,
        pole=_pole(t, board.market, stand.pole if stand else ""),
        name=t.isolate(exhibitor.name or exhibitor.reference),
    )


def board_text(t: Translator, board: Board) -> str:
    title = t.gettext("🏷 Stands : %(phase)s", phase=phase_label(t, board.market, board.phase))
    if not board.phase.stands:
        return t.start_rtl(
            title
            + "\n"
            + t.gettext(
                "Le catalogue ne décrit aucun stand pour cette phase (clé « stands » de la phase)."
            )
        )
    if not board.exhibitors:
        return t.start_rtl(title + "\n" + t.gettext("Aucun exposant confirmé pour cette phase."))
    shown = [a for a in board.assignments if a.application_id in board.exhibitors]
    lines = [title, rule_text(t), ""]
    size = sum(len(line) for line in lines)
    for assignment in sorted(shown, key=lambda a: _order(board, a.stand)):
        line = _line(t, board, assignment)
        size += len(line) + 1
        if size > LIST_MAX:
            lines.append("…")
            break
        lines.append(line)
    if board.without_stand:
        count = len(board.without_stand)
        lines.append(
            t.ngettext(
                "⚠️ %(count)s exposant sans stand : il n'y a plus de stand libre.",
                "⚠️ %(count)s exposants sans stand : il n'y a plus de stand libre.",
                count,
            )
        )
    proposed = sum(1 for a in shown if not a.confirmed)
    if proposed:
        lines.append(
            t.gettext(
                "📝 proposé · ✅ confirmé (carte envoyée). Acceptez tout, ou changez un stand."
            )
        )
    return t.start_rtl("\n".join(lines))


def _order(board: Board, number: str) -> int:
    return next((i for i, s in enumerate(board.phase.stands) if s.number == number), 0)


def board_keyboard(t: Translator, board: Board) -> InlineKeyboardMarkup | None:
    proposed = [
        a for a in board.assignments if not a.confirmed and a.application_id in board.exhibitors
    ]
    relocate = stand_moves.relocate_button(t, board)
    if not proposed:
        return keyboards.inline([relocate]) if relocate else None
    rows = [
        [
            keyboards.button(
                t.gettext("✅ Tout accepter (%(count)s)", count=len(proposed)),
                StandsButton(StandsAction.ACCEPT, board.phase.code),
            )
        ]
    ]
    buttons = [
        keyboards.button(
            _label(f"✏️ {a.stand} {board.exhibitors[a.application_id].name}"),
            StandsButton(StandsAction.CHANGE, board.phase.code, a.application_id),
        )
        for a in sorted(proposed, key=lambda a: _order(board, a.stand))
    ]
    rows.extend([buttons[i : i + 2] for i in range(0, len(buttons), 2)])
    if relocate:
        rows.append(relocate)
    return keyboards.inline(rows)


def change_text(t: Translator, board: Board, application_id: int) -> str:
    exhibitor = board.exhibitors[application_id]
    current = next(a.stand for a in board.assignments if a.application_id == application_id)
    return t.start_rtl(
        t.gettext(
            "Quel stand pour %(name)s (aujourd'hui %(stand)s) ? Un stand déjà proposé à un "
            "autre exposant est échangé avec lui.",
            name=t.isolate(exhibitor.name or exhibitor.reference),
            stand=t.isolate(current),
        )
    )


def change_keyboard(board: Board, application_id: int) -> InlineKeyboardMarkup:
    holders = {a.stand: a for a in board.assignments}
    buttons: list[InlineKeyboardButton] = []
    for stand in board.phase.stands:
        holder = holders.get(stand.number)
        if holder is not None and (holder.confirmed or holder.application_id == application_id):
            continue
        mark = "⚡" if stand.electricity else ""
        taken = "•" if holder is not None else ""
        buttons.append(
            keyboards.button(
                f"{stand.number}{mark}{taken}",
                MoveToStand(board.phase.code, application_id, stand.number),
            )
        )
    return keyboards.inline([buttons[i : i + 5] for i in range(0, len(buttons), 5)])


def confirmed_text(t: Translator, count: int) -> str:
    return t.ngettext(
        "✅ %(count)s stand confirmé : sa carte part à l'exposant.",
        "✅ %(count)s stands confirmés : chaque exposant reçoit sa carte.",
        count,
    )


def arrived_text(
    t: Translator, exhibitor: Exhibitor, stand: str, arrival: Arrival, new: bool, zone: tzinfo
) -> str:
    at = t.time(arrival.arrived_at.astimezone(zone))
    name = t.isolate(exhibitor.name or exhibitor.reference)
    if new:
        text = t.gettext(
            "✅ Arrivée enregistrée à %(time)s : %(name)s, stand %(stand)s.",
            time=at,
            name=name,
            stand=t.isolate(stand),
        )
    else:
        text = t.gettext(
            "ℹ️ Déjà arrivé à %(time)s : %(name)s, stand %(stand)s.",
            time=at,
            name=name,
            stand=t.isolate(stand),
        )
    return t.start_rtl(text)


def window_text(t: Translator, window: ArrivalWindow, zone: tzinfo) -> str:
    """When arrivals are marked, from the first day to the end of the phase."""
    opens, closes = window.opens.astimezone(zone), window.closes.astimezone(zone)
    return t.gettext(
        "Les arrivées se notent pendant la phase : du %(opens)s au %(closes)s à %(close_time)s.",
        opens=t.date(opens),
        closes=t.date(closes),
        close_time=t.time(closes),
    )


def outside_window_text(t: Translator, window: ArrivalWindow, zone: tzinfo) -> str:
    """A scan or a press outside the window: nothing marked."""
    return t.start_rtl(
        t.gettext("⛔ Arrivée non enregistrée : ce n'est pas le moment.")
        + "\n"
        + window_text(t, window, zone)
    )


def arrivals_text(
    t: Translator, board: Board, now: datetime, first_day_over: bool, window: ArrivalWindow
) -> str:
    title = t.gettext("🚪 Arrivées : %(phase)s", phase=phase_label(t, board.market, board.phase))
    lines = [title]
    if not window.holds(now):
        lines.append("⏳ " + window_text(t, window, board.market.timezone))
    confirmed = board.confirmed()
    by_pole: dict[str, list[Assignment]] = {}
    for assignment in confirmed:
        stand = board.phase.stand(assignment.stand)
        by_pole.setdefault(stand.pole if stand else "", []).append(assignment)
    for pole, assignments in by_pole.items():
        arrived = sum(1 for a in assignments if a.application_id in board.arrivals)
        waiting = len(assignments) - arrived
        lines.append(
            t.gettext(
                "%(pole)s — arrivés : %(arrived)s · absents : %(absent)s",
                pole=_pole(t, board.market, pole),
                arrived=arrived,
                absent=waiting,
            )
            if first_day_over
            else t.gettext(
                "%(pole)s — arrivés : %(arrived)s · attendus : %(expected)s",
                pole=_pole(t, board.market, pole),
                arrived=arrived,
                expected=waiting,
            )
        )
    arrived_total = sum(1 for a in confirmed if a.application_id in board.arrivals)
    lines.append(
        t.gettext(
            "Total — arrivés : %(arrived)s sur %(count)s.",
            arrived=arrived_total,
            count=len(confirmed),
        )
    )
    if not confirmed:
        lines.append(t.gettext("Aucun stand confirmé pour cette phase : voir /stands."))
    return t.start_rtl("\n".join(lines))


def arrivals_keyboard(board: Board, marking: bool) -> InlineKeyboardMarkup | None:
    """A button per expected exhibitor, while arrivals can be marked (`marking`)."""
    expected = [a for a in board.confirmed() if a.application_id not in board.arrivals]
    if not marking:
        return None
    buttons = [
        keyboards.button(
            _label(f"✅ {a.stand} {board.exhibitors[a.application_id].name}"),
            MarkArrived(board.phase.code, a.application_id),
        )
        for a in sorted(expected, key=lambda a: _order(board, a.stand))
    ]
    if not buttons:
        return None
    return keyboards.inline([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def absent_text(t: Translator, board: Board) -> str:
    absent = [a for a in board.confirmed() if a.application_id not in board.arrivals]
    label = phase_label(t, board.market, board.phase)
    if not absent:
        return t.start_rtl(
            t.gettext(
                "✅ Fin du premier jour (%(phase)s) : tous les exposants sont arrivés.", phase=label
            )
        )
    lines = [
        t.ngettext(
            "📋 Fin du premier jour (%(phase)s) : %(count)s exposant absent. Aucune sanction "
            "automatique : à vous de voir.",
            "📋 Fin du premier jour (%(phase)s) : %(count)s exposants absents. Aucune sanction "
            "automatique : à vous de voir.",
            len(absent),
            phase=label,
        )
    ]
    for a in sorted(absent, key=lambda a: _order(board, a.stand)):
        exhibitor = board.exhibitors[a.application_id]
        lines.append(
            f"• {t.isolate(a.stand)} · {t.isolate(exhibitor.name)} ({t.isolate(exhibitor.reference)})"
        )
    lines.append(
        t.gettext("Marquer une arrivée : /arrivals %(phase)s", phase=t.isolate(board.phase.code))
    )
    return t.start_rtl("\n".join(lines)[:4000])
