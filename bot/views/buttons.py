"""Button labels that fit a phone.

Telegram draws an inline button on one line and cuts what does not fit
(https://core.telegram.org/bots/api#inlinekeyboardbutton gives no limit; phones show about 30
characters in a full-width button): every label the bot builds stays within `MAX_LABEL`
characters, ticks and emoji included. `tests/bot/test_button_labels.py` walks every keyboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from babel.dates import format_date

from bot.i18n import Translator
from bot.services.applications import Availability

MAX_LABEL = 30
ELLIPSIS = "…"


def fit(*candidates: str) -> str:
    """The first candidate that fits on a button; the last one cut with "…" if none does."""
    for candidate in candidates:
        if len(candidate) <= MAX_LABEL:
            return candidate
    return candidates[-1][: MAX_LABEL - 1].rstrip() + ELLIPSIS


def day_range(t: Translator, starts: datetime, ends: datetime) -> str:
    """`7–13 juin` / `7–13 يونيو`, or `28 mai–3 juin` across two months; no year."""
    locale = t.babel_locale
    if (starts.year, starts.month) == (ends.year, ends.month):
        first = format_date(starts, "d", locale=locale)
        return f"{first}–{format_date(ends, 'd MMMM', locale=locale)}"
    first = format_date(starts, "d MMMM", locale=locale)
    return f"{first}–{format_date(ends, 'd MMMM', locale=locale)}"


def _numeric_range(starts: datetime, ends: datetime) -> str:
    """`7–13/6`, or `28/5–3/6`: the shortest dates, when month names do not fit."""
    if (starts.year, starts.month) == (ends.year, ends.month):
        return f"{starts.day}–{ends.day}/{ends.month}"
    return f"{starts.day}/{starts.month}–{ends.day}/{ends.month}"


def phase_labels(t: Translator, availabilities: Sequence[Availability]) -> list[str]:
    """`Phase 2 · 7–13 juin · 67 places` for each phase, in the longest form in which every
    label of the keyboard fits a button, so that the phases of one market read alike."""
    forms: list[list[str]] = [[], [], [], []]
    for availability in availabilities:
        phase = availability.phase
        left = availability.places_left
        full = availability.waitlist_only
        places = (
            t.gettext("complet")
            if full
            else t.ngettext("%(count)s place", "%(count)s places", left)
        )
        compact = t.gettext("complet") if full else t.gettext("👥 %(count)s", count=left)

        def label(dates: str, places: str, number: int = phase.number) -> str:
            return t.gettext(
                "Phase %(number)s · %(dates)s · %(places)s",
                number=number,
                dates=dates,
                places=places,
            )

        dates = day_range(t, phase.starts, phase.ends)
        forms[0].append(label(dates, places))
        forms[1].append(label(dates, compact))
        forms[2].append(label(_numeric_range(phase.starts, phase.ends), compact))
        forms[3].append(t.gettext("Phase %(number)s", number=phase.number))
    for labels in forms:
        if all(len(label) <= MAX_LABEL for label in labels):
            return labels
    return [fit(label) for label in forms[-1]]
