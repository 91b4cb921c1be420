"""What a crowd run is given (`CrowdOptions`) and what it measured: each applicant's steps,
acknowledged answers and surprises (tests/e2e/crowd.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.e2e.personas import Persona
from tests.e2e.screens import APOLOGY

# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepEvent:
    """One step of one applicant: from its action to the bot's acknowledgement."""

    user_id: int
    step: str  # "start", "language", "menu", "market", "phase", "consent", a question key,
    # "stand_needs:tick", "photos:photo", "submit", "recover", "resume"
    seconds: float
    at: float  # time.monotonic() of the acknowledgement


OnStep = Callable[[StepEvent], None]


@dataclass
class ApplicantResult:
    persona: Persona
    acknowledged: dict[str, Any] = field(default_factory=dict)  # question key -> stored value
    answered: dict[str, Any] = field(default_factory=dict)  # the last value sent, seen or not
    steps: list[StepEvent] = field(default_factory=list)
    reference: str | None = None
    recoveries: int = 0
    updates_sent: int = 0
    unexpected: list[str] = field(default_factory=list)  # messages nobody expected
    error: str | None = None  # why the applicant could not finish

    @property
    def user_id(self) -> int:
        return self.persona.user_id

    @property
    def done(self) -> bool:
        return self.reference is not None and self.error is None

    @property
    def apologies(self) -> list[str]:
        return [text for text in self.unexpected if any(a in text for a in APOLOGY)]


@dataclass
class CrowdResult:
    applicants: list[ApplicantResult]
    seconds: float

    @property
    def completed(self) -> list[ApplicantResult]:
        return [a for a in self.applicants if a.done]

    @property
    def failures(self) -> dict[int, str]:
        return {a.user_id: a.error or "not submitted" for a in self.applicants if not a.done}

    @property
    def unexpected(self) -> dict[int, list[str]]:
        return {a.user_id: a.unexpected for a in self.applicants if a.unexpected}

    @property
    def updates_sent(self) -> int:
        return sum(a.updates_sent for a in self.applicants)

    @property
    def updates_per_second(self) -> float:
        return self.updates_sent / self.seconds if self.seconds > 0 else 0.0

    def latencies(self, step: str | None = None) -> list[float]:
        """Seconds per step (every step, or one kind), sorted."""
        return sorted(
            event.seconds
            for applicant in self.applicants
            for event in applicant.steps
            if step is None or event.step == step
        )

    def percentile(self, fraction: float, step: str | None = None) -> float:
        values = self.latencies(step)
        if not values:
            return 0.0
        return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]

    def summary(self) -> str:
        return (
            f"{len(self.completed)}/{len(self.applicants)} applications sent in "
            f"{self.seconds:.1f} s; {self.updates_sent} updates ({self.updates_per_second:.1f}/s);"
            f" step latency p50 {self.percentile(0.5):.2f} s, p95 {self.percentile(0.95):.2f} s,"
            f" max {self.percentile(1.0):.2f} s;"
            f" recoveries {sum(a.recoveries for a in self.applicants)}"
        )


@dataclass(frozen=True)
class CrowdOptions:
    step_timeout: float = 30.0
    recover_after: float | None = None
    deadline: float | None = None  # time.monotonic() by which every applicant must be done
    on_step: OnStep | None = None
    pause: float = 0.0  # seconds an applicant takes to read a message before acting on it
