"""`python -m bot`: settings -> catalogue -> logging -> application -> polling or webhook."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from telegram.error import InvalidToken

from bot.catalogue import Catalogue, CatalogueError, load_catalogue
from bot.clock import check_time_zone_data
from bot.config import Settings, SettingsError, load_settings, read_environment
from bot.startup import StartupError, check_listen, reach_telegram
from bot.talk import KeywordsError, bundled_keywords
from storage.db import DatabaseUnusable
from storage.files import UMASK
from storage.lock import DatabaseBusy, DatabaseLock

if TYPE_CHECKING:
    from bot.context import BotApplication

log = logging.getLogger("bot")


class RedactSecrets(logging.Filter):
    """Keep the token and the webhook secret out of every log line: the message and its
    arguments (httpx logs full request URLs; PTB logs the parameters of setWebhook at DEBUG
    level), an exception's text and traceback (PTB's InvalidToken quotes the token it was
    given), and the stack. Attached to the handler, it sees every record that is written."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        found = {secret for secret in secrets if secret}
        # In a URL the token's ":" is sometimes percent-encoded.
        found |= {quote(secret, safe="") for secret in found}
        self._secrets = tuple(sorted(found, key=len, reverse=True))

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "<secret>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # Formatter.format uses this cached text instead of formatting exc_info again.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class HideRawUpdates(logging.Filter):
    """PTB logs an update it cannot parse with its raw content ("Received data was %r", at
    CRITICAL, in telegram/_bot.py and telegram/ext/_utils/webhookhandler.py): applicants'
    names, phones and texts. The line stays, without the data."""

    _RAW = re.compile(r"(Received data was:?) %[rs]")

    def filter(self, record: logging.LogRecord) -> bool:
        if (
            record.name.startswith("telegram")
            and isinstance(record.msg, str)
            and record.args
            and self._RAW.search(record.msg)
        ):
            record.msg = self._RAW.sub(r"\1 <not logged: it may hold personal data>", record.msg)
            record.args = None
        return True


# The bot's own loggers: LOG_LEVEL=DEBUG applies to them only.
OWN_LOGGERS = ("bot", "storage")


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(HideRawUpdates())
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


USAGE = "usage: python -m bot [check | restore <backup file>]"


def main(args: Sequence[str] = ()) -> int:
    """Run the bot, or one of its commands for the operator (`check`, `restore`)."""
    if not args:
        return run_with_profile()
    # Whatever the command creates (the database's -shm, a restored file) is the bot's alone.
    os.umask(UMASK)
    if list(args) == ["check"]:
        from bot.check import check

        code, line = check(os.environ, datetime.now(UTC))
    elif len(args) == 2 and args[0] == "restore":
        from bot.restore import restore

        code, line = restore(os.environ, Path(args[1]), datetime.now(UTC))
    else:
        code, line = 2, USAGE
    print(line, file=sys.stdout if code == 0 else sys.stderr)
    return code


def run_with_profile() -> int:
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


def secure_data_files(settings: Settings) -> None:
    """Files 0600 in folders 0700 for the database, its -wal and -shm, and the backups: those
    left readable by others (by an older version, a copy, a restore) are tightened, and the log
    says which (the path only)."""
    from bot.services.backups import PREFIX
    from storage.files import database_files, tighten

    database, backups = settings.database_path, settings.backup_dir
    files = database_files(database)
    if backups.is_dir():
        files += sorted(path for path in backups.iterdir() if path.name.startswith(PREFIX))
    for change in tighten(files, [database.parent, backups]):
        logging.getLogger("bot").warning(
            "%s was open to other accounts (mode %o): now %o, the bot's own",
            change.path,
            change.before,
            change.after,
        )


def run() -> int:
    # Every file and folder the bot creates (database, -wal, -shm, backups) is its own alone.
    os.umask(UMASK)
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
    secure_data_files(settings)
    redact = RedactSecrets(settings.secrets)
    try:
        serve(settings, catalogue)
    except SettingsError as error:
        print(redact.redact(f"configuration error: {error}"), file=sys.stderr)
        return 2
    except DatabaseUnusable as error:
        print(redact.redact(f"configuration error: DATABASE_PATH: {error}"), file=sys.stderr)
        return 2
    except StartupError as error:
        print(redact.redact(f"start-up error: {error}"), file=sys.stderr)
        return 2
    except InvalidToken:  # PTB's message quotes the token
        print("configuration error: BOT_TOKEN: Telegram refused this token", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C while Telegram was being tried again
        return 130
    except Exception as error:
        # Truly unexpected: the traceback is for the developer, the last line for the operator.
        log.critical("the bot stopped on an unexpected error", exc_info=True)
        print(redact.redact(f"start-up error: {type(error).__name__}: {error}"), file=sys.stderr)
        return 1
    return 0


def serve(settings: Settings, catalogue: Catalogue) -> None:
    """Check what can be checked before anything opens, then run until stopped."""
    webhook = settings.webhook
    if webhook is not None:
        check_listen(webhook.listen, webhook.port)

    from bot.app import build_application

    lock = take_lock(settings.database_path)
    try:
        _serve(settings, catalogue, build_application(settings, catalogue))
    finally:
        if lock is not None:
            lock.release()


def take_lock(database: Path) -> DatabaseLock | None:
    """The database's lock, held while the bot runs: `python -m bot restore` (or a second bot)
    is refused meanwhile. A lock file that cannot be made is most often a folder the bot cannot
    write, which opening the database then says in one line; the bot does not stop for it."""
    try:
        return DatabaseLock.take(database)
    except DatabaseBusy as error:
        raise DatabaseUnusable(f"{error}; a second bot must not share it") from None
    except OSError as error:
        log.warning(
            "no lock on %s (%s): a restore would not know the bot runs",
            database,
            error.strerror or error,
        )
        return None


def _serve(settings: Settings, catalogue: Catalogue, application: BotApplication) -> None:
    from bot.app import ALLOWED_UPDATES
    from bot.webhook import WebhookLimits, WebhookUpdater

    webhook = settings.webhook
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
        application.run_polling(allowed_updates=list(ALLOWED_UPDATES))
        return
    # The bot's own server (bot/webhook.py: PTB's has no body limit or timeout) serves
    # url_path on listen:port, then calls setWebhook; a post whose
    # X-Telegram-Bot-Api-Secret-Token header is missing or wrong gets 403 before its body is
    # read. While a webhook is set, getUpdates fails with 409
    # (https://core.telegram.org/bots/api#getupdates); run_polling calls deleteWebhook first, so
    # going back to polling needs nothing. The webhook stays set when the bot stops: Telegram
    # keeps the updates (up to 24 hours) and posts them once the bot listens again.
    application.updater = WebhookUpdater(application.bot, application.update_queue, WebhookLimits())
    application.run_webhook(
        listen=webhook.listen,
        port=webhook.port,
        url_path=webhook.url_path,
        webhook_url=webhook.url,
        secret_token=webhook.secret,
        allowed_updates=list(ALLOWED_UPDATES),
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
    exit_now(main(sys.argv[1:]))
