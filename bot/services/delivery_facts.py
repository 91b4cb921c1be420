"""What only the moment of sending knows, read before a delivery is rendered.

A delivery's params carry what its message says, written when it was queued; its renderer
(`bot/views/outbox.py`) reads no storage. What cannot be known in advance is read here, by the
dispatcher's side, and handed over as `Facts`: whether the application a message is about
still has the status the message tells (stale news is dropped), how many messages wait (an
outage notice), a broadcast's text (kept once in its own row, not copied into thousands of
deliveries) and its final figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.services.applications import ApplicationService
from bot.services.broadcasts import BroadcastService
from storage.applications import Application
from storage.broadcasts import Broadcast, Progress
from storage.outbox import OutboxRepository
from storage.statuses import Status
from storage.templates import ABOUT_AN_APPLICATION, Template


@dataclass(frozen=True)
class Facts:
    status: Status | None = None  # the application's status now; None: gone, or none concerned
    waiting: int = 0  # deliveries pending now
    broadcast: Broadcast | None = None  # the announcement, or the one a report is about
    progress: Progress | None = None  # a finished broadcast's figures


class DeliveryFacts:
    def __init__(
        self,
        applications: ApplicationService,
        outbox: OutboxRepository,
        broadcasts: BroadcastService,
    ) -> None:
        self._applications = applications
        self._outbox = outbox
        self._broadcasts = broadcasts

    async def gather(
        self, template: Template, params: Mapping[str, Any]
    ) -> tuple[dict[str, Any], Facts]:
        """The params to render with (completed if the row is an old one) and the facts."""
        complete = dict(params)
        if template in ABOUT_AN_APPLICATION:
            application = await self._applications.repository.get(int(params["application_id"]))
            if application is None:
                return complete, Facts()
            await self._complete(template, complete, application)
            return complete, Facts(status=application.status)
        if template in (Template.OUTBOX_OUTAGE, Template.OUTBOX_RECOVERED):
            return complete, Facts(waiting=(await self._outbox.counts()).get("pending", 0))
        if template == Template.BROADCAST:
            started = await self._broadcasts.started(int(params["broadcast_id"]))
            return complete, Facts(broadcast=started)
        if template == Template.BROADCAST_REPORT:
            broadcast_id = int(params["broadcast_id"])
            broadcast = await self._broadcasts.repository.get(broadcast_id)
            if broadcast is None:
                return complete, Facts()
            progress = await self._broadcasts.progress(broadcast_id)
            return complete, Facts(broadcast=broadcast, progress=progress)
        return complete, Facts()

    async def _complete(
        self, template: Template, params: dict[str, Any], application: Application
    ) -> None:
        """Rows queued by a version whose params carried only the application's id (before
        issue 14) may still wait in a live database: what they lack is read here, so that the
        renderer stays pure for old rows and new alike, and no migration rewrites the outbox."""
        params.setdefault("reference", application.reference)
        params.setdefault("phase_code", application.phase_code)
        if template == Template.DECISION and "trainings" not in params:
            params["trainings"] = await self._applications.chosen_trainings(application.id)
        if template == Template.CONFIRM_SOON and "deadline" not in params:
            repository = self._applications.repository
            params["deadline"] = await repository.decision_deadline(application.id)
