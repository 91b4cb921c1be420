"""Reminders are derived rows: recomputed from the catalogue and the applications, so a change
of dates, of status or of time-zone rules never leaves a stale one behind.

- accepted or confirmed exhibitors: 7 days and 1 day before their phase starts;
- each training they chose: 1 day and 2 hours before it;
- an acceptance or offer to confirm: 24 hours before its deadline;
- an unfinished draft: 3 days before the phase's application deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta, tzinfo

from bot.catalogue import Catalogue
from storage.applications import Application, ApplicationRepository
from storage.outbox import NewDelivery, OutboxRepository

PHASE_OFFSETS = (timedelta(days=7), timedelta(days=1))
TRAINING_OFFSETS = (timedelta(days=1), timedelta(hours=2))
CONFIRM_OFFSETS = (timedelta(hours=24),)
DRAFT_OFFSETS = (timedelta(days=3),)
HOLDS_A_PLACE = frozenset({"accepted", "confirmed"})
QUIET_START, QUIET_END = time(21, 0), time(8, 0)

ReminderSource = tuple[Application, str | None, list[str], bool]
# Reminders that ask for an action; the others can be turned off with /reminders.
ESSENTIAL = frozenset({"confirm_soon"})


def _series(
    event: datetime, offsets: tuple[timedelta, ...], now: datetime
) -> list[tuple[timedelta, datetime]]:
    """The reminders of one event still worth sending: each until the next one is due.

    A reminder that fell due while the bot was down is still sent (not_before in the past),
    unless a later one of the same series has taken its place, or the event has begun.
    """
    chosen = []
    for index, offset in enumerate(offsets):
        until = event - offsets[index + 1] if index + 1 < len(offsets) else event
        if now < until:
            chosen.append((offset, event - offset))
    return chosen


def _reminder(
    recipient: int, template: str, params: dict[str, object], at: datetime, key: str
) -> NewDelivery:
    return NewDelivery(
        recipient, "reminder", template, params, at, f"reminder:{key}:{at.isoformat()}"
    )


def plan(
    catalogue: Catalogue, sources: Iterable[ReminderSource], now: datetime
) -> list[NewDelivery]:
    planned: list[NewDelivery] = []
    for application, deadline, trainings, opted_out in sources:
        if opted_out:
            deadline_only = plan(catalogue, [(application, deadline, trainings, False)], now)
            planned += [item for item in deadline_only if item.template in ESSENTIAL]
            continue
        phase = catalogue.phase(application.phase_code)
        if phase is None:
            continue
        market = catalogue.market(phase.market_code)
        app_id, user = application.id, application.user_id
        if application.status == "draft":
            for _, at in _series(phase.application_deadline, DRAFT_OFFSETS, now):
                planned.append(
                    _reminder(
                        user, "draft_deadline", {"application_id": app_id}, at, f"draft:{app_id}"
                    )
                )
            continue
        if application.status in HOLDS_A_PLACE:
            for offset, at in _series(phase.starts, PHASE_OFFSETS, now):
                days = offset.days
                planned.append(
                    _reminder(
                        user,
                        "phase_soon",
                        {"application_id": app_id, "days": days},
                        at,
                        f"phase:{app_id}:{days}",
                    )
                )
            for code in trainings:
                training = catalogue.training(code)
                if training is None or market is None or training.phase_code != phase.code:
                    continue
                for offset, at in _series(training.starts, TRAINING_OFFSETS, now):
                    hours = int(offset.total_seconds() // 3600)
                    planned.append(
                        _reminder(
                            user,
                            "training_soon",
                            {"application_id": app_id, "training": code, "hours": hours},
                            at,
                            f"training:{app_id}:{code}:{hours}",
                        )
                    )
        if application.status in {"accepted", "offered"} and deadline:
            due = datetime.fromisoformat(deadline)
            for _, at in _series(due, CONFIRM_OFFSETS, now):
                planned.append(
                    _reminder(
                        user, "confirm_soon", {"application_id": app_id}, at, f"confirm:{app_id}"
                    )
                )
    return planned


async def sync_reminders(
    catalogue: Catalogue,
    applications: ApplicationRepository,
    outbox: OutboxRepository,
    now: datetime,
) -> int:
    """Queue the reminders that should exist and cancel the pending ones that should not."""
    planned = plan(catalogue, await applications.for_reminders(), now)
    await outbox.enqueue(planned, now)
    return await outbox.cancel_pending_reminders_except({item.dedupe_key for item in planned})


def in_quiet_hours(
    moment: datetime, zone: tzinfo, start: time = QUIET_START, end: time = QUIET_END
) -> bool:
    """Quiet hours (market time) hold reminders and broadcasts back, never notifications."""
    local = moment.astimezone(zone).time()
    return local >= start or local < end if start > end else start <= local < end
