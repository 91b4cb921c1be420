"""Settings from the environment (and a `.env` file), validated once at start-up."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.catalogue import DEFAULT_CATALOGUE_PATH

DEFAULT_API_ROOT = "https://api.telegram.org"
DEFAULT_DATABASE_PATH = Path("data/bot.sqlite3")
# Personal data is kept this many months after the end of the market (law 09-08: limited
# retention); the consent screen and /privacy say so.
DEFAULT_RETENTION_MONTHS = 12
MAX_RETENTION_MONTHS = 600  # beyond, the cut-off date would leave the calendar

# Telegram tokens look like "123456789:AAE..."; see https://core.telegram.org/bots/api#authorizing-your-bot
_TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")


class SettingsError(Exception):
    """A setting is missing or invalid; the message names it in one line."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class Settings:
    bot_token: str = field(repr=False)
    api_base_url: str = DEFAULT_API_ROOT
    database_path: Path = DEFAULT_DATABASE_PATH
    admin_ids: frozenset[int] = frozenset()
    markets_file: Path = DEFAULT_CATALOGUE_PATH
    log_level: str = "INFO"
    retention_months: int = DEFAULT_RETENTION_MONTHS

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


def _log_level(environ: Mapping[str, str]) -> str:
    level = environ.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingsError("LOG_LEVEL", "must be DEBUG, INFO, WARNING or ERROR")
    return level


def _retention_months(environ: Mapping[str, str]) -> int:
    raw = environ.get("RETENTION_MONTHS", "").strip()
    if not raw:
        return DEFAULT_RETENTION_MONTHS
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_RETENTION_MONTHS:
        raise SettingsError(
            "RETENTION_MONTHS",
            f"must be a whole number of months from 1 to {MAX_RETENTION_MONTHS}, got {raw!r}",
        )
    return int(raw)


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Build the settings from `environ`; raise SettingsError naming the first bad setting."""
    return Settings(
        bot_token=_token(environ),
        api_base_url=_api_root(environ),
        database_path=_database_path(environ),
        admin_ids=_admin_ids(environ),
        markets_file=_markets_file(environ),
        log_level=_log_level(environ),
        retention_months=_retention_months(environ),
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
