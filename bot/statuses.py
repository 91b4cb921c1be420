"""What each application status is called, for the applicant and for the organizers.

The vocabulary itself (`Status`, its groupings and transitions) lives in `storage/statuses.py`;
this module only gives it words. The same status reads differently depending on who reads it:
"Une place vous est proposée" to the applicant, "Place proposée, confirmation attendue" on the
review card and in the export. Each voice has its own `pgettext` context, so translators see
which is which.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.i18n import Translator
from storage.statuses import Status

Label = Callable[[Translator], str]

_FOR_APPLICANT: dict[Status, Label] = {
    Status.DRAFT: lambda t: t.pgettext("statut, pour le candidat", "Pas encore envoyée"),
    Status.SUBMITTED: lambda t: t.pgettext(
        "statut, pour le candidat", "Envoyée, en attente d'examen"
    ),
    Status.ACCEPTED: lambda t: t.pgettext(
        "statut, pour le candidat", "Acceptée : confirmez votre présence"
    ),
    Status.WAITLISTED: lambda t: t.pgettext("statut, pour le candidat", "Sur liste d'attente"),
    Status.OFFERED: lambda t: t.pgettext("statut, pour le candidat", "Une place vous est proposée"),
    Status.CONFIRMED: lambda t: t.pgettext("statut, pour le candidat", "Confirmée"),
    Status.DECLINED: lambda t: t.pgettext("statut, pour le candidat", "Refusée par vous"),
    Status.EXPIRED: lambda t: t.pgettext("statut, pour le candidat", "Expirée"),
    Status.REJECTED: lambda t: t.pgettext("statut, pour le candidat", "Non retenue"),
    Status.WITHDRAWN: lambda t: t.pgettext("statut, pour le candidat", "Retirée"),
}

_FOR_ORGANIZERS: dict[Status, Label] = {
    Status.DRAFT: lambda t: t.pgettext("statut, pour les organisateurs", "Brouillon, pas envoyée"),
    Status.SUBMITTED: lambda t: t.pgettext("statut, pour les organisateurs", "À examiner"),
    Status.WAITLISTED: lambda t: t.pgettext("statut, pour les organisateurs", "Liste d'attente"),
    Status.ACCEPTED: lambda t: t.pgettext(
        "statut, pour les organisateurs", "Acceptée, confirmation attendue"
    ),
    Status.OFFERED: lambda t: t.pgettext(
        "statut, pour les organisateurs", "Place proposée, confirmation attendue"
    ),
    Status.CONFIRMED: lambda t: t.pgettext("statut, pour les organisateurs", "Confirmée"),
    Status.DECLINED: lambda t: t.pgettext(
        "statut, pour les organisateurs", "Désistement du candidat"
    ),
    Status.EXPIRED: lambda t: t.pgettext("statut, pour les organisateurs", "Non confirmée à temps"),
    Status.REJECTED: lambda t: t.pgettext("statut, pour les organisateurs", "Refusée"),
    Status.WITHDRAWN: lambda t: t.pgettext(
        "statut, pour les organisateurs", "Retirée par le candidat"
    ),
}

# Counts in /stats and its chart, in the order they are listed.
_TALLIES: dict[Status, Label] = {
    Status.SUBMITTED: lambda t: t.pgettext("statut, décompte", "À examiner"),
    Status.WAITLISTED: lambda t: t.pgettext("statut, décompte", "Sur liste d'attente"),
    Status.ACCEPTED: lambda t: t.pgettext("statut, décompte", "Acceptées"),
    Status.OFFERED: lambda t: t.pgettext("statut, décompte", "Place proposée"),
    Status.CONFIRMED: lambda t: t.pgettext("statut, décompte", "Confirmées"),
    Status.DECLINED: lambda t: t.pgettext("statut, décompte", "Refusées par le candidat"),
    Status.EXPIRED: lambda t: t.pgettext("statut, décompte", "Expirées"),
    Status.REJECTED: lambda t: t.pgettext("statut, décompte", "Non retenues"),
    Status.WITHDRAWN: lambda t: t.pgettext("statut, décompte", "Retirées"),
}
TALLY_ORDER: tuple[Status, ...] = tuple(_TALLIES)


def for_applicant(t: Translator, status: str) -> str:
    label = _FOR_APPLICANT.get(Status(status)) if status in _KNOWN else None
    return label(t) if label else status


def for_organizers(t: Translator, status: str) -> str:
    label = _FOR_ORGANIZERS.get(Status(status)) if status in _KNOWN else None
    return label(t) if label else status


def tally(t: Translator, status: Status) -> str:
    return _TALLIES[status](t)


_KNOWN = frozenset(Status)
