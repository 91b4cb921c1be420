"""The duplicate refusal: its owner sees the application, anyone else only whom to ask."""

from __future__ import annotations

import pytest

from bot.catalogue import Catalogue
from bot.i18n import I18n
from bot.views.duplicate import duplicate_text
from storage.applications import Application

EXISTING = Application(
    id=1,
    user_id=5,
    phase_code="ifrane-1",
    status="accepted",
    reference="IFR-1-0007",
    created_at="2026-11-20T09:00:00+00:00",
    submitted_at="2026-11-20T09:00:00+00:00",
    editing=None,
)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_only_the_owner_sees_the_reference_and_the_decision(
    catalogue: Catalogue, locale: str
) -> None:
    t = I18n().translator(locale)
    market = catalogue.market("ifrane")
    assert market is not None
    own = duplicate_text(t, market, EXISTING, own=True)
    assert (
        "IFR-1-0007" in own
        and t.pgettext("statut, pour le candidat", "Acceptée : confirmez votre présence") in own
    )
    other = duplicate_text(t, market, EXISTING, own=False)
    assert (
        "IFR-1-0007" not in other
        and t.pgettext("statut, pour le candidat", "Acceptée : confirmez votre présence")
        not in other
    )
    assert "05 35 00 00 00" in other  # the organizers' phone
