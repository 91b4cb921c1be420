from datetime import time
from pathlib import Path

import pytest

from bot.catalogue import DEFAULT_CATALOGUE_PATH
from bot.config import DEFAULT_API_ROOT, SettingsError, load_settings, read_environment

TOKEN = "123456:ABC-def_ghi"


def test_defaults_with_only_a_token() -> None:
    settings = load_settings({"BOT_TOKEN": TOKEN})
    assert settings.api_base_url == DEFAULT_API_ROOT
    assert settings.bot_api_url == "https://api.telegram.org/bot"
    assert settings.bot_file_url == "https://api.telegram.org/file/bot"
    assert settings.database_path == Path("data/bot.sqlite3")
    assert settings.admin_ids == frozenset()
    assert settings.markets_file == DEFAULT_CATALOGUE_PATH
    assert settings.backup_dir == Path("data/backups")


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
        ({"BOT_TOKEN": TOKEN, "MARKETS_FILE": "/nonexistent/markets.toml"}, "MARKETS_FILE"),
        ({"BOT_TOKEN": TOKEN, "DATABASE_PATH": "/"}, "DATABASE_PATH"),
        ({"BOT_TOKEN": TOKEN, "QUIET_HOURS": "9pm-8am"}, "QUIET_HOURS"),
        ({"BOT_TOKEN": TOKEN, "QUIET_HOURS": "25:00-08:00"}, "QUIET_HOURS"),
        ({"BOT_TOKEN": TOKEN, "QUIET_HOURS": "08:00-08:00"}, "QUIET_HOURS"),
        ({"BOT_TOKEN": TOKEN, "BACKUP_DIR": str(DEFAULT_CATALOGUE_PATH)}, "BACKUP_DIR"),
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
