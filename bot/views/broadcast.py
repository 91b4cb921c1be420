"""How the broadcast console reads: audience, prompts, preview buttons, progress, history."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import keyboards
from bot.callbacks import ANY_VALUE, BroadcastStep
from bot.callbacks import BroadcastAction as Step
from bot.catalogue import Catalogue
from bot.i18n import N_, I18n, Translator
from bot.services.broadcasts import EVERYONE, filters_for
from bot.views.buttons import fit
from storage.broadcasts import Audience, Broadcast, Progress

FILTER_NAMES = {
    "market": N_("🏪 Marché"),
    "phase": N_("📅 Phase"),
    "status": N_("👥 Destinataires"),
    "sector": N_("🧺 Secteur"),
    "province": N_("📍 Province"),
    "language": N_("🌐 Langue"),
}
STATUS_NAMES = {
    "all": N_("Tous les candidats"),
    "accepted": N_("Acceptés et confirmés"),
    "waitlist": N_("Liste d'attente"),
    "drafts": N_("Candidature non envoyée"),
    "everyone": N_("Tous les utilisateurs du bot"),
}
# What each audience means, under the choices: who is in it and who is not.
AUDIENCE_NOTES = {
    "drafts": N_("Les personnes qui ont commencé une candidature sans l'envoyer."),
    "everyone": N_(
        "Toutes les personnes qui ont ouvert le bot, candidates ou non (sauf l'équipe et"
        " celles qui ont bloqué le bot ou fait effacer leurs données)."
    ),
}


def option_label(t: Translator, catalogue: Catalogue, i18n: I18n, name: str, code: str) -> str:
    if name == "market":
        market = catalogue.market(code)
        return market.short_name.get(t.locale) if market else code
    if name == "phase":
        phase = catalogue.phase(code)
        market = catalogue.market(phase.market_code) if phase else None
        if phase is None or market is None:
            return code
        return t.gettext(
            "%(market)s — phase %(number)s",
            market=market.short_name.get(t.locale),
            number=phase.number,
        )
    if name == "status":
        return t.gettext(STATUS_NAMES.get(code, code))
    if name == "sector":
        sector = catalogue.sector(code)
        return sector.name.get(t.locale) if sector else code
    if name == "province":
        province = catalogue.province(code)
        return province.name.get(t.locale) if province else code
    return i18n.native_name(code)


def _chosen(t: Translator, catalogue: Catalogue, i18n: I18n, name: str, code: str | None) -> str:
    if name == "status":
        return t.gettext(STATUS_NAMES.get(code or "all", STATUS_NAMES["all"]))
    if code is None:
        return t.pgettext("filtre", "Tous")
    return option_label(t, catalogue, i18n, name, code)


# Two a row: who first (status, language), then which applications.
FILTER_ORDER = ("status", "language", "market", "phase", "sector", "province")


def audience_text(
    t: Translator, catalogue: Catalogue, i18n: I18n, audience: Audience, reach: int
) -> str:
    lines = [t.gettext("📣 Nouvelle annonce. Qui doit la recevoir ?"), ""]
    shown = filters_for(audience)
    for name in (name for name in FILTER_ORDER if name in shown):
        value = _chosen(t, catalogue, i18n, name, getattr(audience, name))
        lines.append(f"{t.gettext(FILTER_NAMES[name])} : {t.isolate(value)}")
    note = AUDIENCE_NOTES.get(audience.status)
    if note:
        lines += ["", t.gettext(note)]
    lines += [
        "",
        t.ngettext(
            "👥 %(count)s personne recevra l'annonce.",
            "👥 %(count)s personnes recevront l'annonce.",
            reach,
        ),
    ]
    return t.start_rtl("\n".join(lines))


def audience_keyboard(t: Translator, draft_id: int, audience: Audience) -> InlineKeyboardMarkup:
    def choose(name: str) -> InlineKeyboardButton:
        return keyboards.button(
            t.gettext(FILTER_NAMES[name]), BroadcastStep(Step.FILTER, draft_id, name)
        )

    shown = filters_for(audience)
    ordered = [choose(name) for name in FILTER_ORDER if name in shown]
    return keyboards.inline(
        [
            *(ordered[i : i + 2] for i in range(0, len(ordered), 2)),
            [
                keyboards.button(
                    t.gettext("✍️ Écrire le message"), BroadcastStep(Step.WRITE, draft_id)
                )
            ],
            [discard_button(t, draft_id)],
        ]
    )


def discard_button(t: Translator, draft_id: int) -> InlineKeyboardButton:
    return keyboards.button(
        t.gettext("✖️ Abandonner l'annonce"), BroadcastStep(Step.DISCARD, draft_id)
    )


def options_keyboard(
    t: Translator,
    catalogue: Catalogue,
    i18n: I18n,
    draft_id: int,
    name: str,
    codes: list[str],
) -> InlineKeyboardMarkup:
    rows = [
        [
            keyboards.button(
                fit(option_label(t, catalogue, i18n, name, code)),
                BroadcastStep(Step.VALUE, draft_id, name, code),
            )
        ]
        for code in codes
    ]
    if name != "status":
        rows.insert(
            0,
            [
                keyboards.button(
                    t.pgettext("filtre", "Tous"),
                    BroadcastStep(Step.VALUE, draft_id, name, ANY_VALUE),
                )
            ],
        )
    rows.append([keyboards.button(t.gettext("⬅️ Retour"), BroadcastStep(Step.AUDIENCE, draft_id))])
    return keyboards.inline(rows)


def text_prompt(t: Translator, i18n: I18n, locale: str, first: bool, optional: bool = False) -> str:
    prompt = t.gettext(
        "✍️ Écrivez l'annonce en %(language)s, en un seul message.",
        language=t.language_name(locale),
    )
    if not first:
        prompt += "\n" + t.gettext(
            "Ou appuyez sur « Le même texte pour tous » pour envoyer le premier texte à tout le monde."
        )
    if optional:
        prompt += "\n" + t.gettext(
            "Ou appuyez sur « Passer cette langue » : ces lecteurs recevront le texte en "
            "%(first)s.",
            first=t.language_name(i18n.locales[0]),
        )
    return t.start_rtl(prompt)


def text_keyboard(
    t: Translator, draft_id: int, first: bool, optional: bool = False
) -> InlineKeyboardMarkup:
    rows = (
        []
        if first
        else [
            [
                keyboards.button(
                    t.gettext("🔁 Le même texte pour tous"), BroadcastStep(Step.SAME_TEXT, draft_id)
                )
            ]
        ]
    )
    if optional:
        skip = BroadcastStep(Step.SKIP_LANGUAGE, draft_id)
        rows.append([keyboards.button(t.gettext("⏭️ Passer cette langue"), skip)])
    return keyboards.inline([*rows, [discard_button(t, draft_id)]])


def photo_prompt(t: Translator) -> str:
    return t.gettext(
        "🖼 Une photo avec l'annonce ? Envoyez-la maintenant, ou appuyez sur « Sans photo »."
    )


def photo_keyboard(t: Translator, draft_id: int) -> InlineKeyboardMarkup:
    return keyboards.inline(
        [
            [keyboards.button(t.gettext("➡️ Sans photo"), BroadcastStep(Step.NO_PHOTO, draft_id))],
            [discard_button(t, draft_id)],
        ]
    )


def preview_keyboard(
    t: Translator, i18n: I18n, draft: Broadcast, shown: str, reach: int
) -> InlineKeyboardMarkup:
    """Under the preview (the exact message recipients get): other languages, send, redo."""
    others = [
        keyboards.button(
            ("👁 " if code == shown else "") + i18n.native_name(code),
            BroadcastStep(Step.PREVIEW, draft.id, code),
        )
        for code in i18n.locales
        if EVERYONE not in draft.texts
    ]
    send = t.ngettext("✅ Envoyer à %(count)s personne", "✅ Envoyer à %(count)s personnes", reach)
    rows = [others] if others else []
    rows += [
        [keyboards.button(send, BroadcastStep(Step.SEND, draft.id))],
        [keyboards.button(t.gettext("✏️ Recommencer"), BroadcastStep(Step.RESTART, draft.id))],
        [discard_button(t, draft.id)],
    ]
    return keyboards.inline(rows)


HEADERS = {
    "sending": N_("📣 Annonce n°%(id)s : envoi en cours"),
    "done": N_("✅ Annonce n°%(id)s : envoi terminé"),
    "cancelled": N_("⏹ Annonce n°%(id)s : envoi arrêté"),
}


def progress_text(t: Translator, broadcast: Broadcast, progress: Progress, quiet: bool) -> str:
    status = broadcast.status if broadcast.status in HEADERS else "sending"
    lines = [
        t.gettext(HEADERS[status], id=broadcast.id),
        t.gettext("✅ Envoyés : %(count)s", count=progress.sent),
        t.gettext("🚫 Ont bloqué le bot : %(count)s", count=progress.blocked),
        t.gettext("⚠️ Échecs : %(count)s", count=progress.failed),
    ]
    if progress.cancelled:
        lines.append(t.gettext("⏹ Non envoyés (arrêt) : %(count)s", count=progress.cancelled))
    if status == "sending":
        lines.append(t.gettext("⏳ Restants : %(count)s", count=progress.remaining))
        if quiet and progress.remaining:
            lines.append(t.gettext("🌙 Heures calmes : l'envoi reprendra le matin."))
    return t.start_rtl("\n".join(lines))


def history_text(t: Translator, items: list[tuple[Broadcast, Progress]], first_locale: str) -> str:
    if not items:
        return t.gettext("Aucune annonce envoyée pour l'instant. Utilisez /broadcast.")
    lines = [t.gettext("📣 Dernières annonces :")]
    for broadcast, progress in items:
        text = broadcast.texts.get(first_locale) or broadcast.texts.get(EVERYONE) or ""
        # On one line: the list stays readable, and the isolate around it closes on its line.
        flat = " ".join(text.split())
        excerpt = flat if len(flat) <= 40 else flat[:39] + "…"
        lines += [
            "",
            t.gettext(HEADERS.get(broadcast.status, HEADERS["sending"]), id=broadcast.id),
            t.isolate(excerpt),
            t.gettext(
                "✅ %(sent)s · 🚫 %(blocked)s · ⚠️ %(failed)s · ⏳ %(remaining)s — sur %(total)s",
                sent=progress.sent,
                blocked=progress.blocked,
                failed=progress.failed,
                remaining=progress.remaining,
                total=progress.total,
            ),
        ]
    return t.start_rtl("\n".join(lines))


def history_keyboard(
    t: Translator, items: list[tuple[Broadcast, Progress]]
) -> InlineKeyboardMarkup | None:
    rows = [
        [
            keyboards.button(
                t.gettext("⏹ Arrêter l'annonce n°%(id)s", id=broadcast.id),
                BroadcastStep(Step.STOP, broadcast.id),
            )
        ]
        for broadcast, _ in items
        if broadcast.status == "sending"
    ]
    return keyboards.inline(rows) if rows else None
