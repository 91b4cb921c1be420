"""How the help desk reads: the member's prompt and receipt, the ticket as organizers see it,
the queue (/questions), the answer as the member receives it, and the ticket in /mydata."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from telegram import InlineKeyboardMarkup

from bot import statuses
from bot.callbacks import MenuItem, OpenMenu, StopAsking, TicketAction, TicketButton
from bot.catalogue import Catalogue
from bot.i18n import N_, Translator
from bot.keyboards import back_to_menu, button, inline
from bot.services.helpdesk import Asker
from bot.views.buttons import fit
from bot.views.console import language_name
from bot.views.phases import phase_label
from storage.templates import Template
from storage.tickets import Ticket

CAPTION_LIMIT = 1024  # Telegram's limit for a photo's or voice note's caption
QUEUE_SHOWN = 10  # tickets listed by /questions; the others are counted
WORDS = 60  # characters of the question quoted in the queue

# For /mydata's list of messages sent (bot/views/privacy.py).
DELIVERY_LABELS: dict[str, str] = {Template.TICKET_ANSWER: N_("Réponse à votre question")}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---- the member ---------------------------------------------------------------------------


def ask_prompt(t: Translator) -> str:
    lines = [
        t.gettext("💬 Une question pour l'équipe des organisateurs ?"),
        t.gettext("Écrivez-la ici, ou envoyez un message vocal ou une photo."),
        t.gettext("L'équipe vous répondra dans cette conversation."),
    ]
    return t.start_rtl("\n".join(lines))


def ask_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return inline([[button(t.gettext("❌ Annuler"), StopAsking())]])


def unsupported_text(t: Translator) -> str:
    return t.start_rtl(
        t.gettext("Envoyez votre question en texte, en message vocal ou en photo, ou annulez.")
    )


def asked_text(t: Translator, ticket: Ticket) -> str:
    lines = [
        t.gettext(
            "✅ Votre question est bien reçue (%(reference)s).",
            reference=t.isolate(ticket.reference),
        ),
        t.gettext("L'équipe vous répond ici, en général sous deux jours ouvrables."),
    ]
    return t.start_rtl("\n".join(lines))


def stopped_text(t: Translator) -> str:
    return t.start_rtl(t.gettext("D'accord, aucune question envoyée."))


def answer_for_member(t: Translator, ticket: Ticket, zone: tzinfo) -> str:
    """The organizer's words as typed, framed in the member's language. Isolated: French typed
    inside an Arabic message (or Arabic in a French one) keeps its own direction."""
    head = t.gettext(
        "💬 Réponse de l'équipe à votre question du %(date)s (%(reference)s) :",
        date=t.short_date(ticket.asked_at.astimezone(zone)),
        reference=t.isolate(ticket.reference),
    )
    answer = "\n".join(
        t.isolate(line) if line else "" for line in (ticket.answer or "").split("\n")
    )
    tail = t.gettext("Une autre question ? Touchez le bouton ci-dessous.")
    return t.start_rtl(f"{head}\n\n{answer}\n\n{tail}")


def answer_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return inline([[button(t.gettext("💬 Poser une question"), OpenMenu(MenuItem.ASK))]])


# ---- the organizers -----------------------------------------------------------------------


def _application_line(t: Translator, catalogue: Catalogue, item: tuple[Any, str]) -> str:
    application, name = item
    phase = catalogue.phase(application.phase_code)
    market = catalogue.market(phase.market_code) if phase else None
    where = phase_label(t, market, phase) if market and phase else t.isolate(application.phase_code)
    return t.gettext(
        "📂 %(reference)s — %(name)s — %(where)s — %(status)s",
        reference=t.isolate(application.reference or ""),
        name=t.isolate(name) if name else t.gettext("—"),
        where=where,
        status=statuses.for_organizers(t, application.status),
    )


def ticket_text(
    t: Translator, catalogue: Catalogue, ticket: Ticket, asker: Asker, zone: tzinfo
) -> str:
    """The ticket for the organizers; with a voice note or a photo it is the caption, cut to
    Telegram's 1024 characters (the member's words last, so the frame always shows)."""
    language = language_name(t, ticket.locale)
    lines = [
        t.gettext("💬 Question %(reference)s", reference=t.isolate(ticket.reference)),
        t.gettext(
            "👤 %(name)s — posée le %(date)s",
            name=t.isolate(ticket.first_name),
            date=t.datetime(ticket.asked_at.astimezone(zone)),
        )
        if ticket.first_name
        else t.gettext("👤 Posée le %(date)s", date=t.datetime(ticket.asked_at.astimezone(zone))),
        t.gettext("🗣️ Langue du membre : %(language)s", language=language),
    ]
    lines += [_application_line(t, catalogue, item) for item in asker.applications] or [
        t.gettext("📂 Pas de candidature envoyée.")
    ]
    if ticket.answered_at is not None:
        lines += [
            "",
            t.gettext(
                "✅ Répondue le %(date)s :", date=t.datetime(ticket.answered_at.astimezone(zone))
            ),
            t.isolate(ticket.answer or ""),
        ]
    else:
        lines += [
            "",
            t.gettext(
                "↩️ Pour répondre, répondez à ce message (en %(language)s) ou touchez"
                " « ✍️ Répondre ». Le membre reçoit votre texte tel quel.",
                language=language,
            ),
        ]
    frame = t.start_rtl("\n".join(lines))
    kind = {"voice": N_("🎤 Message vocal"), "photo": N_("📷 Photo")}.get(ticket.kind)
    words = [t.gettext(kind)] if kind else []
    if ticket.text:
        # Cut before isolating, so that the isolate stays closed; 2 for the isolate's marks.
        room = CAPTION_LIMIT - len(frame) - len("\n\n".join([*words, ""])) - 2 - 2
        text = ticket.text if ticket.kind == "text" else _cut(ticket.text, max(room, 1))
        words.append(t.isolate(text))
    return f"{frame}\n\n" + "\n".join(words)


def ticket_keyboard(t: Translator, ticket: Ticket) -> InlineKeyboardMarkup | None:
    if not ticket.is_open:
        return None
    return inline([[button(t.gettext("✍️ Répondre"), TicketButton(TicketAction.ANSWER, ticket.id))]])


def queue_text(
    t: Translator,
    catalogue: Catalogue,
    tickets: Sequence[tuple[Ticket, Asker]],
    total: int,
    zone: tzinfo,
) -> str:
    if not tickets:
        return t.start_rtl(t.gettext("✅ Aucune question en attente."))
    lines = [
        t.ngettext(
            "💬 %(count)s question en attente :",
            "💬 %(count)s questions en attente, la plus ancienne d'abord :",
            total,
        )
    ]
    for ticket, asker in tickets:
        markets = dict.fromkeys(
            _market_name(t, catalogue, application.phase_code)
            for application, _ in asker.applications
        )
        words = ticket.text or ""
        if ticket.kind != "text":
            kind = {"voice": N_("🎤 Message vocal"), "photo": N_("📷 Photo")}[ticket.kind]
            words = f"{t.gettext(kind)} {words}".strip()
        lines += [
            "",
            t.gettext(
                "%(reference)s · %(date)s · %(name)s · %(markets)s · %(language)s",
                reference=t.isolate(ticket.reference),
                date=t.datetime(ticket.asked_at.astimezone(zone)),
                name=t.isolate(ticket.first_name) if ticket.first_name else t.gettext("—"),
                markets=t.join(markets) or t.gettext("pas de candidature"),
                language=language_name(t, ticket.locale),
            ),
            f"« {t.isolate(_cut(words.replace(chr(10), ' '), WORDS))} »",
        ]
    if total > len(tickets):
        lines += [
            "",
            t.ngettext(
                "… et %(count)s autre : répondez d'abord à celles-ci.",
                "… et %(count)s autres : répondez d'abord à celles-ci.",
                total - len(tickets),
            ),
        ]
    return t.start_rtl("\n".join(lines))


def _market_name(t: Translator, catalogue: Catalogue, phase_code: str) -> str:
    phase = catalogue.phase(phase_code)
    market = catalogue.market(phase.market_code) if phase else None
    return market.short_name.get(t.locale) if market else phase_code


def queue_keyboard(t: Translator, tickets: Sequence[tuple[Ticket, Asker]]) -> InlineKeyboardMarkup:
    rows = [
        [
            button(
                fit(f"{ticket.reference} · {ticket.first_name}", ticket.reference)
                if ticket.first_name
                else ticket.reference,
                TicketButton(TicketAction.OPEN, ticket.id),
            )
        ]
        for ticket, _ in tickets
    ]
    return inline([*rows, back_to_menu(t)])


def answer_prompt(t: Translator, ticket: Ticket) -> str:
    return t.start_rtl(
        t.gettext(
            "✍️ Écrivez votre réponse à %(reference)s, en %(language)s : le membre la recevra"
            " telle quelle.",
            reference=t.isolate(ticket.reference),
            language=language_name(t, ticket.locale),
        )
    )


def answer_prompt_keyboard(t: Translator, ticket: Ticket) -> InlineKeyboardMarkup:
    return inline([[button(t.gettext("❌ Annuler"), TicketButton(TicketAction.CANCEL, ticket.id))]])


def answered_text(t: Translator, ticket: Ticket) -> str:
    return t.start_rtl(
        t.gettext(
            "✅ Réponse envoyée au membre (%(reference)s). La question est close.",
            reference=t.isolate(ticket.reference),
        )
    )


def already_answered_text(t: Translator, ticket: Ticket, zone: tzinfo, by: str) -> str:
    """`by`: the first name of the organizer who answered (team members' names are kept)."""
    when = ticket.answered_at or ticket.asked_at
    return t.start_rtl(
        t.gettext(
            "Cette question (%(reference)s) a déjà reçu une réponse de %(name)s, le %(date)s :"
            " la vôtre n'est pas envoyée.",
            reference=t.isolate(ticket.reference),
            name=t.isolate(by) if by else t.gettext("—"),
            date=t.datetime(when.astimezone(zone)),
        )
    )


def gone_text(t: Translator) -> str:
    return t.start_rtl(t.gettext("Cette question n'existe plus : le membre a effacé ses données."))


def not_answering_text(t: Translator) -> str:
    return t.start_rtl(t.gettext("D'accord, aucune réponse envoyée."))


def answer_in_words_text(t: Translator) -> str:
    return t.start_rtl(t.gettext("Répondez par un message écrit : le membre le recevra tel quel."))


# ---- personal data (/mydata, /privacy) ----------------------------------------------------


def my_ticket_lines(t: Translator, tickets: Sequence[Ticket], zone: tzinfo) -> list[str]:
    if not tickets:
        return []
    lines = ["", t.gettext("Vos questions à l'équipe :")]
    for ticket in tickets:
        asked = t.gettext("message vocal") if ticket.kind == "voice" else ""
        asked = t.gettext("photo") if ticket.kind == "photo" else asked
        words = t.join(part for part in (asked, ticket.text or "") if part)
        lines.append(
            t.gettext(
                "• %(date)s — %(reference)s : « %(words)s »",
                date=t.datetime(ticket.asked_at.astimezone(zone)),
                reference=t.isolate(ticket.reference),
                words=t.isolate(words),
            )
        )
        if ticket.answered_at is None:
            lines.append(t.gettext("  en attente de réponse"))
        else:
            lines.append(
                t.gettext(
                    "  réponse du %(date)s : « %(answer)s »",
                    date=t.datetime(ticket.answered_at.astimezone(zone)),
                    answer=t.isolate(ticket.answer or ""),
                )
            )
    return lines


def my_ticket_documents(tickets: Sequence[Ticket]) -> list[dict[str, Any]]:
    return [
        {
            "reference": ticket.reference,
            "kind": ticket.kind,
            "text": ticket.text,
            "telegram_file_id": ticket.file_id,
            "language": ticket.locale,
            "first_name": ticket.first_name,
            "asked_at": ticket.asked_at.isoformat(),
            "answer": ticket.answer,
            "answered_at": ticket.answered_at.isoformat() if ticket.answered_at else None,
        }
        for ticket in tickets
    ]


def policy_line(t: Translator, retention_days: int) -> str:
    return t.ngettext(
        "Vos questions à l'équipe et leurs réponses : effacées %(count)s jour après la réponse.",
        "Vos questions à l'équipe et leurs réponses : effacées %(count)s jours après la réponse.",
        retention_days,
    )
