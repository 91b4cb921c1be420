"""Figures for organizers: applications per phase by status, sector and province, as a short
text and as a bar chart.
"""

from __future__ import annotations

import gettext
import io
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

from babel.lists import format_list
from babel.numbers import format_percent

from bot.catalogue import Catalogue, Market, Phase
from bot.i18n import DEFAULT_LOCALE, N_, Translator
from bot.questionnaire import OTHER
from bot.statuses import TALLY_ORDER, tally
from storage.applications import ApplicationRepository
from storage.reports import ReportRepository
from storage.statuses import HOLDS_A_PLACE, Status

WOMEN_LED = ("women", "women_youth")
TOP = 3  # sectors and provinces shown in the text


@dataclass(frozen=True)
class PhaseStats:
    phase_code: str
    capacity: int
    places_left: int
    by_status: dict[str, int]
    by_sector: dict[str, int]
    by_province: dict[str, int]
    women_structures_share: float  # 0..1, over sent applications that were not withdrawn

    @property
    def total(self) -> int:
        """Sent applications, withdrawn ones included."""
        return sum(self.by_status.values())

    @property
    def places_given(self) -> int:
        return sum(self.by_status.get(status, 0) for status in HOLDS_A_PLACE)


async def phase_stats(
    reports: ReportRepository, applications: ApplicationRepository, phase: Phase
) -> PhaseStats:
    by_status = await reports.status_counts(phase.code)
    led_by = await reports.answer_counts(phase.code, "led_by")
    capacity = await reports.phase_capacity(phase.code) or phase.capacity
    taken = await applications.places_taken(phase.code)
    counted = sum(n for status, n in by_status.items() if status != Status.WITHDRAWN)
    women = sum(led_by.get(code, 0) for code in WOMEN_LED)
    return PhaseStats(
        phase_code=phase.code,
        capacity=capacity,
        places_left=max(capacity - taken, 0),
        by_status=by_status,
        by_sector=await reports.answer_counts(phase.code, "sector"),
        by_province=await reports.answer_counts(phase.code, "province"),
        women_structures_share=women / counted if counted else 0.0,
    )


def _top(counts: Mapping[str, int], name: dict[str, str], t: Translator) -> str:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    parts = [
        t.gettext("%(name)s (%(count)s)", name=name.get(code, code), count=count)
        for code, count in ranked
    ]
    return format_list(parts, locale=t.babel_locale) if parts else t.gettext("—")


def _phase_number(phase_code: str) -> str:
    return phase_code.rsplit("-", 1)[-1]


def _phase_block(t: Translator, market: Market, stats: PhaseStats, catalogue: Catalogue) -> str:
    phase = catalogue.phase(stats.phase_code)
    if phase is not None:
        title = t.gettext(
            "%(market)s, phase %(number)s (%(start)s)",
            market=market.name.get(t.locale),
            number=phase.number,
            start=t.short_date(phase.starts),
        )
    else:
        title = t.gettext("Phase %(number)s", number=_phase_number(stats.phase_code))
    lines = [
        title,
        t.ngettext("%(count)s candidature envoyée", "%(count)s candidatures envoyées", stats.total),
    ]
    for status in TALLY_ORDER:
        count = stats.by_status.get(status, 0)
        if count:
            lines.append(
                t.gettext("• %(status)s : %(count)s", status=tally(t, status), count=count)
            )
    lines.append(
        t.ngettext(
            "%(count)s place libre sur %(capacity)s",
            "%(count)s places libres sur %(capacity)s",
            stats.places_left,
            capacity=stats.capacity,
        )
    )
    if stats.total:
        share = format_percent(stats.women_structures_share, "#,##0%", locale=t.babel_locale)
        lines.append(t.gettext("Structures de femmes : %(share)s", share=share))
        sectors = {option.code: option.name.get(t.locale) for option in catalogue.sectors}
        provinces = {option.code: option.name.get(t.locale) for option in catalogue.provinces}
        provinces[OTHER] = t.gettext("Autre province")
        lines.append(t.gettext("Secteurs : %(list)s", list=_top(stats.by_sector, sectors, t)))
        lines.append(t.gettext("Provinces : %(list)s", list=_top(stats.by_province, provinces, t)))
    return "\n".join(lines)


def stats_text(t: Translator, market: Market, stats: list[PhaseStats], catalogue: Catalogue) -> str:
    """One short block per phase: counts by status, places left, women's share, top lists."""
    header = t.gettext("📊 Candidatures — %(market)s", market=market.name.get(t.locale))
    if not stats:
        nothing = t.gettext("Aucune phase pour ce marché.")
        return t.start_rtl(f"{header}\n{nothing}")
    blocks = [_phase_block(t, market, phase_stats, catalogue) for phase_stats in stats]
    return t.start_rtl("\n\n".join([header, *blocks]))


def _chart_translator(t: Translator) -> Translator:
    """Matplotlib neither joins Arabic letters nor orders them right to left: in an RTL
    language the chart keeps the French words (the msgids themselves)."""
    if t.rtl:
        return Translator(DEFAULT_LOCALE, gettext.NullTranslations())
    return t


def stats_chart_png(t: Translator, market: Market, stats: list[PhaseStats]) -> bytes:
    """Grouped bars per phase: places given, to examine, waiting list, capacity. PNG bytes."""
    words = _chart_translator(t)
    series = [
        (words.gettext(N_("Places attribuées")), "#2e7d32", [s.places_given for s in stats]),
        (
            tally(words, Status.SUBMITTED),
            "#1565c0",
            [s.by_status.get(Status.SUBMITTED, 0) for s in stats],
        ),
        (
            tally(words, Status.WAITLISTED),
            "#ef6c00",
            [s.by_status.get(Status.WAITLISTED, 0) for s in stats],
        ),
        (words.gettext(N_("Capacité")), "#9e9e9e", [s.capacity for s in stats]),
    ]
    # Imported here: matplotlib takes most of a second to import, which every start (and every
    # restart after a crash) would pay before answering anyone.
    import matplotlib

    matplotlib.use("Agg")  # no display: render to memory only
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    figure, axes = plt.subplots(figsize=(max(6.0, 1.6 * len(stats) + 3), 4.5), dpi=100)
    try:
        width = 0.8 / len(series)
        positions = list(range(len(stats)))
        for index, (label, color, values) in enumerate(series):
            offset = (index - (len(series) - 1) / 2) * width
            bars = axes.bar(
                [p + offset for p in positions], values, width, label=label, color=color
            )
            axes.bar_label(bars, fontsize=8, padding=2)
        axes.set_xticks(positions, [f"{_phase_number(s.phase_code)}" for s in stats])
        axes.set_xlabel(words.gettext(N_("Phase")))
        title = words.gettext(
            "Candidatures par phase — %(market)s", market=market.name.get(words.locale)
        )
        axes.set_title(textwrap.fill(title, 60), fontsize=11)
        axes.set_ylim(bottom=0, top=max([1, *(v for _, _, vs in series for v in vs)]) * 1.15)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight")
    finally:
        plt.close(figure)
    return buffer.getvalue()
