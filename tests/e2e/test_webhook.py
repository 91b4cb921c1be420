"""Webhook mode: the real bot behind its own HTTP server, the fake Bot API posting to it."""

from __future__ import annotations

import contextlib
import json
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from localbotapi import FakeTelegram
from tests.e2e.bot_process import BotProcess, StartBot, free_port
from tests.e2e.journey import choose_language

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
def bot(fake: FakeTelegram, port: int, hook_url: str, start_bot: StartBot) -> Iterator[BotProcess]:
    env = {
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": hook_url,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "LOG_LEVEL": "DEBUG",  # the bot's own modules only: the secret must appear nowhere
    }
    process = start_bot(env=env)
    yield process
    code = process.stop()  # here, to read the whole log; start_bot stopping it again is a no-op
    log = process.log_path.read_text(errors="replace")  # all of it: DEBUG makes it long
    assert code == 0, f"bot exited with {code}:\n{process.log()}"
    # Refused posts (403, 413) are one DEBUG line each, without a traceback; nothing fails.
    assert "Traceback" not in log, log[-6000:]
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


def raw_post(port: int, length: int, secret: str | None, body: bytes) -> socket.socket:
    """Headers announcing `length` bytes, then `body` (which may be shorter: a stalled post)."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=5)
    lines = ["POST /telegram/souk HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    lines += [f"Content-Length: {length}"]
    lines += [f"X-Telegram-Bot-Api-Secret-Token: {secret}"] if secret else []
    connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    with contextlib.suppress(OSError):  # closed by the server before the body was all sent
        connection.sendall(body)
    return connection


def answer_status(connection: socket.socket, within: float) -> int | None:
    """The status line's code; None when the connection ends or stays silent."""
    connection.settimeout(within)
    try:
        line = connection.recv(64)
    except (TimeoutError, ConnectionError):
        return None
    return int(line.split()[1]) if line.startswith(b"HTTP/1.1 ") else None


def closed_within(connection: socket.socket, seconds: float) -> bool:
    connection.settimeout(seconds)
    try:
        while connection.recv(65536):
            pass
    except TimeoutError:
        return False
    except ConnectionError:
        pass
    return True


def resident_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))


def test_an_oversized_post_is_refused_with_413(
    fake: FakeTelegram, bot: BotProcess, port: int, new_user_id: int
) -> None:
    """A well-formed update with the right secret, padded to 2 MB: an update is a few kB, a
    body over 1 MB is refused on its Content-Length (PTB's server took up to 100 MB)."""
    user = fake.user(new_user_id, first_name="Gros", language_code="fr")
    body = json.dumps(forged_start(new_user_id)).encode()
    body += b" " * (2 * 1024 * 1024 - len(body))
    connection = raw_post(port, len(body), SECRET, body)
    assert answer_status(connection, within=5) == 413
    connection.close()
    user.expect_no_message(within=1.0)
    assert not known_user(bot, new_user_id)


def test_big_posts_do_not_grow_the_bots_memory(bot: BotProcess, port: int) -> None:
    """16 posts announcing 95 MB each and sending 2 MB before stalling, held open at once:
    the server refuses them on their headers, so none of it is buffered (PTB's server held
    every byte: 32 MB here, 1.7 GB in the outside test with whole 95 MB posts)."""
    assert bot.process is not None
    before = resident_kb(bot.process.pid)
    chunk = b" " * (2 * 1024 * 1024)
    held = [raw_post(port, 95_000_000, SECRET, chunk) for _ in range(16)]
    time.sleep(1.0)  # time to read what was sent
    grown_mb = (resident_kb(bot.process.pid) - before) / 1024
    for connection in held:
        connection.close()
    assert grown_mb < 12, f"the bot grew by {grown_mb:.0f} MB"


def test_a_wrong_secret_is_refused_before_the_body_is_read(port: int) -> None:
    """Only the headers and a few bytes of a 50 MB body are sent: the 403 comes at once and
    the connection is closed (PTB's server waited for the whole body, then answered)."""
    for secret in ("not-the-secret", None):
        connection = raw_post(port, 50_000_000, secret, b'{"update_id": 1')
        assert answer_status(connection, within=3) == 403
        assert closed_within(connection, 2)
        connection.close()


def test_a_stalled_body_is_closed_after_the_timeout(bot: BotProcess, port: int) -> None:
    """Half of a small body, then nothing: the connection is closed after WebhookLimits'
    body_seconds (10 s); PTB's server kept it, and its file descriptor, with no limit."""
    connection = raw_post(port, 1000, SECRET, b'{"update_id": 1, "message": ')
    started = time.monotonic()
    assert closed_within(connection, 20), "still open after 20 s"
    assert 9 <= time.monotonic() - started <= 15
    connection.close()
