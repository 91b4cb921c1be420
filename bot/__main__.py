"""`python -m bot`: settings -> catalogue -> logging -> application -> polling or webhook."""

from __future__ import annotations

import logging
import os
import sys

from telegram import Update

from bot.catalogue import CatalogueError, load_catalogue
from bot.clock import check_time_zone_data
from bot.config import Settings, SettingsError, load_settings, read_environment
from bot.talk import KeywordsError, bundled_keywords


class RedactSecrets(logging.Filter):
    """Keep the token and the webhook secret out of every log line (httpx logs full request
    URLs; PTB logs the parameters of setWebhook at DEBUG level)."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self._secrets = tuple(secret for secret in secrets if secret)

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
    try:
        bundled_keywords()
    except KeywordsError as error:
        print(f"keywords error: {error}", file=sys.stderr)
        return 2
    check_time_zone_data()
    configure_logging(settings)

    from bot.app import build_application

    application = build_application(settings, catalogue)
    webhook = settings.webhook
    if webhook is None:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
        return 0
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
