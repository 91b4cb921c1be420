"""How decisions read: messages that stand alone on a phone, and the buttons to answer them.

An applicant may open a decision weeks after applying, maybe on a shared phone: each message
names the market, the phase with its dates and place, the stand set-up, the trainings chosen
and how to reach the organizers, and gives the confirmation deadline as a day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import CalendarFile, ConfirmOffer, OfferChoice
from bot.catalogue import Catalogue, Market, Phase, Training
from bot.i18n import Translator
from bot.keyboards import button, inline
from bot.views.contact import contact_line
from storage.applications import Application
from storage.statuses import HOLDS_A_PLACE, NEEDS_CONFIRMATION, Status

# Statuses whose message carries Confirm / Decline, and those that may add the calendar file.
TO_CONFIRM = NEEDS_CONFIRMATION
WITH_CALENDAR = HOLDS_A_PLACE


@dataclass(frozen=True)
class Decided:
    """What a decision message is about: the application, its phase and the trainings chosen."""

    application_id: int
    reference: str | None
    market: Market
    phase: Phase
    trainings: tuple[Training, ...]

    @classmethod
    def of(
        cls, catalogue: Catalogue, application: Application, training_codes: Sequence[str]
    ) -> Decided | None:
        return cls.about(
            catalogue, application.id, application.reference, application.phase_code, training_codes
        )

    @classmethod
    def about(
        cls,
        catalogue: Catalogue,
        application_id: int,
        reference: str | None,
        phase_code: str,
        training_codes: Sequence[str],
    ) -> Decided | None:
        """None for a phase gone from the catalogue."""
        phase = catalogue.phase(phase_code)
        market = catalogue.market(phase.market_code) if phase else None
        if phase is None or market is None:
            return None
        chosen = set(training_codes)
        trainings = tuple(t for t in market.trainings_for(phase.number) if t.code in chosen)
        return cls(application_id, reference, market, phase, trainings)


def deadline_text(t: Translator, deadline: datetime, market: Market) -> str:
    """ "mardi 8 décembre 2026 à 23:59", in the market's time zone."""
    local = deadline.astimezone(market.timezone)
    return t.gettext("%(date)s à %(time)s", date=t.date(local), time=t.time(local))


def phase_lines(t: Translator, decided: Decided) -> list[str]:
    """The market's full name, the phase with its dates, the place."""
    phase = decided.phase
    return [
        t.gettext("🏪 %(market)s", market=decided.market.name.get(t.locale)),
        t.gettext(
            "📅 Phase %(number)s : du %(start)s au %(end)s",
            number=t.isolate(phase.number),
            start=t.short_date(phase.starts),
            end=t.short_date(phase.ends),
        ),
        t.gettext("📍 %(place)s", place=phase.place.get(t.locale)),
    ]


def programme_lines(t: Translator, decided: Decided) -> list[str]:
    """The stand set-up and the trainings chosen: what an exhibitor must be there for."""
    lines = []
    setup = decided.phase.setup_at
    if setup is not None:
        lines.append(
            t.gettext(
                "🔧 Installation du stand : %(date)s à %(time)s",
                date=t.date(setup),
                time=t.time(setup),
            )
        )
    if decided.trainings:
        lines.append(t.gettext("🎓 Formations choisies :"))
        lines += [
            t.gettext(
                "• %(title)s : %(date)s à %(time)s",
                title=training.title.get(t.locale),
                date=t.date(training.starts),
                time=t.time(training.starts),
            )
            for training in decided.trainings
        ]
    return lines


def _headline(t: Translator, status: str, reference: str, reason: str | None) -> list[str]:
    if status == Status.ACCEPTED:
        return [t.gettext("🎉 Votre candidature %(reference)s est acceptée !", reference=reference)]
    if status == Status.OFFERED:
        return [
            t.gettext(
                "🎉 Une place s'est libérée pour votre candidature %(reference)s !",
                reference=reference,
            )
        ]
    if status == Status.WAITLISTED:
        return [
            t.gettext(
                "⏳ Votre candidature %(reference)s est sur la liste d'attente.",
                reference=reference,
            ),
            t.gettext("Nous vous écrirons si une place se libère."),
        ]
    if status == Status.REJECTED:
        return [
            t.gettext("Votre candidature %(reference)s n'est pas retenue.", reference=reference),
            t.gettext("Motif : %(reason)s", reason=reason or t.gettext("non précisé")),
        ]
    return [
        t.gettext(
            "⌛ Le délai de confirmation de votre candidature %(reference)s est passé.",
            reference=reference,
        ),
        t.gettext("La place est proposée à une autre structure."),
    ]


