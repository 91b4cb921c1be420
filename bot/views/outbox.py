"""Every outbox message, rendered: one pure function per `Template`, in `RENDERERS`.

A renderer receives the delivery's params (written when it was queued, with all the message
says) and a `Scene`: the recipient's translator of the moment of sending, the catalogue, the
clock and the `Facts` read just before by `bot/services/delivery_facts.py`. It reads no
storage. It returns None when the news is stale (the application moved on, the event passed,
the phase left the catalogue): the dispatcher then drops the row instead of sending it.

To add a message: a `Template` member (`storage/templates.py`), its renderer here (its text in
the feature's view module if it is long), its entry in `RENDERERS`; `tests/bot/test_outbox_
registry.py` fails until every template has one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Any

from bot import keyboards
from bot.callbacks import Resume
from bot.catalogue import Catalogue
from bot.i18n import Translator
from bot.services import impact
from bot.services.broadcasts import text_for
from bot.services.delivery_facts import Facts
from bot.services.outbox import Outgoing
from bot.views import (
    decisions,
    helpdesk,
    organizer_events,
    seat_offers,
    stand_messages,
    structures,
    trainings,
)
from bot.views.broadcast import progress_text
from bot.views.impact import survey_screen
from bot.views.ops import error_report_text, outage_text, recovered_text, undelivered_text
from bot.views.phases import phase_label
from bot.views.reminders import when_text
from bot.views.team_console import team_delivery
from storage.statuses import EXPECTED, NEEDS_CONFIRMATION, TOLD, SeatState, Status
from storage.templates import Template

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Scene:
    """Everything a renderer knows besides the params: handed to it, never read by it."""

    t: Translator  # the recipient's language at the moment of sending
    catalogue: Catalogue
    now: datetime
    default_locale: str  # a broadcast with no text in the recipient's language falls back to it
    facts: Facts

    @property
    def team_zone(self) -> tzinfo:
        """Times for the team, in the markets' zone: the one it works in."""
        return self.catalogue.markets[0].timezone


Renderer = Callable[[Scene, Params], Outgoing | None]


def decision(scene: Scene, params: Params) -> Outgoing | None:
    """A decision's message and buttons; None once the application has moved on, for the
    applicant's own actions (confirmed, declined, withdrawn: already answered) and for a
    phase gone from the catalogue."""
    status = Status(str(params["status"]))
    if scene.facts.status != status or status not in TOLD:
        return None
    t = scene.t
    decided = decisions.Decided.about(
        scene.catalogue,
        int(params["application_id"]),
        params.get("reference"),
        str(params["phase_code"]),
        [str(code) for code in params.get("trainings") or []],
    )
    if decided is None:
        return None
    reason = decisions.reason_text(t, scene.catalogue, params.get("reason"))
    deadline = params.get("deadline")
    text = decisions.decision_text(
        t, decided, status, reason, datetime.fromisoformat(deadline) if deadline else None
    )
    return Outgoing(text, decisions.decision_keyboard(t, decided.application_id, status))


# A reminder goes only while its application is in one of these statuses.
STILL_CONCERNED = {
    Template.PHASE_SOON: EXPECTED,
    Template.TRAINING_SOON: EXPECTED,
    Template.CONFIRM_SOON: NEEDS_CONFIRMATION,
    Template.DRAFT_DEADLINE: frozenset({Status.DRAFT}),
}


def _reminder(template: Template) -> Renderer:
    """A reminder, if its application still concerns it and its event is still ahead."""

    def render(scene: Scene, params: Params) -> Outgoing | None:
        if scene.facts.status not in STILL_CONCERNED[template]:
            return None
        phase = scene.catalogue.phase(str(params["phase_code"]))
        market = scene.catalogue.market(phase.market_code) if phase else None
        if phase is None or market is None:
            return None
        t, now = scene.t, scene.now
        phase_text = phase_label(t, market, phase)
        if template == Template.PHASE_SOON:
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
        if template == Template.TRAINING_SOON:
            training = scene.catalogue.training(str(params.get("training")))
            if training is None or now >= training.starts:
                return None
            if scene.facts.seat is not SeatState.HELD:
                return None  # wished but no seat (full, given up): nothing to remind
            text = t.gettext(
                "🎓 Rappel : formation « %(title)s » le %(when)s (%(phase)s).\n📍 %(place)s",
                title=training.title.get(t.locale),
                when=when_text(t, market, training.starts),
                phase=phase_text,
                place=training.place.get(t.locale),
            )
            return Outgoing(t.start_rtl(text))
        if template == Template.CONFIRM_SOON:
            deadline = params.get("deadline")
            if deadline is None or now >= datetime.fromisoformat(deadline):
                return None
            text = t.gettext(
                "⏰ Rappel : confirmez votre présence (%(phase)s, %(reference)s) avant le %(when)s.",
                phase=phase_text,
                reference=t.isolate(params.get("reference") or ""),
                when=when_text(t, market, datetime.fromisoformat(deadline)),
            )
            application_id = int(params["application_id"])
            markup = keyboards.inline(decisions.confirm_rows(t, application_id))
            return Outgoing(t.start_rtl(text), markup)
        if now >= phase.application_deadline:
            return None
        text = t.gettext(
            "📝 Rappel : votre candidature (%(phase)s) n'est pas terminée. Date limite : le %(when)s.",
            phase=phase_text,
            when=when_text(t, market, phase.application_deadline),
        )
        resume = Resume(int(params["application_id"]))
        markup = keyboards.inline([[keyboards.button(t.gettext("▶️ Continuer"), resume)]])
        return Outgoing(t.start_rtl(text), markup)

    return render


