import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from datetime import time
from pathlib import Path

import pytest
from telegram import Bot
from telegram.error import InvalidToken
from telegram.request import BaseRequest, RequestData

from bot.catalogue import DEFAULT_CATALOGUE_PATH
from bot.config import DEFAULT_API_ROOT, SettingsError, load_settings, read_environment

TOKEN = "123456:ABC-def_ghi"
SECRET = "s3cret_-0123456789abcdef"
WEBHOOK = {
    "BOT_TOKEN": TOKEN,
    "BOT_MODE": "webhook",
    "WEBHOOK_URL": "https://souk.example.ma/telegram/hook",
    "WEBHOOK_SECRET": SECRET,
}


def test_defaults_with_only_a_token() -> None:
    settings = load_settings({"BOT_TOKEN": TOKEN})
    assert settings.api_base_url == DEFAULT_API_ROOT
    assert settings.bot_api_url == "https://api.telegram.org/bot"
    assert settings.bot_file_url == "https://api.telegram.org/file/bot"
    assert settings.database_path == Path("data/bot.sqlite3")
    assert settings.admin_ids == frozenset()
    assert settings.markets_file == DEFAULT_CATALOGUE_PATH
    assert settings.backup_dir == Path("data/backups")
    assert settings.mode == "polling"
    assert settings.webhook is None
    assert (settings.flood_max_updates, settings.flood_window_seconds) == (20, 10)
    assert settings.messages_per_second == 29
    assert settings.concurrent_updates == 8
    assert settings.secrets == (TOKEN,)


def test_webhook_mode_defaults() -> None:
    settings = load_settings(WEBHOOK)
    assert settings.mode == "webhook"
    webhook = settings.webhook
    assert webhook is not None
    assert webhook.url == "https://souk.example.ma/telegram/hook"
    assert webhook.url_path == "/telegram/hook"
    # Loopback unless said otherwise: the documented set-up has a reverse proxy in front, and
    # the bot's own server must not be reachable from outside by default (issue 13, item 14).
    assert (webhook.listen, webhook.port) == ("127.0.0.1", 8443)
    assert settings.secrets == (TOKEN, SECRET)
    assert SECRET not in repr(settings)


def test_webhook_mode_every_setting() -> None:
    settings = load_settings(
        {
            **WEBHOOK,
            "BOT_MODE": " Webhook ",
            "WEBHOOK_URL": "http://127.0.0.1:9000",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": "9000",
            "FLOOD_MAX_UPDATES": "5",
            "FLOOD_WINDOW_SECONDS": "3",
            "MESSAGES_PER_SECOND": "500",
            "CONCURRENT_UPDATES": "1",
        }
    )
    assert settings.messages_per_second == 500
    assert settings.concurrent_updates == 1
    assert settings.webhook is not None
    assert settings.webhook.url_path == "/"
    assert (settings.webhook.listen, settings.webhook.port) == ("127.0.0.1", 9000)
    assert (settings.flood_max_updates, settings.flood_window_seconds) == (5, 3)


@pytest.mark.parametrize(
    "url",
    [
        "https://souk.example.ma:8443/hook",
        "https://souk.example.ma:88/hook",
        "http://localhost:8080/hook",
        "http://[::1]:8080/hook",
    ],
)
def test_good_webhook_urls(url: str) -> None:
    settings = load_settings({**WEBHOOK, "WEBHOOK_URL": url})
    assert settings.webhook is not None and settings.webhook.url == url


def test_webhook_settings_ignored_when_polling() -> None:
    settings = load_settings({"BOT_TOKEN": TOKEN, "WEBHOOK_URL": "ftp://x", "WEBHOOK_PORT": "x"})
    assert settings.webhook is None
    assert settings.retention_months == 12


def test_retention_months_read() -> None:
    assert load_settings({"BOT_TOKEN": TOKEN, "RETENTION_MONTHS": " 24 "}).retention_months == 24


