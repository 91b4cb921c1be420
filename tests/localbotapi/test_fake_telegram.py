"""The fake Telegram server, proven with python-telegram-bot's own client, offline."""

from __future__ import annotations

import asyncio
import datetime as dtm
import socket
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from aiohttp import web
from telegram import Bot as PTBBot
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    Message,
    MessageOriginHiddenUser,
    MessageOriginUser,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from localbotapi import ApiError, BotMessage, FakeTelegram, FakeUser
from localbotapi.formatting import parse_formatted
from localbotapi.models import JSONDict

TOKEN = "123456:TEST-TOKEN"


def _bot(fake: FakeTelegram, token: str = TOKEN) -> PTBBot:
    return PTBBot(
        token,
        base_url=f"{fake.base_url}/bot",
        base_file_url=f"{fake.base_url}/file/bot",
    )


# PTB 22.2+ warns (inside RetryAfter itself) that retry_after will become a timedelta.
ignore_timedelta_deprecation = pytest.mark.filterwarnings(
    "ignore::telegram.warnings.PTBDeprecationWarning"
)


def _retry_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        yield server
    assert not server.internal_errors, server.internal_errors


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[PTBBot]:
    async with _bot(fake) as client:
        yield client


@pytest.fixture
def fatima(fake: FakeTelegram) -> FakeUser:
    return fake.user(1001, first_name="Fatima", language_code="ar")


def _keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("العربية", callback_data="lang:ar"),
                InlineKeyboardButton("Français", callback_data="lang:fr"),
            ]
        ]
    )


async def test_get_me_and_wrong_token(fake: FakeTelegram, bot: PTBBot) -> None:
    me = await bot.get_me()
    assert me.id == 123456
    assert me.is_bot
    assert me.username == "souk_test_bot"
    with pytest.raises(InvalidToken):
        async with _bot(fake, "123456:WRONG-TOKEN") as wrong:
            await wrong.get_me()


async def test_unknown_method_is_404(bot: PTBBot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod", api_kwargs={"x": 1})


async def test_send_message_with_inline_keyboard(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    sent = await bot.send_message(
        fatima.chat_id, "<b>Choisissez</b> une langue", "HTML", reply_markup=_keyboard()
    )
    assert isinstance(sent, Message)
    assert sent.from_user is not None and sent.from_user.id == 123456
    assert sent.text == "Choisissez une langue"
    assert sent.entities[0].type == "bold"
    assert sent.reply_markup == _keyboard()

    msg = fatima.expect_message(timeout=2, contains="Choisissez")
    assert isinstance(msg, BotMessage)
    assert msg.method == "sendMessage"
    assert msg.raw_text == "<b>Choisissez</b> une langue"
    assert msg.button_texts() == ["العربية", "Français"]
    assert msg.has_button("Français")
    assert msg.button("Français").callback_data == "lang:fr"
    assert fatima.last_message == msg
    call = fake.calls("sendMessage")[-1]
    assert call.params["chat_id"] == 1001
    assert call.params["reply_markup"]["inline_keyboard"][0][1]["callback_data"] == "lang:fr"


async def test_reply_keyboard_and_contact(bot: PTBBot, fatima: FakeUser) -> None:
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("Partager mon numéro", request_contact=True)]], one_time_keyboard=True
    )
    await bot.send_message(fatima.chat_id, "Votre numéro ?", reply_markup=keyboard)
    msg = fatima.expect_message(timeout=2)
    assert msg.reply_keyboard is not None
    assert msg.reply_keyboard[0][0].request_contact
    shared = fatima.tap("Partager mon numéro", phone_number="212600000000")
    assert shared["contact"]["user_id"] == 1001
    fatima.send_contact("212612345678")
    updates = await bot.get_updates()
    contacts = [u.message.contact for u in updates if u.message and u.message.contact]
    assert [c.phone_number for c in contacts] == ["212600000000", "212612345678"]
    assert all(c.user_id == 1001 for c in contacts)


