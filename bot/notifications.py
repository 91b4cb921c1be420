"""Tell applicants about decisions, each in their own language, with the buttons to answer.

Decisions become outbox rows (`notify`); the dispatcher renders them at send time
(`render_delivery`) in the recipient's language of that moment.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot import keyboards
from bot.callbacks import Resume
from bot.context import Services
from bot.i18n import Translator
from bot.organizer_notices import TEMPLATES as ORGANIZER_TEMPLATES
from bot.organizer_notices import render_organizer_delivery
from bot.services import delivery_alerts
from bot.services.applications import DECISION, Change
from bot.services.broadcasts import text_for
from bot.services.monitoring import ERROR_REPORT
from bot.services.outbox import Outgoing
from bot.services.team import TEMPLATES as TEAM_TEMPLATES
from bot.views import decisions, helpdesk
from bot.views import trainings as trainings_view
from bot.views.broadcast import progress_text
from bot.views.ops import error_report_text, outage_text, recovered_text, undelivered_text
from bot.views.reminders import phase_label, when_text
from bot.views.team_console import team_delivery
from storage.applications import Application
from storage.broadcasts import REPORT_TEMPLATE
from storage.broadcasts import TEMPLATE as BROADCAST
from storage.outbox import Delivery
from storage.statuses import EXPECTED, NEEDS_CONFIRMATION, TOLD, SeatState, Status
from storage.tickets import NEW_TICKET, TICKET_ANSWER
from storage.trainings import ATTESTATION
from storage.trainings import TEMPLATES as TRAINING_TEMPLATES

log = logging.getLogger(__name__)

INTERRUPTED = delivery_alerts.INTERRUPTED


def confirm_keyboard(t: Translator, application_id: int) -> InlineKeyboardMarkup:
    return keyboards.inline(decisions.confirm_rows(t, application_id))


async def render(
    t: Translator, services: Services, application: Application, change: Change
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """A decision's message and buttons; None for the applicant's own actions (confirmed,
    declined, withdrawn: already answered) and for a phase gone from the catalogue."""
    if change.status not in TOLD:
        return None
    codes = await services.applications.chosen_trainings(application.id)
    decided = decisions.Decided.of(services.catalogue, application, codes)
    if decided is None:
        return None
    reason = decisions.reason_text(t, services.catalogue, change.reason)
    text = decisions.decision_text(t, decided, change.status, reason, change.deadline)
    return text, decisions.decision_keyboard(t, application)


async def render_delivery(services: Services, delivery: Delivery) -> Outgoing | None:
    """The text of a delivery in the recipient's current language; None if no longer relevant."""
    t = services.i18n.translator(delivery.locale)
    if delivery.template == INTERRUPTED:
        text = t.ngettext(
            "⚠️ Après un redémarrage, %(count)s message n'a peut-être pas été reçu. Voir /broadcasts et /review.",
            "⚠️ Après un redémarrage, %(count)s messages n'ont peut-être pas été reçus. Voir /broadcasts et /review.",
            int(delivery.params.get("count", 0)),
        )
        return Outgoing(text)
    if delivery.template in ORGANIZER_TEMPLATES:
        return await render_organizer_delivery(services, delivery)
    if delivery.template in DELIVERY_NOTICES:
        return await render_delivery_notice(t, services, delivery)
    if delivery.template in (BROADCAST, REPORT_TEMPLATE):
        return await render_broadcast(t, services, delivery)
    if delivery.template in TEAM_TEMPLATES:
        return team_delivery(t, delivery.template, delivery.params)
    if delivery.template == ERROR_REPORT:
        # Times in the markets' zone, the one the team works in.
        zone = services.catalogue.markets[0].timezone
        return Outgoing(error_report_text(t, delivery.params, zone))
    if delivery.template in REMINDERS:
        return await render_reminder(t, services, delivery)
    if delivery.template in (NEW_TICKET, TICKET_ANSWER):
        return await render_ticket(t, services, delivery)
    if delivery.template in TRAINING_TEMPLATES:
        return await render_training(t, services, delivery)
    if delivery.template != DECISION:
        return None
    params = delivery.params
    application = await services.applications.repository.get(int(params["application_id"]))
    if application is None or application.status != params["status"]:
        return None  # the application moved on: this news is stale
    deadline = params.get("deadline")
    change = Change(
        application.id,
        application.user_id,
        Status(str(params["status"])),
        params.get("reason"),
        datetime.fromisoformat(deadline) if deadline else None,
        services.clock(),
    )
    rendered = await render(t, services, application, change)
    if rendered is None:
        return None
    text, markup = rendered
    return Outgoing(text, markup)


DELIVERY_NOTICES = frozenset(
    {delivery_alerts.UNDELIVERED, delivery_alerts.OUTAGE, delivery_alerts.RECOVERED}
)


async def render_delivery_notice(t: Translator, services: Services, delivery: Delivery) -> Outgoing:
    """What the outbox could not do, for the team; figures of the moment it is sent."""
    if delivery.template == delivery_alerts.UNDELIVERED:
        return Outgoing(undelivered_text(t, delivery.params))
    zone = services.catalogue.markets[0].timezone
    waiting = (await services.outbox.counts()).get("pending", 0)
    if delivery.template == delivery_alerts.OUTAGE:
        return Outgoing(outage_text(t, delivery.params, zone, waiting))
    return Outgoing(recovered_text(t, delivery.params, zone, waiting))


