"""The team's roles in words: named in the reader's language, understood in any of them.

The codes (`reviewer`, `organizer`, `admin`) are stored and checked (storage/roles.py,
bot/permissions.py); people see and type names: "organisatrice", "منظم", or the code itself.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from bot.i18n import Translator
from storage.roles import ROLES

_LABELS: dict[str, Callable[[Translator], str]] = {
    "reviewer": lambda t: t.pgettext("rôle dans l'équipe", "examinateur"),
    "organizer": lambda t: t.pgettext("rôle dans l'équipe", "organisateur"),
    "admin": lambda t: t.pgettext("rôle dans l'équipe", "administrateur"),
}

# What an admin may type after /grant or /invite, lower-case and without accents: the codes,
# French (masculine and feminine), Arabic, with and without the article, and Tamazight in
# Tifinagh (masculine and feminine: bot/locales/zgh/GLOSSARY.md).
_TYPED: dict[str, str] = {
    **{code: code for code in ROLES},
    "organiser": "organizer",
    "examinateur": "reviewer",
    "examinatrice": "reviewer",
    "lecteur": "reviewer",
    "lectrice": "reviewer",
    "organisateur": "organizer",
    "organisatrice": "organizer",
    "administrateur": "admin",
    "administratrice": "admin",
    "مراجع": "reviewer",
    "مراجعة": "reviewer",
    "المراجع": "reviewer",
    "منظم": "organizer",
    "منظمة": "organizer",
    "المنظم": "organizer",
    "مشرف": "admin",
    "مشرفة": "admin",
    "المشرف": "admin",
    "مسؤول": "admin",
    "مسؤولة": "admin",
    "المسؤول": "admin",
    "مدير": "admin",
    "مديرة": "admin",
    "المدير": "admin",
    "ⴰⵎⵙⵎⵓⵇⵇⵍ": "reviewer",
    "ⵜⴰⵎⵙⵎⵓⵇⵇⵍⵜ": "reviewer",
    "ⴰⵎⵙⵓⴷⵙ": "organizer",
    "ⵜⴰⵎⵙⵓⴷⵙⵜ": "organizer",
    "ⴰⵏⵎⵀⴰⵍ": "admin",
    "ⵜⴰⵏⵎⵀⴰⵍⵜ": "admin",
}


def role_name(t: Translator, role: str) -> str:
    label = _LABELS.get(role)
    return label(t) if label else role


def _folded(text: str) -> str:
    """Lower case, no accents, no Arabic vowel marks or tatweel: "Organisatrice" and
    "organisatrice", "مُنظّم" and "منظم" are the same word."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower().replace("\u0640", ""))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def parse_role(text: str) -> str | None:
    """The role code named by `text` in any of the bot's languages, or None."""
    return _BY_FOLDED.get(_folded(text))


_BY_FOLDED = {_folded(word): role for word, role in _TYPED.items()}
