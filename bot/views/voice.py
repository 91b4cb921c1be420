"""Voice prompts: the organizer's /voice screens, the member's 🔊 button and /settings."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot.callbacks import (
    HearQuestions,
    MenuItem,
    OpenMenu,
    PlayPrompt,
    VoiceLanguage,
    VoicePick,
    VoiceRemove,
)
from bot.i18n import Translator
from bot.keyboards import button, inline
from bot.services.voice import prompt_labels


def with_play_button(
    t: Translator,
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None,
    prompt: str,
) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
    """The screen's keyboard with "🔊 Écouter" on top. A reply keyboard (the phone question's
    share-contact button) cannot carry an inline button: there the recording comes only with
    /settings' "read every question"."""
    if isinstance(markup, ReplyKeyboardMarkup | ReplyKeyboardRemove):
        return markup
    play = [button(t.gettext("🔊 Écouter"), PlayPrompt(prompt))]
    rows = markup.inline_keyboard if markup is not None else ()
    return InlineKeyboardMarkup([play, *(list(row) for row in rows)])


def languages_text(t: Translator) -> str:
    return t.start_rtl(
        t.gettext(
            "🎙️ Questions à écouter\n\nLes membres qui lisent peu entendent la question en"
            " appuyant sur 🔊. Choisissez la langue de vos enregistrements :"
        )
    )


def languages_keyboard(names: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    """`names`: each language's code and its name in itself."""
    return inline([[button(name, VoiceLanguage(code))] for code, name in names])


def prompts_text(t: Translator, language: str, recorded: int) -> str:
    total = len(prompt_labels())
    return t.start_rtl(
        t.gettext(
            "🎙️ Enregistrements en %(language)s : %(recorded)s sur %(total)s.\n"
            "✅ enregistré · ▫️ pas encore. Choisissez ce que vous voulez enregistrer :",
            language=language,
            recorded=t.isolate(t.number(recorded)),
            total=t.isolate(t.number(total)),
        )
    )


def prompts_keyboard(t: Translator, locale: str, recorded: Collection[str]) -> InlineKeyboardMarkup:
    rows = [
        [
            button(
                ("✅ " if prompt in recorded else "▫️ ") + t.gettext(label),
                VoicePick(locale, prompt),
            )
        ]
        for prompt, label in prompt_labels().items()
    ]
    return inline(rows)


def record_text(t: Translator, prompt: str, language: str, exists: bool) -> str:
    text = t.gettext(
        "🎙️ Envoyez maintenant un message vocal (gardez le doigt sur le micro) : « %(prompt)s »,"
        " en %(language)s. Lisez la question comme elle s'affiche.",
        prompt=t.gettext(prompt_labels()[prompt]),
        language=language,
    )
    if exists:
        text += "\n" + t.gettext("Il existe déjà un enregistrement : le vôtre le remplacera.")
    return t.start_rtl(text)


def record_keyboard(t: Translator, locale: str, prompt: str, exists: bool) -> InlineKeyboardMarkup:
    rows = []
    if exists:
        rows.append([button(t.gettext("▶️ Écouter l'actuel"), PlayPrompt(prompt, locale))])
        rows.append([button(t.gettext("🗑️ Supprimer"), VoiceRemove(locale, prompt))])
    rows.append([button(t.gettext("↩️ Retour à la liste"), VoiceLanguage(locale))])
    return inline(rows)


def saved_text(t: Translator, prompt: str, language: str, replaced: bool) -> str:
    label = t.gettext(prompt_labels()[prompt])
    if replaced:
        text = t.gettext(
            "✅ Enregistrement remplacé : « %(prompt)s », en %(language)s.",
            prompt=label,
            language=language,
        )
    else:
        text = t.gettext(
            "✅ Enregistré : « %(prompt)s », en %(language)s. Les membres verront 🔊 sous"
            " cette question.",
            prompt=label,
            language=language,
        )
    return t.start_rtl(text)


def back_keyboard(t: Translator, locale: str) -> InlineKeyboardMarkup:
    return inline([[button(t.gettext("↩️ Retour à la liste"), VoiceLanguage(locale))]])


def removed_text(t: Translator, prompt: str, language: str) -> str:
    return t.start_rtl(
        t.gettext(
            "🗑️ Enregistrement supprimé : « %(prompt)s », en %(language)s.",
            prompt=t.gettext(prompt_labels()[prompt]),
            language=language,
        )
    )


def too_long_text(t: Translator, seconds: int) -> str:
    return t.start_rtl(
        t.gettext(
            "Ce message dure plus de %(seconds)s secondes : gardez-le pour une seule question,"
            " et envoyez-le à nouveau.",
            seconds=t.isolate(t.number(seconds)),
        )
    )


def not_recorded_text(t: Translator) -> str:
    return t.start_rtl(t.gettext("Pas encore d'enregistrement pour cela."))


def settings_text(t: Translator, hears: bool) -> str:
    state = (
        t.gettext("🔊 Chaque question est lue à voix haute quand elle arrive.")
        if hears
        else t.gettext("🔇 Les questions ne sont pas lues à voix haute. Le bouton 🔊 les lit.")
    )
    return t.start_rtl(t.gettext("⚙️ Réglages") + "\n\n" + state)


def settings_keyboard(t: Translator, hears: bool) -> InlineKeyboardMarkup:
    toggle = (
        button(t.gettext("🔇 Ne plus lire les questions"), HearQuestions(False))
        if hears
        else button(t.gettext("🔊 Lire chaque question"), HearQuestions(True))
    )
    language = button(t.gettext("🌐 Langue"), OpenMenu(MenuItem.LANGUAGE))
    home = button(t.gettext("🏠 Menu"), OpenMenu(MenuItem.HOME))
    return inline([[toggle], [language, home]])
