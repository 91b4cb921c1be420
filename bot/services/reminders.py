"""Reminders are derived rows: recomputed from the catalogue and the applications, so a change
of dates, of status or of time-zone rules never leaves a stale one behind.

The events that concern an applicant, and their reminders:
- the phase of an accepted or confirmed application: 7 days and 1 day before it starts;
- each training chosen: 1 day and 2 hours before it;
- an acceptance or offer to confirm: 24 hours before its deadline;
- an unfinished draft: 3 days before the phase's application deadline.

Quiet hours (QUIET_HOURS, in the market's time zone) never make a reminder late: one due
inside them is planned at the last minute before they begin (06:00 -> 20:59 the evening
before), so every planned time is outside quiet hours, never after its due time and before its
event. The dispatcher therefore never holds a reminder back: one it reaches late (a busy queue,
the bot was down) goes at once, since holding it until morning could take it past its event.

Essential reminders, kept when an applicant turns the others off in /reminders: the phase's
day-before reminder (it gives the set-up time), the trainings chosen, and those asking for an
action (confirm, finish a draft).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from bot.catalogue import Catalogue, Market, Phase, Training
from storage.applications import Application, ApplicationRepository
from storage.outbox import NewDelivery, OutboxRepository
from storage.statuses import EXPECTED, NEEDS_CONFIRMATION, Status
from storage.templates import Template

PHASE_OFFSETS = (timedelta(days=7), timedelta(days=1))
TRAINING_OFFSETS = (timedelta(days=1), timedelta(hours=2))
CONFIRM_OFFSETS = (timedelta(hours=24),)
DRAFT_OFFSETS = (timedelta(days=3),)
OFFSETS = {
    Template.PHASE_SOON: PHASE_OFFSETS,
    Template.TRAINING_SOON: TRAINING_OFFSETS,
    Template.CONFIRM_SOON: CONFIRM_OFFSETS,
    Template.DRAFT_DEADLINE: DRAFT_OFFSETS,
}
QUIET_START, QUIET_END = time(21, 0), time(8, 0)
# A reminder due in quiet hours goes this long before they begin.
BEFORE_QUIET = timedelta(minutes=1)

QuietHours = tuple[time, time]  # (start, end), market wall time; start > end spans midnight
ReminderSource = tuple[Application, str | None, list[str], bool]
# The only reminder that /reminders can turn off: a week before the phase.
NON_ESSENTIAL_OFFSETS = {Template.PHASE_SOON: frozenset({PHASE_OFFSETS[0]})}


@dataclass(frozen=True)
class Reminder:
    template: Template
    offset: timedelta
    due: datetime  # event - offset
    at: datetime  # when it is sent (UTC): `due`, or the last minute before quiet hours
    essential: bool
    stopped: bool  # not essential, and the applicant turned such reminders off
    params: dict[str, object]
    key: str


@dataclass(frozen=True)
class Event:
    """Something an applicant must be at or do, with the reminders still to come."""

    kind: str  # "phase", "training", "confirm", "draft"
    application: Application
    market: Market
    phase: Phase
    starts: datetime  # the moment of the event (for confirm and draft: the deadline)
    training: Training | None
    reminders: tuple[Reminder, ...]


@dataclass(frozen=True)
class _Source:
    application: Application
    market: Market
    phase: Phase
    opted_out: bool
    quiet: QuietHours | None

    def event(
        self,
        kind: str,
        starts: datetime,
        reminders: tuple[Reminder, ...],
        training: Training | None = None,
    ) -> Event:
        return Event(kind, self.application, self.market, self.phase, starts, training, reminders)


def in_quiet_hours(
    moment: datetime, zone: tzinfo, start: time = QUIET_START, end: time = QUIET_END
) -> bool:
    """Quiet hours (market time): broadcasts wait, reminders are planned before them."""
    local = moment.astimezone(zone).time()
    return local >= start or local < end if start > end else start <= local < end


def before_quiet_hours(due: datetime, zone: tzinfo, quiet: QuietHours | None) -> datetime:
    """When to send a reminder due at `due` (UTC): then, or if that falls in quiet hours, the
    last minute before they began (never later than `due`)."""
    if quiet is None or not in_quiet_hours(due, zone, *quiet):
        return due.astimezone(UTC)
    start, end = quiet
    local = due.astimezone(zone)
    day = local.date()
    if start > end and local.time() < end:
        day -= timedelta(days=1)  # the quiet hours that began the evening before
    began = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
    return began - BEFORE_QUIET


def _extra(template: Template, offset: timedelta) -> dict[str, object]:
    """Which reminder of its series a row is: part of its params and of its dedupe key."""
    if template == Template.PHASE_SOON:
        return {"days": offset.days}
    if template == Template.TRAINING_SOON:
        return {"hours": int(offset.total_seconds() // 3600)}
    return {}


def _series(
    template: Template,
    event: datetime,
    now: datetime,
    source: _Source,
    params: dict[str, object],
    key: str,
) -> tuple[Reminder, ...]:
    """The reminders of one event still worth sending: each until the next one's time.

    A reminder whose time passed while the bot was down is still sent (at in the past),
    unless a later one of the same series has taken its place, or the event has begun.
    """
    offsets = OFFSETS[template]
    dues = [event - offset for offset in offsets]
    times = [before_quiet_hours(due, source.market.timezone, source.quiet) for due in dues]
    chosen = []
    for index, offset in enumerate(offsets):
        until = times[index + 1] if index + 1 < len(times) else event
        # Gone: overtaken by the next one, or moved by quiet hours onto the next one's time.
        if not now < until or times[index] >= until:
            continue
        extra = _extra(template, offset)
        essential = offset not in NON_ESSENTIAL_OFFSETS.get(template, frozenset())
        chosen.append(
            Reminder(
                template,
                offset,
                dues[index],
                times[index],
                essential,
                source.opted_out and not essential,
                params | extra,
                ":".join(["reminder", key, *map(str, extra.values()), dues[index].isoformat()]),
            )
        )
    return tuple(chosen)


def _events_of(
    catalogue: Catalogue, source: _Source, deadline: str | None, trainings: list[str], now: datetime
) -> list[Event]:
    application, phase = source.application, source.phase
    app_id = application.id
    # All the renderer needs (bot/views/outbox.py), besides the catalogue.
    base: dict[str, object] = {
        "application_id": app_id,
        "reference": application.reference,
        "phase_code": phase.code,
    }
    found: list[Event] = []
    if application.status == Status.DRAFT:
        due = phase.application_deadline
        series = _series(Template.DRAFT_DEADLINE, due, now, source, base, f"draft:{app_id}")
        found.append(source.event("draft", due, series))
    if application.status in EXPECTED:
        series = _series(Template.PHASE_SOON, phase.starts, now, source, base, f"phase:{app_id}")
        found.append(source.event("phase", phase.starts, series))
        for code in trainings:
            training = catalogue.training(code)
            if training is None or training.phase_code != phase.code:
                continue
            params = base | {"training": code}
            key = f"training:{app_id}:{code}"
            series = _series(Template.TRAINING_SOON, training.starts, now, source, params, key)
            found.append(source.event("training", training.starts, series, training))
    if application.status in NEEDS_CONFIRMATION and deadline:
        due = datetime.fromisoformat(deadline)
        params = base | {"deadline": deadline}
        series = _series(Template.CONFIRM_SOON, due, now, source, params, f"confirm:{app_id}")
        found.append(source.event("confirm", due, series))
    return [event for event in found if now < event.starts]


def events(
    catalogue: Catalogue,
    sources: Iterable[ReminderSource],
    now: datetime,
    quiet: QuietHours | None,
) -> list[Event]:
    """The events still ahead for these applications, soonest first, with their reminders."""
    found: list[Event] = []
    for application, deadline, trainings, opted_out in sources:
        phase = catalogue.phase(application.phase_code)
        market = catalogue.market(phase.market_code) if phase else None
        if phase is None or market is None:
            continue
        source = _Source(application, market, phase, opted_out, quiet)
        found += _events_of(catalogue, source, deadline, trainings, now)
    return sorted(found, key=lambda event: event.starts)


def with_seats(found: Iterable[Event], held: Mapping[int, Collection[str]]) -> list[Event]:
    """The events without the trainings where the application holds no seat (waiting, or
    refused): their reminders are dropped when due, so /reminders does not promise them."""
    return [
        event
        for event in found
        if event.training is None or event.training.code in held.get(event.application.id, ())
    ]


def plan(
    catalogue: Catalogue,
    sources: Iterable[ReminderSource],
    now: datetime,
    quiet: QuietHours | None,
) -> list[NewDelivery]:
    """The reminder rows that should exist now."""
    return [
        NewDelivery(
            event.application.user_id,
            "reminder",
            reminder.template,
            reminder.params,
            reminder.at,
            reminder.key,
        )
        for event in events(catalogue, sources, now, quiet)
        for reminder in event.reminders
        if not reminder.stopped
    ]


async def sync_reminders(
    catalogue: Catalogue,
    applications: ApplicationRepository,
    outbox: OutboxRepository,
    now: datetime,
    quiet: QuietHours | None,
) -> int:
    """Queue the reminders that should exist, move pending ones to their planned time, and
    cancel the pending ones that should not exist."""
    planned = plan(catalogue, await applications.for_reminders(), now, quiet)
    await outbox.schedule_reminders(planned, now)
    return await outbox.cancel_pending_reminders_except({item.dedupe_key for item in planned})
