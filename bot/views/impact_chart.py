"""The funders' report as a picture: exhibitors per phase (with women's and youth structures
and the survey's answers) beside the sales declared, in the organizer's language. Arabic is
joined and laid out right to left by `arabic.visual`, as in `bot/services/stats.py`."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from bot import arabic, charts
from bot.catalogue import Market
from bot.i18n import N_, Translator
from bot.services.impact import CHOICES, PhaseImpact
from bot.views.impact import answer_label, question_title
from bot.views.impact_report import satisfaction_text, survey_answers, women, youth


@dataclass(frozen=True)
class ImpactChartText:
    title: str
    phases_title: str
    phase_labels: list[str]
    series: list[tuple[str, str, list[int]]]  # label, colour, one value per phase
    sales_title: str
    sales_labels: list[str]
    sales: list[int]
    rtl: bool


def chart_text(t: Translator, market: Market, figures: list[PhaseImpact]) -> ImpactChartText:
    """Every word the chart draws, shaped for matplotlib."""
    series = [
        (t.gettext(N_("Exposants confirmés")), "#2e7d32", [p.exhibitors.count for p in figures]),
        (t.gettext(N_("Structures de femmes")), "#8e24aa", [women(p) for p in figures]),
        (t.gettext(N_("Structures de jeunes")), "#ef6c00", [youth(p) for p in figures]),
        (t.gettext(N_("Réponses à l'enquête")), "#1565c0", [p.answered for p in figures]),
    ]
    average = satisfaction_text(t, _overall_satisfaction(figures))
    title = t.gettext("Rapport d'impact — %(market)s", market=market.name.get(t.locale))
    subtitle = t.gettext("Satisfaction moyenne : %(average)s", average=average)
    sales = [
        sum(dict(survey_answers(p, "sales")).get(code, 0) for p in figures)
        for code in CHOICES["sales"]
    ]
    return ImpactChartText(
        # Each line shaped on its own: a line break inside bidi text would mirror brackets.
        title="\n".join(
            [*(arabic.visual(line) for line in textwrap.wrap(title, 70)), arabic.visual(subtitle)]
        ),
        phases_title=arabic.visual(t.gettext(N_("Exposants par phase"))),
        phase_labels=[
            arabic.visual(t.gettext("Phase %(number)s", number=p.phase.number)) for p in figures
        ],
        series=[(arabic.visual(label), colour, values) for label, colour, values in series],
        sales_title=arabic.visual(question_title(t, "sales")),
        sales_labels=[arabic.visual(answer_label(t, "sales", code)) for code in CHOICES["sales"]],
        sales=sales,
        rtl=t.rtl,
    )


def _overall_satisfaction(figures: list[PhaseImpact]) -> float | None:
    given = [(p.satisfaction, sum(p.survey.get("satisfaction", {}).values())) for p in figures]
    total = sum(count for _, count in given)
    if not total:
        return None
    return sum((value or 0.0) * count for value, count in given) / total


def impact_chart_png(t: Translator, market: Market, figures: list[PhaseImpact]) -> bytes:
    words = chart_text(t, market, figures)
    plt = charts.pyplot()
    from matplotlib.font_manager import FontProperties
    from matplotlib.ticker import MaxNLocator

    font = FontProperties(fname=arabic.font_path())
    small = FontProperties(fname=arabic.font_path(), size=9)
    figure, (phases, sales) = plt.subplots(
        1, 2, figsize=(11, 4.8), dpi=100, gridspec_kw={"width_ratios": [3, 2]}
    )
    if words.rtl:
        phases, sales = sales, phases  # an Arabic reader starts on the right
    try:
        positions = charts.grouped_bars(phases, words.series, len(figures))
        phases.set_xticks(positions, words.phase_labels, fontproperties=small)
        phases.set_title(words.phases_title, fontproperties=font, fontsize=10)
        phases.legend(
            frameon=False,
            prop=small,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncol=2,
            markerfirst=not words.rtl,  # in Arabic the colour after the words
        )
        bars = sales.barh(range(len(words.sales)), words.sales, color="#00897b")
        sales.bar_label(bars, [str(v) for v in words.sales], fontsize=8, padding=2)
        sales.set_yticks(range(len(words.sales)), words.sales_labels, fontproperties=small)
        sales.set_title(words.sales_title, fontproperties=font, fontsize=10)
        for axes in (phases, sales):
            axes.spines[["top", "right"]].set_visible(False)
        highest = max([1, *(v for _, _, values in words.series for v in values)])
        phases.set_ylim(0, highest * 1.25)
        phases.yaxis.set_major_locator(MaxNLocator(integer=True))
        sales.set_xlim(0, max([1, *words.sales]) * 1.2)
        sales.xaxis.set_major_locator(MaxNLocator(integer=True))
        if words.rtl:
            phases.invert_xaxis()
            phases.yaxis.tick_right()
            sales.invert_xaxis()
            sales.yaxis.tick_right()
            for axes in (phases, sales):
                axes.spines[["right"]].set_visible(True)
                axes.spines[["left"]].set_visible(False)
        figure.suptitle(words.title, fontproperties=font, fontsize=11)
        return charts.png(figure)
    finally:
        plt.close(figure)
