"""Example-based handler tests on the in-process application: each says what one person sees."""

from __future__ import annotations

from bot.i18n import I18n
from tests.inprocess.harness import Harness

I18N = I18n()


def test_a_greeting_in_darija_gets_a_greeting_and_the_menu(harness: Harness) -> None:
    user = harness.new_user("ar")
    with harness.watching(user) as reaction:
        user.send_text("salam")
        harness.pump()
    texts = [event.text or "" for event in reaction.events]
    assert any("وعليكم السلام" in text for text in texts), texts
    menu = I18N.translator("ar").gettext("📝 Candidater")
    assert any(menu in label for e in reaction.events for label in e.button_texts()), texts


def test_typed_text_at_the_menu_is_never_left_unanswered(harness: Harness) -> None:
    user = harness.new_user("fr")
    with harness.watching(user) as reaction:
        user.send_text("xyzzy")
        harness.pump()
    assert reaction.events and "pas compris" in (reaction.events[0].text or "")