def broadcast(scene: Scene, params: Params) -> Outgoing | None:
    """An announcement in the recipient's language. A stopped broadcast needs no check here:
    stopping cancels its pending rows."""
    started = scene.facts.broadcast
    if started is None:
        return None
    return Outgoing(text_for(started, scene.t.locale, scene.default_locale), photo=started.photo)


def broadcast_report(scene: Scene, params: Params) -> Outgoing | None:
    """The final report to a broadcast's author, with its figures at the moment it is sent."""
    broadcast, progress = scene.facts.broadcast, scene.facts.progress
    if broadcast is None or progress is None:
        return None
    return Outgoing(progress_text(scene.t, broadcast, progress, quiet=False))


def error_report(scene: Scene, params: Params) -> Outgoing:
    return Outgoing(error_report_text(scene.t, params, scene.team_zone))


def interrupted(scene: Scene, params: Params) -> Outgoing:
    text = scene.t.ngettext(
        "⚠️ Après un redémarrage, %(count)s message n'a peut-être pas été reçu. Voir /broadcasts et /review.",
        "⚠️ Après un redémarrage, %(count)s messages n'ont peut-être pas été reçus. Voir /broadcasts et /review.",
        int(params.get("count", 0)),
    )
    return Outgoing(text)


def undelivered(scene: Scene, params: Params) -> Outgoing:
    return Outgoing(undelivered_text(scene.t, params))


def outage(scene: Scene, params: Params) -> Outgoing:
    """Figures of the moment it is sent: how many messages wait."""
    return Outgoing(outage_text(scene.t, params, scene.team_zone, scene.facts.waiting))


def recovered(scene: Scene, params: Params) -> Outgoing:
    return Outgoing(recovered_text(scene.t, params, scene.team_zone, scene.facts.waiting))


def _team(template: Template) -> Renderer:
    """Joining the team: the welcome, an invitation opened or refused."""

    def render(scene: Scene, params: Params) -> Outgoing | None:
        return team_delivery(scene.t, template, params)

    return render


def _organizer_notice(template: Template) -> Renderer:
    """An event at once, or the day's digest, with a button wherever a freed place still waits
    for an organizer and someone waits for it. None when the recipient is no longer in the
    team or the events are gone (erased): the facts then hold none."""

    def render(scene: Scene, params: Params) -> Outgoing | None:
        events = scene.facts.events
        if not events:
            return None
        t, catalogue = scene.t, scene.catalogue
        if template == Template.ORGANIZER_EVENT:
            text = organizer_events.event_text(t, catalogue, events[0])
        else:
            phase = catalogue.phase(events[0].phase_code)
            market = catalogue.market(phase.market_code) if phase else None
            day = datetime.fromisoformat(str(params["digest_at"]))
            if market is not None:
                day = day.astimezone(market.timezone)
            text = organizer_events.digest_text(t, catalogue, events, day)
        markup = organizer_events.offer_keyboard(t, catalogue, scene.facts.offerable)
        return Outgoing(text, markup)

    return render


def ticket_new(scene: Scene, params: Params) -> Outgoing | None:
    """A member's question for one organizer (with the voice note or photo, the text as its
    caption). None once the ticket is erased, or answered before this copy could leave."""
    ticket, asker = scene.facts.ticket, scene.facts.asker
    if ticket is None or asker is None or not ticket.is_open:
        return None
    text = helpdesk.ticket_text(scene.t, scene.catalogue, ticket, asker, scene.team_zone)
    markup = helpdesk.ticket_keyboard(scene.t, ticket)
    if ticket.kind == "voice":
        return Outgoing(text, markup, voice=ticket.file_id)
    return Outgoing(text, markup, photo=ticket.file_id if ticket.kind == "photo" else None)


def ticket_answer(scene: Scene, params: Params) -> Outgoing | None:
    """The organizer's answer, for the member; None once the ticket is erased."""
    ticket = scene.facts.ticket
    if ticket is None:
        return None
    text = helpdesk.answer_for_member(scene.t, ticket, scene.team_zone)
    return Outgoing(text, helpdesk.answer_keyboard(scene.t))


