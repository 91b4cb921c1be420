"""Hypothesis strategies for what users can send a Telegram bot, and how to send it.

An `Event` is one thing a user does (a text, a photo, a contact, an edit, a button press...);
`event.send(user, harness)` makes the fake deliver it as Telegram would. Texts mix every
script the bot meets (Latin, Arabic, Tifinagh), emoji, bidi and control characters, SQL and
format-string fragments, and very long strings; callback data is random, a mutation of the
codes the bot really put on its buttons (right action, wrong ids, missing or extra fields), or
well-formed data of any action (bot/callbacks/) with random fields.

Texts are drawn in `tests/fuzz/texts.py`, callback data in `tests/fuzz/buttons.py`; the
events that carry them, here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from hypothesis import strategies as st

from localbotapi import FakeUser
from localbotapi.formatting import command_entities
from tests.fuzz.buttons import (
    ODD_FIELDS,
    callback_data,
    pick,
)
from tests.fuzz.texts import (
    EMOJI,
    KNOWN_COMMANDS,
    PLAUSIBLE,
    TEXT,
)

# ---- events ---------------------------------------------------------------------------------

# Now and then a button on a message the bot can no longer see.
INACCESSIBLE = st.sampled_from([False] * 7 + [True])


class Sender(Protocol):
    def skip_pending(self) -> None: ...

    def make_inaccessible(self, query_id: str) -> None: ...


@dataclass(frozen=True)
class Event:
    """One thing a user does in their chat with the bot."""

    def send(self, user: FakeUser, harness: Sender) -> dict[str, Any]:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Event):
    text: str

    def send(self, user: FakeUser, harness: Sender) -> dict[str, Any]:
        return user.send_text(self.text)

    @property
    def is_command(self) -> bool:
        return any(e["offset"] == 0 for e in command_entities(self.text))


@dataclass(frozen=True)
class Photo(Event):
    caption: str | None

    def send(self, user: FakeUser, harness: Sender) -> dict[str, Any]:
        return user.send_photo(caption=self.caption)


@dataclass(frozen=True)
class Voice(Event):
    duration: int

    def send(self, user: FakeUser, harness: Sender) -> dict[str, Any]:
        return user.send_voice(self.duration)


@dataclass(frozen=True)
class Document(Event):
    file_name: str
    caption: str | None

    def send(self, user: FakeUser, harness: Sender) -> dict[str, Any]:
        return user.send_document(self.file_name, caption=self.caption)


@dataclass(frozen=True)
class Sticker(Event):
    emoji: str

    def send(self, user: FakeUser, harness: Sender) -> dict[str, Any]:
        return user.send_sticker(self.emoji)


@dataclass(frozen=True)
class Contact(Event):
    phone: str
    whose: str  # "own", "foreign" or "unknown" (no user_id, as for a contact typed by hand)

    def send(self, user: FakeUser, harness: Sender) -> dict[str, Any]:
        if self.whose == "own":
            return user.send_contact(self.phone)
        if self.whose == "foreign":
            return user.send_contact(self.phone, user.id + 1, first_name="Autre")
        return user.send_contact(self.phone, include_user_id=False, first_name="Autre")


@dataclass(frozen=True)
class Location(Event):
    latitude: float
    longitude: float

    def send(self, user: FakeUser, harness: Sender) -> dict[str, Any]:
        return user.send_location(self.latitude, self.longitude)


_FILE = {"file_id": "BAACAgQAAxkBAAIFAKE", "file_unique_id": "AgADFAKE"}
RAW_MEDIA: dict[str, dict[str, Any]] = {
    "video": {"video": {**_FILE, "width": 640, "height": 480, "duration": 5}},
    "video_note": {"video_note": {**_FILE, "length": 240, "duration": 5}},
    "audio": {"audio": {**_FILE, "duration": 60, "title": "ⴰⵀⵉⴷⵓⵙ"}},
    "animation": {
        "animation": {**_FILE, "width": 320, "height": 240, "duration": 2},
        "document": {**_FILE},
    },
    "dice": {"dice": {"emoji": "🎲", "value": 6}},
    "venue": {
        "venue": {
            "location": {"latitude": 33.53, "longitude": -5.11},
            "title": "Souk d'Ifrane",
            "address": "Ifrane",
        }
    },
    "poll": {
        "poll": {
            "id": "5000",
            "question": "?",
            "options": [
                {"persistent_id": "1", "text": "a", "voter_count": 0},
                {"persistent_id": "2", "text": "b", "voter_count": 0},
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": True,
            "members_only": False,
        }
    },
    "story": {"story": {"chat": {"id": 1, "type": "channel", "title": "c"}, "id": 1}},
    "empty": {},
}


@dataclass(frozen=True)
class RawMedia(Event):
    kind: str

    def send(self, user: FakeUser, harness: Sender) -> dict[str, Any]:
        return user.send_raw(RAW_MEDIA[self.kind])


@dataclass(frozen=True)
class Edit(Event):
    """The user edits a text message of theirs sent earlier (whose update the bot already
    handled, e.g. before a restart): an `edited_message` update."""

    before: str
    after: str

    def send(self, user: FakeUser, harness: Sender) -> dict[str, Any]:
        original = user.send_text(self.before)
        harness.skip_pending()
        return user.edit_message(original["message_id"], self.after)


@dataclass(frozen=True)
class Press(Event):
    data: str
    inaccessible: bool = False  # on a message deleted since (Telegram sends it without text)

    def send(self, user: FakeUser, harness: Sender) -> dict[str, Any]:
        # The message goes; another stays for the presses that follow.
        deleted = self.inaccessible and len(user.messages) > 1
        query_id = user.press_data(self.data)
        if deleted:
            harness.make_inaccessible(query_id)
        return {"query_ids": [query_id]}


@dataclass(frozen=True)
class DoubleTap(Press):
    """The same button pressed twice before the bot handles the first (a slow network)."""

    def send(self, user: FakeUser, harness: Sender) -> dict[str, Any]:
        return {"query_ids": [user.press_data(self.data), user.press_data(self.data)]}


def commands(names: list[str] = KNOWN_COMMANDS) -> st.SearchStrategy[Text]:
    name = st.one_of(
        st.sampled_from(names),
        st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
    )
    mention = st.sampled_from(["", "@souk_test_bot", "@other_bot"])
    args = st.lists(st.one_of(TEXT, PLAUSIBLE, st.sampled_from(ODD_FIELDS)), max_size=3)
    return st.builds(
        lambda n, m, a: Text(" ".join([f"/{n}{m}", *a])),
        name,
        mention,
        args,
    )


def media() -> st.SearchStrategy[Event]:
    caption = st.none() | TEXT | PLAUSIBLE
    return st.one_of(
        st.builds(Photo, caption),
        st.builds(Voice, st.integers(min_value=0, max_value=100_000)),
        st.builds(
            Document,
            st.sampled_from(["a.pdf", "photo.jpg", "ⵜ.txt", "x" * 200 + ".exe"]),
            caption,
        ),
        st.builds(Sticker, st.sampled_from(EMOJI)),
        st.builds(
            Contact,
            st.one_of(PLAUSIBLE, TEXT, st.sampled_from(["212612345678", "+33612345678", ""])),
            st.sampled_from(["own", "foreign", "unknown"]),
        ),
        st.builds(
            Location,
            st.floats(min_value=-90, max_value=90),
            st.floats(min_value=-180, max_value=180),
        ),
        st.builds(RawMedia, st.sampled_from(sorted(RAW_MEDIA))),
    )


def messages() -> st.SearchStrategy[Event]:
    """Anything a user sends in a chat (not a button press)."""
    text = TEXT | PLAUSIBLE
    return st.one_of(
        st.builds(Text, text),
        commands(),
        media(),
        st.builds(Edit, text, text | commands().map(lambda c: c.text)),
    )


def events(
    real: list[str], actions: list[str] | None = None, fields: list[list[str]] | None = None
) -> st.SearchStrategy[Event]:
    """Anything a user does: a message, or a press on a button, real or forged (half)."""
    return st.booleans().flatmap(
        lambda press: presses(real, actions, fields) if press else messages()
    )


def presses(
    real: list[str], actions: list[str] | None = None, fields: list[list[str]] | None = None
) -> st.SearchStrategy[Press]:
    """A press on a button, now and then twice in a row (a real button) or on a message
    deleted meanwhile."""
    once = st.builds(Press, callback_data(real, actions, fields), INACCESSIBLE)
    twice = st.builds(DoubleTap, pick(real)) if real else once  # the same draws either way
    return st.sampled_from([True] * 5 + [False]).flatmap(lambda single: once if single else twice)
