"""The baseline's form as data: the same 19 questions as our bot, their validators, and the
conversation's states (one per question). Part of `bench/baseline_bot.py`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import phonenumbers
from telegram.ext import ContextTypes, ConversationHandler

Context = ContextTypes.DEFAULT_TYPE
State = str | int  # a step name, or ConversationHandler.END
END = ConversationHandler.END
Answers = dict[str, Any]

LANGUAGE, MENU, MARKET, PHASE, CONSENT, SUMMARY = (
    "language",
    "menu",
    "market",
    "phase",
    "consent",
    "summary",
)


class Invalid(ValueError):
    pass


def _text(minimum: int, maximum: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = " ".join(text.split())
        if not minimum <= len(value) <= maximum or not any(c.isalpha() for c in value):
            raise Invalid(f"Écrivez entre {minimum} et {maximum} caractères.")
        return value

    return parse


def _count(text: str) -> int:
    try:
        value = int(text.replace(" ", ""))  # int() reads Arabic-Indic digits too
    except ValueError:
        raise Invalid("Écrivez un nombre, par exemple 12.") from None
    if not 0 <= value <= 100_000:
        raise Invalid("Écrivez un nombre entre 0 et 100 000.")
    return value


def _register(text: str) -> str:
    value = text.strip().upper()
    if not re.fullmatch(r"[0-9A-Z][0-9A-Z/ -]{0,29}", value) or not re.search(r"\d", value):
        raise Invalid("Écrivez le numéro, par exemple 1234/2019.")
    return value


def _phone(text: str) -> str:
    try:
        number = phonenumbers.parse(text, "MA")
    except phonenumbers.NumberParseException:
        raise Invalid("Ce numéro n'est pas valable. Exemple : 0612345678.") from None
    if not phonenumbers.is_valid_number(number):
        raise Invalid("Ce numéro n'est pas valable. Exemple : 0612345678.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True)
class Step:
    key: str
    kind: str  # choice, text, voice, count, phone, multi, photos
    prompt: str
    label: str
    choices: tuple[tuple[str, str], ...] = ()
    parse: Callable[[str], Any] | None = None
    only_if: Callable[[Answers], bool] = lambda answers: True
    optional: bool = False


def _legal(form: str) -> Callable[[Answers], bool]:
    return lambda answers: answers.get("legal_form") == form


PROVINCES = (
    ("fes", "Fès"),
    ("meknes", "Meknès"),
    ("el_hajeb", "El Hajeb"),
    ("ifrane", "Ifrane"),
    ("sefrou", "Sefrou"),
    ("boulemane", "Boulemane"),
    ("moulay_yacoub", "Moulay Yacoub"),
    ("taza", "Taza"),
    ("taounate", "Taounate"),
    ("mohammedia", "Mohammedia"),
    ("casablanca", "Casablanca"),
    ("other", "Autre province"),
)
STEPS = (
    Step(
        "legal_form",
        "choice",
        "Quelle est la forme de votre structure ?",
        "Forme",
        (
            ("cooperative", "Coopérative"),
            ("association", "Association"),
            ("auto_entrepreneur", "Auto-entrepreneur"),
            ("tpe", "Très petite entreprise"),
            ("microcredit", "Client d'une association de microcrédit"),
        ),
    ),
    Step(
        "structure_name", "text", "Quel est le nom de votre structure ?", "Nom", parse=_text(2, 100)
    ),
    Step(
        "coop_register",
        "text",
        "Numéro d'inscription au registre des coopératives ? (Passer si vous ne l'avez pas)",
        "N° registre",
        parse=_register,
        only_if=_legal("cooperative"),
        optional=True,
    ),
    Step(
        "ice",
        "text",
        "Votre numéro ICE (15 chiffres) ? (Passer si vous ne l'avez pas)",
        "ICE",
        parse=_register,
        only_if=_legal("tpe"),
        optional=True,
    ),
    Step(
        "rnae",
        "text",
        "Votre numéro d'auto-entrepreneur (RNAE) ? (Passer si vous ne l'avez pas)",
        "N° RNAE",
        parse=_register,
        only_if=_legal("auto_entrepreneur"),
        optional=True,
    ),
    Step(
        "microcredit_association",
        "text",
        "Le nom de votre association de microcrédit ?",
        "Association de microcrédit",
        parse=_text(2, 100),
        only_if=_legal("microcredit"),
    ),
    Step("province", "choice", "Dans quelle province êtes-vous ?", "Province", PROVINCES),
    Step("town", "text", "Dans quelle ville ou commune ?", "Ville", parse=_text(2, 80)),
    Step(
        "sector",
        "choice",
        "Quel est votre secteur ?",
        "Secteur",
        (
            ("crafts", "Artisanat"),
            ("beauty", "Cosmétique"),
            ("agrifood", "Agroalimentaire"),
            ("services", "Services"),
            ("other", "Autre"),
        ),
    ),
    Step(
        "products",
        "voice",
        "Quels produits allez-vous exposer ? Écrivez, ou envoyez un message vocal.",
        "Produits",
        parse=_text(3, 500),
    ),
    Step(
        "members",
        "count",
        "Combien de membres compte votre structure ? (un nombre)",
        "Membres",
        parse=_count,
    ),
    Step(
        "women_members",
        "count",
        "Combien de femmes parmi les membres ? (un nombre)",
        "Femmes",
        parse=_count,
    ),
    Step(
        "led_by",
        "choice",
        "Est-ce une structure de femmes ou de jeunes ?",
        "Femmes / jeunes",
        (
            ("women", "Structure de femmes"),
            ("youth", "Structure de jeunes"),
            ("women_youth", "Femmes et jeunes"),
            ("none", "Ni l'un ni l'autre"),
        ),
    ),
    Step(
        "contact_name",
        "text",
        "Nom et prénom de la personne à contacter ?",
        "Contact",
        parse=_text(2, 80),
    ),
    Step(
        "phone",
        "phone",
        "Votre numéro de téléphone ? Touchez « Partager mon numéro » ou écrivez-le.",
        "Téléphone",
        parse=_phone,
    ),
    Step(
        "stand_needs",
        "multi",
        "De quoi avez-vous besoin au stand ? Cochez, puis « Terminé ».",
        "Besoins au stand",
        (
            ("electricity", "Électricité"),
            ("table", "Table"),
            ("chairs", "Chaises"),
            ("water", "Eau"),
            ("shade", "Ombre"),
            ("storage", "Rangement"),
        ),
    ),
    Step(
        "trainings",
        "multi",
        "Quelles formations voulez-vous suivre ? Cochez, puis « Terminé ».",
        "Formations",
        (
            ("admin", "Administration"),
            ("finance", "Finance"),
            ("marketing", "Marketing"),
        ),
    ),
    Step(
        "programmes",
        "multi",
        "Avez-vous déjà bénéficié d'un de ces programmes ? Cochez, puis « Terminé ».",
        "Programmes",
        (
            ("tamkine", "Tamkine"),
            ("mouazara", "Mouazara"),
            ("indh", "INDH"),
            ("intelaka", "Intelaka"),
            ("microcredit", "Microcrédit"),
        ),
    ),
    Step(
        "photos",
        "photos",
        "Envoyez jusqu'à 3 photos de vos produits, ou touchez « Passer ».",
        "Photos",
        optional=True,
    ),
)
BY_KEY = {step.key: step for step in STEPS}
STATE = {step.key: f"q:{step.key}" for step in STEPS}  # one conversation state per question
PHASES = {
    "ifrane": (("ifrane-1", "Phase 1 · 3 mai"), ("ifrane-2", "Phase 2 · 7 juin")),
    "mohammedia": (("mohammedia-1", "Phase 1 · 4 oct."),),
}
