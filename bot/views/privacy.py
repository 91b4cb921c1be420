"""How personal data reads: the policy (/privacy), my data (/mydata), and the erasure screens."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from telegram import InlineKeyboardMarkup

from bot import statuses
from bot.callbacks import EraseData
from bot.catalogue import Catalogue
from bot.i18n import N_, Translator
from bot.keyboards import button, inline
from bot.questionnaire import BY_KEY
from bot.services.privacy import MyApplication, MyData
from bot.views import helpdesk
from bot.views.application import answer_lines, answer_text, application_line
from bot.views.impact import survey_lines
from storage.statuses import Status
from storage.templates import Template

MAX_MESSAGE = 4096  # Telegram's limit for a text message
SHOWN_DELIVERIES = 10  # the most recent in the message; all of them are in the file
DOCUMENT_NAME = "my-data.json"

KINDS = {
    "notification": N_("Notification"),
    "reminder": N_("Rappel"),
    "broadcast": N_("Message à tous"),
}
TEMPLATES: dict[str, str] = {
    Template.DECISION: N_("Décision sur votre candidature"),
    Template.IMPACT_SURVEY: N_("Votre avis après le marché"),
    Template.IMPACT_REMINDER: N_("Votre avis après le marché (rappel)"),
    Template.PHASE_SOON: N_("Début du marché"),
    Template.TRAINING_SOON: N_("Formation"),
    Template.CONFIRM_SOON: N_("Confirmer votre présence"),
    Template.DRAFT_DEADLINE: N_("Terminer votre candidature"),
    **helpdesk.DELIVERY_LABELS,
}
DELIVERY_STATUSES = {
    "pending": N_("prévu"),
    "sending": N_("en cours d'envoi"),
    "sent": N_("envoyé"),
    "failed": N_("non envoyé"),
    "blocked": N_("non remis (bot bloqué)"),
    "cancelled": N_("annulé"),
}


def policy_text(
    t: Translator, catalogue: Catalogue, retention_months: int, question_days: int
) -> str:
    organizers = t.join(
        dict.fromkeys(market.organizer.get(t.locale) for market in catalogue.markets)
    )
    lines = [
        t.gettext("🔒 Vos données personnelles (loi 09-08)"),
        "",
        t.gettext(
            "Ce que le bot garde : votre langue ; pour chaque candidature, vos réponses "
            "(dont le téléphone, les photos et le message vocal), votre accord, les décisions, "
            "et les messages qu'il vous envoie."
        ),
        t.gettext("Pourquoi : choisir les exposants des marchés et vous tenir informé."),
        t.gettext(
            "Qui les voit : seulement l'équipe d'organisation (%(organizers)s).",
            organizers=organizers,
        ),
        t.ngettext(
            "Combien de temps : %(count)s mois après la fin du marché, puis vos réponses sont "
            "effacées automatiquement.",
            "Combien de temps : %(count)s mois après la fin du marché, puis vos réponses sont "
            "effacées automatiquement.",
            retention_months,
        ),
        helpdesk.policy_line(t, question_days),
        t.gettext("Telegram garde les messages sur des serveurs hors du Maroc."),
        "",
        t.gettext(
            "Vos droits : voir, corriger et effacer vos données, refuser les rappels qui ne "
            "demandent rien (retirer sa candidature arrête tous les autres)."
        ),
        t.gettext("📄 Voir mes données : /mydata"),
        t.gettext("✏️ Corriger une candidature envoyée : /correct"),
        t.gettext("🔕 Vos rappels : /reminders"),
        t.gettext("🗑️ Tout effacer : /delete_my_data"),
        "",
        t.gettext(
            "Les messages restent aussi dans cette conversation Telegram : vous pouvez la "
            "supprimer. Pour réclamer : la CNDP (www.cndp.ma)."
        ),
    ]
    return t.start_rtl("\n".join(lines))


def _zone(catalogue: Catalogue, phase_code: str) -> tzinfo:
    phase = catalogue.phase(phase_code)
    market = catalogue.market(phase.market_code) if phase else None
    return (market or catalogue.markets[0]).timezone


def _when(t: Translator, stamp: str | None, zone: tzinfo) -> str:
    if not stamp:
        return t.gettext("—")
    return t.datetime(datetime.fromisoformat(stamp).astimezone(zone))


def _application_lines(t: Translator, catalogue: Catalogue, mine: MyApplication) -> list[str]:
    record, draft = mine.record, mine.draft
    market = catalogue.market(record.phase_code.rsplit("-", 1)[0])
    zone = _zone(catalogue, record.phase_code)
    if draft is not None and record.status == Status.DRAFT:
        head = t.gettext(
            "📝 Candidature en cours, pas encore envoyée : %(market)s, phase %(number)s.",
            market=draft.form.market.name.get(t.locale),
            number=draft.form.phase.number,
        )
    elif draft is not None:
        head = application_line(t, market, draft.application)
    else:
        head = f"📂 {t.isolate(record.reference or record.phase_code)}"
    lines = [head]
    if draft is not None:
        lines += answer_lines(t, draft)
    else:
        lines += [
            f"{key} : {json.dumps(v, ensure_ascii=False)}" for key, v in record.answers.items()
        ]
    if record.corrections:
        lines.append(
            t.gettext(
                "✏️ Corrigée le %(date)s : %(answers)s",
                date=_when(t, record.corrections[-1][1], zone),
                answers=_labels(t, [key for key, _ in record.corrections]),
            )
        )
    return lines


def _labels(t: Translator, keys: Sequence[str]) -> str:
    return t.join(
        t.gettext(BY_KEY[key].label) if key in BY_KEY else key for key in dict.fromkeys(keys)
    )


def _delivery_label(t: Translator, kind: str, template: str) -> str:
    msgid = TEMPLATES.get(template) or KINDS.get(kind)
    return t.gettext(msgid) if msgid else template


def my_data_lines(t: Translator, catalogue: Catalogue, mine: MyData) -> list[str]:
    data, zone = mine.data, catalogue.markets[0].timezone
    lines = [t.gettext("🔒 Tout ce que le bot garde sur vous :"), ""]
    if data.user is not None:
        user = data.user
        language = t.babel_locale.languages.get(user.locale or "", "") if user.locale else ""
        if user.first_name:  # team members only (the /team list)
            lines.append(t.gettext("Prénom Telegram : %(name)s", name=t.isolate(user.first_name)))
        lines += [
            t.gettext("Langue : %(language)s", language=language or t.gettext("—")),
            t.gettext("Premier message : %(date)s", date=_when(t, user.first_seen, zone)),
        ]
        if user.reminders_off:
            lines.append(t.gettext("Les rappels non essentiels sont arrêtés."))
    if not mine.applications:
        lines += ["", t.gettext("Vous n'avez pas encore de candidature.")]
    for application in mine.applications:
        lines += ["", *_application_lines(t, catalogue, application)]
    for survey in mine.surveys:
        title = t.gettext(
            "📝 Votre avis après le marché (%(phase)s) :", phase=t.isolate(survey.phase_code)
        )
        lines += ["", title, *survey_lines(t, survey.answers)]
    if data.consents:
        lines += ["", t.gettext("Vos accords (consentements) :")]
        for consent in data.consents:
            lines.append(
                t.gettext(
                    "• %(date)s — %(phase)s : %(answer)s",
                    date=_when(t, consent.decided_at, _zone(catalogue, consent.phase_code)),
                    phase=t.isolate(consent.phase_code),
                    answer=t.gettext("accepté") if consent.accepted else t.gettext("refusé"),
                )
            )
    lines += helpdesk.my_ticket_lines(t, mine.tickets, zone)
    lines += ["", t.gettext("Messages envoyés par le bot :")]
    if not data.deliveries:
        lines.append(t.gettext("Aucun message."))
    for delivery in data.deliveries[-SHOWN_DELIVERIES:]:
        status = DELIVERY_STATUSES.get(delivery.status)
        lines.append(
            t.gettext(
                "• %(date)s — %(what)s : %(status)s",
                date=_when(t, delivery.sent_at or delivery.not_before, zone),
                what=_delivery_label(t, delivery.kind, delivery.template),
                status=t.gettext(status) if status else delivery.status,
            )
        )
    hidden = len(data.deliveries) - SHOWN_DELIVERIES
    if hidden > 0:
        lines.append(
            t.ngettext(
                "… et %(count)s message plus ancien, dans le fichier.",
                "… et %(count)s messages plus anciens, dans le fichier.",
                hidden,
            )
        )
    lines += ["", t.gettext("📎 Tout est aussi dans le fichier %(name)s.", name=DOCUMENT_NAME)]
    return lines


def split_messages(t: Translator, lines: Sequence[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Lines grouped into messages of at most `limit` characters (a longer line is cut)."""
    room = limit - 1  # the right-to-left mark start_rtl may add
    messages: list[str] = []
    current = ""
    for line in lines:
        while len(line) > room:
            if current:
                messages.append(current)
                current = ""
            messages.append(line[:room])
            line = line[room:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > room:
            messages.append(current)
            candidate = line
        current = candidate
    if current.strip():
        messages.append(current)
    return [t.start_rtl(message) for message in messages if message.strip()]


def my_data_document(t: Translator, catalogue: Catalogue, mine: MyData) -> bytes:
    """Everything, machine-readable: raw values and, beside them, what the applicant reads."""
    data = mine.data
    user = data.user
    document: dict[str, Any] = {
        "generated_at": mine.generated_at.isoformat(),
        "user": {
            "telegram_id": user.id,
            "first_name": user.first_name,
            "language": user.locale,
            "first_seen": user.first_seen,
            "last_seen": user.last_seen,
            "reminders_off": user.reminders_off,
            "blocked_the_bot": user.blocked,
        }
        if user
        else None,
        "team_role": data.role,
        "applications": [_application_document(t, item) for item in mine.applications],
        "consents": [
            {
                "phase": consent.phase_code,
                "version": consent.version,
                "accepted": consent.accepted,
                "decided_at": consent.decided_at,
            }
            for consent in data.consents
        ],
        "questions_to_the_team": helpdesk.my_ticket_documents(mine.tickets),
        "impact_surveys": [
            {"phase": survey.phase_code, "answers": survey.answers} for survey in mine.surveys
        ],
        "messages_sent_to_you": [
            {
                "kind": delivery.kind,
                "template": delivery.template,
                "what": _delivery_label(t, delivery.kind, delivery.template),
                "status": delivery.status,
                "created_at": delivery.created_at,
                "planned_for": delivery.not_before,
                "sent_at": delivery.sent_at,
            }
            for delivery in data.deliveries
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _application_document(t: Translator, mine: MyApplication) -> dict[str, Any]:
    record, draft = mine.record, mine.draft
    answers = []
    for key, value in record.answers.items():
        question = BY_KEY.get(key)
        answers.append(
            {
                "question": key,
                "label": t.gettext(question.label) if question else key,
                "value": value,
                "as_shown": answer_text(t, draft, question, value)
                if draft is not None and question is not None
                else None,
            }
        )
    return {
        "reference": record.reference,
        "phase": record.phase_code,
        "status": record.status,
        "status_label": statuses.for_applicant(t, record.status),
        "created_at": record.created_at,
        "submitted_at": record.submitted_at,
        "updated_at": record.updated_at,
        "decision_deadline": record.decision_deadline,
        "reject_reason": record.reject_reason,
        "answers": answers,
        "history": [
            {
                "from": change.from_status,
                "to": change.to_status,
                "reason": change.reason,
                "at": change.changed_at,
                "by_you": change.by_applicant,
            }
            for change in record.history
        ],
        "corrections": [{"question": key, "at": at} for key, at in record.corrections],
    }


def delete_confirm_text(t: Translator) -> str:
    lines = [
        t.gettext("🗑️ Effacer toutes vos données ?"),
        t.gettext("Vos candidatures en cours seront retirées, et leurs places libérées."),
        t.gettext(
            "Vos réponses, photos, téléphone, accords et messages prévus seront effacés. "
            "C'est définitif."
        ),
        t.gettext("Seuls des chiffres sans nom restent, pour les statistiques."),
    ]
    return t.start_rtl("\n".join(lines))


def delete_confirm_keyboard(t: Translator, stamp: int) -> InlineKeyboardMarkup:
    return inline(
        [
            [button(t.gettext("🗑️ Oui, tout effacer"), EraseData(True, stamp))],
            [button(t.gettext("↩️ Non, garder"), EraseData(False))],
        ]
    )


def erased_text(t: Translator, withdrawn: int) -> str:
    lines = [t.gettext("✅ Vos données personnelles sont effacées.")]
    if withdrawn:
        lines.append(
            t.ngettext(
                "%(count)s candidature en cours a été retirée.",
                "%(count)s candidatures en cours ont été retirées.",
                withdrawn,
            )
        )
    lines += [
        t.gettext("Le bot garde seulement votre langue, pour vous répondre."),
        t.gettext(
            "Les messages restent dans cette conversation Telegram : vous pouvez la supprimer."
        ),
    ]
    return t.start_rtl("\n".join(lines))