def test_every_setting_read(tmp_path: Path) -> None:
    markets = tmp_path / "m.toml"
    markets.write_text("")
    settings = load_settings(
        {
            "BOT_TOKEN": TOKEN,
            "BOT_API_BASE_URL": "http://127.0.0.1:8081/",
            "DATABASE_PATH": str(tmp_path / "x.sqlite3"),
            "ADMIN_IDS": " 12, 34 ,",
            "MARKETS_FILE": str(markets),
            "BACKUP_DIR": str(tmp_path / "copies"),
        }
    )
    assert settings.bot_api_url == "http://127.0.0.1:8081/bot"
    assert settings.admin_ids == frozenset({12, 34})
    assert settings.database_path == tmp_path / "x.sqlite3"
    assert settings.markets_file == markets
    assert settings.backup_dir == tmp_path / "copies"  # created by the first backup


@pytest.mark.parametrize(
    ("environ", "name"),
    [
        ({}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "  "}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "not a token"}, "BOT_TOKEN"),
        ({"BOT_TOKEN": TOKEN, "BOT_API_BASE_URL": "ftp://x"}, "BOT_API_BASE_URL"),
        ({"BOT_TOKEN": TOKEN, "ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"BOT_TOKEN": TOKEN, "ADMIN_IDS": "-5"}, "ADMIN_IDS"),
        ({"BOT_TOKEN": TOKEN, "ADMIN_IDS": "12,99999999999999999999999"}, "ADMIN_IDS"),
        ({"BOT_TOKEN": TOKEN, "ADMIN_IDS": str(2**52)}, "ADMIN_IDS"),
        ({"BOT_TOKEN": TOKEN, "ADMIN_IDS": "0"}, "ADMIN_IDS"),
        ({"BOT_TOKEN": TOKEN, "ADMIN_IDS": "9" * 5000}, "ADMIN_IDS"),
        ({"BOT_TOKEN": TOKEN, "FLOOD_MAX_UPDATES": "9" * 5000}, "FLOOD_MAX_UPDATES"),
        ({"BOT_TOKEN": TOKEN, "RETENTION_MONTHS": "9" * 5000}, "RETENTION_MONTHS"),
        ({"BOT_TOKEN": TOKEN, "MARKETS_FILE": "/nonexistent/markets.toml"}, "MARKETS_FILE"),
        ({"BOT_TOKEN": TOKEN, "DATABASE_PATH": "/"}, "DATABASE_PATH"),
        ({"BOT_TOKEN": TOKEN, "QUIET_HOURS": "9pm-8am"}, "QUIET_HOURS"),
        ({"BOT_TOKEN": TOKEN, "QUIET_HOURS": "25:00-08:00"}, "QUIET_HOURS"),
        ({"BOT_TOKEN": TOKEN, "QUIET_HOURS": "08:00-08:00"}, "QUIET_HOURS"),
        ({"BOT_TOKEN": TOKEN, "BACKUP_DIR": str(DEFAULT_CATALOGUE_PATH)}, "BACKUP_DIR"),
        ({"BOT_TOKEN": TOKEN, "BOT_MODE": "push"}, "BOT_MODE"),
        ({**WEBHOOK, "WEBHOOK_URL": ""}, "WEBHOOK_URL"),
        ({**WEBHOOK, "WEBHOOK_URL": "souk.example.ma/hook"}, "WEBHOOK_URL"),
        ({**WEBHOOK, "WEBHOOK_URL": "http://souk.example.ma/hook"}, "WEBHOOK_URL"),
        ({**WEBHOOK, "WEBHOOK_URL": "https://souk.example.ma:9443/hook"}, "WEBHOOK_URL"),
        ({**WEBHOOK, "WEBHOOK_URL": "https://souk.example.ma:port/hook"}, "WEBHOOK_URL"),
        ({**WEBHOOK, "WEBHOOK_URL": "https://souk.example.ma/hook?x=1"}, "WEBHOOK_URL"),
        ({**WEBHOOK, "WEBHOOK_SECRET": ""}, "WEBHOOK_SECRET"),
        ({**WEBHOOK, "WEBHOOK_SECRET": "short"}, "WEBHOOK_SECRET"),
        ({**WEBHOOK, "WEBHOOK_SECRET": "x" * 257}, "WEBHOOK_SECRET"),
        ({**WEBHOOK, "WEBHOOK_SECRET": "with spaces in the secret"}, "WEBHOOK_SECRET"),
        ({**WEBHOOK, "WEBHOOK_SECRET": "sécret-0123456789abc"}, "WEBHOOK_SECRET"),
        ({**WEBHOOK, "WEBHOOK_LISTEN": "0.0.0.0:80"}, "WEBHOOK_LISTEN"),
        ({**WEBHOOK, "WEBHOOK_PORT": "0"}, "WEBHOOK_PORT"),
        ({**WEBHOOK, "WEBHOOK_PORT": "65536"}, "WEBHOOK_PORT"),
        ({**WEBHOOK, "WEBHOOK_PORT": "http"}, "WEBHOOK_PORT"),
        ({"BOT_TOKEN": TOKEN, "FLOOD_MAX_UPDATES": "0"}, "FLOOD_MAX_UPDATES"),
        ({"BOT_TOKEN": TOKEN, "MESSAGES_PER_SECOND": "0"}, "MESSAGES_PER_SECOND"),
        ({"BOT_TOKEN": TOKEN, "MESSAGES_PER_SECOND": "1001"}, "MESSAGES_PER_SECOND"),
        ({"BOT_TOKEN": TOKEN, "CONCURRENT_UPDATES": "0"}, "CONCURRENT_UPDATES"),
        ({"BOT_TOKEN": TOKEN, "FLOOD_MAX_UPDATES": "-3"}, "FLOOD_MAX_UPDATES"),
        ({"BOT_TOKEN": TOKEN, "FLOOD_MAX_UPDATES": "2.5"}, "FLOOD_MAX_UPDATES"),
        ({"BOT_TOKEN": TOKEN, "FLOOD_WINDOW_SECONDS": "0"}, "FLOOD_WINDOW_SECONDS"),
        ({"BOT_TOKEN": TOKEN, "FLOOD_WINDOW_SECONDS": "١٠"}, "FLOOD_WINDOW_SECONDS"),
        ({"BOT_TOKEN": TOKEN, "FLOOD_WINDOW_SECONDS": "86400"}, "FLOOD_WINDOW_SECONDS"),
        ({"BOT_TOKEN": TOKEN, "RETENTION_MONTHS": "0"}, "RETENTION_MONTHS"),
        ({"BOT_TOKEN": TOKEN, "RETENTION_MONTHS": "-3"}, "RETENTION_MONTHS"),
        ({"BOT_TOKEN": TOKEN, "RETENTION_MONTHS": "twelve"}, "RETENTION_MONTHS"),
        ({"BOT_TOKEN": TOKEN, "RETENTION_MONTHS": "1.5"}, "RETENTION_MONTHS"),
        ({"BOT_TOKEN": TOKEN, "RETENTION_MONTHS": "١٢"}, "RETENTION_MONTHS"),
        ({"BOT_TOKEN": TOKEN, "RETENTION_MONTHS": "100000"}, "RETENTION_MONTHS"),
    ],
)
def test_bad_setting_named(environ: dict[str, str], name: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(environ)
    assert caught.value.name == name
    assert str(caught.value).startswith(f"{name}: ")
    assert "\n" not in str(caught.value)


def test_quiet_hours_default_custom_and_off() -> None:
    assert load_settings({"BOT_TOKEN": TOKEN}).quiet_hours == (time(21), time(8))
    custom = load_settings({"BOT_TOKEN": TOKEN, "QUIET_HOURS": "22:30 - 7:00"})
    assert custom.quiet_hours == (time(22, 30), time(7))
    assert load_settings({"BOT_TOKEN": TOKEN, "QUIET_HOURS": "off"}).quiet_hours is None


def test_token_not_in_repr() -> None:
    assert TOKEN not in repr(load_settings({"BOT_TOKEN": TOKEN}))


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("BOT_TOKEN=1:fromfile\nADMIN_IDS=7\n")
    merged = read_environment({"BOT_TOKEN": "2:fromenv"}, dotenv)
    assert merged["BOT_TOKEN"] == "2:fromenv"
    assert merged["ADMIN_IDS"] == "7"


@pytest.mark.parametrize(
    ("extra", "name"),
    [
        ({"WEBHOOK_SECRET": ""}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "http://souk.example.ma/hook"}, "WEBHOOK_URL"),
        ({"FLOOD_WINDOW_SECONDS": "soon"}, "FLOOD_WINDOW_SECONDS"),
    ],
)
def test_main_exits_2_naming_the_setting(
    extra: dict[str, str],
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.__main__ import main

    monkeypatch.chdir(tmp_path)  # no .env file there
    monkeypatch.setattr("os.environ", {**WEBHOOK, **extra})
    assert main() == 2
    err = capsys.readouterr().err
    assert err.startswith(f"configuration error: {name}: ")
    assert err.count("\n") == 1
    assert SECRET not in err


def test_log_lines_never_show_the_token_or_the_secret() -> None:
    import logging

    from bot.__main__ import RedactSecrets

    record = logging.LogRecord(
        "telegram.Bot", logging.DEBUG, __file__, 1, "setWebhook %s %s", (TOKEN, SECRET), None
    )
    assert RedactSecrets((TOKEN, SECRET)).filter(record)
    assert record.getMessage() == "setWebhook <secret> <secret>"


def test_debug_level_is_for_the_bots_own_loggers() -> None:
    """Libraries log whole updates and SQL parameters at DEBUG: personal data."""
    import logging

    from bot.__main__ import configure_logging

    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    try:
        configure_logging(load_settings({"BOT_TOKEN": TOKEN, "LOG_LEVEL": "DEBUG"}))
        assert logging.getLogger("bot.handlers.apply").getEffectiveLevel() == logging.DEBUG
        assert logging.getLogger("storage.db").getEffectiveLevel() == logging.DEBUG
        for library in ("telegram.ext.Application", "aiosqlite", "httpcore.http11"):
            assert logging.getLogger(library).getEffectiveLevel() == logging.INFO
    finally:
        for name in ("bot", "storage"):
            logging.getLogger(name).setLevel(logging.NOTSET)
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]


