"""Tell applicants about decisions, each in their own language, with the buttons to answer.

Decisions become outbox rows (`notify`); the dispatcher renders them at send time
(`render_delivery`) in the recipient's language of that moment.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot import keyboards
from bot.context import Services
from bot.i18n import Translator
from bot.services.applications import Change
from storage.applications import Application
from storage.outbox import Delivery, NewDelivery

log = logging.getLogger(__name__)

DECISION = "decision"
INTERRUPTED = "outbox_interrupted"
# The applicant's own actions (confirmed, declined, withdrawn) are answered directly.
TOLD = frozenset({"accepted", "offered", "waitlisted", "rejected", "expired"})


def _deadline_text(
    t: Translator, services: Services, application: Application, change: Change
) -> str:
    assert change.deadline is not None
    market = services.catalogue.market(application.phase_code.rsplit("-", 1)[0])
    zone = market.timezone if market else None
    return t.datetime(change.deadline.astimezone(zone))


def render(
    t: Translator, services: Services, application: Application, change: Change
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    reference = t.isolate(application.reference or "")
    confirm = keyboards.inline(
        [
            [keyboards.button(t.gettext("✅ Je confirme ma présence"), "cf", application.id, "y")],
            [keyboards.button(t.gettext("❌ Je ne viendrai pas"), "cf", application.id, "n")],
        ]
    )
    if change.status == "accepted":
        text = t.gettext(
            "🎉 Votre candidature %(reference)s est acceptée !\n"
            "⚠️ Action requise : confirmez votre présence avant le %(deadline)s.",
            reference=reference,
            deadline=_deadline_text(t, services, application, change),
        )
        return text, confirm
    if change.status == "offered":
        text = t.gettext(
            "🎉 Une place s'est libérée pour votre candidature %(reference)s !\n"
            "⚠️ Action requise : confirmez votre présence avant le %(deadline)s.",
            reference=reference,
            deadline=_deadline_text(t, services, application, change),
        )
        return text, confirm
    if change.status == "waitlisted":
        text = t.gettext(
            "Votre candidature %(reference)s est sur la liste d'attente. "
            "Nous vous écrirons si une place se libère.",
            reference=reference,
        )
        return text, None
    if change.status == "rejected":
        option = services.catalogue.reject_reason(change.reason or "")
        # A reason from the catalogue's list, in the applicant's language; else the
        # organizer's own words.
        reason = (
            option.name.get(t.locale) if option else (change.reason or t.gettext("non précisé"))
        )
        text = t.gettext(
            "Votre candidature %(reference)s n'est pas retenue. Motif : %(reason)s",
            reference=reference,
            reason=reason,
        )
        return text, None
    if change.status == "expired":
        text = t.gettext(
            "Le délai de confirmation de votre candidature %(reference)s est passé. "
            "La place est proposée à une autre structure.",
            reference=reference,
        )
        return text, None
    return None  # the applicant's own action (confirmed, declined, withdrawn): already answered


def decision_deliveries(changes: Iterable[Change]) -> list[NewDelivery]:
    """One outbox row per change worth telling; rendered at send time, in the recipient's
    language of that moment."""
    return [
        NewDelivery(
            recipient_id=change.user_id,
            kind="notification",
            template=DECISION,
            params={
                "application_id": change.application_id,
                "status": change.status,
                "reason": change.reason,
                "deadline": change.deadline.isoformat() if change.deadline else None,
            },
            not_before=change.changed_at,
            dedupe_key=f"decision:{change.application_id}:{change.status}:{change.changed_at.isoformat()}",
        )
        for change in changes
        if change.status in TOLD
    ]


async def notify(services: Services, changes: Iterable[Change]) -> None:
    """Queue the notifications of these changes on the outbox."""
    await services.outbox.enqueue(decision_deliveries(changes), services.clock())


async def render_delivery(
    services: Services, delivery: Delivery
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """The text of a delivery in the recipient's current language; None if no longer relevant."""
    user = await services.users.get(delivery.recipient_id)
    t = services.i18n.translator(user.locale if user else None)
    if delivery.template == INTERRUPTED:
        text = t.ngettext(
            "⚠️ Après un redémarrage, %(count)s message n'a peut-être pas été reçu. Vérifiez dans /review.",
            "⚠️ Après un redémarrage, %(count)s messages n'ont peut-être pas été reçus. Vérifiez dans /review.",
            int(delivery.params.get("count", 0)),
        )
        return text, None
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
        str(params["status"]),
        params.get("reason"),
        datetime.fromisoformat(deadline) if deadline else None,
        services.clock(),
    )
    rendered = render(t, services, application, change)
    if rendered is None:
        return None
    text, markup = rendered
    return t.start_rtl(text), markup
