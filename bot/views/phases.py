"""How a phase is named on every screen: one text, so that a reminder, a stand card, a
console button and a help-desk ticket call the same phase the same way."""

from __future__ import annotations

from bot.catalogue import Market, Phase
from bot.i18n import Translator
from bot.views.buttons import MAX_LABEL


def phase_label(t: Translator, market: Market, phase: Phase) -> str:
    """`Ifrane · phase 1`: the market by its short name, and the phase."""
    return t.gettext(
        "%(market)s · phase %(number)s",
        market=market.short_name.get(t.locale),
        number=phase.number,
    )


def phase_button_label(t: Translator, market: Market, phase: Phase) -> str:
    """The phase's label on a button, shortened to `Ifrane · 2` when it would not fit a phone."""
    label = phase_label(t, market, phase)
    if len(label) > MAX_LABEL:
        return f"{market.short_name.get(t.locale)} · {phase.number}"
    return label
