"""Command menus as setMyCommands receives them: each command once, a description for each,
in every language and for every role."""

from __future__ import annotations

import pytest

from bot.i18n import I18n
from bot.menus import command_menu, team_menu
from storage.roles import ROLES

I18N = I18n()


@pytest.mark.parametrize("locale", I18N.locales)
@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_menu_lists_each_command_once(locale: str, role: str | None) -> None:
    menu = command_menu(I18N, locale) if role is None else team_menu(I18N, locale, role)
    names = [command.command for command in menu]
    assert len(names) == len(set(names)), names
    # Telegram: a description of 1-256 characters (https://core.telegram.org/bots/api#botcommand)
    assert all(1 <= len(command.description) <= 256 for command in menu)
