"""The funders' report (/impact) in words and as a spreadsheet's rows: per phase, the confirmed
exhibitors, the share of women's and youth structures, provinces, trainings, arrivals and the
survey's answers. The chart is drawn by `bot/views/impact_chart.py` from the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from babel.numbers import format_decimal, format_percent
from telegram import InlineKeyboardMarkup

from bot import keyboards
from bot.callbacks import ImpactMarket
from bot.catalogue import Catalogue, Market
from bot.i18n import N_, Translator
from bot.questionnaire import OTHER
from bot.services.impact import CHOICES, PhaseImpact
from bot.views.impact import answer_label, question_title
from storage.impact import SKIPPED, VOICE

WOMEN = ("women", "women_youth")
YOUTH = ("youth", "women_youth")
TOP = 5  # provinces and trainings named in the text (the spreadsheet has them all)
Cell = str | int


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def women(figures: PhaseImpact) -> int:
    return sum(figures.exhibitors.led_by.get(code, 0) for code in WOMEN)


def youth(figures: PhaseImpact) -> int:
    return sum(figures.exhibitors.led_by.get(code, 0) for code in YOUTH)


def survey_answers(figures: PhaseImpact, question: str) -> list[tuple[str, int]]:
    """(answer code, count) in the order of the buttons; the voice notes: sent, skipped."""
    given = figures.survey.get(question, Counter())
    codes = CHOICES.get(question, (VOICE, SKIPPED))
    return [(code, given.get(code, 0)) for code in codes]


def _names(catalogue: Catalogue, t: Translator) -> dict[str, str]:
    names = {option.code: option.name.get(t.locale) for option in catalogue.provinces}
    names[OTHER] = t.gettext("Autre province")
    for market in catalogue.markets:
        names.update({training.code: training.title.get(t.locale) for training in market.trainings})
    return names


def _ranked(t: Translator, counts: Mapping[str, int], names: Mapping[str, str]) -> str:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    parts = [
        t.gettext("%(name)s (%(count)s)", name=names.get(code, code), count=count)
        for code, count in ranked
    ]
    return t.join(parts) if parts else t.gettext("—")


def _percent(t: Translator, value: float) -> str:
    return format_percent(value, "#,##0%", locale=t.babel_locale)


def satisfaction_text(t: Translator, average: float | None) -> str:
    if average is None:
        return t.gettext("—")
    return t.gettext(
        "%(average)s / 5", average=format_decimal(average, "0.0", locale=t.babel_locale)
    )


def survey_block(t: Translator, figures: PhaseImpact) -> list[str]:
    """The survey's results, short: also the block of /stats."""
    count = figures.exhibitors.count
    lines = [
        t.ngettext(
            "📝 Enquête : %(count)s réponse sur %(exhibitors)s exposants",
            "📝 Enquête : %(count)s réponses sur %(exhibitors)s exposants",
            figures.answered,
            exhibitors=count,
        )
    ]
    if not figures.answered:
        return lines
    for question in ("sales", "customers", "contacts", "again"):
        parts = [
            t.gettext("%(answer)s : %(count)s", answer=answer_label(t, question, code), count=n)
            for code, n in survey_answers(figures, question)
        ]
        lines.append(
            t.gettext(
                "• %(question)s : %(list)s",
                question=question_title(t, question),
                list=" · ".join(parts),  # a comma would split « Oui, plusieurs »
            )
        )
    lines.append(
        t.gettext(
            "• Satisfaction moyenne : %(average)s",
            average=satisfaction_text(t, figures.satisfaction),
        )
    )
    voices = figures.survey.get(VOICE, Counter())
    lines.append(t.gettext("• Messages vocaux : %(count)s", count=voices.get(VOICE, 0)))
    return lines


def phase_title(t: Translator, market: Market, figures: PhaseImpact) -> str:
    return t.gettext(
        "%(market)s, phase %(number)s (%(start)s)",
        market=market.name.get(t.locale),
        number=figures.phase.number,
        start=t.short_date(figures.phase.starts),
    )