def test_bad_retention_stops_the_bot_with_status_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main

    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("RETENTION_MONTHS", "0")
    assert main() == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("configuration error: RETENTION_MONTHS: ") and "\n" not in error


class Answering(BaseRequest):
    """A Bot API that answers every call with `status` and `body`."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__()
        self.answer = (status, body)

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = None,
        write_timeout: object = None,
        connect_timeout: object = None,
        pool_timeout: object = None,
    ) -> tuple[int, bytes]:
        return self.answer


def logged_during(action: Callable[[], Awaitable[object]]) -> str:
    """What the bot's log handler writes while `action` runs (its exception is logged too)."""
    import io
    import logging

    from bot.__main__ import configure_logging

    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    stream = io.StringIO()
    try:
        configure_logging(load_settings({"BOT_TOKEN": TOKEN}))
        handler = logging.getLogger().handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(stream)
        try:
            asyncio.run(action())  # type: ignore[arg-type]
        except Exception as error:
            logging.getLogger("bot.test").exception("failed: %s", error)
            logging.getLogger("bot.test").error("failed: %r", error, exc_info=True, stack_info=True)
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
    return stream.getvalue()


def test_an_update_telegram_sends_that_ptb_cannot_read_is_not_logged_raw() -> None:
    """PTB logs such an update at CRITICAL with its raw content: names, phones, texts."""
    body = json.dumps(
        {
            "ok": True,
            "result": [{"update_id": 7, "message": {"text": "Itto Aït Bensaid 0661234987"}}],
        }
    ).encode()

    async def poll() -> None:
        answering = Answering(200, body)
        await Bot(TOKEN, request=answering, get_updates_request=answering).get_updates()

    log = logged_during(poll)
    assert "CRITICAL telegram" in log and "Received data was <not logged" in log, log
    assert "Itto" not in log and "0661234987" not in log, log


def test_a_refused_token_is_not_in_the_log() -> None:
    """Telegram answers 401 to a revoked token; PTB's InvalidToken quotes the token, and the
    bot logs the exception with its traceback."""
    refusal = b'{"ok": false, "error_code": 401, "description": "Unauthorized"}'

    async def start() -> None:
        refusing = Answering(401, refusal)
        await Bot(TOKEN, request=refusing, get_updates_request=refusing).initialize()

    with pytest.raises(InvalidToken, match=re.escape(TOKEN)):  # the exception carries it
        asyncio.run(start())
    log = logged_during(start)
    assert "failed: The token `<secret>` was rejected" in log, log
    assert "Traceback" in log and "InvalidToken" in log and "Stack (most recent" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
