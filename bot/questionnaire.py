"""The application form, as data: one `Question` per entry, walked by `next_step`.

Adding a question is one entry in `QUESTIONS` plus its translations. The step to show is
always derived from the saved answers, so a restart resumes exactly where the applicant was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot import validation
from bot.catalogue import Catalogue, LocalizedText, Market, Phase
from bot.i18n import N_, Translator

Answers = Mapping[str, Any]


class Kind(StrEnum):
    CHOICE = "choice"  # one button
    TEXT = "text"  # typed text, checked by `parse`
    TEXT_OR_VOICE = "text_or_voice"  # typed text, or a voice note for those who cannot type
    COUNT = "count"  # a whole number
    PHONE = "phone"  # the share-contact button, or a typed number
    MULTI = "multi"  # several buttons ticked, then Done
    PHOTOS = "photos"  # up to MAX_PHOTOS photos, then Done (or Skip)


MAX_PHOTOS = 3
# The question whose answer the reminders and the calendar file read.
TRAININGS = "trainings"
OTHER = "other"
# Ticking a training with no seat left (its button shows ⛔).
TRAINING_FULL = N_("⛔ Cette formation est complète.")


@dataclass(frozen=True)
class Choice:
    code: str
    label: Callable[[Translator], str]


@dataclass(frozen=True)
class FormContext:
    """What the form's choices depend on: the catalogue and the phase applied to."""

    catalogue: Catalogue
    market: Market
    phase: Phase
    # Trainings with no seat left (storage/trainings.py): shown as full, cannot be ticked.
    full: frozenset[str] = frozenset()


def _static(code: str, msgid: str) -> Choice:
    return Choice(code, lambda t: t.gettext(msgid))


def _localized(code: str, text: LocalizedText) -> Choice:
    return Choice(code, lambda t: text.get(t.locale))


@dataclass(frozen=True)
class Question:
    key: str
    kind: Kind
    prompt: str  # French msgid
    label: str  # short French msgid for the summary
    choices: Callable[[FormContext], Sequence[Choice]] = lambda form: ()
    parse: Callable[[str], Any] | None = None
    check: Callable[[Any, Answers], None] | None = None  # cross-answer rule, raises ValidationError
    condition: Callable[[Answers, FormContext], bool] = lambda answers, form: True
    optional: bool = False  # offers a Skip button; a skipped answer is saved as None
    # Asked instead of `prompt` when a facilitator files for the structure's contact person.
    facilitator_prompt: str | None = None


LEGAL_FORMS = (
    _static("cooperative", N_("Coopérative")),
    _static("association", N_("Association")),
    _static("auto_entrepreneur", N_("Auto-entrepreneur")),
    _static("tpe", N_("Très petite entreprise")),
    _static("microcredit", N_("Client de microcrédit")),
)

LED_BY = (
    _static("women", N_("Structure de femmes")),
    _static("youth", N_("Structure de jeunes")),
    _static("women_youth", N_("Femmes et jeunes")),
    _static("none", N_("Ni l'un ni l'autre")),
)


def _legal_form_is(*forms: str) -> Callable[[Answers, FormContext], bool]:
    return lambda answers, form: answers.get("legal_form") in forms


def _provinces(form: FormContext) -> list[Choice]:
    choices = [_localized(option.code, option.name) for option in form.catalogue.provinces]
    return [*choices, _static(OTHER, N_("Autre province"))]


def _women_within_members(value: Any, answers: Answers) -> None:
    members = answers.get("members")
    if isinstance(members, int) and isinstance(value, int) and value > members:
        raise validation.ValidationError(
            N_("Ce nombre dépasse le nombre de membres (%(members)s)."), members=members
        )


