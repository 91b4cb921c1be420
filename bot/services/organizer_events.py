"""Which status changes the organizers are told about, and when the daily digest goes.

The decision door (`bot/services/decisions.py`) asks `events_for` what a change means for the
organizers and writes it in the change's own transaction (`storage/organizer_events.py`); each
member then gets it at once or in the digest of the day, as chosen in /notifications.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from bot.catalogue import Market
from storage.organizer_events import (
    PLACE_FREE,
    CatalogueChange,
    NewEvent,
    OrganizerEventRepository,
)
from storage.statuses import HOLDS_A_PLACE, Status

if TYPE_CHECKING:  # the door imports this module for `events_for`
    from bot.services.decisions import Change, Decisions

# The end of an organizer's working day in the market's time zone, before quiet hours: the
# digest lists what happened since the previous one.
DIGEST_TIME = time(18, 0)
# Changes made by the applicant or by the clock: the organizers did not see them happen.
TOLD_STATUSES = frozenset({Status.DECLINED, Status.WITHDRAWN, Status.EXPIRED})


def digest_moment(now: datetime, market: Market | None) -> datetime:
    """The first DIGEST_TIME after `now` in the market's zone, in UTC."""
    zone = market.timezone if market is not None else UTC
    local = now.astimezone(zone)
    moment = datetime.combine(local.date(), DIGEST_TIME, tzinfo=zone)
    if moment <= local:
        moment = datetime.combine(local.date() + timedelta(days=1), DIGEST_TIME, tzinfo=zone)
    return moment.astimezone(UTC)


def events_for(
    application_id: int,
    phase_code: str,
    old: Status,
    new: Status,
    actor_id: int | None,
    market: Market | None,
    now: datetime,
) -> list[NewEvent]:
    """What a change tells the organizers: a decline, a withdrawal, an expiry, an offer made
    by the bot (not one an organizer made), and a freed place left for them to offer."""
    kinds: list[str] = []
    if new in TOLD_STATUSES or (new == Status.OFFERED and actor_id is None):
        kinds.append(new)
    if waits_for_organizer(old, new, market):
        kinds.append(PLACE_FREE)
    at = digest_moment(now, market)
    return [NewEvent(kind, application_id, phase_code, now, at) for kind in kinds]


def frees_a_place(old: Status, new: Status) -> bool:
    return old in HOLDS_A_PLACE and new not in HOLDS_A_PLACE


def waits_for_organizer(old: Status, new: Status, market: Market | None) -> bool:
    """A freed place the catalogue leaves to an organizer (`auto_offer = false`)."""
    return frees_a_place(old, new) and market is not None and not market.auto_offer


class OrganizerNotices:
    """Each team member's choice: told at once, or in the daily digest."""

    def __init__(self, repository: OrganizerEventRepository) -> None:
        self.repository = repository

    async def immediate(self, user_id: int) -> bool:
        return await self.repository.immediate(user_id)

    async def record_catalogue_change(self, change: CatalogueChange) -> None:
        """Who replaced the catalogue from the chat, when, and where the previous file went."""
        await self.repository.record_catalogue_change(change)

    async def last_catalogue_change(self) -> tuple[CatalogueChange, str | None] | None:
        return await self.repository.last_catalogue_change()

    async def choose(self, user_id: int, immediate: bool, now: datetime) -> None:
        await self.repository.set_immediate(user_id, immediate, now)

    async def offer_waiting_place(
        self, applications: Decisions, phase_code: str, actor_id: int, now: datetime
    ) -> list[Change]:
        """An organizer's button: one freed place of the phase to the first on the waiting
        list, through the decision door. One offer per place freed: a double tap, or two
        organizers pressing at once, offer it once."""
        event_id = await self.repository.claim_free_place(phase_code, actor_id, now)
        if event_id is None:
            return []
        changes = await applications.offer_freed_place(phase_code, actor_id)
        if not changes:
            await self.repository.release_free_place(event_id)
        return changes