async def test_forwarded_messages_name_their_author_unless_hidden(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    """A forward carries `forward_origin` (MessageOriginUser, or MessageOriginHiddenUser with a
    name only); a reply to it carries the forwarded message, origin included."""
    admin = fake.user(1002, first_name="Admin", language_code="fr")
    shown = admin.forward_text("Bonjour", sender=fatima)
    admin.forward_text("Salam", hidden_name="Khadija B.")
    admin.send_text("/grant", reply_to=shown["message_id"])
    messages = [u.message for u in await bot.get_updates() if u.message]
    first, second, reply = messages
    assert isinstance(first.forward_origin, MessageOriginUser)
    assert first.forward_origin.sender_user.id == fatima.id
    assert isinstance(second.forward_origin, MessageOriginHiddenUser)
    assert second.forward_origin.sender_user_name == "Khadija B."
    assert reply.reply_to_message is not None and reply.text == "/grant"
    replied = reply.reply_to_message.forward_origin
    assert isinstance(replied, MessageOriginUser) and replied.sender_user.first_name == "Fatima"


async def test_press_answer_edit_and_not_modified(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    sent = await bot.send_message(fatima.chat_id, "Langue ?", reply_markup=_keyboard())
    fatima.drain()
    query_id = fatima.press("Français")

    updates = await bot.get_updates()
    query = updates[-1].callback_query
    assert isinstance(query, CallbackQuery)
    assert query.id == query_id
    assert query.data == "lang:fr"
    assert query.from_user.language_code == "ar"
    assert isinstance(query.message, Message)
    assert query.message.message_id == sent.message_id
    assert query.message.reply_markup == _keyboard()

    assert await bot.answer_callback_query(query_id, text="C'est noté", show_alert=True)
    assert fatima.callback_answer(query_id) == {
        "text": "C'est noté",
        "show_alert": True,
        "url": None,
        "cache_time": None,
    }
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)

    await bot.edit_message_text("Langue : Français", fatima.chat_id, sent.message_id)
    edit = fatima.expect_message(timeout=2)
    assert edit.edited
    assert edit.method == "editMessageText"
    assert edit.message_id == sent.message_id
    assert edit.text == "Langue : Français"
    assert edit.inline_keyboard == []  # editing without reply_markup drops the keyboard
    assert [m.text for m in fatima.messages] == ["Langue : Français"]

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Langue : Français", fatima.chat_id, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", fatima.chat_id, 999)

    # The user still had the old keyboard on screen: a stale tap reaches the bot anyway.
    stale_id = fatima.press("العربية", message_id=sent.message_id)
    forged_id = fatima.press_data("admin:delete_all", message_id=sent.message_id)
    updates = await bot.get_updates(offset=updates[-1].update_id + 1)
    assert [(u.callback_query.id, u.callback_query.data) for u in updates if u.callback_query] == [
        (stale_id, "lang:ar"),
        (forged_id, "admin:delete_all"),
    ]


