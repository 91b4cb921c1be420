"""`python -m bot`: settings -> catalogue -> logging -> application -> polling or webhook."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading

from telegram import Update
from telegram.error import InvalidToken

from bot.catalogue import Catalogue, CatalogueError, load_catalogue
from bot.clock import check_time_zone_data
from bot.config import Settings, SettingsError, load_settings, read_environment
from bot.startup import StartupError, check_listen, reach_telegram
from storage.db import DatabaseUnusable

log = logging.getLogger("bot")


class RedactSecrets(logging.Filter):
    """Keep the token and the webhook secret out of every log line (httpx logs full request
    URLs; PTB logs the parameters of setWebhook at DEBUG level)."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self._secrets = tuple(secret for secret in secrets if secret)

    def text(self, message: str) -> str:
        for secret in self._secrets:
            message = message.replace(secret, "<secret>")
        return message

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "<secret>")
            record.msg, record.args = message, None
        return True


# The bot's own loggers: LOG_LEVEL=DEBUG applies to them only.
OWN_LOGGERS = ("bot", "storage")


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RedactSecrets(settings.secrets))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # Libraries log whole updates, requests and SQL parameters at DEBUG (python-telegram-bot,
    # httpcore, aiosqlite): applicants' messages, names and phone numbers. They stay at INFO.
    level = int(logging.getLevelName(settings.log_level))
    logging.basicConfig(level=max(level, logging.INFO), handlers=[handler], force=True)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job run otherwise


def main() -> int:
    """Run the bot; with SOUK_PROFILE=path, under cProfile, the stats dumped to path at exit
    (read them with `python -m pstats path`; bench/RESULTS.md shows what they found)."""
    profile_path = os.environ.get("SOUK_PROFILE", "").strip()
    if not profile_path:
        return run()
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        return run()
    finally:
        profiler.disable()
        profiler.dump_stats(profile_path)


def run() -> int:
    try:
        settings = load_settings(read_environment(os.environ))
    except SettingsError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    try:
        catalogue = load_catalogue(settings.markets_file)
    except CatalogueError as error:
        print(f"catalogue error: {error}", file=sys.stderr)
        return 2
    check_time_zone_data()
    configure_logging(settings)
    redact = RedactSecrets(settings.secrets)
    try:
        serve(settings, catalogue)
    except SettingsError as error:
        print(redact.text(f"configuration error: {error}"), file=sys.stderr)
        return 2
    except DatabaseUnusable as error:
        print(redact.text(f"configuration error: DATABASE_PATH: {error}"), file=sys.stderr)
        return 2
    except StartupError as error:
        print(redact.text(f"start-up error: {error}"), file=sys.stderr)
        return 2
    except InvalidToken:  # PTB's message quotes the token
        print("configuration error: BOT_TOKEN: Telegram refused this token", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C while Telegram was being tried again
        return 130
    except Exception as error:
        # Truly unexpected: the traceback is for the developer, the last line for the operator.
        log.critical("the bot stopped on an unexpected error", exc_info=True)
        print(redact.text(f"start-up error: {type(error).__name__}: {error}"), file=sys.stderr)
        return 1
    return 0


def serve(settings: Settings, catalogue: Catalogue) -> None:
    """Check what can be checked before anything opens, then run until stopped."""
    webhook = settings.webhook
    if webhook is not None:
        check_listen(webhook.listen, webhook.port)

    from bot.app import build_application

    application = build_application(settings, catalogue)
    # The loop PTB's run_* then finds with asyncio.get_event_loop(): the bot initialized here
    # is the one it uses.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(reach_telegram(application.bot, settings.telegram_wait_seconds))
    except BaseException:
        loop.close()
        raise
    if webhook is None:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
        return
    # PTB calls setWebhook, then serves url_path on listen:port; it answers 403 to a post whose
    # X-Telegram-Bot-Api-Secret-Token header is missing or wrong (telegram/ext/_utils/
    # webhookhandler.py). While a webhook is set, getUpdates fails with 409
    # (https://core.telegram.org/bots/api#getupdates); run_polling calls deleteWebhook first, so
    # going back to polling needs nothing. The webhook stays set when the bot stops: Telegram
    # keeps the updates (up to 24 hours) and posts them once the bot listens again.
    application.run_webhook(
        listen=webhook.listen,
        port=webhook.port,
        url_path=webhook.url_path,
        webhook_url=webhook.url,
        secret_token=webhook.secret,
        allowed_updates=Update.ALL_TYPES,
    )


def exit_now(code: int) -> None:
    """Exit with `code`, even if a library left a thread running (an unclosed database
    connection keeps aiosqlite's thread alive, and the interpreter would wait for it
    forever): after a failed start nothing remains to flush but the logs."""
    if code != 0 and threading.active_count() > 1:
        logging.shutdown()
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    exit_now(main())
