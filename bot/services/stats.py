"""Figures for organizers: applications per phase by status, sector and province, as a short
text and as a bar chart.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

from babel.lists import format_list
from babel.numbers import format_percent

from bot import arabic, charts
from bot.catalogue import Catalogue, Market, Phase
from bot.i18n import N_, Translator
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
    structures: int = 0  # structures applying (a facilitator's several count each)
    filers: int = 0  # the accounts that filed for them

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
    structures, filers = await applications.structure_counts(phase.code)
    return PhaseStats(
        phase_code=phase.code,
        capacity=capacity,
        places_left=max(capacity - taken, 0),
        by_status=by_status,
        by_sector=await reports.answer_counts(phase.code, "sector"),
        by_province=await reports.answer_counts(phase.code, "province"),
        women_structures_share=women / counted if counted else 0.0,
        structures=structures,
        filers=filers,
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
    if stats.structures:
        lines.append(
            t.ngettext(
                "%(count)s structure, déposée par %(accounts)s compte(s)",
                "%(count)s structures, déposées par %(accounts)s compte(s)",
                stats.structures,
                accounts=stats.filers,
            )
        )
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


@dataclass(frozen=True)
class ChartSeries:
    label: str  # as drawn: Arabic already joined and in display order
    color: str
    values: list[int]


@dataclass(frozen=True)
class ChartText:
    """Every word the chart draws, in the organizer's language, ready for matplotlib, which
    neither joins Arabic letters nor lays them out right to left (`arabic.visual` does)."""

    title: str
    axis: str
    series: list[ChartSeries]
    rtl: bool


def chart_text(t: Translator, market: Market, stats: list[PhaseStats]) -> ChartText:
    """Places given, then what is still open (to examine, waiting list), then what ended
    without a place (refused by the organizers, declined by the applicant), then capacity."""

    def counts(*statuses: Status) -> list[int]:
        return [sum(s.by_status.get(status, 0) for status in statuses) for s in stats]

    series = [
        (t.gettext(N_("Places attribuées")), "#2e7d32", [s.places_given for s in stats]),
        (tally(t, Status.SUBMITTED), "#1565c0", counts(Status.SUBMITTED)),
        (tally(t, Status.WAITLISTED), "#ef6c00", counts(Status.WAITLISTED)),
        (tally(t, Status.REJECTED), "#c62828", counts(Status.REJECTED)),
        (tally(t, Status.DECLINED), "#8e24aa", counts(Status.DECLINED)),
        (t.gettext(N_("Capacité")), "#9e9e9e", [s.capacity for s in stats]),
    ]
    title = t.gettext("Candidatures par phase — %(market)s", market=market.name.get(t.locale))
    return ChartText(
        title=arabic.visual(textwrap.fill(title, 60)),
        axis=arabic.visual(t.gettext(N_("Phase"))),
        series=[
            ChartSeries(arabic.visual(label), color, values) for label, color, values in series
        ],
        rtl=t.rtl,
    )


def stats_chart_png(t: Translator, market: Market, stats: list[PhaseStats]) -> bytes:
    """Grouped bars per phase (`chart_text`), in the organizer's language; in Arabic the
    phases run from the right and the counts' axis is on the right. PNG bytes."""
    words = chart_text(t, market, stats)
    plt = charts.pyplot()
    from matplotlib.font_manager import FontProperties
    from matplotlib.ticker import MaxNLocator

    font = FontProperties(fname=arabic.font_path())
    figure, axes = plt.subplots(figsize=(max(7.0, 1.8 * len(stats) + 4), 4.8), dpi=100)
    try:
        series = [(item.label, item.color, item.values) for item in words.series]
        positions = charts.grouped_bars(axes, series, len(stats))
        axes.set_xticks(positions, [f"{_phase_number(s.phase_code)}" for s in stats])
        axes.set_xlabel(words.axis, fontproperties=font)
        axes.set_title(words.title, fontproperties=font, fontsize=11)
        highest = max([1, *(value for item in words.series for value in item.values)])
        axes.set_ylim(bottom=0, top=highest * 1.15)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        legend_font = FontProperties(fname=arabic.font_path(), size=9)
        if words.rtl:
            axes.invert_xaxis()  # phase 1 on the right, where an Arabic reader starts
            axes.yaxis.tick_right()
            axes.spines[["top", "left"]].set_visible(False)
            axes.legend(
                loc="upper right",
                bbox_to_anchor=(-0.02, 1.0),
                frameon=False,
                prop=legend_font,
                markerfirst=False,  # the colour after the words, where an Arabic line ends
                alignment="right",
            )
        else:
            axes.spines[["top", "right"]].set_visible(False)
            axes.legend(
                loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, prop=legend_font
            )
        return charts.png(figure)
    finally:
        plt.close(figure)
