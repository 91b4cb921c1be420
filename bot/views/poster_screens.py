"""What /poster says to the organizer, in their language (the poster itself: views/poster.py)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import keyboards
from bot.callbacks import PosterFor
from bot.catalogue import Market
from bot.i18n import Translator


def choose_market_text(t: Translator, unknown: str | None) -> str:
    if unknown:
        return t.start_rtl(
            t.gettext(
                "Marché inconnu : %(code)s. Choisissez le marché de l'affiche :",
                code=t.isolate(unknown[:40]),
            )
        )
    return t.gettext("🖨 Choisissez le marché de l'affiche :")


def markets_keyboard(t: Translator, markets: tuple[Market, ...]) -> InlineKeyboardMarkup:
    return keyboards.inline(keyboards.market_rows(t, markets, PosterFor))


def all_closed_text(t: Translator, market: Market) -> str:
    return t.start_rtl(
        t.gettext(
            "%(market)s : les candidatures sont fermées pour toutes les phases, pas d'appel à"
            " afficher. Rouvrez une phase avec /open, puis recommencez.",
            market=market.short_name.get(t.locale),
        )
    )


def preview_caption(t: Translator, market: Market) -> str:
    return t.start_rtl(
        t.gettext(
            "🖨 Affiche « %(market)s », en français et en arabe. Le fichier à imprimer suit.",
            market=market.short_name.get(t.locale),
        )
    )


def document_caption(t: Translator, link: str) -> str:
    return t.start_rtl(
        t.gettext(
            "📄 À imprimer en A4, tel quel (le fichier garde toute sa netteté). Le code QR ouvre"
            " la candidature dans le bot : %(link)s",
            link=t.isolate(link),
        )
    )
