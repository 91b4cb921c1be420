"""What the application services hand to handlers: a draft with its form, availability,
refusals and duplicates."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot import questionnaire as form_
from bot.catalogue import Phase
from bot.questionnaire import Ask, FormContext, Question, Step
from storage.applications import Answer, Application


class Refusal(StrEnum):
    UNKNOWN_PHASE = "unknown_phase"
    CLOSED = "closed"  # an organizer closed applications, or the phase left the catalogue
    DEADLINE_PASSED = "deadline_passed"


@dataclass(frozen=True)
class Availability:
    phase: Phase
    places_left: int
    open: bool

    @property
    def waitlist_only(self) -> bool:
        return self.places_left <= 0


@dataclass(frozen=True)
class Draft:
    application: Application
    answers: dict[str, Answer]
    form: FormContext

    @property
    def values(self) -> dict[str, Any]:
        """Completed answers, the ones the form walks on."""
        return {key: answer.value for key, answer in self.answers.items() if answer.complete}

    @property
    def step(self) -> Step:
        return form_.next_step(self.values, self.form, self.application.editing)

    def pending(self, question: Question) -> Any:
        """The value being built for a multi-select or photos question, before Done."""
        answer = self.answers.get(question.key)
        return answer.value if answer is not None else None

    def asks(self, question_key: str) -> bool:
        step = self.step
        return isinstance(step, Ask) and step.question.key == question_key


@dataclass(frozen=True)
class Duplicate:
    existing: Application
