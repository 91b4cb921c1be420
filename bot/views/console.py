"""How the organizer console reads: application cards and the review keyboard."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from babel import Locale, UnknownLocaleError
from telegram import InlineKeyboardMarkup

from bot import statuses
from bot.callbacks import CardAction, RejectFor, ReviewCard
from bot.catalogue import Catalogue
from bot.i18n import N_, Translator
from bot.keyboards import button, inline
from bot.questionnaire import BY_KEY
from bot.services.applications import Draft
from bot.views.application import answer_lines, application_line
from bot.views.buttons import MAX_LABEL
from storage.applications import Application
from storage.statuses import Status

ACCEPT, WAITLIST, REJECT = N_("✅ Accepter"), N_("⏳ Liste d'attente"), N_("❌ Refuser")
# What an organizer may decide from each status, as (action code, msgid) buttons.
DECISIONS = {
    Status.SUBMITTED: (
        (CardAction.ACCEPT, ACCEPT),
        (CardAction.WAITLIST, WAITLIST),
        (CardAction.REJECT, REJECT),
    ),
    Status.WAITLISTED: ((CardAction.ACCEPT, ACCEPT), (CardAction.REJECT, REJECT)),
}


def corrections_line(t: Translator, card: Draft, corrections: Sequence[tuple[str, str]]) -> str:
    """When the applicant last corrected the application after sending it, and what."""
    labels = t.join(
        t.gettext(BY_KEY[key].label) if key in BY_KEY else key
        for key in dict.fromkeys(key for key, _ in corrections)
    )
    last = datetime.fromisoformat(corrections[-1][1]).astimezone(card.form.market.timezone)
    return t.gettext(
        "✏️ Modifiée par le candidat le %(date)s : %(answers)s",
        date=t.datetime(last),
        answers=labels,
    )


def language_name(t: Translator, locale: str | None) -> str:
    """The applicant's language named in the reader's: "arabe", "الفرنسية"."""
    try:
        name = Locale.parse(locale or "fr").get_display_name(t.babel_locale)
    except (UnknownLocaleError, ValueError):
        name = None
    return name or str(locale)


def reason_prompt(t: Translator, applicant_locale: str | None) -> str:
    """The applicant reads the organizer's words as typed: ask for them in their language."""
    return t.gettext(
        "Écrivez le motif du refus en une phrase, en %(language)s : le candidat le lira tel quel.",
        language=language_name(t, applicant_locale),
    )


def card_text(
    t: Translator,
    catalogue: Catalogue,
    card: Draft,
    duplicates: list[Application],
    corrections: Sequence[tuple[str, str]] = (),
    applicant_locale: str | None = None,
    *,
    filed_for: int = 1,
) -> str:
    """`filed_for`: how many structures the filing account files for."""
    application = card.application
    market = card.form.market
    lines = [
        t.gettext(
            "📋 %(reference)s — %(market)s, phase %(number)s",
            reference=t.isolate(application.reference or ""),
            market=market.name.get(t.locale),
            number=card.form.phase.number,
        ),
        t.gettext("Statut : %(status)s", status=statuses.for_organizers(t, application.status)),
        t.gettext(
            "🌐 Langue du candidat : %(language)s", language=language_name(t, applicant_locale)
        ),
    ]
    if application.submitted_at:
        sent = datetime.fromisoformat(application.submitted_at).astimezone(market.timezone)
        lines.append(t.gettext("📅 Envoyée le %(date)s", date=t.datetime(sent)))
    if application.facilitated or filed_for > 1:
        lines.append(filer_line(t, application.facilitated, filed_for))
    if corrections:
        lines.append(corrections_line(t, card, corrections))
    lines += ["", *answer_lines(t, card)]
    if duplicates:
        lines += ["", t.gettext("⚠️ Même téléphone ou même numéro que :")]
        for other in duplicates:
            other_market = catalogue.market(other.phase_code.rsplit("-", 1)[0])
            lines.append(application_line(t, other_market, other).replace("\n", " · "))
    return t.start_rtl("\n".join(lines))


def filer_line(t: Translator, facilitated: bool, filed_for: int) -> str:
    if facilitated:
        return t.ngettext(
            "🤝 Déposée par un intermédiaire, pour %(count)s structure",
            "🤝 Déposée par un intermédiaire, pour %(count)s structures",
            filed_for,
        )
    return t.ngettext(
        "👤 Ce compte dépose pour %(count)s structure",
        "👤 Ce compte dépose pour %(count)s structures",
        filed_for,
    )


def card_keyboard(
    t: Translator, application: Application, scope: str, has_media: bool
) -> InlineKeyboardMarkup:
    decisions = [
        button(t.gettext(msgid), ReviewCard(action, application.id, scope))
        for action, msgid in DECISIONS.get(application.status, ())
    ]
    rows = [decisions] if decisions else []
    if has_media:
        rows.append(
            [
                button(
                    t.gettext("📷 Photos et message vocal"),
                    ReviewCard(CardAction.MEDIA, application.id, scope),
                )
            ]
        )
    rows.append(
        [
            button(
                t.gettext("◀️ Précédente"), ReviewCard(CardAction.PREVIOUS, application.id, scope)
            ),
            button(t.gettext("Suivante ▶️"), ReviewCard(CardAction.NEXT, application.id, scope)),
        ]
    )
    return inline(rows)


def reasons_keyboard(
    t: Translator, catalogue: Catalogue, application_id: int, scope: str
) -> InlineKeyboardMarkup:
    rows = [
        [button(option.name.get(t.locale), RejectFor(application_id, option.code, scope))]
        for option in catalogue.reject_reasons
    ]
    rows.append(
        [button(t.gettext("↩️ Annuler"), ReviewCard(CardAction.SHOW, application_id, scope))]
    )
    return inline(rows)


def media_caption(t: Translator, card: Draft) -> str:
    """Under photos and voice notes sent from a card: whose they are."""
    name = card.values.get("structure_name")
    return t.start_rtl(
        t.gettext(
            "📋 Candidature %(reference)s — %(structure)s",
            reference=t.isolate(card.application.reference or ""),
            structure=t.isolate(name if isinstance(name, str) else ""),
        )
    )


def found_text(
    t: Translator, catalogue: Catalogue, found: Sequence[Application], names: dict[int, str]
) -> str:
    """/find's results, one line each: reference, structure, market and phase, status."""
    lines = [t.ngettext("%(count)s résultat :", "%(count)s résultats :", len(found))]
    for application in found:
        market = catalogue.market(application.phase_code.rsplit("-", 1)[0])
        lines.append(
            t.gettext(
                "• %(reference)s — %(structure)s — %(market)s, phase %(number)s — %(status)s",
                reference=t.isolate(application.reference or ""),
                structure=t.isolate(names.get(application.id, "?")),
                market=market.short_name.get(t.locale) if market else application.phase_code,
                number=application.phase_code.rsplit("-", 1)[-1],
                status=statuses.for_organizers(t, application.status),
            )
        )
    return t.start_rtl("\n".join(lines))


def found_keyboard(
    found: Sequence[Application], names: dict[int, str], scope: str
) -> InlineKeyboardMarkup:
    """A button per result, opening its card."""
    rows = []
    for application in found:
        label = f"📋 {application.reference or application.id} {names.get(application.id, '')}"
        label = label.strip()
        if len(label) > MAX_LABEL:
            label = label[: MAX_LABEL - 1] + "…"
        rows.append([button(label, ReviewCard(CardAction.SHOW, application.id, scope))])
    return inline(rows)
