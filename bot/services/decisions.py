"""The decision door: submission and every change of status, each with all its consequences.

`set_status` is the one way an application's status changes after it is sent: it checks the
transition (`storage/statuses.py`) and the phase's capacity, then writes, in one transaction,
the audit row, the applicant's message and the application's reminders; a place freed goes to
the first on the waiting list through the same door. Submission writes the same consequences.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum

from bot import questionnaire as form_
from bot.catalogue import Catalogue, Market, Phase
from bot.clock import Clock
from bot.questionnaire import TRAININGS
from bot.services.application_types import Availability, Draft, Duplicate, Refusal
from bot.services.organizer_events import events_for, frees_a_place
from bot.services.reminders import QuietHours, ReminderSource, plan
from storage.applications import Application, ApplicationRepository, Conflict
from storage.catalogue import CatalogueRepository
from storage.outbox import NewDelivery, ReminderPlan
from storage.statuses import HOLDS_A_PLACE, NEEDS_CONFIRMATION, TOLD, Status, can_change
from storage.templates import Template
from storage.users import UserRepository

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


def decision_deliveries(
    changes: Iterable[Change], application: Application, trainings: Sequence[str]
) -> list[NewDelivery]:
    """One outbox row per change of `application` worth telling, carrying all its renderer
    needs (`bot/views/outbox.py`); rendered at send time, in the recipient's language of that
    moment."""
    return [
        NewDelivery(
            recipient_id=change.user_id,
            kind="notification",
            template=Template.DECISION,
            params={
                "application_id": change.application_id,
                "status": change.status,
                "reason": change.reason,
                "deadline": change.deadline.isoformat() if change.deadline else None,
                "reference": application.reference,
                "phase_code": application.phase_code,
                "trainings": list(trainings),
            },
            not_before=change.changed_at,
            dedupe_key=f"decision:{change.application_id}:{change.status}:{change.changed_at.isoformat()}",
        )
        for change in changes
        if change.status in TOLD
    ]


class Decisions:
    """Part of `ApplicationService`: the decision door and what it needs."""

    repository: ApplicationRepository
    catalogue: Catalogue
    _phases: CatalogueRepository
    _clock: Clock
    _quiet_hours: QuietHours | None

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
        return self._plan_of(
            (replace(application, status=status), deadline_text, trainings, opted_out)
        )

    def _plan_of(self, source: ReminderSource) -> ReminderPlan:
        rows = plan(self.catalogue, [source], self._clock(), self._quiet_hours)
        return ReminderPlan(source[0].id, tuple(rows))

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
        # Read after the change: each source carries the applicant's new choice.
        for source in await self.repository.for_reminders(user_id):
            await self.repository.replace_reminders(self._plan_of(source), self._clock())

    def _market_of(self, application: Application) -> Market | None:
        phase = self.catalogue.phase(application.phase_code)
        return self.catalogue.market(phase.market_code) if phase else None

    async def availability(self, phase: Phase) -> Availability:
        state = await self._phases.phase_state(phase.code)
        taken = await self.repository.places_taken(phase.code)
        is_open = state is not None and state[1] and self._clock() < phase.application_deadline
        capacity = state[0] if state else phase.capacity
        return Availability(phase, max(capacity - taken, 0), is_open)

    async def market_availability(self, market: Market) -> list[Availability]:
        return [await self.availability(phase) for phase in market.phases]

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
            deadline = confirmation_deadline(self._clock(), self._market_of(application))
        change = Change(application.id, application.user_id, new, reason, deadline, self._clock())
        market = self._market_of(application)
        changed = await self.repository.change_status(
            application_id,
            application.status,
            new,
            actor_id,
            reason,
            change.changed_at,
            capacity=capacity,
            decision_deadline=deadline,
            messages=decision_deliveries([change], application, await self._told(application, new)),
            reminders=await self._reminders(application, new, deadline),
            events=events_for(
                application.id,
                application.phase_code,
                application.status,
                new,
                actor_id,
                market,
                change.changed_at,
            ),
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
        if frees_a_place(application.status, new) and (market is None or market.auto_offer):
            changes += await self.offer_freed_place(application.phase_code)
        return Outcome.DONE, changes

    async def _told(self, application: Application, new: Status) -> list[str]:
        """The trainings a decision's message lists: read only for a change worth telling."""
        return await self.chosen_trainings(application.id) if new in TOLD else []

    async def offer_freed_place(self, phase_code: str, actor_id: int | None = None) -> list[Change]:
        """Offer a free place of the phase to the first on the waiting list: by the bot when
        a place is freed, or by an organizer's button when the market leaves it to them
        (`auto_offer = false`). Nothing if no one waits or no place is free."""
        while (waiting := await self.repository.first_waitlisted(phase_code)) is not None:
            outcome, changes = await self.set_status(waiting.id, Status.OFFERED, actor_id)
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
