"""Tell applicants about decisions, each in their own language, with the buttons to answer.

Sent directly for now; the durable outbox (next piece of work) will carry these rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import Forbidden, TelegramError

from bot import keyboards
from bot.context import Services
from bot.i18n import Translator
from bot.services.applications import Change
from storage.applications import Application

log = logging.getLogger(__name__)


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


async def notify(bot: Bot, services: Services, changes: Iterable[Change]) -> None:
    for change in changes:
        application = await services.applications.repository.get(change.application_id)
        user = await services.users.get(change.user_id)
        if application is None:
            continue
        t = services.i18n.translator(user.locale if user else None)
        rendered = render(t, services, application, change)
        if rendered is None:
            continue
        text, markup = rendered
        try:
            await bot.send_message(change.user_id, t.start_rtl(text), reply_markup=markup)
        except Forbidden:
            log.info("applicant %s blocked the bot", change.application_id)
        except TelegramError:
            log.warning("could not notify application %s", change.application_id, exc_info=True)