QUESTIONS: tuple[Question, ...] = (
    Question(
        "legal_form",
        Kind.CHOICE,
        N_("Quelle est la forme de votre structure ?"),
        N_("Forme"),
        choices=lambda form: LEGAL_FORMS,
    ),
    Question(
        "structure_name",
        Kind.TEXT,
        N_("Quel est le nom de votre structure ?"),
        N_("Nom"),
        parse=validation.parse_structure_name,
    ),
    Question(
        "coop_register",
        Kind.TEXT,
        N_("Numéro d'inscription au registre des coopératives ? (Passer si vous ne l'avez pas)"),
        N_("N° registre"),
        parse=validation.parse_cooperative_register,
        condition=_legal_form_is("cooperative"),
        optional=True,
    ),
    Question(
        "ice",
        Kind.TEXT,
        N_("Votre numéro ICE (15 chiffres) ? (Passer si vous ne l'avez pas)"),
        N_("ICE"),
        parse=validation.parse_ice,
        condition=_legal_form_is("tpe"),
        optional=True,
    ),
    Question(
        "rnae",
        Kind.TEXT,
        N_("Votre numéro d'auto-entrepreneur (RNAE) ? (Passer si vous ne l'avez pas)"),
        N_("N° RNAE"),
        parse=validation.parse_rnae,
        condition=_legal_form_is("auto_entrepreneur"),
        optional=True,
    ),
    Question(
        "microcredit_association",
        Kind.TEXT,
        N_("Le nom de votre association de microcrédit ?"),
        N_("Association de microcrédit"),
        parse=validation.parse_structure_name,
        condition=_legal_form_is("microcredit"),
    ),
    Question(
        "province",
        Kind.CHOICE,
        N_("Dans quelle province êtes-vous ?"),
        N_("Province"),
        choices=_provinces,
    ),
    Question(
        "town",
        Kind.TEXT,
        N_("Dans quelle ville ou commune ?"),
        N_("Ville"),
        parse=validation.parse_town,
    ),
    Question(
        "sector",
        Kind.CHOICE,
        N_("Quel est votre secteur ?"),
        N_("Secteur"),
        choices=lambda form: [_localized(o.code, o.name) for o in form.catalogue.sectors],
    ),
    Question(
        "products",
        Kind.TEXT_OR_VOICE,
        N_("Quels produits allez-vous exposer ? Écrivez, ou envoyez un message vocal."),
        N_("Produits"),
        parse=lambda text: validation.parse_free_text(text, min_length=3, max_length=500),
    ),
    Question(
        "members",
        Kind.COUNT,
        N_("Combien de membres compte votre structure ? (un nombre)"),
        N_("Membres"),
        parse=lambda text: validation.parse_count(text, minimum=1, maximum=100_000),
    ),
    Question(
        "women_members",
        Kind.COUNT,
        N_("Combien de femmes parmi les membres ? (un nombre)"),
        N_("Femmes"),
        parse=lambda text: validation.parse_count(text, minimum=0, maximum=100_000),
        check=_women_within_members,
    ),
    Question(
        "led_by",
        Kind.CHOICE,
        N_("Est-ce une structure de femmes ou de jeunes ?"),
        N_("Femmes / jeunes"),
        choices=lambda form: LED_BY,
    ),
    Question(
        "contact_name",
        Kind.TEXT,
        N_("Nom et prénom de la personne à contacter ?"),
        N_("Contact"),
        parse=validation.parse_person_name,
        facilitator_prompt=N_(
            "Nom et prénom de la personne à contacter dans la structure (pas le vôtre) ?"
        ),
    ),
    Question(
        "phone",
        Kind.PHONE,
        N_("Votre numéro de téléphone ? Touchez « Partager mon numéro » ou écrivez-le."),
        N_("Téléphone"),
        parse=validation.parse_phone,
        facilitator_prompt=N_(
            "Le numéro de téléphone de la personne à contacter ? Écrivez-le, ou partagez "
            "sa fiche de contact."
        ),
    ),
    Question(
        "stand_needs",
        Kind.MULTI,
        N_("De quoi avez-vous besoin au stand ? Cochez, puis « Terminé »."),
        N_("Besoins au stand"),
        choices=lambda form: [_localized(o.code, o.name) for o in form.catalogue.stand_needs],
    ),
    Question(
        TRAININGS,
        Kind.MULTI,
        N_("Quelles formations voulez-vous suivre ? Cochez, puis « Terminé »."),
        N_("Formations"),
        choices=lambda form: [
            _localized(training.code, training.title)
            for training in form.market.trainings_for(form.phase.number)
        ],
        condition=lambda answers, form: bool(form.market.trainings_for(form.phase.number)),
    ),
    Question(
        "programmes",
        Kind.MULTI,
        N_("Avez-vous déjà bénéficié d'un de ces programmes ? Cochez, puis « Terminé »."),
        N_("Programmes"),
        choices=lambda form: [_localized(o.code, o.name) for o in form.catalogue.programmes],
    ),
    Question(
        "photos",
        Kind.PHOTOS,
        N_("Envoyez jusqu'à 3 photos de vos produits, ou touchez « Passer »."),
        N_("Photos"),
        optional=True,
    ),
)

BY_KEY: dict[str, Question] = {question.key: question for question in QUESTIONS}


@dataclass(frozen=True)
class Ask:
    question: Question


@dataclass(frozen=True)
class Review:
    """Every applicable question is answered: show the summary."""


Step = Ask | Review


def applicable(answers: Answers, form: FormContext) -> list[Question]:
    return [question for question in QUESTIONS if question.condition(answers, form)]


def next_step(answers: Answers, form: FormContext, editing: str | None = None) -> Step:
    """The one state-transition function: what to show, given what is saved."""
    questions = applicable(answers, form)
    if editing is not None and editing in BY_KEY and BY_KEY[editing] in questions:
        return Ask(BY_KEY[editing])
    for question in questions:
        if question.key not in answers:
            return Ask(question)
    return Review()


def stale_answers(answers: Answers, form: FormContext) -> list[str]:
    """Answers that no longer hold after a change: a question that no longer applies, or a
    cross-answer rule that the new answer breaks (they are deleted and, if needed, re-asked)."""
    questions = {question.key for question in applicable(answers, form)}
    stale = [key for key in answers if key in BY_KEY and key not in questions]
    for key in questions:
        question = BY_KEY[key]
        if question.check is None or answers.get(key) is None:
            continue
        try:
            question.check(answers[key], answers)
        except validation.ValidationError:
            stale.append(key)
    return stale


def choice_codes(question: Question, form: FormContext) -> list[str]:
    return [choice.code for choice in question.choices(form)]


def choice_label(question: Question, form: FormContext, code: str, t: Translator) -> str:
    for choice in question.choices(form):
        if choice.code == code:
            return choice.label(t)
    return code


def identifier(answers: Answers) -> str | None:
    """The structure's official number, whichever register it is in (for duplicate checks)."""
    for key in ("coop_register", "ice", "rnae"):
        value = answers.get(key)
        if isinstance(value, str) and value:
            return value
    return None
