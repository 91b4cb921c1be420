"""The organizers' notices service, built from the open database when a handler needs it (it
holds no state). Their messages (`Template.ORGANIZER_EVENT`, `Template.ORGANIZER_DIGEST`) are
rendered by `bot/views/outbox.py`, with what only the moment of sending knows read by
`bot/services/delivery_facts.py`."""

from __future__ import annotations

from bot.context import Services
from bot.services.organizer_events import OrganizerNotices
from storage.organizer_events import OrganizerEventRepository


def notices(services: Services) -> OrganizerNotices:
    return OrganizerNotices(OrganizerEventRepository(services.db))
