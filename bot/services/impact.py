"""The impact survey: after a phase, each confirmed exhibitor answers a few questions by buttons.

When: the day after the phase ends, at SURVEY_HOUR in the market's time zone, through the
outbox (kind `broadcast`: non-essential, so quiet hours hold it back like an announcement); one
reminder REMINDER_AFTER later, dropped at send time if the survey is finished. Each row's dedupe
key names the application: a survey is queued once, reminded once, never more, whatever the
job's runs and restarts.

What: the answers are the codes of the buttons pressed, saved as given; the next question is
the first without an answer, so a survey left half-way resumes where it stopped (the reminder
shows that question).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from bot.catalogue import Catalogue, Market, Phase
from storage.impact import SKIPPED, VOICE, Exhibitors, ImpactRepository, Surveyed
from storage.outbox import NewDelivery, OutboxRepository
from storage.stands import StandRepository
from storage.templates import Template
from storage.trainings import TrainingRepository

SURVEY_HOUR = time(10, 0)
REMINDER_AFTER = timedelta(days=2)
# A phase that ended longer ago than this is not surveyed (the bot was installed or down
# long after it): a survey weeks late would ask about a market nobody remembers.
TOO_LATE = timedelta(days=7)

# The questions in order, each with its answers' codes (the view gives their words).
QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sales", ("lt1k", "1k_5k", "5k_20k", "gt20k")),
    ("customers", ("no", "yes", "several")),
    ("contacts", ("yes", "no")),
    ("satisfaction", ("1", "2", "3", "4", "5")),
    ("again", ("yes", "maybe", "no")),
)
CHOICES = dict(QUESTIONS)
STEPS = (*CHOICES, VOICE)  # the voice note last, optional (Skip)


def next_step(answers: dict[str, str]) -> str | None:
    """The first question without an answer; None when the survey is finished."""
    return next((step for step in STEPS if step not in answers), None)


def valid(question: str, value: str) -> bool:
    """A button's answer, as it may be saved (a voice note comes as a message, not here)."""
    if question == VOICE:
        return value == SKIPPED
    return value in CHOICES.get(question, ())


def survey_at(market: Market, phase: Phase) -> datetime:
    """SURVEY_HOUR, market time, the day after the phase's last day (UTC)."""
    last_day = phase.ends.astimezone(market.timezone).date()
    local = datetime.combine(last_day + timedelta(days=1), SURVEY_HOUR, tzinfo=market.timezone)
    return local.astimezone(UTC)


def survey_rows(
    market: Market, phase: Phase, surveyed: Iterable[Surveyed], now: datetime
) -> list[NewDelivery]:
    """The survey for each exhibitor and, once its time has come, its one reminder (queued
    only then: a row's retries are counted from when it was queued)."""
    at = survey_at(market, phase)
    due = [(Template.IMPACT_SURVEY, at)]
    if now >= at + REMINDER_AFTER:
        due.append((Template.IMPACT_REMINDER, at + REMINDER_AFTER))
    rows = []
    for person in surveyed:
        params: dict[str, object] = {"application_id": person.application_id, "phase": phase.code}
        for template, when in due:
            key = f"{template}:{person.application_id}"
            rows.append(NewDelivery(person.user_id, "broadcast", template, params, when, key))
    return rows


def phases_due(catalogue: Catalogue, now: datetime) -> list[tuple[Market, Phase]]:
    """Phases whose survey time has come, and not long ago."""
    return [
        (market, phase)
        for market in catalogue.markets
        for phase in market.phases
        if survey_at(market, phase) <= now < survey_at(market, phase) + TOO_LATE
    ]


@dataclass(frozen=True)
class PhaseImpact:
    """One phase's figures for the funders' report."""

    phase: Phase
    exhibitors: Exhibitors
    survey: dict[str, Counter[str]]  # question -> answer code -> count
    arrived: int | None  # None: a phase without stands (arrivals are scanned from stand cards)
    trainings_attended: dict[str, int] | None  # training code -> attendees; None: not recorded

    @property
    def answered(self) -> int:
        """Exhibitors who answered at least the first question."""
        return sum(self.survey.get(QUESTIONS[0][0], Counter()).values())

    @property
    def satisfaction(self) -> float | None:
        given = self.survey.get("satisfaction", Counter())
        total = sum(given.values())
        if not total:
            return None
        return sum(int(code) * count for code, count in given.items()) / total


class ImpactService:
    def __init__(
        self,
        repository: ImpactRepository,
        outbox: OutboxRepository,
        stands: StandRepository,
        trainings: TrainingRepository,
    ) -> None:
        self.repository = repository
        self._outbox = outbox
        self._stands = stands
        self._trainings = trainings

    async def queue_due(self, catalogue: Catalogue, now: datetime) -> int:
        """Queue the surveys (and reminders) of phases just over; rows already queued stay
        as they are (dedupe keys), so running this every few minutes is harmless."""
        rows: list[NewDelivery] = []
        for market, phase in phases_due(catalogue, now):
            surveyed = await self.repository.exhibitors_to_survey(phase.code)
            rows += survey_rows(market, phase, surveyed, now)
        return await self._outbox.enqueue(rows, now) if rows else 0

    async def phase_impact(self, market: Market, phase: Phase) -> PhaseImpact:
        return PhaseImpact(
            phase,
            await self.repository.exhibitors(phase.code),
            await self.repository.survey_counts(phase.code),
            await self._arrived(phase),
            await self._attended(market, phase),
        )

    async def _arrived(self, phase: Phase) -> int | None:
        """Exhibitors marked arrived on the day; None for a phase without stands (arrivals are
        scanned from the stand cards), where the report leaves the line out."""
        if not phase.stands:
            return None
        return len(await self._stands.arrivals(phase.code))

    async def _attended(self, market: Market, phase: Phase) -> dict[str, int] | None:
        """Attendees per training of the phase; None when the phase has no training."""
        codes = [training.code for training in market.trainings_for(phase.number)]
        return await self._trainings.attended(codes) if codes else None

    async def market_impact(self, market: Market) -> list[PhaseImpact]:
        return [await self.phase_impact(market, phase) for phase in market.phases]
