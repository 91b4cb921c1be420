"""The statuses of an application: one vocabulary, its groupings and its transitions.

Every status an application can have is a `Status`; every grouping the code asks about
("does it hold a place?", "is it still live?") is named here once, and so is the table of
allowed changes, which `ApplicationService.set_status` enforces. The words people read are in
`bot/views/statuses.py`, in the applicant's voice and in the organizer's.

```mermaid
stateDiagram-v2
    [*] --> draft
    draft --> submitted: Send
    submitted --> accepted
    submitted --> waitlisted
    submitted --> rejected
    waitlisted --> offered: a place is freed
    waitlisted --> accepted
    waitlisted --> rejected
    accepted --> confirmed: the applicant confirms
    offered --> confirmed: the applicant confirms
    accepted --> declined
    offered --> declined
    confirmed --> declined
    accepted --> expired: deadline passed
    offered --> expired: deadline passed
    submitted --> withdrawn
    waitlisted --> withdrawn
    accepted --> withdrawn
    offered --> withdrawn
    confirmed --> withdrawn
```
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"  # being filled in; not yet sent
    SUBMITTED = "submitted"  # sent, waiting for the organizers
    WAITLISTED = "waitlisted"
    ACCEPTED = "accepted"  # a place, to confirm before a deadline
    OFFERED = "offered"  # a place freed for someone on the waiting list, to confirm
    CONFIRMED = "confirmed"
    DECLINED = "declined"  # by the applicant
    EXPIRED = "expired"  # not confirmed in time
    REJECTED = "rejected"  # by the organizers
    WITHDRAWN = "withdrawn"  # by the applicant, before or after a decision


# Allowed changes after submission (draft -> submitted is `submit`'s own, checked in SQL).
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset(
        {Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED, Status.WITHDRAWN}
    ),
    Status.WAITLISTED: frozenset(
        {Status.OFFERED, Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN}
    ),
    Status.OFFERED: frozenset(
        {Status.CONFIRMED, Status.DECLINED, Status.EXPIRED, Status.WITHDRAWN}
    ),
    Status.ACCEPTED: frozenset(
        {Status.CONFIRMED, Status.DECLINED, Status.EXPIRED, Status.WITHDRAWN}
    ),
    Status.CONFIRMED: frozenset({Status.DECLINED, Status.WITHDRAWN}),
}

# Sent and not yet over: it counts as the applicant's application to its phase (one per phase,
# duplicates checked against it) and it may still change.
LIVE = frozenset(TRANSITIONS)
# Counted against the phase's capacity.
HOLDS_A_PLACE = frozenset({Status.ACCEPTED, Status.OFFERED, Status.CONFIRMED})
# Expected at the market: reminded of the phase and of their trainings (an offer not yet taken
# up is reminded only to confirm).
EXPECTED = frozenset({Status.ACCEPTED, Status.CONFIRMED})
# Waiting for the applicant to confirm before a deadline.
NEEDS_CONFIRMATION = frozenset({Status.ACCEPTED, Status.OFFERED})
# Decisions the applicant is told about by a message; their own actions (confirmed, declined,
# withdrawn) are answered on the spot.
TOLD = frozenset(
    {Status.ACCEPTED, Status.OFFERED, Status.WAITLISTED, Status.REJECTED, Status.EXPIRED}
)


class SeatState(StrEnum):
    """A training seat (storage/trainings.py): taken when the application holds a place."""

    HELD = "held"  # the member's seat
    QUEUED = "queued"  # wished, the training full: waits for a seat freed
    PROPOSED = "proposed"  # a freed seat kept for the first in the queue, until they answer
    CANCELLED = "cancelled"  # given up, or refused, by the member
    RELEASED = "released"  # the application stopped holding a place


def can_change(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(Status(old), frozenset()) if old in _VALUES else False


def may_withdraw(status: str) -> bool:
    return can_change(status, Status.WITHDRAWN)


def sql_list(statuses: Iterable[Status | SeatState]) -> str:
    """`('accepted', 'offered')` for an SQL `IN`: the values are this enum's own constants, so
    writing them into the statement is safe, and the statement stays readable."""
    return "(" + ", ".join(f"'{status.value}'" for status in sorted(statuses)) + ")"


_VALUES = frozenset(status.value for status in Status)
