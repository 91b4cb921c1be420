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
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from bot import keyboards
from bot.callbacks import Resume
from bot.catalogue import Catalogue
from bot.i18n import Translator
from bot.services.broadcasts import text_for
from bot.services.delivery_facts import Facts
from bot.services.outbox import Outgoing
from bot.views import decisions
from bot.views.broadcast import progress_text
from bot.views.ops import error_report_text, outage_text, recovered_text, undelivered_text
from bot.views.reminders import phase_label, when_text
from storage.statuses import EXPECTED, NEEDS_CONFIRMATION, TOLD, Status
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


RENDERERS: Mapping[Template, Renderer] = {
    Template.DECISION: decision,
    Template.PHASE_SOON: _reminder(Template.PHASE_SOON),
    Template.TRAINING_SOON: _reminder(Template.TRAINING_SOON),
    Template.CONFIRM_SOON: _reminder(Template.CONFIRM_SOON),
    Template.DRAFT_DEADLINE: _reminder(Template.DRAFT_DEADLINE),
    Template.BROADCAST: broadcast,
    Template.BROADCAST_REPORT: broadcast_report,
    Template.ERROR_REPORT: error_report,
    Template.OUTBOX_INTERRUPTED: interrupted,
    Template.OUTBOX_UNDELIVERED: undelivered,
    Template.OUTBOX_OUTAGE: outage,
    Template.OUTBOX_RECOVERED: recovered,
}
