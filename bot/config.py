"""Settings from the environment (and a `.env` file), validated once at start-up."""

from __future__ import annotations

import ipaddress
import re
import shlex
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from bot.catalogue import DEFAULT_CATALOGUE_PATH

DEFAULT_API_ROOT = "https://api.telegram.org"
DEFAULT_DATABASE_PATH = Path("data/bot.sqlite3")
DEFAULT_BACKUP_DIR = Path("data/backups")
# Personal data is kept this many months after the end of the market (law 09-08: limited
# retention); the consent screen and /privacy say so.
DEFAULT_RETENTION_MONTHS = 12
MAX_RETENTION_MONTHS = 600  # beyond, the cut-off date would leave the calendar
DEFAULT_QUESTION_RETENTION_DAYS = 90
# Telegram answers more than about 30 messages a second, all chats together, with 429
# (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
DEFAULT_MESSAGES_PER_SECOND = 29
MAX_MESSAGES_PER_SECOND = 1000
# Updates of different users handled at once (each user's still one after another). Measured
# with 50 ms per Bot API call: 7.5 updates a second one at a time, 54 with 8 (the sending
# budget, about 19 updates a second, is then the limit); on one machine with no network
# latency, 8 is still 20 % faster than 1, while 32 is slower (every database call waits longer
# for its turn on the one connection).
DEFAULT_CONCURRENT_UPDATES = 8
# At start-up, how long Telegram may stay out of reach before the bot gives up (exit status 2):
# long enough for a network that comes up after the bot, short enough for a supervisor to see.
DEFAULT_TELEGRAM_WAIT_SECONDS = 60

# Telegram tokens look like "123456789:AAE..."; see https://core.telegram.org/bots/api#authorizing-your-bot
_TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
# setWebhook's secret_token: "1-256 characters. Only characters A-Z, a-z, 0-9, _ and - are
# allowed" (https://core.telegram.org/bots/api#setwebhook). We also ask for at least 16: the
# secret is all that tells Telegram's posts from forged ones, which could act as any user.
_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
# "Ports currently supported for webhooks: 443, 80, 88, 8443" (same page).
_WEBHOOK_PORTS = frozenset({443, 80, 88, 8443})
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_HOSTNAME_PATTERN = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?$")
# A Telegram user id "has at most 52 significant bits" (https://core.telegram.org/bots/api#user):
# a larger number is a typo, and beyond 64 bits SQLite cannot even store it.
MAX_TELEGRAM_ID = 2**52 - 1

Mode = Literal["polling", "webhook"]


class SettingsError(Exception):
    """A setting is missing or invalid; the message names it in one line."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class WebhookSettings:
    """Where Telegram posts updates, and where the bot's own HTTP server listens."""

    url: str  # the public URL given to setWebhook
    secret: str = field(repr=False)  # sent back by Telegram in X-Telegram-Bot-Api-Secret-Token
    # Behind a reverse proxy on the same machine, the documented set-up: not reachable from
    # outside unless WEBHOOK_LISTEN says so.
    listen: str = "127.0.0.1"
    port: int = 8443

    @property
    def url_path(self) -> str:
        """The bot serves the public URL's path: a reverse proxy forwards it unchanged."""
        return urlsplit(self.url).path or "/"


@dataclass(frozen=True)
class Settings:
    bot_token: str = field(repr=False)
    api_base_url: str = DEFAULT_API_ROOT
    database_path: Path = DEFAULT_DATABASE_PATH
    admin_ids: frozenset[int] = frozenset()
    markets_file: Path = DEFAULT_CATALOGUE_PATH
    log_level: str = "INFO"
    # Reminders and broadcasts wait outside these hours (market time); None: no quiet hours.
    quiet_hours: tuple[time, time] | None = (time(21, 0), time(8, 0))
    backup_dir: Path = DEFAULT_BACKUP_DIR
    mode: Mode = "polling"
    webhook: WebhookSettings | None = None  # set exactly when mode == "webhook"
    flood_max_updates: int = 20
    flood_window_seconds: int = 10
    # Every message the bot sends, replies and edits included, within one budget per second.
    messages_per_second: int = DEFAULT_MESSAGES_PER_SECOND
    concurrent_updates: int = DEFAULT_CONCURRENT_UPDATES

    @property
    def secrets(self) -> tuple[str, ...]:
        """What must never reach a log line."""
        return (self.bot_token,) + ((self.webhook.secret,) if self.webhook else ())

    retention_months: int = DEFAULT_RETENTION_MONTHS
    # Members' questions to the team and their answers are erased this many days after the
    # answer (or after the question, if none came).
    question_retention_days: int = DEFAULT_QUESTION_RETENTION_DAYS
    telegram_wait_seconds: int = DEFAULT_TELEGRAM_WAIT_SECONDS
    # A freed training seat offered to the next one waiting holds this long, and ends at the
    # latest this long before the session (storage/seat_offers.py).
    training_offer_hours: int = 48
    training_offer_cutoff_hours: int = 24
    # Run after each daily backup with its path in place of {} or appended (BACKUP_COMMAND).
    backup_command: tuple[str, ...] = ()

    @property
    def bot_api_url(self) -> str:
        """Root that python-telegram-bot extends with the token: `{root}/bot{token}/{method}`."""
        return f"{self.api_base_url}/bot"

    @property
    def bot_file_url(self) -> str:
        return f"{self.api_base_url}/file/bot"