def _impact_survey(template: Template) -> Renderer:
    """The survey at its first unanswered question; None once it is finished (the reminder then
    never goes) or when the exhibitor's place is no longer confirmed."""

    def render(scene: Scene, params: Params) -> Outgoing | None:
        step = scene.facts.survey_step
        phase = scene.catalogue.phase(str(params["phase"]))
        market = scene.catalogue.market(phase.market_code) if phase else None
        if scene.facts.status != Status.CONFIRMED or step is None or not phase or not market:
            return None
        reminder = template == Template.IMPACT_REMINDER
        text, markup = survey_screen(
            scene.t,
            phase_label(scene.t, market, phase),
            int(params["application_id"]),
            step,
            impact.CHOICES.get(step, ()),
            first=not reminder,
            reminder=reminder,
        )
        return Outgoing(text, markup)

    return render


def stand_card(scene: Scene, params: Params) -> Outgoing | None:
    """None when the place is no longer confirmed or the stand has changed since (a move
    back to this stand still leaves this card's token replaced)."""
    facts = scene.facts
    if facts.status != Status.CONFIRMED or facts.stand is None or facts.stand != params["stand"]:
        return None
    if facts.stand_token is None or not str(params.get("link", "")).endswith(facts.stand_token):
        return None
    card = stand_messages.card_of(scene.catalogue, params)
    return stand_messages.card_message(scene.t, card) if card is not None else None


def stands_absent(scene: Scene, params: Params) -> Outgoing | None:
    return stand_messages.absent_message(scene.t, scene.facts.board)


def _naming(render: Renderer) -> Renderer:
    """A decision or a reminder names its structure (queued with it: storage/decisions.py), so
    that a facilitator filing for several knows which one it is about."""

    def named(scene: Scene, params: Params) -> Outgoing | None:
        outgoing = render(scene, params)
        name = params.get("structure")
        if outgoing is None or not isinstance(name, str) or not name:
            return outgoing
        return replace(outgoing, text=structures.about_structure(scene.t, name, outgoing.text))

    return named


def _training_seat(template: Template) -> Renderer:
    def render(scene: Scene, params: Params) -> Outgoing | None:
        seat = scene.facts.seat
        return trainings.seat_message(scene.t, scene.catalogue, scene.now, template, params, seat)

    return render


def training_lapsed(scene: Scene, params: Params) -> Outgoing | None:
    return seat_offers.lapsed_message(scene.t, scene.catalogue, scene.now, params, scene.facts.seat)


def attestation(scene: Scene, params: Params) -> Outgoing | None:
    return trainings.attestation_message(scene.t, scene.catalogue, params)


RENDERERS: Mapping[Template, Renderer] = {
    Template.DECISION: _naming(decision),
    Template.PHASE_SOON: _naming(_reminder(Template.PHASE_SOON)),
    Template.TRAINING_SOON: _naming(_reminder(Template.TRAINING_SOON)),
    Template.CONFIRM_SOON: _naming(_reminder(Template.CONFIRM_SOON)),
    Template.DRAFT_DEADLINE: _naming(_reminder(Template.DRAFT_DEADLINE)),
    Template.BROADCAST: broadcast,
    Template.BROADCAST_REPORT: broadcast_report,
    Template.ERROR_REPORT: error_report,
    Template.OUTBOX_INTERRUPTED: interrupted,
    Template.OUTBOX_UNDELIVERED: undelivered,
    Template.OUTBOX_OUTAGE: outage,
    Template.OUTBOX_RECOVERED: recovered,
    Template.TEAM_WELCOME: _team(Template.TEAM_WELCOME),
    Template.INVITE_OPENED: _team(Template.INVITE_OPENED),
    Template.INVITE_REFUSED: _team(Template.INVITE_REFUSED),
    Template.ORGANIZER_EVENT: _organizer_notice(Template.ORGANIZER_EVENT),
    Template.ORGANIZER_DIGEST: _organizer_notice(Template.ORGANIZER_DIGEST),
    Template.TICKET_NEW: ticket_new,
    Template.TICKET_ANSWER: ticket_answer,
    Template.IMPACT_SURVEY: _impact_survey(Template.IMPACT_SURVEY),
    Template.IMPACT_REMINDER: _impact_survey(Template.IMPACT_REMINDER),
    Template.STAND_CARD: stand_card,
    Template.STANDS_ABSENT: stands_absent,
    Template.TRAINING_SEAT: _training_seat(Template.TRAINING_SEAT),
    Template.TRAINING_QUEUED: _training_seat(Template.TRAINING_QUEUED),
    Template.TRAINING_PROPOSED: _training_seat(Template.TRAINING_PROPOSED),
    Template.TRAINING_LAPSED: training_lapsed,
    Template.ATTESTATION: attestation,
}
