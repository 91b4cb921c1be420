"""Start-up and shutdown of the real process: settings, catalogue, restarts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from localbotapi import FakeTelegram
from tests.e2e.bot_process import ROOT, BotProcess


def run_bot(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "MARKETS_", "ADMIN_"))
    }
    # Never the real Telegram: a closed local port, should a test get as far as connecting.
    clean["BOT_API_BASE_URL"] = "http://127.0.0.1:9"
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        env={**clean, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_missing_token_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run_bot({}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BOT_TOKEN" in lines[0]


def test_invalid_admin_ids_exits_2(tmp_path: Path) -> None:
    result = run_bot({"BOT_TOKEN": "1:abc", "ADMIN_IDS": "12,bob"}, tmp_path)
    assert result.returncode == 2
    assert "ADMIN_IDS" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_token_read_from_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BOT_TOKEN=1:abc\nADMIN_IDS=oops\n")
    result = run_bot({}, tmp_path)
    assert result.returncode == 2 and "ADMIN_IDS" in result.stderr


def test_bad_catalogue_stops_startup_naming_file_key_reason(tmp_path: Path) -> None:
    source = (ROOT / "bot" / "data" / "markets.toml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text(
        re.sub(r"(?m)^(\s*)capacity = 70$", r"\1capacity = 0", source, count=1), encoding="utf-8"
    )
    result = run_bot({"BOT_TOKEN": "1:abc", "MARKETS_FILE": str(broken)}, tmp_path)
    assert result.returncode == 2
    message = result.stderr.strip()
    assert "broken.toml" in message and "capacity" in message and "markets[0].phases[0]" in message


def test_language_survives_restart(tmp_path: Path) -> None:
    with FakeTelegram(token="123456:TEST-TOKEN") as fake:
        bot = BotProcess(fake, tmp_path)
        bot.start()
        user = fake.user(555, language_code="fr")
        user.send_command("/start")
        user.expect_message()
        user.press("العربية")
        user.expect_message()
        bot.restart()
        user.send_command("/start")
        menu = user.expect_message()
        assert not menu.button_texts()[0].isascii(), "menu must still be in Arabic"
        assert bot.stop() == 0
        assert "123456:TEST-TOKEN" not in bot.log()


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_telegram_language_is_the_first_guess(tmp_path: Path, locale: str) -> None:
    with FakeTelegram(token="123456:TEST-TOKEN") as fake:
        bot = BotProcess(fake, tmp_path)
        bot.start()
        user = fake.user(777, language_code=locale)
        user.send_text("?")
        hint = user.expect_message()
        assert (
            (hint.text or "").isascii() is False
            if locale == "ar"
            else "compris" in (hint.text or "")
        )
        bot.stop()
