"""Structures as their filers read them: which structure to apply with, whether the filer is
its contact person, and the summary's offer to update the stored profile."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import ContactPerson, EraseData, EraseStructure, PickStructure, UpdateProfile
from bot.i18n import Translator
from bot.keyboards import button, inline
from bot.questionnaire import BY_KEY
from bot.views.buttons import fit
from storage.structures import Structure

ANOTHER = 0  # PickStructure's structure for "another structure"


def choice_text(t: Translator) -> str:
    return t.gettext(
        "Pour quelle structure candidatez-vous ? Ses réponses enregistrées seront reprises : "
        "vous pourrez les modifier dans le résumé."
    )


def choice_keyboard(
    t: Translator, phase_code: str, structures: Sequence[Structure]
) -> InlineKeyboardMarkup:
    rows = [
        [button(fit(t.gettext("➡️ Avec %(name)s", name=s.name)), PickStructure(phase_code, s.id))]
        for s in structures
    ]
    rows.append([button(t.gettext("➕ Une autre structure"), PickStructure(phase_code, ANOTHER))])
    return inline(rows)


def not_the_contact_line(t: Translator) -> str:
    return t.gettext(
        "Vous n'êtes pas la personne à contacter de la structure (vous remplissez pour "
        "une coopérative, une association, un proche) ? Touchez « 🤝 Je remplis pour un autre »."
    )


def not_the_contact_button(t: Translator, phase_code: str) -> InlineKeyboardButton:
    return button(t.gettext("🤝 Je remplis pour un autre"), ContactPerson(phase_code, False))


def facilitator_consent_lines(t: Translator) -> list[str]:
    """Added to the consent screen when a facilitator files: the consent is the contact
    person's (law 09-08); the facilitator confirms that they agreed."""
    return [
        t.gettext("Vous remplissez pour une structure dont vous n'êtes pas le contact."),
        t.gettext(
            "Lisez ces points à la personne à contacter. Acceptez seulement si elle est "
            "d'accord : son accord sera enregistré comme donné par votre intermédiaire."
        ),
    ]


def with_structure_line(t: Translator, structure: Structure) -> str:
    return t.gettext("Candidature pour : %(name)s", name=t.isolate(structure.name))


def profile_differs_text(t: Translator, structure: Structure, keys: Sequence[str]) -> str:
    labels = t.join(t.gettext(BY_KEY[key].label) for key in keys)
    return t.gettext(
        "Ces réponses diffèrent de la fiche enregistrée de %(name)s : %(answers)s. "
        "Mettre aussi la fiche à jour pour les prochaines candidatures ?",
        name=t.isolate(structure.name),
        answers=labels,
    )


def profile_keyboard(t: Translator, application_id: int) -> InlineKeyboardMarkup:
    return inline([[button(t.gettext("💾 Mettre la fiche à jour"), UpdateProfile(application_id))]])


def profile_updated_text(t: Translator, structure: Structure) -> str:
    return t.gettext("La fiche de %(name)s est à jour.", name=t.isolate(structure.name))


def structure_line(t: Translator, name: str) -> str:
    return t.gettext("🏢 %(name)s", name=t.isolate(name))


def filer_overview(t: Translator, names: Mapping[int, str]) -> str:
    """A facilitator's /status: the structures filed for, their applications below."""
    lines = [
        t.ngettext(
            "Vous déposez pour %(count)s structure :",
            "Vous déposez pour %(count)s structures :",
            len(names),
        ),
        *(structure_line(t, name) for name in names.values()),
    ]
    return "\n".join(lines)


def about_structure(t: Translator, name: str, text: str) -> str:
    """A decision's or a reminder's text, under the name of the structure it is about."""
    return t.start_rtl(f"{structure_line(t, name)}\n{text}")


def erase_rows(t: Translator, structures: Sequence[Structure]) -> list[list[InlineKeyboardButton]]:
    """/delete_my_data: a button per structure filed for, to erase only its data."""
    return [
        [button(fit(t.gettext("🗑️ Seulement %(name)s", name=s.name)), EraseStructure(s.id))]
        for s in structures
    ]


def erase_structure_text(t: Translator, structure: Structure) -> str:
    lines = [
        t.gettext("🗑️ Effacer les données de %(name)s ?", name=t.isolate(structure.name)),
        t.gettext(
            "Ses candidatures en cours seront retirées ; ses réponses, sa fiche et ses "
            "messages prévus seront effacés. C'est définitif. Vos autres structures restent."
        ),
    ]
    return t.start_rtl("\n".join(lines))


def erase_structure_keyboard(t: Translator, structure_id: int, stamp: int) -> InlineKeyboardMarkup:
    return inline(
        [
            [button(t.gettext("🗑️ Oui, effacer"), EraseStructure(structure_id, stamp))],
            [button(t.gettext("↩️ Non, garder"), EraseData(False))],
        ]
    )


def structure_erased_text(t: Translator, name: str, withdrawn: int) -> str:
    lines = [t.gettext("✅ Les données de %(name)s sont effacées.", name=t.isolate(name))]
    if withdrawn:
        lines.append(
            t.ngettext(
                "%(count)s candidature en cours a été retirée.",
                "%(count)s candidatures en cours ont été retirées.",
                withdrawn,
            )
        )
    return t.start_rtl("\n".join(lines))


def my_structures_lines(
    t: Translator, structures: Sequence[tuple[Structure, Sequence[str]]]
) -> list[str]:
    """/mydata: the structures this account files for, each with its applications."""
    if not structures:
        return []
    lines = ["", t.gettext("🏢 Les structures pour lesquelles vous déposez :")]
    for structure, references in structures:
        who = (
            t.gettext("vous êtes la personne à contacter")
            if structure.contact_is_filer
            else t.gettext("par votre intermédiaire, pour sa personne à contacter")
        )
        refs = t.join(t.isolate(reference) for reference in references) or t.gettext("—")
        lines.append(
            t.gettext(
                "• %(name)s (%(who)s) : %(references)s",
                name=t.isolate(structure.name),
                who=who,
                references=refs,
            )
        )
    return lines
