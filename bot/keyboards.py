"""Keyboards, and the short callback-data codes their buttons carry.

Telegram limits callback_data to 64 BYTES (https://core.telegram.org/bots/api#inlinekeyboardbutton):
buttons carry short ASCII codes such as `lang:ar`, never labels, and every code is checked
against the database when pressed.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import I18n, Translator

SEPARATOR = ":"
MAX_CALLBACK_BYTES = 64


def encode(action: str, *args: object) -> str:
    data = SEPARATOR.join([action, *(str(arg) for arg in args)])
    if len(data.encode()) > MAX_CALLBACK_BYTES or not data.isascii():
        raise ValueError(f"callback data too long or not ASCII: {data!r}")
    return data


def decode(data: str | None) -> tuple[str, list[str]]:
    parts = (data or "").split(SEPARATOR)
    return parts[0], parts[1:]


# SQLite integers are 64-bit: every number of 18 digits fits, and no id of ours is longer.
MAX_ID_DIGITS = 18


def parse_id(field: str) -> int | None:
    """A number from callback data or a command argument, or None if it is not one.

    Only ASCII digits: `str.isdigit()` also accepts "²" (which `int()` refuses) and "٣" (which
    it reads), and a forged id too long for SQLite would raise OverflowError in the query.
    """
    if not field.isascii() or not field.isdigit() or len(field) > MAX_ID_DIGITS:
        return None
    return int(field)


def pattern(action: str) -> str:
    """The CallbackQueryHandler pattern for one action."""
    return rf"^{action}(:|$)"


def button(text: str, action: str, *args: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=encode(action, *args))


def inline(rows: Sequence[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(row) for row in rows])


def language_picker(i18n: I18n) -> InlineKeyboardMarkup:
    return inline([[button(i18n.native_name(code), "lang", code)] for code in i18n.locales])


def main_menu(t: Translator) -> InlineKeyboardMarkup:
    return inline(
        [
            [button(t.gettext("📝 Candidater"), "menu", "apply")],
            [button(t.gettext("📅 Marchés et programme"), "menu", "info")],
            [button(t.gettext("📂 Ma candidature"), "menu", "status")],
            [
                button(t.gettext("🌐 Langue"), "menu", "lang"),
                button(t.gettext("❓ Aide"), "menu", "help"),
            ],
        ]
    )


def back_to_menu(t: Translator) -> list[InlineKeyboardButton]:
    return [button(t.gettext("🏠 Menu"), "menu", "home")]