def _token(environ: Mapping[str, str]) -> str:
    token = environ.get("BOT_TOKEN", "").strip()
    if not token:
        raise SettingsError("BOT_TOKEN", "is required (the token given by @BotFather)")
    if not _TOKEN_PATTERN.match(token):
        raise SettingsError("BOT_TOKEN", "does not look like a bot token (digits:characters)")
    return token


def _api_root(environ: Mapping[str, str]) -> str:
    root = environ.get("BOT_API_BASE_URL", "").strip() or DEFAULT_API_ROOT
    parts = urlsplit(root)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SettingsError("BOT_API_BASE_URL", f"must be an http(s) URL, got {root!r}")
    return root.rstrip("/")


def _admin_ids(environ: Mapping[str, str]) -> frozenset[int]:
    raw = environ.get("ADMIN_IDS", "").strip()
    ids: set[int] = set()
    for item in filter(None, (part.strip() for part in raw.split(","))):
        if not item.isdigit() or not item.isascii():
            raise SettingsError(
                "ADMIN_IDS", f"must be comma-separated Telegram user ids, got {item!r}"
            )
        # The length first: int() refuses strings of more than 4,300 digits with a ValueError.
        if len(item) > 20 or not 1 <= int(item) <= MAX_TELEGRAM_ID:
            raise SettingsError(
                "ADMIN_IDS", f"{item} is not a Telegram user id (from 1 to {MAX_TELEGRAM_ID})"
            )
        ids.add(int(item))
    return frozenset(ids)


def _markets_file(environ: Mapping[str, str]) -> Path:
    raw = environ.get("MARKETS_FILE", "").strip()
    if not raw:
        return DEFAULT_CATALOGUE_PATH
    path = Path(raw)
    if not path.is_file():
        raise SettingsError("MARKETS_FILE", f"no such file: {raw}")
    return path


def _database_path(environ: Mapping[str, str]) -> Path:
    raw = environ.get("DATABASE_PATH", "").strip()
    path = Path(raw) if raw else DEFAULT_DATABASE_PATH
    if path.exists() and path.is_dir():
        raise SettingsError("DATABASE_PATH", f"is a directory, not a file: {path}")
    return path


def _backup_dir(environ: Mapping[str, str]) -> Path:
    raw = environ.get("BACKUP_DIR", "").strip()
    path = Path(raw) if raw else DEFAULT_BACKUP_DIR
    # Created on the first backup; a file in its place would only fail a day later, at night.
    if path.exists() and not path.is_dir():
        raise SettingsError("BACKUP_DIR", f"is a file, not a folder: {path}")
    return path


def _log_level(environ: Mapping[str, str]) -> str:
    level = environ.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingsError("LOG_LEVEL", "must be DEBUG, INFO, WARNING or ERROR")
    return level


_QUIET_HOURS = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def _quiet_hours(environ: Mapping[str, str]) -> tuple[time, time] | None:
    raw = environ.get("QUIET_HOURS", "").strip().lower()
    if not raw:
        return Settings.quiet_hours
    if raw in {"off", "none", "no"}:
        return None
    match = _QUIET_HOURS.match(raw)
    reason = "must look like 21:00-08:00 (start-end, market time), or off"
    if not match:
        raise SettingsError("QUIET_HOURS", reason)
    hour1, minute1, hour2, minute2 = (int(part) for part in match.groups())
    if hour1 > 23 or hour2 > 23 or minute1 > 59 or minute2 > 59:
        raise SettingsError("QUIET_HOURS", reason)
    start, end = time(hour1, minute1), time(hour2, minute2)
    if start == end:
        raise SettingsError("QUIET_HOURS", "start and end are the same; use off for none")
    return start, end


def _mode(environ: Mapping[str, str]) -> Mode:
    mode = environ.get("BOT_MODE", "").strip().lower() or "polling"
    if mode == "polling":
        return "polling"
    if mode == "webhook":
        return "webhook"
    raise SettingsError("BOT_MODE", f"must be polling or webhook, got {mode!r}")


def _webhook_url(environ: Mapping[str, str]) -> str:
    url = environ.get("WEBHOOK_URL", "").strip()
    if not url:
        raise SettingsError("WEBHOOK_URL", "is required in webhook mode (the public https URL)")
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as error:  # e.g. a port that is not a number
        raise SettingsError("WEBHOOK_URL", f"is not a valid URL ({error})") from None
    if not host or parts.scheme not in {"http", "https"}:
        raise SettingsError("WEBHOOK_URL", f"must be an https URL, got {url!r}")
    if parts.query or parts.fragment:
        raise SettingsError("WEBHOOK_URL", "must not have a query or a fragment")
    if host in _LOOPBACK_HOSTS:
        return url  # a local test: plain http on any port
    if parts.scheme != "https":
        # Telegram only posts to HTTPS URLs: https://core.telegram.org/bots/webhooks
        raise SettingsError("WEBHOOK_URL", "must use https (http only for 127.0.0.1/localhost)")
    if port is not None and port not in _WEBHOOK_PORTS:
        raise SettingsError(
            "WEBHOOK_URL", f"Telegram only posts to ports 443, 80, 88 or 8443, not {port}"
        )
    return url


