"""How the application journey looks: phase buttons, consent, questions, summary, status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot import keyboards, statuses
from bot.callbacks import (
    CLOSE_GRID,
    BackToSummary,
    CallbackData,
    Cancel,
    Choose,
    ChooseMarket,
    ChoosePhase,
    Consent,
    CorrectAnswer,
    Done,
    EditAnswer,
    Skip,
    Submit,
    Toggle,
)
from bot.catalogue import Market
from bot.i18n import Translator
from bot.keyboards import button, inline
from bot.questionnaire import MAX_PHOTOS, TRAININGS, Kind, Question, applicable, choice_label
from bot.services.applications import Availability, Draft
from bot.views import structures
from bot.views.buttons import fit, phase_labels
from bot.views.info import phase_line
from storage.applications import Application
from storage.structures import Structure


def phases_keyboard(t: Translator, availabilities: list[Availability]) -> InlineKeyboardMarkup:
    shown = [a for a in availabilities if a.open]
    rows = [
        [button(label, ChoosePhase(a.phase.code))]
        for a, label in zip(shown, phase_labels(t, shown), strict=True)
    ]
    return inline([*rows, keyboards.back_to_menu(t)])


def phases_text(t: Translator, market: Market, availabilities: list[Availability]) -> str:
    """The phases with their dates and places in words: the buttons below are short."""
    lines = [
        t.gettext(
            "%(market)s, %(place)s. Choisissez la phase :",
            market=market.name.get(t.locale),
            place=market.place.get(t.locale),
        ),
        *(phase_line(t, availability) for availability in availabilities),
    ]
    return t.start_rtl("\n".join(lines))


def markets_keyboard(t: Translator, markets: tuple[Market, ...]) -> InlineKeyboardMarkup:
    return inline([*keyboards.market_rows(t, markets, ChooseMarket), keyboards.back_to_menu(t)])


def consent_text(
    t: Translator,
    market: Market,
    waitlist_only: bool,
    retention_months: int = 12,
    *,
    facilitator: bool = False,
    structure: Structure | None = None,
) -> str:
    lines = [
        t.gettext("Avant de commencer, lisez ceci :"),
        t.gettext(
            "• Vos réponses sont traitées par les organisateurs (%(organizer)s) pour choisir "
            "les exposants du marché.",
            organizer=market.organizer.get(t.locale),
        ),
        t.gettext("• Seule l'équipe d'organisation les voit."),
        t.ngettext(
            "• Elles sont gardées %(count)s mois après le marché, puis effacées.",
            "• Elles sont gardées %(count)s mois après le marché, puis effacées.",
            retention_months,
        ),
        t.gettext("• Telegram garde les messages sur des serveurs hors du Maroc."),
        t.gettext(
            "• Vous pouvez consulter, corriger ou effacer vos données à tout moment (loi 09-08)."
        ),
        t.gettext("Acceptez-vous ?"),
    ]
    if facilitator:
        lines[-1:-1] = structures.facilitator_consent_lines(t)
    elif structure is None:
        lines.insert(-1, structures.not_the_contact_line(t))
    if structure is not None:
        lines.insert(0, structures.with_structure_line(t, structure))
    if waitlist_only:
        lines.insert(
            0, t.gettext("⚠️ Cette phase est complète : vous serez sur la liste d'attente.")
        )
    return t.start_rtl("\n".join(lines))


def consent_keyboard(
    t: Translator, phase_code: str, structure: int | None = None, facilitator: bool = False
) -> InlineKeyboardMarkup:
    """`structure`: one filed for before. A new structure's screen also asks whether the
    member is its contact person (a facilitator's screen comes next if not)."""
    accept = t.gettext("✅ Elle a accepté") if facilitator else t.gettext("✅ J'accepte")
    extra = () if structure is None and not facilitator else (structure or 0, facilitator)
    rows = [[button(accept, Consent(phase_code, True, *extra))]]
    if structure is None and not facilitator:
        rows.append([structures.not_the_contact_button(t, phase_code)])
    rows.append([button(t.gettext("❌ Je refuse"), Consent(phase_code, False, *extra))])
    return inline(rows)


def question_text(t: Translator, draft: Draft, question: Question) -> str:
    questions = applicable(draft.values, draft.form)
    position = next((i for i, q in enumerate(questions) if q.key == question.key), 0) + 1
    progress = t.gettext("Question %(n)s sur %(total)s", n=position, total=len(questions))
    prompt = question.prompt
    if draft.application.facilitated and question.facilitator_prompt:
        prompt = question.facilitator_prompt
    text = f"{progress}\n{t.gettext(prompt)}"
    if question.key == TRAININGS and draft.form.full:
        text += "\n" + t.gettext("⛔ Formation complète : elle ne peut plus être choisie.")
    if question.kind is Kind.PHOTOS:
        count = len(draft.pending(question) or [])
        if count:
            text += "\n" + t.ngettext(
                "%(count)s photo reçue sur %(max)s.",
                "%(count)s photos reçues sur %(max)s.",
                count,
                max=MAX_PHOTOS,
            )
    return t.start_rtl(text)


def _tick(code: str, selected: set[str], full: frozenset[str]) -> str:
    if code in selected:
        return "✅ "
    return "⛔ " if code in full else "▫️ "


def question_keyboard(
    t: Translator, draft: Draft, question: Question
) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | None:
    app_id = draft.application.id
    rows: list[list[InlineKeyboardButton]] = []
    if question.kind is Kind.PHONE and draft.application.facilitated:
        return None  # not the facilitator's own number: typed, or a contact card sent
    if question.kind is Kind.PHONE:
        share = KeyboardButton(t.gettext("📱 Partager mon numéro"), request_contact=True)
        return ReplyKeyboardMarkup([[share]], resize_keyboard=True, one_time_keyboard=True)
    if question.kind is Kind.CHOICE:
        rows = [
            [button(choice.label(t), Choose(app_id, question.key, choice.code))]
            for choice in question.choices(draft.form)
        ]
    elif question.kind is Kind.MULTI:
        selected = set(draft.pending(question) or [])
        rows = [
            [
                button(
                    _tick(choice.code, selected, draft.form.full) + choice.label(t),
                    Toggle(app_id, question.key, choice.code),
                )
            ]
            for choice in question.choices(draft.form)
        ]
        rows.append([button(t.gettext("✔️ Terminé"), Done(app_id, question.key))])
    elif question.kind is Kind.PHOTOS and draft.pending(question):
        rows.append([button(t.gettext("✔️ Terminé"), Done(app_id, question.key))])
    if question.optional:
        rows.append([button(t.gettext("⏭️ Passer"), Skip(app_id, question.key))])
    # Not on a question that has no answer yet: a corrected answer can make a new one apply
    # (another legal form, another register number), and it must be answered.
    if draft.application.editing == question.key and question.key in draft.answers:
        rows.append([button(t.gettext("↩️ Retour au résumé"), BackToSummary(app_id))])
    return inline(rows) if rows else None


def answer_text(t: Translator, draft: Draft, question: Question, value: Any) -> str:
    """An answer as the applicant reads it back."""
    if value is None or value == []:
        return t.gettext("—")
    if question.kind is Kind.CHOICE:
        return str(choice_label(question, draft.form, str(value), t))
    if question.kind is Kind.MULTI:
        return t.join(choice_label(question, draft.form, str(code), t) for code in value)
    if question.kind is Kind.PHOTOS:
        return t.ngettext("%(count)s photo", "%(count)s photos", len(value))
    if isinstance(value, dict) and "voice" in value:
        return t.ngettext(
            "🎤 message vocal (%(count)s s)",
            "🎤 message vocal (%(count)s s)",
            int(value.get("duration", 0)),
        )
    if question.kind in {Kind.PHONE, Kind.COUNT} or question.key in {
        "ice",
        "rnae",
        "coop_register",
    }:
        return t.isolate(value)
    return str(value)


def answer_lines(t: Translator, draft: Draft) -> list[str]:
    values = draft.values
    return [
        t.gettext(
            "%(label)s : %(value)s",
            label=t.gettext(question.label),
            value=answer_text(t, draft, question, values.get(question.key)),
        )
        for question in applicable(values, draft.form)
    ]


def summary_text(t: Translator, draft: Draft) -> str:
    phase = draft.form.phase
    lines = [
        t.gettext("Votre candidature :"),
        t.gettext(
            "%(market)s, phase %(number)s (%(start)s)",
            market=draft.form.market.name.get(t.locale),
            number=phase.number,
            start=t.short_date(phase.starts),
        ),
        "",
    ]
    lines += answer_lines(t, draft)
    lines += ["", t.gettext("Vérifiez, puis envoyez.")]
    return t.start_rtl("\n".join(lines))


def edit_grid(
    t: Translator,
    draft: Draft,
    action: Callable[[int, str], CallbackData],
    back: InlineKeyboardButton,
) -> InlineKeyboardMarkup:
    """A ✏️ button per question that applies, two to a row, then `back`; shared by the
    summary (behind "✏️ Modifier une réponse") and the correction screen (/correct).
    `action` says what a press does."""
    edit_buttons = [
        button(
            fit(t.gettext("✏️ %(label)s", label=t.gettext(q.label))),
            action(draft.application.id, q.key),
        )
        for q in applicable(draft.values, draft.form)
    ]
    rows = [edit_buttons[i : i + 2] for i in range(0, len(edit_buttons), 2)]
    return inline([*rows, [back]])


def summary_keyboard(t: Translator, draft: Draft) -> InlineKeyboardMarkup:
    """Send first: the ✏️ buttons wait behind one button, so Send is not lost among them."""
    app_id = draft.application.id
    return inline(
        [
            [button(t.gettext("📨 Envoyer ma candidature"), Submit(app_id))],
            [button(t.gettext("✏️ Modifier une réponse"), EditAnswer(app_id))],
            [button(t.gettext("🗑️ Annuler la candidature"), Cancel(app_id))],
        ]
    )


def summary_grid_keyboard(t: Translator, draft: Draft) -> InlineKeyboardMarkup:
    back = button(t.gettext("↩️ Retour au résumé"), EditAnswer(draft.application.id, CLOSE_GRID))
    return edit_grid(t, draft, EditAnswer, back)


def application_line(t: Translator, market: Market | None, application: Application) -> str:
    phase_number = application.phase_code.rsplit("-", 1)[-1]
    return t.gettext(
        "📂 %(reference)s — %(market)s, phase %(number)s\nStatut : %(status)s",
        reference=t.isolate(application.reference or ""),
        market=market.name.get(t.locale) if market else application.phase_code,
        number=phase_number,
        status=statuses.for_applicant(t, application.status),
    )


def correction_text(t: Translator, draft: Draft) -> str:
    """A sent application's answers, each with its ✏️ button below: the correction screen."""
    lines = [
        t.gettext(
            "✏️ Corriger la candidature %(reference)s",
            reference=t.isolate(draft.application.reference or ""),
        ),
        t.gettext(
            "%(market)s, phase %(number)s (%(start)s)",
            market=draft.form.market.name.get(t.locale),
            number=draft.form.phase.number,
            start=t.short_date(draft.form.phase.starts),
        ),
        "",
        *answer_lines(t, draft),
        "",
        t.gettext(
            "Touchez ✏️ pour changer une réponse. Chaque changement est enregistré aussitôt, "
            "et les organisateurs voient qu'il a eu lieu."
        ),
    ]
    return t.start_rtl("\n".join(lines))


def correction_keyboard(t: Translator, draft: Draft) -> InlineKeyboardMarkup:
    return edit_grid(t, draft, CorrectAnswer, keyboards.back_to_menu(t)[0])
