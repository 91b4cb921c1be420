"""The impact survey as the exhibitor sees it: one question at a time, answered by buttons.

Pure functions (words and keyboards from the step and the phase's name), so that the outbox's
renderer and the button's handler draw the same screen.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import keyboards
from bot.callbacks import SurveyAnswer
from bot.i18n import N_, Translator
from storage.impact import SKIPPED, VOICE

PROMPTS = {
    "sales": N_("💰 Combien avez-vous vendu pendant le marché (en dirhams) ?"),
    "customers": N_("🤝 Avez-vous gagné de nouveaux clients ou des commandes ?"),
    "contacts": N_("🏛 Avez-vous eu des contacts avec des acheteurs ou des institutions ?"),
    "satisfaction": N_("⭐ Êtes-vous satisfaits du marché ? (1 = pas du tout, 5 = très)"),
    "again": N_("🔁 Reviendriez-vous à ce marché ?"),
    VOICE: N_(
        "🎤 Pour finir, vous pouvez envoyer un message vocal : ce que le marché vous a apporté, "
        "ce qu'il faudrait améliorer. Ou appuyez sur « Passer »."
    ),
}
# Short: they also head the report's lines and the spreadsheet's rows.
TITLES = {
    "sales": N_("Ventes pendant le marché"),
    "customers": N_("Nouveaux clients ou commandes"),
    "contacts": N_("Contacts avec acheteurs ou institutions"),
    "satisfaction": N_("Satisfaction (1 à 5)"),
    "again": N_("Reviendraient"),
    VOICE: N_("Messages vocaux"),
}
ANSWERS = {
    ("sales", "lt1k"): N_("Moins de 1 000 DH"),
    ("sales", "1k_5k"): N_("1 000 à 5 000 DH"),
    ("sales", "5k_20k"): N_("5 000 à 20 000 DH"),
    ("sales", "gt20k"): N_("Plus de 20 000 DH"),
    ("customers", "no"): N_("Non"),
    ("customers", "yes"): N_("Oui"),
    ("customers", "several"): N_("Oui, plusieurs"),
    ("contacts", "yes"): N_("Oui"),
    ("contacts", "no"): N_("Non"),
    ("again", "yes"): N_("Oui"),
    ("again", "maybe"): N_("Peut-être"),
    ("again", "no"): N_("Non"),
    (VOICE, VOICE): N_("Message vocal envoyé"),
    (VOICE, SKIPPED): N_("Passé"),
}
FACES = {"1": "😞", "2": "🙁", "3": "😐", "4": "🙂", "5": "😀"}


def answer_label(t: Translator, question: str, code: str) -> str:
    """An answer in words (a button, a line of the report); a face and its number for
    satisfaction, which needs no words."""
    if question == "satisfaction":
        return f"{FACES.get(code, '')} {code}".strip()
    words = ANSWERS.get((question, code))
    return t.gettext(words) if words else code


def question_title(t: Translator, question: str) -> str:
    return t.gettext(TITLES[question])


def survey_screen(
    t: Translator,
    phase_name: str,
    application_id: int,
    step: str,
    choices: tuple[str, ...],
    *,
    first: bool = False,
    reminder: bool = False,
) -> tuple[str, InlineKeyboardMarkup]:
    """The question `step` of the survey about `phase_name`, its buttons one per line (the
    faces of satisfaction on one line). `first`: the survey's opening words above it;
    `reminder`: the reminder's."""
    question = t.gettext(PROMPTS[step])
    if reminder:
        head = t.gettext(
            "🔔 Rappel : votre avis sur %(phase)s nous aide à obtenir d'autres marchés. "
            "Il reste quelques questions.",
            phase=phase_name,
        )
        text = f"{head}\n\n{question}"
    elif first:
        head = t.gettext(
            "🙏 Merci d'avoir participé à %(phase)s ! Quelques questions rapides (une minute) "
            "aident les organisateurs à rendre compte aux partenaires qui financent le marché.",
            phase=phase_name,
        )
        text = f"{head}\n\n{question}"
    else:
        text = question
    if step == VOICE:
        rows = [
            [keyboards.button(t.gettext("⏭️ Passer"), SurveyAnswer(application_id, VOICE, SKIPPED))]
        ]
    else:
        buttons = [
            keyboards.button(answer_label(t, step, code), SurveyAnswer(application_id, step, code))
            for code in choices
        ]
        rows = [buttons] if step == "satisfaction" else [[button] for button in buttons]
    return t.start_rtl(text), keyboards.inline(rows)


def answered_text(t: Translator, step: str, code: str) -> str:
    """What the question's message becomes once answered: the question and the answer, no
    buttons (so that the chat reads as a record of what was said)."""
    return t.start_rtl(
        t.gettext(
            "%(question)s\n✔️ %(answer)s",
            question=t.gettext(PROMPTS[step]),
            answer=answer_label(t, step, code),
        )
    )


def thanks_text(t: Translator) -> str:
    return t.start_rtl(
        t.gettext("✅ Merci ! Vos réponses sont enregistrées. À bientôt sur nos marchés.")
    )


def survey_lines(t: Translator, answers: dict[str, str]) -> list[str]:
    """/mydata: each answer given, in words (a voice note as « Message vocal envoyé »)."""
    lines = []
    for question in TITLES:
        if question in answers:
            code = answers[question]
            if question == VOICE and code != SKIPPED:
                code = VOICE
            lines.append(
                t.gettext(
                    "• %(question)s : %(answer)s",
                    question=question_title(t, question),
                    answer=answer_label(t, question, code),
                )
            )
    return lines
