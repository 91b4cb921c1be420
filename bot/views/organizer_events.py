"""What the organizers read about declines, withdrawals, expiries, automatic offers and free
places: one notice at once, or the day's digest grouped by market and phase; and the
/notifications choice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.callbacks import OfferFreed, SetNotices
from bot.catalogue import Catalogue
from bot.i18n import Translator
from bot.keyboards import button, inline
from bot.services.organizer_events import DIGEST_TIME
from bot.views.phases import phase_label
from storage.organizer_events import PLACE_FREE, Event
from storage.statuses import Status


def _what(t: Translator, kind: str) -> str:
    if kind == Status.DECLINED:
        return t.gettext("a refusé la place")
    if kind == Status.WITHDRAWN:
        return t.gettext("a retiré sa candidature")
    if kind == Status.EXPIRED:
        return t.gettext("n'a pas confirmé à temps, place perdue")
    if kind == Status.OFFERED:
        return t.gettext("place proposée automatiquement (liste d'attente)")
    return kind


_ICONS: dict[str, str] = {
    Status.DECLINED: "❌",
    Status.WITHDRAWN: "↩️",
    Status.EXPIRED: "⌛",
    Status.OFFERED: "🎟️",
}


def _icon(kind: str) -> str:
    return _ICONS.get(kind, "•")


def event_line(t: Translator, event: Event, zone_of: Catalogue) -> str:
    """`❌ 14:05 IFR-1-0042 (Coopérative Atlas) : a refusé la place`."""
    phase = zone_of.phase(event.phase_code)
    market = zone_of.market(phase.market_code) if phase else None
    moment = event.occurred_at.astimezone(market.timezone) if market else event.occurred_at
    if event.kind == PLACE_FREE:
        return t.gettext(
            "🆓 %(time)s Une place libérée attend votre décision.", time=t.time(moment)
        )
    who = t.isolate(event.reference or "")
    if event.structure:
        who = t.gettext(
            "%(reference)s (%(structure)s)", reference=who, structure=t.isolate(event.structure)
        )
    return t.gettext(
        "%(icon)s %(time)s %(who)s : %(what)s",
        icon=_icon(event.kind),
        time=t.time(moment),
        who=who,
        what=_what(t, event.kind),
    )


def _phase_heading(t: Translator, catalogue: Catalogue, phase_code: str) -> str:
    phase = catalogue.phase(phase_code)
    market = catalogue.market(phase.market_code) if phase else None
    if phase is None or market is None:
        return f"▪️ {t.isolate(phase_code)}"
    return f"▪️ {phase_label(t, market, phase)}"


def event_text(t: Translator, catalogue: Catalogue, event: Event) -> str:
    """One event, told at once."""
    lines = [
        t.gettext("🔔 Pour les organisateurs"),
        _phase_heading(t, catalogue, event.phase_code),
        event_line(t, event, catalogue),
    ]
    return t.start_rtl("\n".join(lines))


def digest_text(t: Translator, catalogue: Catalogue, events: Sequence[Event], day: datetime) -> str:
    """The day's events, grouped by market and phase (catalogue order), oldest first."""
    order = [phase.code for market in catalogue.markets for phase in market.phases]
    codes = sorted(
        {event.phase_code for event in events},
        key=lambda code: (order.index(code) if code in order else len(order), code),
    )
    lines = [
        t.gettext("📋 Résumé du %(day)s", day=t.date(day)),
        t.ngettext("%(count)s événement", "%(count)s événements", len(events)),
    ]
    for code in codes:
        lines += ["", _phase_heading(t, catalogue, code)]
        lines += [event_line(t, event, catalogue) for event in events if event.phase_code == code]
    lines += ["", t.gettext("Réglage : /notifications")]
    return t.start_rtl("\n".join(lines))


def offer_keyboard(
    t: Translator, catalogue: Catalogue, phase_codes: Sequence[str]
) -> InlineKeyboardMarkup | None:
    """A button per phase where a place waits and someone is on the waiting list."""
    rows = []
    for code in phase_codes:
        phase = catalogue.phase(code)
        market = catalogue.market(phase.market_code) if phase else None
        if phase is None or market is None:
            continue
        label = t.gettext(
            "🎟️ Proposer : %(phase)s",
            phase=t.isolate(f"{market.ref_prefix}-{phase.number}"),
        )
        rows.append([button(label, OfferFreed(code))])
    return inline(rows) if rows else None


def notifications_text(t: Translator, immediate: bool) -> str:
    choice = (
        t.gettext("Vous êtes prévenu(e) tout de suite, à chaque événement.")
        if immediate
        else t.gettext(
            "Vous recevez un résumé par jour, à %(time)s (heure du marché).",
            time=t.time(DIGEST_TIME),
        )
    )
    return "\n\n".join(
        [
            t.gettext(
                "🔔 Avis aux organisateurs : refus de place, retraits, délais de confirmation"
                " dépassés, places proposées automatiquement, places libres à proposer."
            ),
            choice,
            t.gettext("Choisissez :"),
        ]
    )


def notifications_keyboard(t: Translator, immediate: bool) -> InlineKeyboardMarkup:
    def tick(label: str, chosen: bool) -> str:
        return f"✅ {label}" if chosen else label

    return inline(
        [
            [button(tick(t.gettext("📋 Un résumé par jour"), not immediate), SetNotices(False))],
            [button(tick(t.gettext("⚡ Tout de suite"), immediate), SetNotices(True))],
        ]
    )


def offered_text(t: Translator, reference: str | None) -> str:
    return t.gettext(
        "🎟️ Place proposée à %(reference)s, premier de la liste d'attente : le candidat est prévenu.",
        reference=t.isolate(reference or ""),
    )


def nothing_to_offer_text(t: Translator) -> str:
    return t.gettext(
        "Aucune place à proposer : la phase est complète ou la liste d'attente est vide."
    )