def _phase_block(
    t: Translator, market: Market, figures: PhaseImpact, names: Mapping[str, str]
) -> str:
    count = figures.exhibitors.count
    lines = [
        phase_title(t, market, figures),
        t.ngettext("👥 %(count)s exposant confirmé", "👥 %(count)s exposants confirmés", count),
    ]
    if figures.arrived is not None:
        lines.append(t.gettext("🚩 Arrivés : %(count)s", count=figures.arrived))
    if count:
        lines.append(
            t.gettext(
                "• Structures de femmes : %(women)s · de jeunes : %(youth)s",
                women=_percent(t, share(women(figures), count)),
                youth=_percent(t, share(youth(figures), count)),
            )
        )
        lines.append(
            t.gettext(
                "• Provinces : %(list)s",
                list=_ranked(t, figures.exhibitors.provinces, names),
            )
        )
        lines.append(
            t.gettext(
                "• Formations choisies : %(list)s",
                list=_ranked(t, figures.exhibitors.trainings, names),
            )
        )
    if figures.trainings_attended is not None:
        lines.append(
            t.gettext(
                "• Formations suivies : %(list)s",
                list=_ranked(t, figures.trainings_attended, names),
            )
        )
    lines += survey_block(t, figures)
    return "\n".join(lines)


def report_text(
    t: Translator, market: Market, figures: list[PhaseImpact], catalogue: Catalogue
) -> str:
    header = t.gettext("📈 Rapport d'impact — %(market)s", market=market.name.get(t.locale))
    names = _names(catalogue, t)
    blocks = [_phase_block(t, market, phase, names) for phase in figures]
    return t.start_rtl("\n\n".join([header, *blocks]))


def stats_survey_text(t: Translator, market: Market, figures: list[PhaseImpact]) -> str:
    """/stats: the survey's block of each phase that has answers (empty: none has)."""
    blocks = [
        "\n".join([phase_title(t, market, phase), *survey_block(t, phase)])
        for phase in figures
        if phase.answered
    ]
    return t.start_rtl("\n\n".join(blocks)) if blocks else ""


def report_table(
    t: Translator, figures: list[PhaseImpact], catalogue: Catalogue
) -> tuple[list[str], list[list[Cell]]]:
    """The spreadsheet: a row per figure, a column per phase, then the total (numbers are
    numbers, to add up or chart in the spreadsheet)."""
    names = _names(catalogue, t)
    headers = [
        t.gettext(N_("Rubrique")),
        t.gettext(N_("Détail")),
        *[t.gettext("Phase %(number)s", number=phase.phase.number) for phase in figures],
        t.gettext(N_("Total")),
    ]
    rows: list[list[Cell]] = []

    def add(section: str, item: str, values: list[int]) -> None:
        rows.append([section, item, *values, sum(values)])

    exhibitors = t.gettext(N_("Exposants"))
    add(exhibitors, t.gettext(N_("Confirmés")), [p.exhibitors.count for p in figures])
    add(exhibitors, t.gettext(N_("Structures de femmes")), [women(p) for p in figures])
    add(exhibitors, t.gettext(N_("Structures de jeunes")), [youth(p) for p in figures])
    if any(p.arrived is not None for p in figures):
        add(exhibitors, t.gettext(N_("Arrivés")), [p.arrived or 0 for p in figures])
    counted: list[tuple[str, list[Mapping[str, int]]]] = [
        (t.gettext(N_("Provinces")), [p.exhibitors.provinces for p in figures]),
        (t.gettext(N_("Formations choisies")), [p.exhibitors.trainings for p in figures]),
        (t.gettext(N_("Formations suivies")), [p.trainings_attended or {} for p in figures]),
    ]
    for section, per_phase in counted:
        for code in sorted({code for counts in per_phase for code in counts}):
            add(section, names.get(code, code), [counts.get(code, 0) for counts in per_phase])
    survey = t.gettext(N_("Enquête"))
    add(survey, t.gettext(N_("Réponses")), [p.answered for p in figures])
    for question in (*CHOICES, VOICE):
        title = question_title(t, question)
        for code, _ in survey_answers(figures[0], question) if figures else []:
            label = answer_label(t, question, code)
            add(
                survey,
                f"{title} : {label}",
                [dict(survey_answers(p, question)).get(code, 0) for p in figures],
            )
    average = [p.satisfaction for p in figures]
    rows.append(
        [
            survey,
            t.gettext(N_("Satisfaction moyenne")),
            *[
                format_decimal(value, "0.00", locale=t.babel_locale) if value is not None else ""
                for value in average
            ],
            "",
        ]
    )
    return headers, rows


def markets_keyboard(t: Translator, markets: Sequence[Market]) -> InlineKeyboardMarkup:
    """/impact without a market: one button per market, by its short name."""
    return keyboards.inline(keyboards.market_rows(t, markets, ImpactMarket))