async def test_validation_errors(bot: PTBBot, fatima: FakeUser) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(42, "hello")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(fatima.chat_id, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(fatima.chat_id, "   ")
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
        await bot.send_message(fatima.chat_id, "hello", reply_markup=markup)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(fatima.chat_id, "<b>oops", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)reserved"):
        await bot.send_message(fatima.chat_id, "Prix : 10.5 MAD", parse_mode="MarkdownV2")
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(fatima.chat_id, 12345)
    fatima.expect_no_message(within=0.1)


async def test_send_venue_as_telegram_answers_it(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    sent = await bot.send_venue(
        fatima.chat_id, 33.5331, -5.1069, "Ifrane, centre-ville", "Ifrane, Fès-Meknès"
    )
    assert sent.venue is not None and sent.location is not None
    assert (sent.venue.location.latitude, sent.venue.location.longitude) == (33.5331, -5.1069)
    assert sent.venue.title == "Ifrane, centre-ville"
    pin = fatima.expect_message()
    assert pin.method == "sendVenue" and pin.text is None
    assert pin.venue is not None and pin.venue["address"] == "Ifrane, Fès-Meknès"
    assert pin.location == {"latitude": 33.5331, "longitude": -5.1069}
    assert [call.params["latitude"] for call in fake.calls("sendVenue")] == [33.5331]
    with pytest.raises(BadRequest, match=r"(?i)wrong latitude"):
        await bot.send_venue(fatima.chat_id, 91.0, -5.1, "Ifrane", "Ifrane")
    with pytest.raises(BadRequest, match=r"(?i)wrong longitude"):
        await bot.send_venue(fatima.chat_id, 33.5, -181.0, "Ifrane", "Ifrane")
    # PTB refuses an empty title or address itself; another client's request reaches the API.
    async with httpx.AsyncClient(base_url=f"{fake.base_url}/bot{TOKEN}") as client:
        venue = {"chat_id": fatima.chat_id, "latitude": 33.5, "longitude": -5.1}
        for missing, other in (("title", "address"), ("address", "title")):
            answer = await client.post("/sendVenue", json={**venue, other: "Ifrane"})
            assert answer.json() == {
                "ok": False,
                "error_code": 400,
                "description": f"Bad Request: {missing} is empty",
            }
        answer = await client.post("/sendVenue", json={**venue, "title": "x", "address": "y"})
        assert answer.json()["result"]["venue"]["location"] == {"latitude": 33.5, "longitude": -5.1}
    assert (fatima.expect_message().venue or {}).get("title") == "x"
    fatima.expect_no_message(within=0.1)


def test_formatting_like_telegram() -> None:
    plain, entities = parse_formatted("🇲🇦 <b>Souk</b> &amp; <i>Ifrane</i>", "HTML")
    assert plain == "🇲🇦 Souk & Ifrane"
    assert entities == [
        {"type": "bold", "offset": 5, "length": 4},  # offsets count UTF-16 units
        {"type": "italic", "offset": 12, "length": 6},
    ]
    plain, entities = parse_formatted(r"*Prix* : 10\.5 MAD", "MarkdownV2")
    assert plain == "Prix : 10.5 MAD"
    assert entities == [{"type": "bold", "offset": 0, "length": 4}]
    for text, mode in [("a<br>b", "HTML"), ("<b>x</i>", "HTML"), ("*x", "MarkdownV2")]:
        with pytest.raises(ApiError, match="can't parse entities"):
            parse_formatted(text, mode)


@ignore_timedelta_deprecation
async def test_retry_after_and_fail_next(fake: FakeTelegram, bot: PTBBot, fatima: FakeUser) -> None:
    fake.inject_retry_after(method="sendMessage", retry_after=2, count=1)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(fatima.chat_id, "hello")
    assert _retry_seconds(caught.value) == 2
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
        async with _bot(fake) as bot:
            await bot.send_message(user.chat_id, "one")
            await bot.send_message(other.chat_id, "other chat is fine")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(user.chat_id, "two")
            assert _retry_seconds(caught.value) == 1
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


# -- webhooks ---------------------------------------------------------------------------------

SECRET = "fake-webhook-SECRET_123"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Receiver:
    """A stand-in for the bot's webhook server: records posts, answers `statuses` in turn."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.posts: list[tuple[dict[str, str], JSONDict]] = []
        self.statuses = list(statuses or [])
        self.runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.Response:
        self.posts.append((dict(request.headers), await request.json()))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    async def start(self, port: int) -> None:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", port).start()

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


async def test_webhook_set_info_conflict_and_delete(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    url = f"http://127.0.0.1:{_free_port()}/hook"
    waiting = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    assert await bot.set_webhook(url, secret_token=SECRET, max_connections=10)
    with pytest.raises(Conflict, match="webhook is active"):
        await waiting  # a poll waiting when the webhook was set ends with 409, as on Telegram
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert fake.webhook is not None and fake.webhook["secret_token"] == SECRET
    fatima.send_text("salam")
    await fake.await_until(lambda: fake.webhook_attempts, message="a delivery attempt")
    info = await bot.get_webhook_info()
    assert info.url == url
    assert info.pending_update_count == 1
    assert info.max_connections == 10
    assert info.last_error_message == "Connection refused"
    assert info.last_error_date is not None

    with pytest.raises(BadRequest, match=r"only posts to 127\.0\.0\.1"):
        await bot.set_webhook("https://example.com/hook")
    with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
        await bot.set_webhook("ftp://127.0.0.1/hook")
    with pytest.raises(BadRequest, match=r"(?i)secret token contains unallowed characters"):
        await bot.set_webhook(url, secret_token="not allowed!")
    assert fake.webhook is not None and fake.webhook["url"] == url  # unchanged by the refusals

    assert await bot.delete_webhook()
    assert fake.webhook is None
    assert (await bot.get_webhook_info()).url == ""
    updates = await bot.get_updates()  # polling works again; the update waited
    assert [u.message.text for u in updates if u.message] == ["salam"]
    # setWebhook with an empty URL removes the webhook too; drop_pending_updates empties the queue.
    await bot.set_webhook(url)
    fatima.send_text("one more")
    await bot.set_webhook("", drop_pending_updates=True)
    assert fake.webhook is None and fake.pending_updates() == []


async def test_webhook_posts_updates_in_order_with_secret_and_retries(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    port = _free_port()
    receiver = Receiver(statuses=[500])  # the first post fails, like a bot still starting
    await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token=SECRET)
    first = fatima.send_text("first")
    second = fatima.send_command("/start")
    # Nobody listens yet: the update stays queued and is retried.
    await fake.await_until(
        lambda: len(fake.webhook_attempts) >= 2, message="retries while not listening"
    )
    assert {a.error for a in fake.webhook_attempts} == {"Connection refused"}
    assert len(fake.pending_updates()) == 2
    try:
        await receiver.start(port)
        await fake.await_until(lambda: not fake.pending_updates(), message="all delivered")
    finally:
        await receiver.stop()
    bodies = [body for _, body in receiver.posts]
    assert [b["message"]["text"] for b in bodies] == ["first", "first", "/start"]
    assert [b["message"]["message_id"] for b in bodies[1:]] == [
        first["message_id"],
        second["message_id"],
    ]
    for headers, _ in receiver.posts:
        assert headers["X-Telegram-Bot-Api-Secret-Token"] == SECRET
        assert headers["Content-Type"] == "application/json"
    attempts = fake.webhook_attempts
    assert [a.status for a in attempts if a.status is not None] == [500, 200, 200]
    assert attempts[-1].delivered and not attempts[-3].delivered
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def test_ptb_application_webhook_round_trip(fake: FakeTelegram, fatima: FakeUser) -> None:
    """PTB's own webhook server takes the fake's posts and refuses a wrong secret with 403."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"Marhba {context.args}")

    port = _free_port()
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{fake.base_url}/bot")
        .base_file_url(f"{fake.base_url}/file/bot")
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    fatima.send_command("/start", "before")  # queued before the webhook is set
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token=SECRET,
        )
        assert (await fatima.aexpect_message(timeout=5)).text == "Marhba ['before']"
        fatima.send_command("/start", "ifrane")
        assert (await fatima.aexpect_message(timeout=5)).text == "Marhba ['ifrane']"
        forged = {
            "update_id": 1,
            "message": {
                "message_id": 99,
                "date": 0,
                "chat": {"id": fatima.chat_id, "type": "private"},
                "from": {"id": fatima.id, "is_bot": False, "first_name": "Forger"},
                "text": "/start forged",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        async with httpx.AsyncClient() as client:
            hook = f"http://127.0.0.1:{port}/hook"
            wrong = await client.post(
                hook, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            )
            missing = await client.post(hook, json=forged)
        assert (wrong.status_code, missing.status_code) == (403, 403)
        await fatima.aexpect_no_message(within=0.5)
        await app.updater.stop()
        await app.stop()
    assert not fake.calls("getUpdates")
    assert fake.webhook is not None, "PTB leaves the webhook set when it stops"
