"""What an organizer reads when the catalogue goes through the chat: the file sent, an edited
file refused (the start-up message: file, key, reason) or applied."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator


def sent_caption(t: Translator, last: tuple[datetime, str] | None) -> str:
    """The file's caption; with the last change made from the chat: when, and by whom."""
    caption = t.gettext(
        "📄 Le catalogue en service. Modifiez-le (un éditeur de texte, en UTF-8), puis"
        " renvoyez-le ici comme fichier .toml : le bot le vérifie avant de l'appliquer."
    )
    if last is None:
        return caption
    changed = t.gettext(
        "Dernier changement depuis le chat : le %(when)s, par %(name)s.",
        when=t.datetime(last[0]),
        name=t.isolate(last[1]),
    )
    return f"{caption}\n{changed}"


def refused_text(t: Translator, error: str) -> str:
    return t.start_rtl(
        t.gettext(
            "❌ Catalogue refusé, rien n'a changé. Corrigez cette erreur et renvoyez le fichier :"
            "\n%(error)s",
            error=t.isolate(error),
        )
    )


def applied_text(t: Translator, counts: str, copy: str | None) -> str:
    applied = t.gettext(
        "✅ Nouveau catalogue appliqué (%(counts)s). Rappels recalculés.", counts=counts
    )
    if copy is None:
        return applied
    kept = t.gettext("L'ancien fichier est gardé sous le nom %(name)s.", name=t.isolate(copy))
    return f"{applied}\n{kept}"


def too_big_text(t: Translator) -> str:
    return t.gettext("❌ Fichier trop gros pour un catalogue (1 Mo au plus). Rien n'a changé.")


def not_downloaded_text(t: Translator) -> str:
    return t.gettext("❌ Le fichier n'a pas pu être téléchargé. Rien n'a changé : renvoyez-le.")


def not_written_text(t: Translator, reason: str) -> str:
    return t.gettext(
        "❌ Le fichier du catalogue ne peut pas être écrit (%(reason)s). Rien n'a changé.",
        reason=t.isolate(reason),
    )


def unreadable_text(t: Translator, reason: str) -> str:
    return t.gettext(
        "❌ Le fichier du catalogue ne peut pas être lu (%(reason)s).", reason=t.isolate(reason)
    )
