"""The composition root: builds the Application and registers every handler, in order."""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.catalogue import Catalogue
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.context import SERVICES_KEY, BotApplication, BotContext, Services
from bot.handlers import (
    apply,
    errors,
    fallback,
    help,
    info,
    language,
    menu,
    navigation,
    questionnaire,
    start,
    status,
    summary,
    users,
)
from bot.i18n import I18n
from bot.keyboards import pattern
from bot.services.applications import ApplicationService
from bot.services.catalogue import sync_catalogue
from storage.applications import ApplicationRepository
from storage.catalogue import CatalogueRepository
from storage.db import Database
from storage.users import UserRepository

log = logging.getLogger(__name__)

# Handler groups run in order; within a group the first matching handler wins.
GROUP_TRACK_USER = -1  # every update: record the user, resolve the language, keep groups out
GROUP_MAIN = 0


def command_menu(i18n: I18n, locale: str) -> list[BotCommand]:
    t = i18n.translator(locale)
    return [
        BotCommand("start", t.gettext("Accueil")),
        BotCommand("apply", t.gettext("Candidater à un marché")),
        BotCommand("info", t.gettext("Marchés, dates et formations")),
        BotCommand("status", t.gettext("Ma candidature")),
        BotCommand("language", t.gettext("Changer de langue")),
        BotCommand("help", t.gettext("Aide")),
    ]


def register_handlers(application: BotApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(TypeHandler(Update, users.track_user), group=GROUP_TRACK_USER)
    handlers = [
        # Commands first, so /start always works whatever the user was doing.
        CommandHandler("start", start.start, filters=private),
        CommandHandler("menu", menu.menu_command, filters=private),
        CommandHandler("language", language.language_command, filters=private),
        CommandHandler("info", info.info_command, filters=private),
        CommandHandler("help", help.help_command, filters=private),
        CommandHandler("apply", apply.apply_command, filters=private),
        CommandHandler("status", status.status_command, filters=private),
        # Buttons, by the action code at the start of their callback data.
        CallbackQueryHandler(language.choose_language, pattern=pattern("lang")),
        CallbackQueryHandler(navigation.menu_button, pattern=pattern("menu")),
        CallbackQueryHandler(info.market_button, pattern=pattern("mkt")),
        CallbackQueryHandler(apply.apply_button, pattern=pattern("apply")),
        CallbackQueryHandler(apply.phase_button, pattern=pattern("ph")),
        CallbackQueryHandler(apply.consent_button, pattern=pattern("cons")),
        CallbackQueryHandler(apply.resume_button, pattern=pattern("res")),
        CallbackQueryHandler(questionnaire.choice_button, pattern=pattern("a")),
        CallbackQueryHandler(questionnaire.toggle_button, pattern=pattern("t")),
        CallbackQueryHandler(questionnaire.done_button, pattern=pattern("d")),
        CallbackQueryHandler(questionnaire.skip_button, pattern=pattern("s")),
        CallbackQueryHandler(summary.edit_button, pattern=pattern("e")),
        CallbackQueryHandler(summary.back_button, pattern=pattern("back")),
        CallbackQueryHandler(summary.submit_button, pattern=pattern("sub")),
        CallbackQueryHandler(summary.cancel_button, pattern=pattern("can")),
        CallbackQueryHandler(summary.cancel_confirmed_button, pattern=pattern("cany")),
        CallbackQueryHandler(status.withdraw_button, pattern=pattern("wd")),
        CallbackQueryHandler(status.withdraw_confirmed_button, pattern=pattern("wdy")),
        # Old or forged buttons that match nothing above.
        CallbackQueryHandler(fallback.stale_button),
        # Unknown commands, edits of sent messages, then answers to the questionnaire.
        MessageHandler(filters.COMMAND & private, fallback.unknown_message),
        MessageHandler(
            filters.UpdateType.EDITED_MESSAGE & private, questionnaire.on_edited_message
        ),
        MessageHandler(filters.ALL & private, questionnaire.on_message),
    ]
    application.add_handlers(handlers, group=GROUP_MAIN)
    application.add_error_handler(errors.on_error)


def build_application(
    settings: Settings, catalogue: Catalogue, *, clock: Clock = system_clock
) -> BotApplication:
    i18n = I18n()

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        db = await Database.open(settings.database_path)
        catalogue_rows = CatalogueRepository(db)
        await sync_catalogue(catalogue, catalogue_rows)
        users_repository = UserRepository(db)
        applications = ApplicationService(
            ApplicationRepository(db), catalogue_rows, catalogue, clock
        )
        application.bot_data[SERVICES_KEY] = Services(
            settings=settings,
            db=db,
            i18n=i18n,
            catalogue=catalogue,
            clock=clock,
            users=users_repository,
            catalogue_rows=catalogue_rows,
            applications=applications,
        )
        bot = application.bot
        await bot.set_my_commands(command_menu(i18n, "fr"))
        for locale in i18n.locales:
            await bot.set_my_commands(command_menu(i18n, locale), language_code=locale)
        log.info("bot @%s ready: %d markets", bot.username, len(catalogue.markets))

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
        .rate_limiter(AIORateLimiter(max_retries=3))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    register_handlers(application)
    return application
