"""The help desk: a member's question becomes a ticket for the organizers' team, and an
organizer's answer goes back to the member. Both travel through the outbox (storage/tickets.py
queues them in the transaction that records them): each is delivered once, or reported.

Plain async functions over repositories: testable without Telegram.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.i18n import N_
from bot.validation import ValidationError, clean_text
from storage.application_rows import Application
from storage.applications import ApplicationRepository
from storage.tickets import Ticket, TicketRepository, Wait

# A member who pressed "Ask a question" (or an organizer who pressed "Answer") and wrote
# nothing for this long has moved on: their next message is read as usual.
WAIT = timedelta(hours=1)
# The ticket's frame and the member's words fit one Telegram message (4096 characters).
MAX_QUESTION = 3000
MAX_ANSWER = 3000
DEFAULT_RETENTION_DAYS = 90


def clean_message(text: str, *, max_length: int) -> str:
    """Several lines kept (at most one blank line between them), each cleaned like an answer
    to the form (no bidi marks, no invisible characters)."""
    kept: list[str] = []
    for line in (clean_text(line) for line in text.replace("\r\n", "\n").split("\n")):
        if line or (kept and kept[-1]):
            kept.append(line)
    cleaned = "\n".join(kept).strip()
    if len(cleaned) < 2:
        raise ValidationError(N_("Le message est vide. Écrivez quelques mots."))
    if len(cleaned) > max_length:
        raise ValidationError(
            N_("Le message est trop long (%(length)s caractères, %(limit)s au plus)."),
            length=len(cleaned),
            limit=max_length,
        )
    return cleaned


@dataclass(frozen=True)
class Asker:
    """What the team sees of the member besides their words: their applications, with the
    structure's name each gives."""

    applications: tuple[tuple[Application, str], ...]


class HelpDesk:
    def __init__(
        self,
        tickets: TicketRepository,
        applications: ApplicationRepository,
        clock: Clock,
        retention_days: int = DEFAULT_RETENTION_DAYS,
    ) -> None:
        self.tickets = tickets
        self._applications = applications
        self._clock = clock
        self.retention_days = retention_days

    async def start_asking(self, user_id: int) -> None:
        await self.tickets.wait(user_id, None, self._clock())

    async def start_answering(self, organizer_id: int, ticket_id: int) -> Ticket | None:
        """The organizer's next text answers the ticket; None if it is closed or gone."""
        ticket = await self.tickets.get(ticket_id)
        if ticket is None or not ticket.is_open:
            return ticket
        await self.tickets.wait(organizer_id, ticket_id, self._clock())
        return ticket

    async def waiting(self, user_id: int) -> Wait | None:
        """What the user's next message is for, if they asked recently (WAIT)."""
        wait = await self.tickets.waiting(user_id)
        if wait is None:
            return None
        if self._clock() - wait.since > WAIT:
            await self.tickets.stop_waiting(user_id)
            return None
        return wait

    async def stop_waiting(self, user_id: int) -> bool:
        return await self.tickets.stop_waiting(user_id)

    async def ask(
        self,
        user_id: int,
        first_name: str,
        locale: str,
        kind: str,
        text: str | None,
        file_id: str | None,
        team_roles: Collection[str],
    ) -> Ticket:
        """Record the question; the team is told through the outbox. Text is cleaned first
        (ValidationError if empty or too long)."""
        if kind == "text":
            text = clean_message(text or "", max_length=MAX_QUESTION)
        elif text:  # a photo's caption (Telegram keeps it within 1024 characters): optional
            try:
                text = clean_message(text, max_length=MAX_QUESTION)
            except ValidationError:
                text = None
        return await self.tickets.ask(
            user_id, first_name, locale, kind, text or None, file_id, team_roles, self._clock()
        )

    async def answer(self, ticket_id: int, organizer_id: int, text: str) -> tuple[bool, Ticket]:
        """Close the ticket with the organizer's words, sent to the member through the outbox.
        (True, ticket) when done; (False, ticket as it is) when someone answered first.
        LookupError if the ticket is gone (erased by its member, or past its retention)."""
        cleaned = clean_message(text, max_length=MAX_ANSWER)
        answered = await self.tickets.answer(ticket_id, organizer_id, cleaned, self._clock())
        if answered is not None:
            return True, answered
        current = await self.tickets.get(ticket_id)
        if current is None:
            raise LookupError(ticket_id)
        return False, current

    async def asker(self, ticket: Ticket) -> Asker:
        """The member's sent applications as they are now."""
        found = []
        for application in await self._applications.of_user(ticket.user_id):
            answers = await self._applications.answers(application.id)
            name = answers.get("structure_name")
            found.append((application, str(name.value) if name is not None else ""))
        return Asker(tuple(found))

    def retention_cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.retention_days)

    async def purge_expired(self) -> int:
        """Retention: questions answered (or, unanswered, asked) more than `retention_days`
        ago are erased."""
        return await self.tickets.purge(self.retention_cutoff(self._clock()))
