"""Training seats a member takes or gives up, the attendance of a session, attestations.

The rules of seats (taken at acceptance, freed by a decline, a withdrawal, an expiry or a
member's cancel, offered to the next who asked) are in `storage/trainings.py`, in the same
transactions as the changes that cause them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.catalogue import Catalogue, Training
from bot.clock import Clock
from storage.seat_offers import Lapsed
from storage.trainings import (
    Attendee,
    Attestation,
    DueAttestation,
    TrainingRepository,
    new_code,
)

# A session's QR code is valid from its start until an hour after its end.
AFTER_SESSION = timedelta(hours=1)
_CODE = re.compile(r"[^0-9A-Z]")


class Scan(Enum):
    UNKNOWN = "unknown"  # no session has this token
    OUTSIDE = "outside"  # before the session, or more than an hour after it
    NO_SEAT = "no_seat"
    SIGNED = "signed"


@dataclass(frozen=True)
class Scanned:
    outcome: Scan
    training: Training | None = None


def is_open(training: Training, now: datetime) -> bool:
    return training.starts <= now < training.ends + AFTER_SESSION


def normalize_code(text: str) -> str:
    """`k7qm 4xpd 9tra` -> `K7QM-4XPD-9TRA`: how people copy a code from paper."""
    letters = _CODE.sub("", text.upper())
    if len(letters) != 12:
        return text.strip().upper()[:40]
    return f"{letters[:4]}-{letters[4:8]}-{letters[8:]}"


class TrainingService:
    def __init__(self, repository: TrainingRepository, catalogue: Catalogue, clock: Clock) -> None:
        self.repository = repository
        self._catalogue = catalogue
        self._clock = clock

    async def take(self, application_id: int, code: str, user_id: int) -> Training | None:
        """A proposed seat taken; None if it is no longer theirs or the training has begun."""
        training = self._catalogue.training(code)
        if training is None or self._clock() >= training.starts:
            return None
        taken = await self.repository.take(application_id, code, user_id, self._clock())
        return training if taken else None

    async def expire_offers(self) -> list[Lapsed]:
        """Offers left unanswered past their time pass to the next one waiting."""
        return await self.repository.expire_offers(self._clock())

    async def drop(self, application_id: int, code: str, user_id: int) -> bool:
        return await self.repository.cancel(application_id, code, user_id, self._clock())

    def upcoming(self) -> list[Training]:
        """Trainings whose QR code still means something: not yet over by more than an hour."""
        now = self._clock()
        trainings = [t for m in self._catalogue.markets for t in m.trainings]
        return sorted(
            (t for t in trainings if now < t.ends + AFTER_SESSION), key=lambda t: t.starts
        )

    async def token(self, training: Training) -> str:
        return await self.repository.token(training.code, self._clock())

    async def attendees(self, training: Training) -> list[Attendee]:
        return await self.repository.attendees(training.code)

    async def mark(self, training: Training, application_id: int, by: int) -> bool | None:
        return await self.repository.mark(training.code, application_id, by, self._clock())

    async def scan(self, token: str, user_id: int) -> Scanned:
        """A member opened a session's QR code: signed in during the session and its hour
        after, refused outside it."""
        code = await self.repository.training_of_token(token)
        training = self._catalogue.training(code) if code else None
        if training is None:
            return Scanned(Scan.UNKNOWN)
        now = self._clock()
        if not is_open(training, now):
            return Scanned(Scan.OUTSIDE, training)
        seat = await self.repository.sign_in(training.code, user_id, now)
        return Scanned(Scan.SIGNED if seat else Scan.NO_SEAT, training)

    async def due(self) -> list[DueAttestation]:
        return await self.repository.due_attestations(self._clock())

    async def issue(self, due: DueAttestation, code: str, params: dict[str, object]) -> bool:
        return await self.repository.issue(due, code, params, self._clock())

    async def verify(self, text: str) -> tuple[str, Attestation | None]:
        code = normalize_code(text)
        return code, (await self.repository.attestation(code) if code else None)


__all__ = ["Scan", "Scanned", "TrainingService", "is_open", "new_code", "normalize_code"]
