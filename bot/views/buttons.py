"""Button labels that fit a phone.

Telegram draws an inline button on one line and cuts what does not fit
(https://core.telegram.org/bots/api#inlinekeyboardbutton gives no limit; phones show about 30
characters in a full-width button): every label the bot builds stays within `MAX_LABEL`
characters, ticks and emoji included. `tests/bot/test_button_labels.py` walks every keyboard.
"""

from __future__ import annotations

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


def phase_label(t: Translator, availability: Availability) -> str:
    """`Phase 2 · 7–13 juin · 67 places`, shortened step by step until it fits a button."""
    phase = availability.phase
    left = availability.places_left
    if availability.waitlist_only:
        places = t.gettext("complet")
        compact = places
    else:
        places = t.ngettext("%(count)s place", "%(count)s places", left)
        compact = t.gettext("👥 %(count)s", count=left)
    dates = day_range(t, phase.starts, phase.ends)
    numeric = _numeric_range(phase.starts, phase.ends)

    def label(dates: str, places: str) -> str:
        return t.gettext(
            "Phase %(number)s · %(dates)s · %(places)s",
            number=phase.number,
            dates=dates,
            places=places,
        )

    return fit(
        label(dates, places),
        label(dates, compact),
        label(numeric, compact),
        t.gettext("Phase %(number)s", number=phase.number),
    )
