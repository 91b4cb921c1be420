"""`python -m bot`: settings -> logging -> catalogue -> application -> long polling."""

from __future__ import annotations

import logging
import os
import sys

from telegram import Update

from bot.catalogue import CatalogueError, load_catalogue
from bot.clock import check_time_zone_data
from bot.config import Settings, SettingsError, load_settings, read_environment


class RedactToken(logging.Filter):
    """Keep the token out of every log line (httpx logs full request URLs)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token in message:
            record.msg, record.args = message.replace(self._token, "<token>"), None
        return True


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RedactToken(settings.bot_token))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job run otherwise


def main() -> int:
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

    from bot.app import build_application

    application = build_application(settings, catalogue)
    application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