def _webhook_secret(environ: Mapping[str, str]) -> str:
    secret = environ.get("WEBHOOK_SECRET", "").strip()
    if not secret:
        raise SettingsError("WEBHOOK_SECRET", "is required in webhook mode")
    if not _SECRET_PATTERN.match(secret):
        raise SettingsError("WEBHOOK_SECRET", "must be 16 to 256 characters among A-Z a-z 0-9 _ -")
    return secret


def _webhook_listen(environ: Mapping[str, str]) -> str:
    listen = environ.get("WEBHOOK_LISTEN", "").strip() or WebhookSettings.listen
    try:
        ipaddress.ip_address(listen)
    except ValueError:
        if not _HOSTNAME_PATTERN.match(listen):
            raise SettingsError(
                "WEBHOOK_LISTEN", f"must be an IP address or a host name, got {listen!r}"
            ) from None
    return listen


def _integer(environ: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 20 or not low <= int(raw) <= high:
        raise SettingsError(name, f"must be a whole number from {low} to {high}, got {raw!r}")
    return int(raw)


def _webhook(environ: Mapping[str, str]) -> WebhookSettings:
    return WebhookSettings(
        url=_webhook_url(environ),
        secret=_webhook_secret(environ),
        listen=_webhook_listen(environ),
        port=_integer(environ, "WEBHOOK_PORT", 8443, 1, 65535),
    )


def _retention_months(environ: Mapping[str, str]) -> int:
    raw = environ.get("RETENTION_MONTHS", "").strip()
    if not raw:
        return DEFAULT_RETENTION_MONTHS
    if (
        not raw.isascii()
        or not raw.isdigit()
        or len(raw) > 20
        or not 1 <= int(raw) <= MAX_RETENTION_MONTHS
    ):
        raise SettingsError(
            "RETENTION_MONTHS",
            f"must be a whole number of months from 1 to {MAX_RETENTION_MONTHS}, got {raw!r}",
        )
    return int(raw)


def _backup_command(environ: Mapping[str, str]) -> tuple[str, ...]:
    raw = environ.get("BACKUP_COMMAND", "").strip()
    if not raw:
        return ()
    try:
        # Split like a shell would, but never run by one: the path stays one argument.
        words = tuple(shlex.split(raw))
    except ValueError as error:  # an unclosed quote
        raise SettingsError("BACKUP_COMMAND", f"cannot be split into words ({error})") from None
    # Said now rather than at night, after the first backup.
    if shutil.which(words[0]) is None:
        raise SettingsError("BACKUP_COMMAND", f"no such program: {words[0]}")
    return words


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Build the settings from `environ`; raise SettingsError naming the first bad setting."""
    mode = _mode(environ)
    return Settings(
        bot_token=_token(environ),
        api_base_url=_api_root(environ),
        database_path=_database_path(environ),
        admin_ids=_admin_ids(environ),
        markets_file=_markets_file(environ),
        log_level=_log_level(environ),
        quiet_hours=_quiet_hours(environ),
        backup_dir=_backup_dir(environ),
        mode=mode,
        webhook=_webhook(environ) if mode == "webhook" else None,
        flood_max_updates=_integer(environ, "FLOOD_MAX_UPDATES", 20, 1, 10_000),
        flood_window_seconds=_integer(environ, "FLOOD_WINDOW_SECONDS", 10, 1, 3600),
        messages_per_second=_integer(
            environ,
            "MESSAGES_PER_SECOND",
            DEFAULT_MESSAGES_PER_SECOND,
            1,
            MAX_MESSAGES_PER_SECOND,
        ),
        concurrent_updates=_integer(
            environ, "CONCURRENT_UPDATES", DEFAULT_CONCURRENT_UPDATES, 1, 1000
        ),
        retention_months=_retention_months(environ),
        question_retention_days=_integer(
            environ, "QUESTION_RETENTION_DAYS", DEFAULT_QUESTION_RETENTION_DAYS, 1, 3650
        ),
        telegram_wait_seconds=_integer(
            environ, "TELEGRAM_WAIT_SECONDS", DEFAULT_TELEGRAM_WAIT_SECONDS, 0, 3600
        ),
        training_offer_hours=_integer(environ, "TRAINING_OFFER_HOURS", 48, 1, 720),
        training_offer_cutoff_hours=_integer(environ, "TRAINING_OFFER_CUTOFF_HOURS", 24, 0, 720),
        backup_command=_backup_command(environ),
    )


def read_environment(
    environ: Mapping[str, str], dotenv_path: Path = Path(".env")
) -> dict[str, str]:
    """The process environment over the `.env` file: a real variable wins over the file."""
    from dotenv import dotenv_values

    merged: dict[str, str] = {}
    if dotenv_path.is_file():
        merged.update({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
    merged.update(environ)
    return merged
