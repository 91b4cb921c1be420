"""A member of a Middle Atlas cooperative applies in Tamazight (Tifinagh), over HTTP."""

from __future__ import annotations

import re

from bot.callbacks import Submit
from bot.i18n import I18n
from localbotapi import FakeTelegram
from tests.e2e.bot_process import BotProcess
from tests.e2e.journey import choose_language, next_new_message, open_draft, press_button
from tests.e2e.test_apply import answer_until

ZGH = I18n().translator("zgh")
TIFINAGH = re.compile("[\u2d30-\u2d7f]")


def test_full_application_in_tamazight_reaches_sent(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, first_name="Itto", language_code="fr")
    menu = choose_language(user, "ⵜⴰⵎⴰⵣⵉⵖⵜ")  # the picker names the language in itself
    assert ZGH.gettext("📝 Candidater") in menu.button_texts()
    first = open_draft(user, "ifrane-3")
    assert ZGH.gettext("Quelle est la forme de votre structure ?") in (first.text or "")
    summary = answer_until(user, first, typed={"town": "ⴰⵣⵔⵓ"})
    assert ZGH.gettext("Vérifiez, puis envoyez.") in (summary.text or "")
    assert "ⴰⵣⵔⵓ" in (summary.text or "")
    assert "ⵢⵓⵍⵢⵓⵣ" in (summary.text or "")  # July, by Babel's zgh month names
    press_button(user, summary, Submit)
    sent = next_new_message(user)
    match = re.search(r"IFR-3-\d{4}", sent.text or "")
    assert match, sent.text
    assert ZGH.gettext("✅ Candidature envoyée ! Référence : %(reference)s").split(":")[0] in (
        sent.text or ""
    )
    user.send_command("/status")
    status = next_new_message(user)
    waiting = ZGH.pgettext("statut, pour le candidat", "Envoyée, en attente d'examen")
    assert match.group(0) in (status.text or "") and waiting in (status.text or "")
    assert TIFINAGH.search(status.text or "")


def test_menus_are_set_for_the_two_letter_languages_only(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    """setMyCommands refuses `zgh` (not ISO 639-1): the bot sets fr, ar and the default,
    and logs no failure."""
    assert "could not be set" not in bot.log(), bot.log()
    languages = {language for (scope, _, language) in fake.commands if scope == "default"}
    assert languages == {None, "fr", "ar"}, languages
