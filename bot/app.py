"""The composition root: builds the Application and registers every handler, in order."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import jobs
from bot.catalogue import Catalogue
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.context import SERVICES_KEY, BotApplication, BotContext, Services
from bot.flood import FloodControl
from bot.handlers import (
    apply,
    broadcast,
    correct,
    decisions,
    errors,
    fallback,
    flood,
    help,
    helpdesk,
    impact,
    info,
    invites,
    language,
    media,
    menu,
    navigation,
    ops,
    organizer_notices,
    poster,
    privacy,
    questionnaire,
    reminders,
    reports,
    review,
    stands,
    start,
    status,
    storage,
    summary,
    talk,
    team,
    trainings,
    users,
    voice,
)
from bot.handlers import (
    catalogue as catalogue_handlers,
)
from bot.handlers.questionnaire import informs
from bot.heartbeat import INTERVAL_SECONDS as HEARTBEAT_SECONDS
from bot.heartbeat import LIVENESS_KEY, Liveness, PollingRequest, write_heartbeat
from bot.i18n import I18n
from bot.menus import set_public_menus, set_team_menus
from bot.ratelimit import MessageRateLimiter, spacing_for
from bot.services.catalogue import sync_catalogue
from bot.services.delivery_alerts import DeliveryAlerts
from bot.services.outbox import Dispatcher
from bot.services.reminders import sync_reminders
from bot.updates import PerUserOrder
from bot.wiring import build_services, render_delivery
from storage.catalogue import CatalogueRepository
from storage.db import Database
from storage.seat_offers import OfferTerms

log = logging.getLogger(__name__)

# Handler groups run in order; within a group the first matching handler wins.
OUTBOX_TASK = "outbox_task"

# The update kinds the handlers below take: Telegram sends no other (polling and webhook
# alike), so no chat member, poll or reaction update, with its names and texts, reaches the
# bot or its log (https://core.telegram.org/bots/api#getupdates). A new kind of handler adds
# its kind here; tests/bot/test_app.py checks every handler against this list.
ALLOWED_UPDATES = (Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY)

GROUP_FLOOD = -4  # every update: a user over the limit is told once, then ignored a while
GROUP_STORAGE = -3  # every update: the database file must still be the one the bot opened
GROUP_TRACK_USER = -2  # every update: record the user, resolve the language, keep groups out
GROUP_CONSOLE_NOTE = -1  # an organizer typing a rejection reason; otherwise passes through
# An organizer's input to a console step: an announcement's text or photo, the voice note of
# a prompt chosen in /voice, an edited catalogue file. Their filters are disjoint; a message
# that is none of these, or from someone not at such a step, passes through.
GROUP_TEAM_INPUT = 0
GROUP_MAIN = 1

# The table of contents: members' features first, then the organizer console.
FEATURES = (
    start,
    menu,
    navigation,
    language,
    info,
    help,
    apply,
    questionnaire,
    summary,
    status,
    decisions,
    reminders,
    correct,
    privacy,
    voice,
    helpdesk,
    review,
    reports,
    impact,
    media,
    team,
    invites,
    broadcast,
    poster,
    stands,
    catalogue_handlers,
    organizer_notices,
    trainings,
    ops,
)


def register_handlers(application: BotApplication, flood_control: FloodControl) -> None:
    private = filters.ChatType.PRIVATE
    # Before the user is even recorded: an ignored update must not cost a database write.
    application.add_handler(
        TypeHandler(Update, flood.flood_guard(flood_control)), group=GROUP_FLOOD
    )
    application.add_handler(TypeHandler(Update, storage.storage_guard), group=GROUP_STORAGE)
    application.add_handler(TypeHandler(Update, users.track_user), group=GROUP_TRACK_USER)
    application.add_handler(
        MessageHandler(filters.TEXT & private, review.reject_note), group=GROUP_CONSOLE_NOTE
    )
    application.add_handler(
        MessageHandler((filters.TEXT | filters.PHOTO) & private, broadcast.draft_input),
        group=GROUP_TEAM_INPUT,
    )
    application.add_handler(
        MessageHandler(filters.VOICE & private, voice.recorded_voice), group=GROUP_TEAM_INPUT
    )
    application.add_handler(
        MessageHandler(filters.Document.ALL & private, catalogue_handlers.catalogue_upload),
        group=GROUP_TEAM_INPUT,
    )
    # Each feature states its audience once and lists its commands and buttons (bot/handlers/
    # audience.py); they match disjoint commands and button codes, so their order is free.
    handlers = [handler for feature in FEATURES for handler in feature.handlers()]
    handlers += [
        # Old or forged buttons that match nothing above.
        CallbackQueryHandler(fallback.stale_button),
        # Unknown commands, edits of sent messages, then answers to the questionnaire (or,
        # with no application in progress, greetings, keywords and media: handlers/talk.py).
        MessageHandler(filters.COMMAND & private, informs(fallback.unknown_message)),
        MessageHandler(
            filters.UpdateType.EDITED_MESSAGE & private, questionnaire.on_edited_message
        ),
        MessageHandler(filters.FORWARDED & private, team.forwarded_message),
        # An admin's forward offers its author a role; anyone else's is an ordinary message.
        MessageHandler(filters.FORWARDED & private, team.forwarded_message),
        MessageHandler(filters.ALL & private, talk.on_message),
    ]
    application.add_handlers(handlers, group=GROUP_MAIN)
    application.add_error_handler(errors.on_error)


def build_application(
    settings: Settings, catalogue: Catalogue, *, clock: Clock = system_clock
) -> BotApplication:
    i18n = I18n()
    liveness = Liveness(clock)

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        db = await Database.open(settings.database_path)
        try:
            await start_services(application, db)
        except BaseException:
            # A failed start must end the process: an open connection keeps aiosqlite's
            # thread, and so the process, alive. post_shutdown must not close it again.
            application.bot_data.pop(SERVICES_KEY, None)
            await db.close()
            raise

    async def start_services(application: Application, db: Database) -> None:  # type: ignore[type-arg]
        await sync_catalogue(catalogue, CatalogueRepository(db))
        services = build_services(settings, catalogue, db, i18n, clock)
        await services.roles.sync_admins(settings.admin_ids, clock())
        await services.trainings.repository.set_offer_terms(
            OfferTerms(settings.training_offer_hours, settings.training_offer_cutoff_hours)
        )
        application.bot_data[SERVICES_KEY] = services
        applications, outbox, roles = services.applications, services.outbox, services.roles
        await jobs.report_interrupted(services)
        await sync_reminders(
            catalogue, applications.repository, outbox, clock(), settings.quiet_hours
        )
        services.dispatcher = dispatcher = Dispatcher(
            outbox,
            application.bot,
            lambda delivery: render_delivery(services, delivery),
            clock,
            services.quiet,
            services.operations.delivery,
            DeliveryAlerts(roles, outbox, applications.repository),
            beat=liveness.outbox_turned,
        )
        bot = application.bot
        await set_public_menus(bot, i18n)
        await set_team_menus(bot, i18n, roles)
        if application.job_queue is not None:
            application.job_queue.run_repeating(jobs.expire_overdue, interval=60, first=5)
            application.job_queue.run_repeating(broadcast.progress_job, interval=5, first=1)
            application.job_queue.run_repeating(
                jobs.backup_if_due, interval=3600, first=60, name="daily_backup"
            )
            application.job_queue.run_repeating(
                jobs.purge_expired_data, interval=24 * 3600, first=30, name="retention"
            )
            application.job_queue.run_repeating(
                jobs.flush_error_reports, interval=60, first=60, name="error_reports"
            )
            application.job_queue.run_repeating(
                storage.watch_database, interval=60, first=60, name="watch_database"
            )
            application.job_queue.run_repeating(
                jobs.report_undelivered, interval=15, first=15, name="undelivered"
            )
            application.job_queue.run_repeating(
                trainings.issue_attestations, interval=15, first=3, name="attestations"
            )
            application.job_queue.run_repeating(
                jobs.queue_impact_surveys, interval=600, first=10, name="impact_surveys"
            )
            application.job_queue.run_repeating(
                write_heartbeat, interval=HEARTBEAT_SECONDS, first=2, name="heartbeat"
            )
        # One long-running task, not a job: it paces itself and wakes when something is queued.
        application.bot_data[OUTBOX_TASK] = asyncio.create_task(dispatcher.run(), name="outbox")
        log.info("bot @%s ready: %d markets", bot.username, len(catalogue.markets))

    async def post_stop(application: Application) -> None:  # type: ignore[type-arg]
        task = application.bot_data.pop(OUTBOX_TASK, None)
        if isinstance(task, asyncio.Task):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        services = application.bot_data.get(SERVICES_KEY)
        if isinstance(services, Services):
            await services.db.close()

    application: BotApplication = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.bot_api_url)
        .base_file_url(settings.bot_file_url)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerUserOrder(settings.concurrent_updates))
        .rate_limiter(
            MessageRateLimiter(
                spacing=spacing_for(settings.messages_per_second),
                window_limit=settings.messages_per_second,
            )
        )
        .get_updates_request(PollingRequest(liveness))
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    flood_control = FloodControl(settings.flood_max_updates, settings.flood_window_seconds)
    register_handlers(application, flood_control)
    application.bot_data[LIVENESS_KEY] = liveness
    return application
