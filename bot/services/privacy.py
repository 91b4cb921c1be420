"""Personal data (law 09-08): access (/mydata), erasure (/delete_my_data) and retention.

Plain async functions over repositories: testable without Telegram. What an erasure keeps and
why is written in `storage/privacy.py`.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.clock import Clock
from bot.services.applications import ApplicationService, Change, Draft
from storage.applications import Answer, Application
from storage.db import Database
from storage.impact import ImpactRepository, SurveyRecord
from storage.privacy import ApplicationRecord, Erased, PersonalData, PrivacyRepository
from storage.statuses import Status, may_withdraw
from storage.tickets import Ticket, TicketRepository

log = logging.getLogger(__name__)

# An erasure withdraws the live applications first; a decision landing at the same moment can
# make a withdrawal fail once, hence a few rounds.
WITHDRAW_ROUNDS = 3


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's
    last day): "12 months after the market" means a year, whatever the month lengths."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass(frozen=True)
class MyApplication:
    """An application as stored, and as a Draft (for the views' labels) if its phase is still
    in the catalogue."""

    record: ApplicationRecord
    draft: Draft | None


@dataclass(frozen=True)
class MyData:
    data: PersonalData
    applications: tuple[MyApplication, ...]
    generated_at: datetime
    tickets: tuple[Ticket, ...] = ()  # questions to the team (the help desk)
    surveys: tuple[SurveyRecord, ...] = ()  # the impact survey after a market


@dataclass(frozen=True)
class Erasure:
    withdrawn: int  # live applications withdrawn before erasing
    changes: list[Change]  # the withdrawals and the offers of freed places they caused
    erased: Erased


class PrivacyService:
    def __init__(
        self,
        repository: PrivacyRepository,
        applications: ApplicationService,
        db: Database,
        retention_months: int,
        clock: Clock,
        tickets: TicketRepository | None = None,
    ) -> None:
        self.repository = repository
        self._tickets = tickets
        self._applications = applications
        self._db = db
        self.retention_months = retention_months
        self._clock = clock

    @property
    def _reason_codes(self) -> Collection[str]:
        """Rejection reasons from the catalogue: codes, not personal data; kept on erasure."""
        return {option.code for option in self._applications.catalogue.reject_reasons}

    async def my_data(self, user_id: int) -> MyData:
        data = await self.repository.personal_data(user_id)
        applications = []
        for record in data.applications:
            form = self._applications.form_for(record.phase_code)
            draft = None
            if form is not None:
                application = Application(
                    record.id,
                    user_id,
                    record.phase_code,
                    Status(record.status),
                    record.reference,
                    None,
                    record.created_at,
                    record.submitted_at,
                )
                answers = {key: Answer(value, True) for key, value in record.answers.items()}
                draft = Draft(application, answers, form)
            applications.append(MyApplication(record, draft))
        tickets = await self._tickets.of_user(user_id) if self._tickets is not None else []
        surveys = await ImpactRepository(self._db).of_user(user_id)
        return MyData(data, tuple(applications), self._clock(), tuple(tickets), tuple(surveys))

    async def erase(self, user_id: int) -> Erasure:
        """/delete_my_data: withdraw the live applications through the one door for status
        changes (audit rows, freed places offered to the waiting list, as for any withdrawal),
        then erase the personal data, then flush the WAL so no old copy stays in the files."""
        withdrawn, changes = 0, []
        for _ in range(WITHDRAW_ROUNDS):
            live = [
                application
                for application in await self._applications.repository.of_user(user_id)
                if may_withdraw(application.status)
            ]
            if not live:
                break
            for application in live:
                done = await self._applications.withdraw(user_id, application.id)
                if done is not None:
                    withdrawn += 1
                    changes += done
        erased = await self.repository.erase_user(user_id, self._reason_codes, self._clock())
        await self._db.checkpoint()
        log.info(
            "erased a user's data: %d applications (%d withdrawn), %d drafts, %d consents,"
            " %d deliveries",
            erased.applications,
            withdrawn,
            erased.drafts,
            erased.consents,
            erased.deliveries,
        )
        return Erasure(withdrawn, changes, erased)

    def retention_cutoff(self, now: datetime) -> datetime:
        """Phases that ended before this instant are past the retention period."""
        return months_before(now.astimezone(UTC), self.retention_months).replace(microsecond=0)

    async def purge_expired(self) -> Erased:
        """The daily retention job: the same erasure, without withdrawals (the markets are
        over), for every application to a phase that ended more than the retention period ago."""
        now = self._clock()
        erased = await self.repository.erase_ended(
            self.retention_cutoff(now), self._reason_codes, now
        )
        await self._db.checkpoint()  # also flushes first names forgotten by the same run
        if erased != Erased():
            log.info(
                "retention: erased %d applications, %d drafts, %d consents, %d deliveries",
                erased.applications,
                erased.drafts,
                erased.consents,
                erased.deliveries,
            )
        return erased
