"""The fake as a chat service: limits, blocked users, files, menus, polling and loops."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time

import httpx
import pytest
from telegram import Bot as PTBBot
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InputMediaPhoto,
    Update,
)
from telegram.error import (
    BadRequest,
    Forbidden,
    RetryAfter,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from localbotapi import FakeTelegram, FakeUser
from tests.localbotapi.conftest import TOKEN, ptb_client
from tests.localbotapi.test_fake_telegram import ignore_timedelta_deprecation, retry_seconds


@ignore_timedelta_deprecation
async def test_retry_after_and_fail_next(fake: FakeTelegram, bot: PTBBot, fatima: FakeUser) -> None:
    fake.inject_retry_after(method="sendMessage", retry_after=2, count=1)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(fatima.chat_id, "hello")
    assert retry_seconds(caught.value) == 2
    await bot.send_message(fatima.chat_id, "hello again")
    assert fatima.expect_message(timeout=2).text == "hello again"

    fake.fail_next("sendMessage", 400, "Bad Request: something odd")
    with pytest.raises(BadRequest, match=r"(?i)something odd"):
        await bot.send_message(fatima.chat_id, "hello")
    assert fake.stats.errors_per_code[429] == 1


async def test_blocked_user_is_forbidden(fake: FakeTelegram, bot: PTBBot, fatima: FakeUser) -> None:
    fake.block(fatima.id)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(fatima.chat_id, "hello")
    updates = await bot.get_updates()
    member = updates[-1].my_chat_member
    assert member is not None and member.new_chat_member.status == "kicked"
    fake.unblock(fatima.id, notify=False)
    await bot.send_message(fatima.chat_id, "hello")


async def test_send_document_stores_bytes(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    payload = b"cooperative,city\nArgane,Agadir\n"
    sent = await bot.send_document(fatima.chat_id, payload, filename="export.csv", caption="Export")
    assert sent.document is not None and sent.document.file_name == "export.csv"
    msg = fatima.expect_message(timeout=2)
    assert msg.method == "sendDocument"
    assert msg.text == "Export"
    assert msg.document is not None
    assert msg.document["file_name"] == "export.csv"
    assert msg.document["content"] == payload
    assert msg.document["mime_type"] == "text/csv"

    # Re-sending by file_id works; an unknown file_id does not.
    await bot.send_document(fatima.chat_id, sent.document.file_id)
    again = fatima.expect_message(timeout=2)
    assert again.document is not None and again.document["content"] == payload
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(fatima.chat_id, "no-such-file-id")


async def test_download_user_voice(bot: PTBBot, fatima: FakeUser) -> None:
    audio = b"OggS-fake-opus-bytes"
    fatima.send_voice(duration=3, content=audio)
    fatima.send_photo()
    updates = await bot.get_updates()
    voice = updates[0].message.voice if updates[0].message else None
    assert voice is not None and voice.to_dict()["duration"] == 3
    assert voice.mime_type == "audio/ogg"
    file = await bot.get_file(voice.file_id)
    assert file.file_path is not None and file.file_path.endswith(".oga")
    assert bytes(await file.download_as_bytearray()) == audio
    photo = updates[1].message.photo if updates[1].message else ()
    assert len(photo) == 2 and photo[-1].width == 1280
    photo_file = await bot.get_file(photo[-1].file_id)
    assert (await photo_file.download_as_bytearray())[:2] == b"\xff\xd8"

    # A member's voice note sent on to someone else by its file id, with a caption; the same
    # id as another kind is refused, as Telegram refuses it.
    await bot.send_voice(fatima.chat_id, voice.file_id, caption="Q-1")
    forwarded = fatima.expect_message(timeout=2)
    assert forwarded.method == "sendVoice" and forwarded.text == "Q-1"
    assert forwarded.attachment is not None and forwarded.attachment["content"] == audio
    with pytest.raises(BadRequest, match=r"(?i)type of file mismatch"):
        await bot.send_audio(fatima.chat_id, voice.file_id)
    with pytest.raises(BadRequest, match=r"(?i)type of file mismatch"):
        await bot.send_voice(fatima.chat_id, photo[-1].file_id)


async def test_send_media_group_is_an_album_of_two_to_ten(bot: PTBBot, fatima: FakeUser) -> None:
    fatima.send_photo()
    fatima.send_photo()
    updates = await bot.get_updates()
    ids = [u.message.photo[-1].file_id for u in updates if u.message and u.message.photo]
    sent = await bot.send_media_group(fatima.chat_id, [InputMediaPhoto(i) for i in ids])
    assert len(sent) == 2 and sent[0].media_group_id == sent[1].media_group_id
    album = [fatima.expect_message(timeout=2) for _ in ids]
    assert [m.method for m in album] == ["sendMediaGroup"] * 2
    assert [m.photo["file_id"] for m in album if m.photo] == ids
    with pytest.raises(BadRequest, match=r"2-10 items"):  # as Telegram: not an album of one
        await bot.send_media_group(fatima.chat_id, [InputMediaPhoto(ids[0])])


async def test_long_polling_wakes_promptly(bot: PTBBot, fatima: FakeUser) -> None:
    assert await bot.get_updates(timeout=0) == ()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    sent = fatima.send_command("/start", "ifrane")
    updates = await poll
    assert time.monotonic() - started < 1.0
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None and message.text == "/start ifrane"
    assert message.message_id == sent["message_id"]
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 6
    # Confirming with offset removes the update.
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()


@ignore_timedelta_deprecation
async def test_enforce_limits_same_private_chat() -> None:
    with FakeTelegram(token=TOKEN, enforce_limits=True) as fake:
        user = fake.user(1001)
        other = fake.user(1002)
        async with ptb_client(fake) as bot:
            await bot.send_message(user.chat_id, "one")
            await bot.send_message(other.chat_id, "other chat is fine")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(user.chat_id, "two")
            assert retry_seconds(caught.value) == 1
        stats = fake.stats
        assert stats.too_many_requests == 1
        assert stats.too_many_requests_per_chat[1001] == 1
        assert stats.sent_per_chat[1001] == 1


async def test_commands_and_menu_button(fake: FakeTelegram, bot: PTBBot, fatima: FakeUser) -> None:
    await bot.set_my_commands([BotCommand("start", "Commencer")], language_code="fr")
    await bot.set_my_commands(
        [BotCommand("start", "ابدأ")], scope=BotCommandScopeChat(fatima.chat_id), language_code="ar"
    )
    assert fake.commands == {
        ("default", None, "fr"): [{"command": "start", "description": "Commencer"}],
        ("chat", 1001, "ar"): [{"command": "start", "description": "ابدأ"}],
    }
    commands = await bot.get_my_commands(language_code="fr")
    assert [c.command for c in commands] == ["start"]
    await bot.delete_my_commands(language_code="fr")
    assert ("default", None, "fr") not in fake.commands
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Start", "x")])
    assert await bot.set_chat_menu_button()
    assert fake.menu_buttons == {None: {"type": "default"}}


async def test_command_menu_follows_telegrams_resolution_order(
    fake: FakeTelegram, bot: PTBBot
) -> None:
    """chat + language -> chat -> all private chats + language -> all private chats ->
    default + language -> default; getMyCommands answers only the exact scope and language."""

    def names(user_id: int, language: str | None) -> list[str]:
        return [c["command"] for c in fake.command_menu(user_id, language)]

    assert names(7, "en") == []
    await bot.set_my_commands([BotCommand("default", "x")])
    assert names(7, "en") == names(7, None) == ["default"]
    await bot.set_my_commands([BotCommand("default_fr", "x")], language_code="fr")
    assert names(7, "fr") == names(7, "fr-ca") == ["default_fr"]
    assert names(7, "en") == ["default"]
    await bot.set_my_commands([BotCommand("private", "x")], scope=BotCommandScopeAllPrivateChats())
    assert names(7, "fr") == names(7, "en") == ["private"]
    await bot.set_my_commands(
        [BotCommand("private_ar", "x")], scope=BotCommandScopeAllPrivateChats(), language_code="ar"
    )
    assert names(7, "ar") == ["private_ar"] and names(7, "fr") == ["private"]
    team = BotCommandScopeChat(7)
    await bot.set_my_commands([BotCommand("team_fr", "x")], scope=team, language_code="fr")
    assert names(7, "fr") == ["team_fr"]
    assert names(7, "en") == ["private"]  # the trap: a team menu only in fr is not seen in en
    assert names(8, "fr") == ["private"]  # another user
    await bot.set_my_commands([BotCommand("team", "x")], scope=team)
    assert names(7, "en") == names(7, "ar") == ["team"] and names(7, "fr") == ["team_fr"]
    # getMyCommands: no resolution, like Telegram.
    assert await bot.get_my_commands(scope=team, language_code="en") == ()
    assert [c.command for c in await bot.get_my_commands(scope=team)] == ["team"]


async def test_json_body_and_group_chat(fake: FakeTelegram, fatima: FakeUser) -> None:
    group = fatima.in_group(-100500, title="Coopératives")
    async with httpx.AsyncClient(base_url=f"{fake.base_url}/bot{TOKEN}") as client:
        answer = await client.post(
            "/sendMessage",
            json={
                "chat_id": -100500,
                "text": "Bonjour le groupe",
                "reply_markup": {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]},
            },
        )
        assert answer.status_code == 200
        result = answer.json()["result"]
        assert result["chat"] == {"id": -100500, "type": "group", "title": "Coopératives"}
        answer = await client.post("/sendMessage", data={"chat_id": "-100500", "text": ""})
        assert answer.json() == {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: message text is empty",
        }
    msg = group.expect_message(timeout=2)
    assert msg.chat_id == -100500 and msg.has_button("OK")
    fatima.expect_no_message(within=0.05)


async def test_async_variants_from_another_loop(fake: FakeTelegram, bot: PTBBot) -> None:
    users = [fake.user(5000 + i) for i in range(20)]
    await asyncio.gather(*(u.asend_text(f"hi {u.id}") for u in users))
    updates = await bot.get_updates()
    assert len(updates) == 20

    async def reply_all() -> None:
        for update in updates:
            assert update.message is not None
            await bot.send_message(update.message.chat.id, f"echo {update.message.text}")

    waiting = [asyncio.create_task(u.aexpect_message(timeout=3)) for u in users]
    await reply_all()
    got = await asyncio.gather(*waiting)
    assert [m.text for m in got] == [f"echo hi {u.id}" for u in users]


def test_scenario_inside_fake_loop() -> None:
    with FakeTelegram(token=TOKEN) as fake:
        users = [fake.user(7000 + i) for i in range(50)]

        async def scenario() -> int:
            await asyncio.gather(*(u.asend_command("/start") for u in users))
            return len(fake.pending_updates())

        assert fake.run_coroutine(scenario(), timeout=5) == 50
        with pytest.raises(RuntimeError, match="deadlock"):
            fake.run_coroutine(_blocking_call_inside(fake, users[0]), timeout=5)


async def _blocking_call_inside(fake: FakeTelegram, user: FakeUser) -> None:
    fake.run_coroutine(user.aexpect_message(timeout=0.1))


def test_expect_message_timeout_and_contains(fake: FakeTelegram) -> None:
    user = fake.user(1001)
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"no new bot message in chat 1001 within 0\.2s"):
        user.expect_message(timeout=0.2)
    assert time.monotonic() - started < 1.0
    user.expect_no_message(within=0.05)

    answer = httpx.post(
        f"{fake.base_url}/bot{TOKEN}/sendMessage", data={"chat_id": "1001", "text": "Bonjour"}
    )
    assert answer.json()["ok"] is True
    with pytest.raises(AssertionError, match="does not contain 'Au revoir'") as caught:
        user.expect_message(timeout=1, contains="Au revoir")
    assert "Bonjour" in str(caught.value)
    user.expect_no_message(within=0.05)  # the mismatching message was consumed


async def test_ptb_application_polling_round_trip(fake: FakeTelegram, fatima: FakeUser) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"Marhba {context.args}")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{fake.base_url}/bot")
        .base_file_url(f"{fake.base_url}/file/bot")
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=5))
        fatima.send_command("/start", "ifrane")
        reply = await fatima.aexpect_message(timeout=5)
        await app.updater.stop()
        await app.stop()
    assert reply.text == "Marhba ['ifrane']"
    assert reply.method == "sendMessage"
    assert fake.calls("getUpdates"), "the application polled the fake"
