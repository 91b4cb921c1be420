"""Keyboards. What their buttons carry is typed in bot/callbacks/ (short ASCII codes such as
`lang:ar`, never labels), and every code is checked against the database when pressed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import CallbackData, ChooseLanguage, MenuItem, OpenMenu
from bot.catalogue import Market
from bot.i18n import I18n, Translator


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    """A button whose press comes back as `data` (bot/callbacks/: packed, checked)."""
    return InlineKeyboardButton(text, callback_data=data.pack())


def inline(rows: Sequence[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(row) for row in rows])


def market_rows(
    t: Translator, markets: Sequence[Market], action: Callable[[str], CallbackData]
) -> list[list[InlineKeyboardButton]]:
    """One button per market, by its short name, pressing `action(market code)`."""
    return [[button(market.short_name.get(t.locale), action(market.code))] for market in markets]


def language_picker(i18n: I18n) -> InlineKeyboardMarkup:
    return inline([[button(i18n.native_name(code), ChooseLanguage(code))] for code in i18n.locales])


def main_menu(t: Translator) -> InlineKeyboardMarkup:
    return inline(
        [
            [button(t.gettext("📝 Candidater"), OpenMenu(MenuItem.APPLY))],
            [button(t.gettext("📅 Marchés et programme"), OpenMenu(MenuItem.INFO))],
            [button(t.gettext("📂 Ma candidature"), OpenMenu(MenuItem.STATUS))],
            [button(t.gettext("💬 Poser une question"), OpenMenu(MenuItem.ASK))],
            [
                button(t.gettext("🌐 Langue"), OpenMenu(MenuItem.LANGUAGE)),
                button(t.gettext("❓ Aide"), OpenMenu(MenuItem.HELP)),
            ],
        ]
    )


def back_to_menu(t: Translator) -> list[InlineKeyboardButton]:
    return [button(t.gettext("🏠 Menu"), OpenMenu(MenuItem.HOME))]
