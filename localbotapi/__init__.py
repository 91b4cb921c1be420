"""A local Telegram Bot API server, offline, plus scripted users: the server of the sandbox
(``python -m bot.sandbox``, where people in a browser play the users) and the fake of the
end-to-end tests and benchmarks (where scripts play them).

The real bot (``python -m bot``, or a ``telegram.Bot``) talks HTTP to it instead of
api.telegram.org. Nothing leaves 127.0.0.1. It models the Telegram behaviours that matter to
the bot (limits, errors, late answers, callback expiry, menus, files); "the fake" below.

Usage::

    from localbotapi import FakeTelegram

    with FakeTelegram(token="123456:TEST-TOKEN") as fake:
        env = {"BOT_TOKEN": fake.token, "BOT_API_BASE_URL": fake.base_url, ...}
        bot = subprocess.Popen([sys.executable, "-m", "bot"], env=env)
        user = fake.user(1001, first_name="Fatima", language_code="ar")
        user.send_command("/start")
        msg = user.expect_message(timeout=10)          # BotMessage (text, buttons, files...)
        assert msg.has_button("Français")
        query_id = user.press("Français")               # callback_query update
        assert user.callback_answer(query_id)["show_alert"] is False
        user.expect_message(contains="Bienvenue")       # the edit (or new message) that follows

A ``telegram.Bot`` in-process: ``Bot(token, base_url=f"{fake.base_url}/bot",
base_file_url=f"{fake.base_url}/file/bot")``.

Threading: the server and all its state live in a private asyncio loop in a background
thread. Synchronous methods (``user.send_text``, ``user.expect_message``, ``fake.calls``...)
may be called from any other thread, including from inside an ``async def`` test (they
block that loop only while they run, so start bot calls as tasks before waiting).
Every blocking user method has a coroutine twin prefixed with ``a`` (``asend_text``,
``apress``, ``aexpect_message``, ``acallback_answer``, ``aexpect_no_message``...) that
works from any event loop without blocking it. Benchmarks driving thousands of users can
run their whole scenario inside the fake's loop::

    async def scenario(user: FakeUser) -> None:
        await user.asend_command("/start")
        await user.aexpect_message(timeout=30)

    async def run_all() -> None:
        await asyncio.gather(*(scenario(fake.user(10_000 + i)) for i in range(2000)))

    fake.run_coroutine(run_all())     # blocking, from the test thread
    # or: await fake.arun(run_all())  # from another event loop

(Inside the fake's loop only the ``a...`` variants and the non-waiting helpers may be
used; a blocking wait there raises RuntimeError instead of deadlocking.)

Fault injection: ``fake.inject_retry_after("sendMessage", retry_after=2)``,
``fake.fail_next("sendMessage", 400, "Bad Request: ...")``, ``fake.block(user_id)``, and
``FakeTelegram(enforce_limits=True)`` for Telegram's flood limits (see ``fake.stats``).
Network and server faults (``faults.py``; none unless asked): ``fake.add_latency(0.5)``,
``fake.answer_late(7.0, "sendMessage", chat_id=...)`` (delivered, answered after the client's
read timeout), ``fake.drop_answer(...)`` (delivered, connection closed without an answer),
``fake.fail_chat(chat_id, 120.0)`` (500 to every send there for two minutes). A button press
can be answered for 15 s (``callback_query_ttl``, ``fake.expire_callback_queries_after(s)``), then
answerCallbackQuery fails with Telegram's "query is too old". ``fake.hold_polling()`` keeps the
bot's confirmations (getUpdates offsets) from arriving, so that after a crash the updates it
handled come again, as on Telegram; ``fake.release_polling()`` ends it.
Recorded calls: ``fake.calls("sendMessage")`` -> ``[RecordedCall(method, params, ...)]``.

Webhooks: after ``setWebhook`` (http is accepted for 127.0.0.1/localhost; any other host
is refused, so tests never reach the internet), getUpdates answers 409 Conflict and the fake
POSTs each queued update to the URL from its own loop, oldest first, with the header
``X-Telegram-Bot-Api-Secret-Token``; a refused connection or a non-2XX answer is retried
(0.05 s doubling to 1 s, at once after a new setWebhook) and shown by getWebhookInfo's
``last_error_message``. ``fake.webhook`` and ``fake.webhook_attempts`` show what happened.

Formatting is parsed like Telegram does: with ``parse_mode="HTML"`` or ``"MarkdownV2"``,
``BotMessage.text`` is the plain text (``raw_text`` keeps what the bot sent) and malformed
markup is rejected with Telegram's "can't parse entities" 400.
"""

from .errors import ApiError
from .models import (
    BotMessage,
    FakeStats,
    InlineButton,
    RateLimits,
    RecordedCall,
    ReplyButton,
    SentFile,
    UploadedFile,
    WebhookAttempt,
)
from .server import FakeTelegram
from .user import FakeUser

__all__ = [
    "ApiError",
    "BotMessage",
    "FakeStats",
    "FakeTelegram",
    "FakeUser",
    "InlineButton",
    "RateLimits",
    "RecordedCall",
    "ReplyButton",
    "SentFile",
    "UploadedFile",
    "WebhookAttempt",
]
