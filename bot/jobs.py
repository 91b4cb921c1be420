"""What runs on its own: the periodic jobs and the report made at start-up. Each reads and
writes through the services; none holds state of its own between runs (the JobQueue forgets on
restart, so every job is safe to run again at any time)."""

from __future__ import annotations

import logging

from bot.context import BotContext, Services
from bot.services.backups import daily_backup
from bot.services.monitoring import queue_error_report
from bot.services.offsite import copy_offsite
from storage.outbox import NewDelivery
from storage.templates import Template

log = logging.getLogger(__name__)


async def expire_overdue(context: BotContext) -> None:
    """Every minute: unconfirmed acceptances and offers expire, freed places move on; so do
    training seats offered and left unanswered (storage/seat_offers.py)."""
    services = context.services
    if services.operations.storage_loss is not None:
        return  # decisions would go into a lost file, their messages promise what is gone
    # Each change writes its own message and reminders (`set_status`).
    await services.applications.expire_overdue()
    for lapsed in await services.trainings.expire_offers():
        log.info(
            "training seat offer lapsed (%s, application %s)",
            lapsed.training,
            lapsed.application_id,
        )


async def backup_if_due(context: BotContext) -> None:
    """Every hour: a backup if the newest in BACKUP_DIR is a day old. Checking often, rather
    than once every 24 h from the start, means a restart neither adds a backup nor delays one."""
    services = context.services
    settings = services.settings
    made = await daily_backup(services.db, settings.backup_dir, services.clock())
    if made is None:
        return
    log.info("daily backup written: %s", made)
    if settings.backup_command:
        # A failure raises: the error handler reports it to the admins (job daily_backup).
        await copy_offsite(settings.backup_command, made)


async def flush_error_reports(context: BotContext) -> None:
    """Every minute: errors held back by the rate limit are reported once it allows."""
    services = context.services
    now = services.clock()
    report = services.operations.errors.flush(now)
    if report is not None:
        await queue_error_report(services.roles, services.outbox, report, now)


async def report_undelivered(context: BotContext) -> None:
    """Every 15 s: deliveries that failed for good are reported to the team (rate-limited)."""
    dispatcher = context.services.dispatcher
    if dispatcher is not None:
        await dispatcher.report_failures()


async def purge_expired_data(context: BotContext) -> None:
    """Daily: erase the personal data of applications to markets over for longer than the
    retention period (RETENTION_MONTHS). The JobQueue forgets on restart, so it also runs
    shortly after every start."""
    if context.services.operations.storage_loss is not None:
        return  # an erasure in a lost file would be undone when it is put back
    await context.services.privacy.purge_expired()
    await context.services.team.purge_invites()
    await context.services.helpdesk.purge_expired()


async def queue_impact_surveys(context: BotContext) -> None:
    """Every 10 minutes: the impact survey of phases over since yesterday, and its reminder,
    queued once per exhibitor (their dedupe keys make the later runs change nothing)."""
    services = context.services
    if services.operations.storage_loss is not None:
        return
    await services.impact.queue_due(services.catalogue, services.clock())


async def report_interrupted(services: Services) -> None:
    """Deliveries caught in flight by a crash may or may not have arrived: tell the
    organizers rather than resend them."""
    lost = await services.outbox.interrupted()
    if not lost:
        return
    log.warning("%d deliveries were interrupted by a restart", len(lost))
    now = services.clock()
    reports = [
        NewDelivery(
            member.user_id,
            "notification",
            Template.OUTBOX_INTERRUPTED,
            {"count": len(lost)},
            now,
            f"interrupted:{lost[0].id}:{member.user_id}",
        )
        for member in await services.roles.team()
        if member.role in {"admin", "organizer"}
    ]
    await services.outbox.enqueue(reports, now)