REMINDERS = frozenset({"phase_soon", "training_soon", "confirm_soon", "draft_deadline"})
STILL_CONCERNED = {
    "phase_soon": EXPECTED,
    "training_soon": EXPECTED,
    "confirm_soon": NEEDS_CONFIRMATION,
    "draft_deadline": frozenset({Status.DRAFT}),
}


async def render_reminder(t: Translator, services: Services, delivery: Delivery) -> Outgoing | None:
    """A reminder, if its application still concerns it and its event is still ahead."""
    application = await services.applications.repository.get(int(delivery.params["application_id"]))
    if application is None or application.status not in STILL_CONCERNED[delivery.template]:
        return None
    phase = services.catalogue.phase(application.phase_code)
    market = services.catalogue.market(phase.market_code) if phase else None
    if phase is None or market is None:
        return None
    now = services.clock()
    phase_text = phase_label(t, market, phase)
    if delivery.template == "phase_soon":
        if now >= phase.starts:
            return None
        text = t.gettext(
            "📅 Rappel : %(phase)s commence le %(when)s.\n📍 %(place)s\n"
            "🔧 Installation des stands à %(time)s.",
            phase=phase_text,
            when=when_text(t, market, phase.starts),
            place=phase.place.get(t.locale),
            time=t.time((phase.setup_at or phase.starts).astimezone(market.timezone)),
        )
        return Outgoing(t.start_rtl(text))
    if delivery.template == "training_soon":
        training = services.catalogue.training(str(delivery.params.get("training")))
        if training is None or now >= training.starts:
            return None
        seat = await services.trainings.repository.seat(application.id, training.code)
        if seat is None or seat.state is not SeatState.HELD:
            return None  # wished but no seat (full, given up): nothing to remind
        text = t.gettext(
            "🎓 Rappel : formation « %(title)s » le %(when)s (%(phase)s).\n📍 %(place)s",
            title=training.title.get(t.locale),
            when=when_text(t, market, training.starts),
            phase=phase_text,
            place=training.place.get(t.locale),
        )
        return Outgoing(t.start_rtl(text))
    if delivery.template == "confirm_soon":
        deadline = await services.applications.repository.decision_deadline(application.id)
        if deadline is None or now >= datetime.fromisoformat(deadline):
            return None
        text = t.gettext(
            "⏰ Rappel : confirmez votre présence (%(phase)s, %(reference)s) avant le %(when)s.",
            phase=phase_text,
            reference=t.isolate(application.reference or ""),
            when=when_text(t, market, datetime.fromisoformat(deadline)),
        )
        markup = confirm_keyboard(t, application.id)
        return Outgoing(t.start_rtl(text), markup)
    if now >= phase.application_deadline:
        return None
    text = t.gettext(
        "📝 Rappel : votre candidature (%(phase)s) n'est pas terminée. Date limite : le %(when)s.",
        phase=phase_text,
        when=when_text(t, market, phase.application_deadline),
    )
    markup = keyboards.inline(
        [[keyboards.button(t.gettext("▶️ Continuer"), Resume(application.id))]]
    )
    return Outgoing(t.start_rtl(text), markup)


async def render_training(t: Translator, services: Services, delivery: Delivery) -> Outgoing | None:
    """A training seat's news (with the seat's state of the moment), or an attestation."""
    params = delivery.params
    if delivery.template == ATTESTATION:
        return trainings_view.attestation_message(t, services.catalogue, params)
    seat = await services.trainings.repository.seat(
        int(params["application_id"]), str(params["training"])
    )
    state = seat.state if seat else None
    return trainings_view.seat_message(
        t, services.catalogue, services.clock(), delivery.template, params, state
    )


async def render_broadcast(
    t: Translator, services: Services, delivery: Delivery
) -> Outgoing | None:
    """An announcement in the recipient's language, or the final report to its author.

    A stopped broadcast needs no check here: stopping cancels its pending rows.
    """
    broadcasts = services.broadcasts
    broadcast_id = int(delivery.params["broadcast_id"])
    if delivery.template == REPORT_TEMPLATE:
        broadcast = await broadcasts.repository.get(broadcast_id)
        if broadcast is None:
            return None
        progress = await broadcasts.progress(broadcast.id)
        return Outgoing(progress_text(t, broadcast, progress, quiet=False))
    started = await broadcasts.started(broadcast_id)
    if started is None:
        return None
    return Outgoing(text_for(started, t.locale, broadcasts.locales[0]), photo=started.photo)


async def render_ticket(t: Translator, services: Services, delivery: Delivery) -> Outgoing | None:
    """The help desk: a new question for one organizer (with the voice note or photo, the text
    as its caption), or the answer for the member. None once the ticket is erased, and for an
    organizer's copy of a question answered before it could leave."""
    ticket = await services.helpdesk.tickets.get(int(delivery.params["ticket_id"]))
    if ticket is None:
        return None
    zone = services.catalogue.markets[0].timezone
    if delivery.template == TICKET_ANSWER:
        return Outgoing(helpdesk.answer_for_member(t, ticket, zone), helpdesk.answer_keyboard(t))
    if not ticket.is_open:
        return None
    asker = await services.helpdesk.asker(ticket)
    text = helpdesk.ticket_text(t, services.catalogue, ticket, asker, zone)
    markup = helpdesk.ticket_keyboard(t, ticket)
    if ticket.kind == "voice":
        return Outgoing(text, markup, voice=ticket.file_id)
    return Outgoing(text, markup, photo=ticket.file_id if ticket.kind == "photo" else None)
