"""The fake Telegram server, proven with python-telegram-bot's own client, offline."""

from __future__ import annotations

import datetime as dtm

import httpx
import pytest
from telegram import Bot as PTBBot
from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    MessageOriginHiddenUser,
    MessageOriginUser,
    ReplyKeyboardMarkup,
)
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    InvalidToken,
    RetryAfter,
)

from localbotapi import ApiError, BotMessage, FakeTelegram, FakeUser
from localbotapi.formatting import parse_formatted
from tests.localbotapi.conftest import TOKEN, ptb_client

# PTB 22.2+ warns (inside RetryAfter itself) that retry_after will become a timedelta.
ignore_timedelta_deprecation = pytest.mark.filterwarnings(
    "ignore::telegram.warnings.PTBDeprecationWarning"
)


def retry_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


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
        async with ptb_client(fake, "123456:WRONG-TOKEN") as wrong:
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
