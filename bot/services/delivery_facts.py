"""What only the moment of sending knows, read before a delivery is rendered.

A delivery's params carry what its message says, written when it was queued; its renderer
(`bot/views/outbox.py`) reads no storage. What cannot be known in advance is read here, by the
dispatcher's side, and handed over as `Facts`: whether the application a message is about
still has the status the message tells (stale news is dropped), how many messages wait (an
outage notice), a broadcast's text (kept once in its own row, not copied into thousands of
deliveries) and its final figures, whether an organizer is still in the team and the events
their notice lists (erased ones are gone) with the places still waiting for them, a help-desk
ticket as it is now (answered, erased) and what the team sees of the member who asked, the
impact survey's next question, the stand an exhibitor holds now and a phase's board.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.catalogue import Catalogue
from bot.services.applications import ApplicationService
from bot.services.broadcasts import BroadcastService
from bot.services.helpdesk import Asker, HelpDesk
from bot.services.impact import next_step
from bot.services.stands import Board, StandService
from storage.applications import Application
from storage.broadcasts import Broadcast, Progress
from storage.impact import ImpactRepository
from storage.organizer_events import PLACE_FREE, TOLD_ROLES, Event, OrganizerEventRepository
from storage.outbox import OutboxRepository
from storage.roles import RoleRepository
from storage.statuses import SeatState, Status
from storage.templates import (
    ABOUT_AN_APPLICATION,
    HELP_DESK,
    IMPACT_SURVEYS,
    ORGANIZER_NOTICES,
    TRAINING_SEATS,
    Template,
)
from storage.tickets import Ticket


@dataclass(frozen=True)
class Facts:
    status: Status | None = None  # the application's status now; None: gone, or none concerned
    waiting: int = 0  # deliveries pending now
    broadcast: Broadcast | None = None  # the announcement, or the one a report is about
    progress: Progress | None = None  # a finished broadcast's figures
    events: tuple[Event, ...] = ()  # an organizer's notice: none if no longer in the team
    offerable: tuple[str, ...] = ()  # phases of those events where a place waits to be offered
    ticket: Ticket | None = None  # a help-desk ticket as it is now; None once erased
    asker: Asker | None = None  # the member who asked, for an open ticket's news to the team
    survey_step: str | None = None  # the impact survey's first unanswered question; None: done
    stand: str | None = None  # the stand assigned now to the application a card is about
    stand_token: str | None = None  # its card's token now: a card replaced by a move is stale
    board: Board | None = None  # a phase's stands and arrivals, for the absentees' list
    seat: SeatState | None = None  # a training seat now (its news, a training's reminder)


class DeliveryFacts:
    def __init__(
        self,
        catalogue: Catalogue,
        applications: ApplicationService,
        outbox: OutboxRepository,
        broadcasts: BroadcastService,
        roles: RoleRepository,
        events: OrganizerEventRepository,
        helpdesk: HelpDesk,
        impact: ImpactRepository,
        stands: StandService,
    ) -> None:
        self._catalogue = catalogue
        self._applications = applications
        self._outbox = outbox
        self._broadcasts = broadcasts
        self._roles = roles
        self._events = events
        self._helpdesk = helpdesk
        self._impact = impact
        self._stands = stands

    async def gather(
        self, template: Template, params: Mapping[str, Any], recipient_id: int
    ) -> tuple[dict[str, Any], Facts]:
        """The params to render with (completed if the row is an old one) and the facts."""
        complete = dict(params)
        if template in ORGANIZER_NOTICES:
            return complete, await self._organizer_notice(template, params, recipient_id)
        if template in HELP_DESK:
            ticket = await self._helpdesk.tickets.get(int(params["ticket_id"]))
            news = template == Template.TICKET_NEW and ticket is not None and ticket.is_open
            asker = await self._helpdesk.asker(ticket) if news and ticket else None
            return complete, Facts(ticket=ticket, asker=asker)
        if template == Template.STANDS_ABSENT:
            return complete, Facts(board=await self._stands.board(str(params["phase"])))
        if template == Template.STAND_CARD:
            application_id = int(params["application_id"])
            application = await self._applications.repository.get(application_id)
            assignment = await self._stands.repository.of_application(application_id)
            if application is None or assignment is None:
                return complete, Facts()
            return complete, Facts(
                status=application.status, stand=assignment.stand, stand_token=assignment.token
            )
        if template in TRAINING_SEATS:
            seats = self._applications.repository
            state = await seats.seat_state(int(params["application_id"]), str(params["training"]))
            return complete, Facts(seat=state)
        if template in IMPACT_SURVEYS:
            application = await self._applications.repository.get(int(params["application_id"]))
            if application is None:
                return complete, Facts()
            complete.setdefault("phase", application.phase_code)
            step = next_step(await self._impact.answers(application.id))
            return complete, Facts(status=application.status, survey_step=step)
        if template in ABOUT_AN_APPLICATION:
            application = await self._applications.repository.get(int(params["application_id"]))
            if application is None:
                return complete, Facts()
            await self._complete(template, complete, application)
            seat = None
            if template == Template.TRAINING_SOON:  # reminded only of a seat still held
                seat = await self._applications.repository.seat_state(
                    application.id, str(params.get("training"))
                )
            return complete, Facts(status=application.status, seat=seat)
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
        if "structure" not in params:  # before issue 16: the name answered in the form
            names = await self._applications.repository.structure_names([application.id])
            if application.id in names:
                params["structure"] = names[application.id]
        if template == Template.DECISION and "trainings" not in params:
            params["trainings"] = await self._applications.chosen_trainings(application.id)
        if template == Template.CONFIRM_SOON and "deadline" not in params:
            repository = self._applications.repository
            params["deadline"] = await repository.decision_deadline(application.id)

    async def _organizer_notice(
        self, template: Template, params: Mapping[str, Any], recipient_id: int
    ) -> Facts:
        """Nothing for someone no longer in the team, or once the events are erased."""
        if await self._roles.role_of(recipient_id) not in TOLD_ROLES:
            return Facts()
        if template == Template.ORGANIZER_EVENT:
            event = await self._events.event(int(params["event_id"]))
            events = [event] if event is not None else []
        else:
            events = await self._events.digest(str(params["digest_at"]))
        return Facts(events=tuple(events), offerable=tuple(await self._offerable(events)))

    async def _offerable(self, events: list[Event]) -> list[str]:
        """The phases of these events where a place waits for an organizer: free, and someone
        on the waiting list."""
        codes = dict.fromkeys(event.phase_code for event in events if event.kind == PLACE_FREE)
        waiting = await self._events.free_places_waiting(codes)
        found = []
        for code in (code for code in codes if code in waiting):
            phase = self._catalogue.phase(code)
            if phase is None:
                continue
            if (await self._applications.availability(phase)).places_left <= 0:
                continue
            if await self._applications.repository.first_waitlisted(code) is not None:
                found.append(code)
        return found
