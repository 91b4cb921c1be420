"""Everything stored about one person, as `/mydata` shows it: the records that
`PrivacyRepository.personal_data` (storage/privacy.py) reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class UserRecord:
    id: int
    locale: str | None
    first_name: str
    first_seen: str
    last_seen: str
    blocked: bool
    reminders_off: bool


@dataclass(frozen=True)
class StatusRecord:
    from_status: str
    to_status: str
    reason: str | None
    changed_at: str
    by_applicant: bool


@dataclass(frozen=True)
class ApplicationRecord:
    id: int
    phase_code: str
    status: str
    reference: str | None
    created_at: str
    submitted_at: str | None
    updated_at: str
    decision_deadline: str | None
    reject_reason: str | None
    answers: dict[str, Any]  # question key -> JSON-decoded value (complete or being ticked)
    history: tuple[StatusRecord, ...]
    corrections: tuple[tuple[str, str], ...]  # (question key, changed_at)


@dataclass(frozen=True)
class ConsentRecord:
    phase_code: str
    version: str
    accepted: bool
    decided_at: str


@dataclass(frozen=True)
class DeliveryRecord:
    kind: str
    template: str
    status: str
    created_at: str
    not_before: str
    sent_at: str | None


@dataclass(frozen=True)
class PersonalData:
    user: UserRecord | None
    role: str | None
    applications: tuple[ApplicationRecord, ...]
    consents: tuple[ConsentRecord, ...]
    deliveries: tuple[DeliveryRecord, ...]
