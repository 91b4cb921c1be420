"""Telling the team what the outbox could not do: messages that may not have arrived or never
will, and a Telegram or network outage (once when it starts, once when it ends).

Every notice goes through the outbox itself, so it leaves as soon as Telegram takes messages
again; the log has it at WARNING at once. Reports carry application references, never
personal data.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from storage.applications import ApplicationRepository
from storage.outbox import Failure, NewDelivery, OutboxRepository
from storage.roles import RoleRepository
from storage.templates import TEAM, Template

log = logging.getLogger(__name__)

REPORT_INTERVAL = timedelta(minutes=5)  # at most one report of failures this often
LISTED = 10  # application references named in a report, the others counted


def is_uncertain(reason: str) -> bool:
    return reason.startswith("uncertain")


class DeliveryAlerts:
    def __init__(
        self,
        roles: RoleRepository,
        outbox: OutboxRepository,
        applications: ApplicationRepository,
        interval: timedelta = REPORT_INTERVAL,
    ) -> None:
        self._roles = roles
        self._outbox = outbox
        self._applications = applications
        self._interval = interval
        self._last_report: datetime | None = None

    async def _team(self, roles: set[str]) -> list[int]:
        return [member.user_id for member in await self._roles.team() if member.role in roles]

    async def outage(self, since: datetime, now: datetime, waiting: int) -> None:
        log.warning(
            "deliveries have been failing since %s (%d waiting): the admins will be told as"
            " soon as a message can go",
            since.isoformat(timespec="seconds"),
            waiting,
        )
        await self._notify(Template.OUTBOX_OUTAGE, {"since": since.isoformat()}, now)

    async def recovered(self, since: datetime, now: datetime) -> None:
        log.warning(
            "deliveries work again after failing since %s", since.isoformat(timespec="seconds")
        )
        # Not sent yet (Telegram was down for the admins too): the notice of the end says it all.
        await self._outbox.cancel_pending(Template.OUTBOX_OUTAGE)
        await self._notify(
            Template.OUTBOX_RECOVERED, {"since": since.isoformat(), "until": now.isoformat()}, now
        )

    async def _notify(self, template: Template, params: dict[str, Any], now: datetime) -> None:
        admins = await self._team({"admin"})
        await self._outbox.enqueue(
            [
                NewDelivery(
                    admin, "notification", template, params, now, f"{template}:{now}:{admin}"
                )
                for admin in admins
            ],
            now,
        )

    async def report_failures(self, now: datetime) -> int:
        """One report to admins and organizers of the deliveries that failed for good since
        the last one (at most one every `interval`); returns how many it covers."""
        if self._last_report is not None and now - self._last_report < self._interval:
            return 0
        failures = await self._outbox.to_report()
        if not failures:
            return 0
        concerning: list[Failure] = []
        for failure in failures:
            if failure.delivery.template in TEAM:
                log.warning(
                    "team message %s not delivered: %s", failure.delivery.id, failure.reason
                )
            else:
                concerning.append(failure)
        reports: list[NewDelivery] = []
        if concerning:
            params = await self._params(concerning)
            last = concerning[-1].delivery.id
            reports = [
                NewDelivery(
                    member,
                    "notification",
                    Template.OUTBOX_UNDELIVERED,
                    params,
                    now,
                    f"{Template.OUTBOX_UNDELIVERED}:{last}:{member}",
                )
                for member in await self._team({"admin", "organizer"})
            ]
            self._last_report = now
        await self._outbox.report_failures([f.delivery.id for f in failures], reports, now)
        return len(concerning)

    async def _params(self, failures: list[Failure]) -> dict[str, Any]:
        kinds = Counter(
            "uncertain" if is_uncertain(failure.reason) else "failed" for failure in failures
        )
        references: list[str] = []
        for failure in failures:
            application_id = failure.delivery.params.get("application_id")
            if application_id is None:
                continue
            application = await self._applications.get(int(application_id))
            reference = application.reference if application is not None else None
            if reference and reference not in references:
                references.append(reference)
        return {
            "uncertain": kinds["uncertain"],
            "failed": kinds["failed"],
            "references": references[:LISTED],
            "more": max(len(references) - LISTED, 0),
        }
