"""Render the organizers' notices at send time (the outbox's templates `organizer_event` and
`organizer_digest`), in the member's language of that moment, with a button wherever a freed
place still waits for an organizer and someone waits for it."""

from __future__ import annotations

from datetime import datetime

from bot.context import Services
from bot.services.organizer_events import OrganizerNotices
from bot.services.outbox import Outgoing
from bot.views import organizer_events as view
from storage.organizer_events import (
    DIGEST_TEMPLATE,
    EVENT_TEMPLATE,
    PLACE_FREE,
    TOLD_ROLES,
    Event,
    OrganizerEventRepository,
)
from storage.outbox import Delivery

TEMPLATES = frozenset({EVENT_TEMPLATE, DIGEST_TEMPLATE})


def notices(services: Services) -> OrganizerNotices:
    return OrganizerNotices(OrganizerEventRepository(services.db))


async def offerable(services: Services, events: list[Event]) -> list[str]:
    """The phases of these events where a place waits for an organizer: free, and someone
    on the waiting list."""
    codes = dict.fromkeys(event.phase_code for event in events if event.kind == PLACE_FREE)
    waiting = await notices(services).repository.free_places_waiting(codes)
    found = []
    for code in (code for code in codes if code in waiting):
        phase = services.catalogue.phase(code)
        if phase is None:
            continue
        if (await services.applications.availability(phase)).places_left <= 0:
            continue
        if await services.applications.repository.first_waitlisted(code) is not None:
            found.append(code)
    return found


async def render_organizer_delivery(services: Services, delivery: Delivery) -> Outgoing | None:
    """None when the recipient is no longer in the team, or the events are gone (erased)."""
    if await services.roles.role_of(delivery.recipient_id) not in TOLD_ROLES:
        return None
    t = services.i18n.translator(delivery.locale)
    repository = notices(services).repository
    if delivery.template == EVENT_TEMPLATE:
        event = await repository.event(int(delivery.params["event_id"]))
        if event is None:
            return None
        events = [event]
        text = view.event_text(t, services.catalogue, event)
    else:
        digest_at = str(delivery.params["digest_at"])
        events = await repository.digest(digest_at)
        if not events:
            return None
        phase = services.catalogue.phase(events[0].phase_code)
        market = services.catalogue.market(phase.market_code) if phase else None
        day = datetime.fromisoformat(digest_at)
        if market is not None:
            day = day.astimezone(market.timezone)
        text = view.digest_text(t, services.catalogue, events, day)
    markup = view.offer_keyboard(t, services.catalogue, await offerable(services, events))
    return Outgoing(text, markup)
