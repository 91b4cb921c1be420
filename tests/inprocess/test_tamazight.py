"""Tamazight speakers in the chat: what one person sees, in-process."""

from __future__ import annotations

import pytest

from bot.i18n import I18n
from tests.inprocess.harness import Harness

ZGH = I18n().translator("zgh")


@pytest.mark.parametrize("typed", ["ⴰⵣⵓⵍ", "Azul fellawen !"])
def test_azul_gets_a_tamazight_greeting_and_menu(harness: Harness, typed: str) -> None:
    """Someone who has not chosen a language yet greets in Tamazight: the answer is in
    Tamazight, with the menu in Tifinagh."""
    user = harness.new_user(None, language_code="fr")
    with harness.watching(user) as reaction:
        user.send_text(typed)
        harness.pump()
    texts = [event.text or "" for event in reaction.events]
    assert any(ZGH.gettext("👋 Bonjour, bienvenue !") in text for text in texts), texts
    labels = [label for event in reaction.events for label in event.button_texts()]
    assert ZGH.gettext("📝 Candidater") in labels, labels


def test_a_central_atlas_app_language_reads_the_bot_in_tamazight(harness: Harness) -> None:
    """A Telegram client sending `tzm` (Central Atlas Tamazight) is answered in Tamazight
    before any choice."""
    user = harness.new_user(None, language_code="tzm")
    with harness.watching(user) as reaction:
        user.send_text("xyzzy")
        harness.pump()
    texts = [event.text or "" for event in reaction.events]
    assert texts and ZGH.gettext("Je n'ai pas compris. Choisissez dans le menu :") in texts[0]
