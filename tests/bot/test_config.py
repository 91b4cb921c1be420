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
        }
    )
    assert settings.bot_api_url == "http://127.0.0.1:8081/bot"
    assert settings.admin_ids == frozenset({12, 34})
    assert settings.database_path == tmp_path / "x.sqlite3"
    assert settings.markets_file == markets


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


def test_token_not_in_repr() -> None:
    assert TOKEN not in repr(load_settings({"BOT_TOKEN": TOKEN}))


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("BOT_TOKEN=1:fromfile\nADMIN_IDS=7\n")
    merged = read_environment({"BOT_TOKEN": "2:fromenv"}, dotenv)
    assert merged["BOT_TOKEN"] == "2:fromenv"
    assert merged["ADMIN_IDS"] == "7"


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
