"""Property: outside private chats the bot says at most one thing, the pointer to the private
chat, in the user's language; in a channel it says nothing; neither stores anything but who
wrote (no application, no draft, no announcement)."""

from __future__ import annotations

import itertools
import time
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import BroadcastStep, Choose, ChooseLanguage, OpenMenu, ReviewCard
from localbotapi.formatting import command_entities
from tests.fuzz.buttons import callback_data, codes
from tests.fuzz.checks import check_language
from tests.fuzz.strategies import Event, Press, commands, messages
from tests.fuzz.texts import FIRST_NAMES, PLAUSIBLE, TEXT, fuzz_settings
from tests.inprocess.harness import Harness

_chats = itertools.count(1)
POINTER = "https://t.me/souk_test_bot"
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}
TELEGRAM_ID = 777000


async def counts(harness: Harness) -> tuple[int, ...]:
    """The rows a group or a channel must never create."""
    db = harness.services.db
    tables = ("applications", "answers", "consents", "broadcasts", "deliveries", "roles")
    found = []
    for table in tables:
        row = await db.fetchone(f"SELECT COUNT(*) FROM {table}")
        found.append(int(row[0]) if row else 0)
    return tuple(found)


def group_events() -> st.SearchStrategy[Event]:
    return st.one_of(
        messages(),
        commands(["start", "apply", "review", "broadcast", "find", "menu"]),
        st.builds(
            Press,
            callback_data(
                [],
                codes(ChooseLanguage, OpenMenu, Choose, ReviewCard, BroadcastStep),
                [["ar", "1"]],
            ),
        ),
    )


@fuzz_settings(25)
@given(data=st.data())
def test_in_a_group_only_the_pointer(harness: Harness, data: st.DataObject) -> None:
    locale = data.draw(st.sampled_from(["fr", "ar"]), label="locale")
    role = data.draw(st.sampled_from([None, "organizer"]), label="role")
    user = harness.new_user(locale, role=role, first_name=data.draw(FIRST_NAMES, label="name"))
    chat_type = data.draw(st.sampled_from(["group", "supergroup"]), label="chat")
    group = user.in_group(-1_000_000 - next(_chats), chat_type=chat_type, title="Coopératives")
    with harness.watching(group) as reaction:
        group.send_command("/start")  # the pointer: a bot message to press buttons on
        harness.pump()
    assert len(reaction.events) == 1 and POINTER in (reaction.events[0].text or "")
    before = harness.run(counts(harness))
    for _ in range(data.draw(st.integers(1, 4), label="events")):
        event = data.draw(group_events(), label="event")
        with harness.watching(group) as reaction:
            event.send(group, harness)
            harness.pump()
        assert len(reaction.events) <= 1, [e.describe() for e in reaction.events]
        for message in reaction.events:
            assert POINTER in (message.text or ""), message.describe()
            check_language(message.text, locale, [POINTER], message.describe())
        assert not reaction.calls_for(user.id), "a group message got a private answer"
        if isinstance(event, Press):
            assert any(c.method == "answerCallbackQuery" for c in reaction.calls)
        assert harness.run(counts(harness)) == before


def _channel_post(chat_id: int, text: str, kind: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": next(_chats),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "channel", "title": "Souk ⵙⵓⵇ"},
        "sender_chat": {"id": chat_id, "type": "channel", "title": "Souk ⵙⵓⵇ"},
        "text": text,
    }
    if kind == "edited_channel_post":
        message["edit_date"] = message["date"]
    return {kind: message}


CHANNEL = {"id": -1_009_999, "type": "channel", "title": "Souk"}


def _as_a_channel(group_id: int, text: str) -> dict[str, Any]:
    """A message in a group sent on behalf of a channel: from Telegram's Channel_Bot."""
    message: dict[str, Any] = {
        "message_id": next(_chats),
        "date": int(time.time()),
        "chat": {"id": group_id, "type": "supergroup", "title": "Coopératives"},
        "from": CHANNEL_BOT,
        "sender_chat": CHANNEL,
        "text": text,
    }
    return {"message": message}


@fuzz_settings(30)
@given(
    text=TEXT | PLAUSIBLE | commands().map(lambda c: c.text),
    kind=st.sampled_from(["channel_post", "edited_channel_post", "as_channel", "forward"]),
)
def test_a_channel_gets_nothing(harness: Harness, text: str, kind: str) -> None:
    chat_id = -1_002_000_000 - next(_chats)
    before = harness.run(counts(harness))
    calls = len(harness.fake.requests)
    errors = len(harness.errors)
    if kind == "forward":
        # A post of the group's linked channel, forwarded by Telegram's own account (777000,
        # not a bot) into the group.
        forwarder = harness.fake.user(
            TELEGRAM_ID, first_name="Telegram", chat_id=chat_id, chat_type="supergroup"
        )
        content: dict[str, Any] = {
            "text": text,
            "sender_chat": CHANNEL,
            "is_automatic_forward": True,
            "forward_origin": {
                "type": "channel",
                "chat": CHANNEL,
                "message_id": 1,
                "date": int(time.time()),
            },
        }
        if entities := command_entities(text):
            content["entities"] = entities
        forwarder.send_raw(content)
    elif kind == "as_channel":
        harness.fake.send_update(_as_a_channel(chat_id, text))
    else:
        harness.fake.send_update(_channel_post(chat_id, text, kind))
    harness.pump()
    assert harness.errors[errors:] == []
    sent = [c for c in harness.fake.requests[calls:] if c.params.get("chat_id") == chat_id]
    if kind == "forward" and text.startswith("/"):
        # Telegram's forwarding account is a user: what looks like a command gets the pointer.
        assert len(sent) <= 1 and POINTER in str(sent[0].params.get("text"))
    else:
        assert sent == []
    assert harness.run(counts(harness)) == before
