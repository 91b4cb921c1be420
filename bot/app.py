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
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import callbacks as button
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
    info,
    language,
    menu,
    navigation,
    ops,
    privacy,
    questionnaire,
    reminders,
    reports,
    review,
    start,
    status,
    storage,
    summary,
    talk,
    team,
    users,
)
from bot.handlers import (
    catalogue as catalogue_handlers,
)
from bot.handlers.access import requires
from bot.handlers.common import refuse_button
from bot.handlers.questionnaire import informs
from bot.handlers.routes import route
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
GROUP_BROADCAST_DRAFT = 0  # an organizer writing an announcement; otherwise passes through
GROUP_MAIN = 1


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
        group=GROUP_BROADCAST_DRAFT,
    )
    handlers = [
        # Commands first, so /start always works whatever the user was doing. Those wrapped in
        # `informs` show an application in progress again after their answer: typed text
        # then answers a question on screen (the others wait for a button, or open the form).
        CommandHandler("start", start.start, filters=private),
        CommandHandler("menu", informs(menu.menu_command), filters=private),
        CommandHandler("language", language.language_command, filters=private),
        CommandHandler("info", informs(info.info_command), filters=private),
        CommandHandler("help", informs(help.help_command), filters=private),
        CommandHandler("apply", apply.apply_command, filters=private),
        CommandHandler("status", informs(status.status_command), filters=private),
        CommandHandler("reminders", informs(reminders.reminders_command), filters=private),
        CommandHandler("correct", correct.correct_command, filters=private),
        CommandHandler("privacy", informs(privacy.privacy_command), filters=private),
        CommandHandler("mydata", informs(privacy.mydata_command), filters=private),
        CommandHandler("delete_my_data", privacy.delete_command, filters=private),
        # The organizer console: guarded, so that to others these commands do not exist.
        CommandHandler("review", requires("review", review.review_command), filters=private),
        CommandHandler("app", requires("review", review.app_command), filters=private),
        CommandHandler("find", requires("review", review.find_command), filters=private),
        CommandHandler("export", requires("export", reports.export_command), filters=private),
        CommandHandler("stats", requires("export", reports.stats_command), filters=private),
        CommandHandler("close", requires("decide", team.close_command), filters=private),
        CommandHandler("open", requires("decide", team.open_command), filters=private),
        CommandHandler(
            "broadcast", requires("broadcast", broadcast.broadcast_command), filters=private
        ),
        CommandHandler(
            "broadcasts", requires("broadcast", broadcast.broadcasts_command), filters=private
        ),
        CommandHandler(
            "reload", requires("catalogue", catalogue_handlers.reload_command), filters=private
        ),
        CommandHandler("grant", requires("team", team.grant_command), filters=private),
        CommandHandler("revoke", requires("team", team.revoke_command), filters=private),
        CommandHandler("team", requires("team", team.team_command), filters=private),
        CommandHandler("backup", requires("operate", ops.backup_command), filters=private),
        CommandHandler("health", requires("operate", ops.health_command), filters=private),
        # Buttons: each handler gets the button pressed, parsed (bot/callbacks.py); data of its
        # action that does not parse gets the stale answer (`stale`, by default the menu).
        route(button.ChooseLanguage, language.choose_language, stale=refuse_button),
        route(button.OpenMenu, navigation.menu_button),
        route(button.ShowMarket, info.market_button, stale=refuse_button, then=informs),
        route(button.ChooseMarket, apply.apply_button),
        route(button.ChoosePhase, apply.phase_button),
        route(button.Consent, apply.consent_button),
        route(button.Resume, apply.resume_button),
        route(button.Choose, questionnaire.choice_button, stale=questionnaire.refuse_in_form),
        route(button.Toggle, questionnaire.toggle_button, stale=questionnaire.refuse_in_form),
        route(button.Done, questionnaire.done_button, stale=questionnaire.refuse_in_form),
        route(button.Skip, questionnaire.skip_button, stale=questionnaire.refuse_in_form),
        route(button.EditAnswer, summary.edit_button, stale=summary.refuse_at_summary),
        route(button.BackToSummary, summary.back_button, stale=questionnaire.refuse_in_form),
        route(button.Submit, summary.submit_button, stale=summary.refuse_at_summary),
        route(button.Cancel, summary.cancel_button, stale=summary.refuse_at_summary),
        route(
            button.CancelConfirmed, summary.cancel_confirmed_button, stale=summary.refuse_at_summary
        ),
        route(button.Withdraw, status.withdraw_button),
        route(button.WithdrawConfirmed, status.withdraw_confirmed_button),
        route(button.ConfirmOffer, decisions.offer_button),
        route(button.CalendarFile, decisions.calendar_button),
        route(button.SetReminders, reminders.reminders_button),
        route(button.Correct, correct.correct_button),
        route(button.CorrectAnswer, correct.correct_edit_button),
        route(button.EraseData, privacy.delete_button),
        route(button.ReviewCard, review.review_button, permission="review"),
        route(button.RejectFor, review.reject_button, permission="decide"),
        route(
            button.BroadcastStep,
            broadcast.broadcast_button,
            permission="broadcast",
            stale=refuse_button,
        ),
        # Old or forged buttons that match nothing above.
        CallbackQueryHandler(fallback.stale_button),
        # Unknown commands, edits of sent messages, then answers to the questionnaire (or,
        # with no application in progress, greetings, keywords and media: handlers/talk.py).
        MessageHandler(filters.COMMAND & private, informs(fallback.unknown_message)),
        MessageHandler(
            filters.UpdateType.EDITED_MESSAGE & private, questionnaire.on_edited_message
        ),
        MessageHandler(filters.ALL & private, talk.on_message),
    ]
    application.add_handlers(handlers, group=GROUP_MAIN)
    application.add_error_handler(errors.on_error)


def build_application(
    settings: Settings, catalogue: Catalogue, *, clock: Clock = system_clock
) -> BotApplication:
    i18n = I18n()

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
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    flood_control = FloodControl(settings.flood_max_updates, settings.flood_window_seconds)
    register_handlers(application, flood_control)
    return application
