"""Command menus as Telegram shows them: the first menu set among chat + language, chat, all
private chats + language, all private chats, default + language, default (the fake resolves
it like Telegram: `fake.command_menu`)."""

from __future__ import annotations

import pytest

from localbotapi import FakeTelegram
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.journey import choose_language, next_new_message

ADMIN = 9601
ORGANIZER = 9602
APPLICANT = 9603
CONSOLE = {"review", "find", "export", "broadcast", "reload"}


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    return start_bot(name="menus", admins=[ADMIN])


def names(fake: FakeTelegram, user_id: int, language: str | None) -> list[str]:
    return [command["command"] for command in fake.command_menu(user_id, language)]


@pytest.mark.parametrize("language", ["fr", "ar", "en", "es", None])
def test_an_admin_sees_the_console_in_any_app_language(
    fake: FakeTelegram, bot: BotProcess, language: str | None
) -> None:
    menu = names(fake, ADMIN, language)
    assert set(menu) >= CONSOLE and {"backup", "health"} <= set(menu), menu


def test_team_menus_speak_the_apps_language_or_french(fake: FakeTelegram, bot: BotProcess) -> None:
    french = fake.command_menu(ADMIN, "fr")
    arabic = fake.command_menu(ADMIN, "ar")
    english = fake.command_menu(ADMIN, "en")
    assert [c["command"] for c in french] == [c["command"] for c in arabic]
    review = {c["command"]: c["description"] for c in french}["review"]
    assert review == "Examiner les candidatures"
    assert not {c["command"]: c["description"] for c in arabic}["review"].isascii()
    assert english == french  # no menu in English: the French one set without a language


def test_a_revoked_organizer_sees_the_public_menu_again(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    organizer = fake.user(ORGANIZER, language_code="en")
    choose_language(organizer, "Français")
    admin = fake.user(ADMIN, language_code="fr")
    choose_language(admin, "Français")
    admin.send_command("/grant", f"{ORGANIZER} organizer")
    assert "organisateur" in (next_new_message(admin).text or "")
    menu = names(fake, ORGANIZER, "en")
    assert set(menu) >= CONSOLE and "backup" not in menu, menu  # operations: admins only
    admin.send_command("/revoke", str(ORGANIZER))
    assert "retiré" in (next_new_message(admin).text or "")
    for language in ("en", "fr", "ar"):
        assert not CONSOLE & set(names(fake, ORGANIZER, language)), language
        assert names(fake, ORGANIZER, language) == names(fake, APPLICANT, language)