def decision_text(
    t: Translator,
    decided: Decided,
    status: str,
    reason: str | None = None,
    deadline: datetime | None = None,
) -> str:
    """The whole message of a decision (accepted, offered, waitlisted, rejected, expired).

    `reason` is already in words: a catalogue reason in the applicant's language, or the
    organizer's own words, which `reason_text` isolates."""
    reference = t.isolate(decided.reference or "")
    lines = [*_headline(t, status, reference, reason), "", *phase_lines(t, decided)]
    # Set-up and trainings concern whoever has, or may still get, a place.
    if status in {*NEEDS_CONFIRMATION, Status.WAITLISTED}:
        lines += programme_lines(t, decided)
    if status in TO_CONFIRM and deadline is not None:
        lines += [
            "",
            t.gettext(
                "⚠️ Action requise : confirmez votre présence avant le %(deadline)s.",
                deadline=deadline_text(t, deadline, decided.market),
            ),
        ]
    contact = contact_line(t, decided.market)
    if contact:
        lines += ["", contact]
    return t.start_rtl("\n".join(lines))


def reason_text(t: Translator, catalogue: Catalogue, reason: str | None) -> str | None:
    """A reason from the catalogue's list in the applicant's language; else the organizer's own
    words, isolated: French typed by an organizer inside an Arabic message (or the reverse)
    would otherwise be laid out in the direction of the sentence around it."""
    if not reason:
        return None
    option = catalogue.reject_reason(reason)
    return option.name.get(t.locale) if option else t.isolate(reason)


def confirm_rows(t: Translator, application_id: int) -> list[list[InlineKeyboardButton]]:
    """Confirm, and Decline (which asks first: `decline_question`)."""
    return [
        [
            button(
                t.gettext("✅ Je confirme ma présence"),
                ConfirmOffer(application_id, OfferChoice.YES),
            )
        ],
        [button(t.gettext("❌ Je ne viendrai pas"), ConfirmOffer(application_id, OfferChoice.NO))],
    ]


def answer_rows(
    t: Translator, application: Application, calendar: bool = False
) -> list[list[InlineKeyboardButton]]:
    """Confirm and Decline for an acceptance or an offer; the calendar file if asked."""
    return _answer_rows(t, application.id, application.status, calendar)


def _answer_rows(
    t: Translator, application_id: int, status: Status, calendar: bool
) -> list[list[InlineKeyboardButton]]:
    rows = confirm_rows(t, application_id) if status in TO_CONFIRM else []
    if calendar and status in WITH_CALENDAR:
        rows.append([button(t.gettext("📅 Ajouter à l'agenda"), CalendarFile(application_id))])
    return rows


def decision_keyboard(
    t: Translator, application_id: int, status: Status
) -> InlineKeyboardMarkup | None:
    rows = _answer_rows(t, application_id, status, calendar=True)
    return inline(rows) if rows else None


def decline_question(t: Translator, decided: Decided) -> str:
    """Declining frees the place for good: say so, and ask first."""
    lines = [
        t.gettext("❓ Vous ne viendrez pas, c'est bien cela ?"),
        *phase_lines(t, decided),
        t.gettext(
            "Votre place sera proposée à une autre structure. Vous ne pourrez pas la reprendre."
        ),
    ]
    return t.start_rtl("\n".join(lines))


def decline_keyboard(t: Translator, application_id: int) -> InlineKeyboardMarkup:
    return inline(
        [
            [
                button(
                    t.gettext("❌ Oui, je ne viendrai pas"),
                    ConfirmOffer(application_id, OfferChoice.NO_CONFIRMED),
                )
            ],
            [
                button(
                    t.gettext("↩️ Non, je garde ma place"),
                    ConfirmOffer(application_id, OfferChoice.KEEP),
                )
            ],
        ]
    )


def deadline_line(t: Translator, deadline: datetime, market: Market) -> str:
    return t.gettext(
        "Confirmez votre présence avant le %(deadline)s.",
        deadline=deadline_text(t, deadline, market),
    )


def status_deadline_line(t: Translator, deadline: datetime, market: Market) -> str:
    """Under "Acceptée : confirmez votre présence" in /status: only the day is missing."""
    return t.gettext("⏰ Date limite : %(deadline)s", deadline=deadline_text(t, deadline, market))


def pending_text(t: Translator, decided: Decided, deadline: datetime | None) -> str:
    """After /start and in /status: an acceptance or offer still waiting for an answer."""
    reference = t.isolate(decided.reference or "")
    lines = [
        t.gettext("⚠️ Une place vous attend (%(reference)s).", reference=reference),
        *phase_lines(t, decided),
    ]
    if deadline is not None:
        lines.append(deadline_line(t, deadline, decided.market))
    return t.start_rtl("\n".join(lines))
