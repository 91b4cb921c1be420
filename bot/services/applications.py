"""Decisions about applications: who may apply, drafts, answers, submission, status changes.

Plain async functions over repositories: testable without Telegram.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from bot import questionnaire as form_
from bot.catalogue import Catalogue, Market, Phase
from bot.clock import Clock
from bot.questionnaire import MAX_PHOTOS, TRAININGS, Ask, FormContext, Kind, Question, Step
from bot.services.reminders import QuietHours, plan
from bot.validation import ValidationError
from storage.applications import (
    Answer,
    Application,
    ApplicationRepository,
    Conflict,
)
from storage.catalogue import CatalogueRepository
from storage.outbox import NewDelivery, ReminderPlan
from storage.statuses import HOLDS_A_PLACE, LIVE, NEEDS_CONFIRMATION, TOLD, Status, can_change
from storage.users import UserRepository

# Bump when the consent text changes: each consent row records the version the user saw.
CONSENT_VERSION = "2026-11-23"

# The last minute of the last day to confirm, in market time ("avant le mardi 8 décembre à 23:59"):
# seconds included, so that a confirmation at 23:59:30 is still in time.
END_OF_DAY = time(23, 59, 59)


def confirmation_deadline(decided_at: datetime, market: Market | None) -> datetime:
    """The one place that says until when an acceptance or an offer may be confirmed.

    A day, not a minute: the end of the day, in the market's time zone, `confirmation_days`
    calendar days after the day of the decision (so at least that many days). In UTC: it is
    stored as ISO text and compared as text with the clock (`past_decision_deadline`)."""
    zone = market.timezone if market is not None else UTC
    days = market.confirmation_days if market is not None else Market.confirmation_days
    last_day = decided_at.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(last_day, END_OF_DAY, tzinfo=zone).astimezone(UTC)


DECISION = "decision"


class Outcome(StrEnum):
    DONE = "done"
    ILLEGAL = "illegal"  # not an allowed transition from the current status (or a stale button)
    FULL = "full"  # the phase has no place left


@dataclass(frozen=True)
class Change:
    """A status change to tell the applicant about."""

    application_id: int
    user_id: int
    status: Status
    reason: str | None
    deadline: datetime | None
    changed_at: datetime


def decision_deliveries(changes: Iterable[Change]) -> list[NewDelivery]:
    """One outbox row per change worth telling; rendered at send time, in the recipient's
    language of that moment."""
    return [
        NewDelivery(
            recipient_id=change.user_id,
            kind="notification",
            template=DECISION,
            params={
                "application_id": change.application_id,
                "status": change.status,
                "reason": change.reason,
                "deadline": change.deadline.isoformat() if change.deadline else None,
            },
            not_before=change.changed_at,
            dedupe_key=f"decision:{change.application_id}:{change.status}:{change.changed_at.isoformat()}",
        )
        for change in changes
        if change.status in TOLD
    ]


class Refusal(StrEnum):
    UNKNOWN_PHASE = "unknown_phase"
    CLOSED = "closed"  # an organizer closed applications, or the phase left the catalogue
    DEADLINE_PASSED = "deadline_passed"
    ALREADY_APPLIED = "already_applied"


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


class ApplicationService:
    def __init__(
        self,
        repository: ApplicationRepository,
        phases: CatalogueRepository,
        catalogue: Catalogue,
        clock: Clock,
        quiet_hours: QuietHours | None = None,
    ) -> None:
        self.repository = repository
        self._phases = phases
        self.catalogue = catalogue
        self._clock = clock
        self._quiet_hours = quiet_hours

    async def _reminders(
        self,
        application: Application,
        status: Status | None = None,
        deadline: datetime | None = None,
    ) -> ReminderPlan:
        """The reminders `application` will have once in `status` (its own if None): written by
        the transaction that moves it there, so no caller has to remember to recompute them."""
        found = await self.repository.for_reminders(application_id=application.id)
        _, stored_deadline, trainings, opted_out = (
            found[0] if found else (application, None, [], False)
        )
        if status is None:
            status, deadline_text = application.status, stored_deadline
        else:
            deadline_text = deadline.isoformat() if deadline else None
        rows = plan(
            self.catalogue,
            [(replace(application, status=status), deadline_text, trainings, opted_out)],
            self._clock(),
            self._quiet_hours,
        )
        return ReminderPlan(application.id, tuple(rows))

    async def _replan(self, application: Application) -> None:
        """Reminders follow what changed without a change of status: a new draft, a training
        chosen or dropped by a correction, the applicant's choice in /reminders."""
        planned = await self._reminders(application)
        await self.repository.replace_reminders(planned, self._clock())

    async def _forget_reminders(self, application_id: int) -> None:
        await self.repository.replace_reminders(ReminderPlan(application_id, ()), self._clock())

    async def set_reminders_off(self, user_id: int, off: bool, users: UserRepository) -> None:
        """/reminders: turn the non-essential reminders off or on, and re-plan the user's."""
        await users.set_reminders_off(user_id, off)
        for application, _, _, _ in await self.repository.for_reminders(user_id):
            await self._replan(application)

    def form_for(self, phase_code: str) -> FormContext | None:
        phase = self.catalogue.phase(phase_code)
        market = self.catalogue.market(phase.market_code) if phase else None
        if phase is None or market is None:
            return None
        return FormContext(self.catalogue, market, phase)

    async def availability(self, phase: Phase) -> Availability:
        state = await self._phases.phase_state(phase.code)
        taken = await self.repository.places_taken(phase.code)
        is_open = state is not None and state[1] and self._clock() < phase.application_deadline
        capacity = state[0] if state else phase.capacity
        return Availability(phase, max(capacity - taken, 0), is_open)

    async def market_availability(self, market: Market) -> list[Availability]:
        return [await self.availability(phase) for phase in market.phases]

    async def live_application(self, user_id: int, phase_code: str) -> Application | None:
        for application in await self.repository.of_user(user_id):
            if application.phase_code == phase_code and application.status in LIVE:
                return application
        return None

    async def can_apply(self, user_id: int, phase_code: str) -> Refusal | Application | None:
        """None if the user may apply; else the reason, or their existing application."""
        phase = self.catalogue.phase(phase_code)
        if phase is None:
            return Refusal.UNKNOWN_PHASE
        availability = await self.availability(phase)
        if not availability.open:
            closed = self._clock() >= phase.application_deadline
            return Refusal.DEADLINE_PASSED if closed else Refusal.CLOSED
        existing = await self.live_application(user_id, phase_code)
        return existing

    async def start(self, user_id: int, phase_code: str) -> Draft | Refusal | Application:
        """After consent: open the draft. A draft for another phase is replaced; a draft for
        this phase is kept as it is: an older consent screen pressed again (a second Apply, a
        double tap, an update delivered again after a crash) must not erase its answers."""
        refusal = await self.can_apply(user_id, phase_code)
        if refusal is not None:
            return refusal
        current = await self.repository.draft_of(user_id)
        if current is not None and current.phase_code == phase_code:
            kept = await self.draft(user_id)
            if kept is not None:
                return kept
        if current is not None:
            await self._forget_reminders(current.id)
            await self.repository.delete_draft(current.id)
        await self.end_corrections(user_id)  # the answers to come are for the new draft
        await self.repository.create_draft(user_id, phase_code, CONSENT_VERSION, self._clock())
        draft = await self.draft(user_id)
        assert draft is not None
        await self._replan(draft.application)
        return draft

    async def decline_consent(self, user_id: int, phase_code: str) -> None:
        await self.repository.record_consent(
            user_id, phase_code, CONSENT_VERSION, accepted=False, now=self._clock()
        )

    async def draft(self, user_id: int) -> Draft | None:
        found = await self.repository.draft_with_answers(user_id)
        if found is None:
            return None
        application, answers = found
        form = self.form_for(application.phase_code)
        if form is None:  # the phase left the catalogue: the draft cannot go on
            return None
        return Draft(application, answers, form)

    async def answer(self, draft: Draft, question: Question, value: Any) -> None:
        """Save an accepted answer; raise ValidationError if a cross-answer rule refuses it."""
        values = draft.values
        if question.check is not None and value is not None:
            question.check(value, values)
        values[question.key] = value
        stale = form_.stale_answers(values, draft.form)
        if draft.application.status != Status.DRAFT:
            await self._save_correction(draft, question, value, values, stale)
            return
        await self.repository.save_answer(
            draft.application.id,
            question.key,
            value,
            self._clock(),
            drop=stale,
            editing_done=draft.application.editing == question.key,
        )

    async def parse_and_answer(self, draft: Draft, question: Question, text: str) -> Any:
        """Parse typed text for the question; raises ValidationError with a translatable reason."""
        assert question.parse is not None
        value = question.parse(text)
        await self.answer(draft, question, value)
        return value

    async def toggle(self, draft: Draft, question: Question, code: str) -> list[str]:
        """Tick or untick one option of a multi-select; the selection is saved at once.

        Raises ValidationError for another kind of question or an unknown option (a forged
        or stale button): nothing is saved then."""
        if question.kind is not Kind.MULTI or code not in form_.choice_codes(question, draft.form):
            raise ValidationError("unknown choice")
        selected = list(draft.pending(question) or [])
        selected = [c for c in selected if c != code] if code in selected else [*selected, code]
        await self.repository.save_answer(
            draft.application.id, question.key, selected, self._clock(), complete=False
        )
        return selected

    async def finish(self, draft: Draft, question: Question) -> None:
        """Done on a multi-select or photos question: the selection so far is the answer.

        Raises ValidationError on any other question, and on photos before the first one
        (Skip is the button for no photo): only the buttons the question shows may answer it."""
        value = draft.pending(question)
        if question.kind is not Kind.MULTI and not (question.kind is Kind.PHOTOS and value):
            raise ValidationError("nothing to finish")
        await self.answer(draft, question, list(value) if value else [])

    async def skip(self, draft: Draft, question: Question) -> None:
        await self.answer(draft, question, None)

    async def add_photo(self, draft: Draft, question: Question, file_id: str) -> int:
        """Keep one more photo; the question completes by itself at MAX_PHOTOS."""
        photos = [*list(draft.pending(question) or []), file_id][:MAX_PHOTOS]
        if len(photos) >= MAX_PHOTOS:
            await self.answer(draft, question, photos)
        else:
            await self.repository.save_answer(
                draft.application.id, question.key, photos, self._clock(), complete=False
            )
        return len(photos)

    async def edit(self, draft: Draft, question_key: str) -> bool:
        if question_key not in {q.key for q in form_.applicable(draft.values, draft.form)}:
            return False
        await self.repository.set_editing(draft.application.id, question_key)
        return True

    # Corrections: an applicant edits an answer of a sent, live application through the same
    # questions. `editing` marks the question being asked; answers go to it before the draft.

    def may_correct(self, application: Application) -> bool:
        """Live (not decided against, not withdrawn) and its phase not over yet."""
        phase = self.catalogue.phase(application.phase_code)
        return application.status in LIVE and phase is not None and self._clock() < phase.ends

    async def correctable(self, user_id: int) -> list[Application]:
        return [a for a in await self.repository.of_user(user_id) if self.may_correct(a)]

    async def _sent(self, application: Application | None) -> Draft | None:
        form = self.form_for(application.phase_code) if application else None
        if application is None or form is None:
            return None
        return Draft(application, await self.repository.answers(application.id), form)

    async def correction_of(self, user_id: int, application_id: int) -> Draft | None:
        """The user's own sent application, if it may still be corrected."""
        application = await self.repository.get(application_id)
        if application is None or application.user_id != user_id:
            return None
        return await self._sent(application) if self.may_correct(application) else None

    async def in_progress(self, user_id: int, prefer: int | None = None) -> Draft | None:
        """Where the user's answers go: the application `prefer` (a button's id) if it is the
        draft or under correction, else a correction under way, else the draft.

        One query: every update of the questionnaire starts here."""
        correction = draft = None
        for application, answers in await self.repository.in_progress_of(user_id):
            form = self.form_for(application.phase_code)
            if form is None:
                continue
            if application.status == Status.DRAFT:
                draft = Draft(application, answers, form)
            elif correction is None and self.may_correct(application):
                correction = Draft(application, answers, form)
        candidates = [d for d in (correction, draft) if d]
        for candidate in candidates:
            if candidate.application.id == prefer:
                return candidate
        return candidates[0] if candidates else None

    async def reload(self, draft: Draft) -> Draft | None:
        """The same application as saved now; None once it is neither a draft nor correctable."""
        found = await self.repository.get_with_answers(draft.application.id)
        if found is None or found[0].user_id != draft.application.user_id:
            return None
        application, answers = found
        if application.status != Status.DRAFT and not self.may_correct(application):
            return None
        return Draft(application, answers, draft.form)

    async def start_correction(self, draft: Draft, question_key: str) -> bool:
        """Ask one question of a sent application again; one correction at a time."""
        if draft.application.status == Status.DRAFT or not self.may_correct(draft.application):
            return False
        if question_key not in {q.key for q in form_.applicable(draft.values, draft.form)}:
            return False
        await self.end_corrections(draft.application.user_id, keep=draft.application.id)
        await self.repository.set_editing(draft.application.id, question_key)
        return True

    async def leave_edit(self, draft: Draft) -> None:
        """Back to the summary without answering. A draft's answer stays as it was; a sent
        application keeps the options ticked so far (each tick was saved as it was made, and
        it must not be left without an answer)."""
        key = draft.application.editing or ""
        pending = draft.answers.get(key)
        sent = draft.application.status != Status.DRAFT
        if sent and key in form_.BY_KEY and pending is not None and not pending.complete:
            await self.finish(draft, form_.BY_KEY[key])
        await self.repository.set_editing(draft.application.id, None)

    async def end_corrections(self, user_id: int, keep: int | None = None) -> None:
        for application in await self.repository.being_corrected(user_id):
            if application.id != keep and (sent := await self._sent(application)) is not None:
                await self.leave_edit(sent)

    async def _save_correction(
        self,
        draft: Draft,
        question: Question,
        value: Any,
        values: dict[str, Any],
        stale: list[str],
    ) -> None:
        """A corrected answer is recorded (organizers see what changed and when), and the
        copies used to spot duplicates follow it. A change that makes a new question apply
        (another legal form: another register number) asks it next."""
        remaining = {key: v for key, v in values.items() if key not in stale}
        step = form_.next_step(remaining, draft.form)
        phone = remaining.get("phone")
        await self.repository.save_correction(
            draft.application.id,
            question.key,
            value,
            self._clock(),
            drop=stale,
            editing=step.question.key if isinstance(step, Ask) else None,
            phone=phone if isinstance(phone, str) else None,
            identifier=form_.identifier(remaining),
        )
        if question.key == TRAININGS:
            await self._replan(draft.application)

    async def cancel(self, draft: Draft) -> bool:
        await self._forget_reminders(draft.application.id)
        return await self.repository.delete_draft(draft.application.id)

    async def submit(self, draft: Draft) -> Application | Duplicate | Refusal | None:
        """Submit a complete draft. None if it is not complete (or no longer a draft)."""
        if not isinstance(draft.step, form_.Review):
            return None
        values = draft.values
        phone = values.get("phone") if isinstance(values.get("phone"), str) else None
        identifier = form_.identifier(values)
        duplicate = await self.repository.find_live_duplicate(
            draft.application.phase_code,
            draft.application.user_id,
            phone,
            identifier,
            exclude_id=draft.application.id,
        )
        if duplicate is not None:
            return Duplicate(duplicate)
        phase = draft.form.phase
        if not (await self.availability(phase)).open:
            return Refusal.DEADLINE_PASSED
        submitted = await self.repository.submit(
            draft.application.id,
            draft.form.market.ref_prefix,
            phase.number,
            phone,
            identifier,
            self._clock(),
            reminders=await self._reminders(draft.application, Status.SUBMITTED, None),
        )
        if isinstance(submitted, Conflict):  # sent at the same moment as the other one
            return Duplicate(submitted.existing)
        return submitted

    async def set_status(
        self, application_id: int, new: Status, actor_id: int | None, reason: str | None = None
    ) -> tuple[Outcome, list[Change]]:
        """The one door for status changes: checks the transition and the phase's capacity;
        writes, in the change's own transaction, the audit row, the applicant's message and
        the application's reminders; and offers a freed place to the first on the waiting list
        (through this same door).

        Returns what changed, for the caller to notify each applicant in their language.
        """
        application = await self.repository.get(application_id)
        if application is None or not can_change(application.status, new):
            return Outcome.ILLEGAL, []
        capacity = deadline = None
        if new in HOLDS_A_PLACE and application.status not in HOLDS_A_PLACE:
            state = await self._phases.phase_state(application.phase_code)
            capacity = state[0] if state else 0
        if new in NEEDS_CONFIRMATION:
            phase = self.catalogue.phase(application.phase_code)
            market = self.catalogue.market(phase.market_code) if phase else None
            deadline = confirmation_deadline(self._clock(), market)
        change = Change(application.id, application.user_id, new, reason, deadline, self._clock())
        changed = await self.repository.change_status(
            application_id,
            application.status,
            new,
            actor_id,
            reason,
            change.changed_at,
            capacity=capacity,
            decision_deadline=deadline,
            messages=decision_deliveries([change]),
            reminders=await self._reminders(application, new, deadline),
        )
        if not changed:
            current = await self.repository.get(application_id)
            full = (
                capacity is not None
                and current is not None
                and current.status == application.status
            )
            return (Outcome.FULL if full else Outcome.ILLEGAL), []
        changes = [
            Change(application.id, application.user_id, new, reason, deadline, self._clock())
        ]
        if application.status in HOLDS_A_PLACE and new not in HOLDS_A_PLACE:
            changes += await self._offer_freed_place(application.phase_code)
        return Outcome.DONE, changes

    async def _offer_freed_place(self, phase_code: str) -> list[Change]:
        while (waiting := await self.repository.first_waitlisted(phase_code)) is not None:
            outcome, changes = await self.set_status(waiting.id, Status.OFFERED, actor_id=None)
            if outcome is Outcome.DONE:
                return changes
            if outcome is Outcome.FULL:
                return []
        return []

    async def expire_overdue(self) -> list[Change]:
        """Acceptances and offers not confirmed in time expire; their places move on."""
        changes: list[Change] = []
        for application in await self.repository.past_decision_deadline(self._clock()):
            _, done = await self.set_status(application.id, Status.EXPIRED, actor_id=None)
            changes += done
        return changes

    async def withdraw(self, user_id: int, application_id: int) -> list[Change] | None:
        application = await self.repository.get(application_id)
        if application is None or application.user_id != user_id:
            return None
        outcome, changes = await self.set_status(application_id, Status.WITHDRAWN, actor_id=user_id)
        return changes if outcome is Outcome.DONE else None

    async def chosen_trainings(self, application_id: int) -> list[str]:
        """The codes of the trainings an application signed up for."""
        answer = (await self.repository.answers(application_id)).get(TRAININGS)
        return [str(code) for code in answer.value or []] if answer and answer.complete else []

    async def respond_to_offer(
        self, user_id: int, application_id: int, confirm: bool
    ) -> list[Change] | None:
        """The applicant's Confirm / Decline on an acceptance or an offer."""
        application = await self.repository.get(application_id)
        if application is None or application.user_id != user_id:
            return None
        if application.status not in NEEDS_CONFIRMATION:
            return None
        new = Status.CONFIRMED if confirm else Status.DECLINED
        outcome, changes = await self.set_status(application_id, new, actor_id=user_id)
        return changes if outcome is Outcome.DONE else None


def kind_accepts_text(question: Question) -> bool:
    return question.kind in {Kind.TEXT, Kind.TEXT_OR_VOICE, Kind.COUNT, Kind.PHONE}
