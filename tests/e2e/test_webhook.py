"""Webhook mode: the real bot behind its own HTTP server, the fake Bot API posting to it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.bot_process import BotProcess, free_port
from tests.e2e.journey import choose_language
from tests.fake_telegram import FakeTelegram

SECRET = "e2e-webhook_SECRET-0123456789"


@pytest.fixture(scope="module")
def port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def hook_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/telegram/souk"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token="123456:TEST-TOKEN") as server:
        yield server
    assert not server.internal_errors, server.internal_errors


@pytest.fixture(scope="module")
def bot(
    fake: FakeTelegram, port: int, hook_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    env = {
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": hook_url,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "LOG_LEVEL": "DEBUG",  # the bot's own modules only: the secret must appear nowhere
    }
    process = BotProcess(fake, tmp_path_factory.mktemp("bot"), env)
    process.start()
    yield process
    code = process.stop()
    log = process.log_path.read_text(errors="replace")  # all of it: DEBUG makes it long
    assert code == 0, f"bot exited with {code}:\n{process.log()}"
    # At DEBUG level PTB logs each refused post (403) with its traceback; nothing else may fail.
    assert log.count("Traceback") == log.count("tornado.web.HTTPError: HTTP 403"), log[-6000:]
    assert SECRET not in log and fake.token not in log
    # PTB's DEBUG lines (whole requests, setWebhook's secret among them) stay off at DEBUG.
    assert "Calling Bot API endpoint" not in log


def forged_start(user_id: int) -> dict[str, object]:
    """A well-formed update, as Telegram would post it: only the secret decides."""
    return {
        "update_id": 900_000_000 + user_id,
        "message": {
            "message_id": 1,
            "date": 1_800_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Intrus"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Intrus", "language_code": "fr"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


def known_user(bot: BotProcess, user_id: int) -> bool:
    with sqlite3.connect(f"file:{bot.database}?mode=ro", uri=True) as db:
        return db.execute("SELECT 1 FROM users WHERE id = ?", (user_id,)).fetchone() is not None


def test_webhook_set_with_secret_and_no_polling(
    fake: FakeTelegram, bot: BotProcess, hook_url: str
) -> None:
    webhook = fake.webhook
    assert webhook is not None
    assert webhook["url"] == hook_url
    assert webhook["secret_token"] == SECRET
    assert not fake.calls("getUpdates")
    assert not fake.calls("deleteWebhook")


def test_start_language_and_menu_over_the_webhook(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, first_name="Khadija", language_code="ar")
    menu = choose_language(user, "Français")
    assert "Khadija" in (menu.text or "")
    assert menu.has_button("📝 Candidater")
    delivered = {a.update_id for a in fake.webhook_attempts if a.delivered}
    assert len(delivered) >= 2  # /start and the button press came by POST
    assert not fake.pending_updates()


def test_wrong_secret_is_refused_and_changes_nothing(
    fake: FakeTelegram, bot: BotProcess, hook_url: str, new_user_id: int
) -> None:
    intruder = fake.user(new_user_id, first_name="Intrus", language_code="fr")
    update = forged_start(new_user_id)
    wrong = httpx.post(hook_url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "x"})
    missing = httpx.post(hook_url, json=update)
    assert (wrong.status_code, missing.status_code) == (403, 403)
    intruder.expect_no_message(within=1.0)
    assert not known_user(bot, new_user_id)
    # The same update with the right secret is taken: the refusal was the secret's doing.
    right = httpx.post(hook_url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert right.status_code == 200
    assert intruder.expect_message().has_button("Français")
    assert known_user(bot, new_user_id)


def test_updates_sent_while_the_bot_is_down_arrive_after_restart(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="fr")
    choose_language(user, "Français")
    bot.stop()
    assert fake.webhook is not None, "the webhook stays set while the bot is down"
    attempts_before = len(fake.webhook_attempts)
    user.send_command("/help")
    fake.wait_until(
        lambda: any(
            a.error == "Connection refused" for a in fake.webhook_attempts[attempts_before:]
        ),
        message="a refused delivery",
    )
    bot.start()
    assert "/apply" in (user.expect_message().text or "")
    assert not fake.pending_updates()
