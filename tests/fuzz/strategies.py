"""Hypothesis strategies for what users can send a Telegram bot, and how to send it.

An `Event` is one thing a user does (a text, a photo, a contact, an edit, a button press...);
`event.send(user, harness)` makes the fake deliver it as Telegram would. Texts mix every
script the bot meets (Latin, Arabic, Tifinagh), emoji, bidi and control characters, SQL and
format-string fragments, and very long strings; callback data is random, a mutation of the
codes the bot really put on its buttons (right action, wrong ids, missing or extra fields), or
well-formed data of any action (bot/callbacks/) with random fields.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from bot.callbacks import CallbackData, callback_classes
from bot.callbacks.data import Field
from localbotapi import FakeUser
from localbotapi.formatting import command_entities

# HYPOTHESIS_PROFILE=thorough multiplies every example count (a longer local run).
SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 1


def fuzz_settings(examples: int) -> settings:
    # FUZZ_NO_SHRINK=1 reports failures as found, when shrinking them would take too long.
    phases = [p for p in Phase if not (p is Phase.shrink and os.environ.get("FUZZ_NO_SHRINK"))]
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        print_blob=True,
        phases=phases,
    )


ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + "ءأإآةىئؤ" + "ًٌٍَُِّْ"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
TIFINAGH = "".join(chr(c) for c in range(0x2D30, 0x2D68)) + "\u2d6f\u2d7f"
EMOJI = ["🙂", "👩\u200d🌾", "🇲🇦", "👍🏽", "🧺", "☀️", "1️⃣", "\U0001faf6"]
BIDI = ["\u200e", "\u200f", "\u061c", *(chr(c) for c in range(0x202A, 0x202F))] + [
    chr(c) for c in range(0x2066, 0x206A)
]
CONTROL = ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\t", "\r", "\n"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u00a0", "\u202f", "\u3000", "\u2800"]
FRAGMENTS = [
    "'; DROP TABLE answers; --",
    '" OR 1=1 --',
    "%",
    "_",
    "%(name)s",
    "%s %d",
    "{0}",
    "<b>gras</b>",
    "*gras* _italique_ `code`",
    "\\",
    ":",
    "a:1:x",
    "/start",
    "@souk_test_bot",
    "https://t.me/x",
    "NULL",
    "0612345678",
    "+212 6 12 34 56 78",
    "١٢",
    "1.000",
    "-5",
    "12,5",
    "1e9",
    "99999999999999999999999",
    "IFR-1-0001",
    "Coopérative Tifawin",
    "تعاونية الأمل",
    "ⵜⴰⵎⴰⵣⵉⵖⵜ",
]

_PIECES = st.one_of(
    st.sampled_from(list(ARABIC)),
    st.sampled_from(list(ARABIC_DIGITS)),
    st.sampled_from(list(TIFINAGH)),
    st.sampled_from(EMOJI),
    st.sampled_from(BIDI),
    st.sampled_from(CONTROL),
    st.sampled_from(INVISIBLE),
    st.sampled_from(FRAGMENTS),
    st.characters(codec="utf-8"),
    st.sampled_from([" ", "a", "é", "1", "-", "/", "."]),
)

TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(_PIECES, max_size=30).map("".join),
    st.sampled_from(FRAGMENTS),
    # Very long: 10,000 characters of one script, or of everything.
    st.sampled_from(["ⵜ", "ب", "a", "🙂", "\u200f", "٣", "\x00", " "]).map(lambda c: c * 10_000),
    st.lists(_PIECES, min_size=1, max_size=8)
    .map("".join)
    .map(lambda s: (s * (10_000 // len(s) + 1))[:10_000]),
)

# Some answers to the questionnaire written as people write them, valid ones included.
PLAUSIBLE = st.sampled_from(
    [
        "Coopérative Tifawin",
        "تعاونية الأمل للنسيج",
        "ⵜⴰⵙⵖⵓⵏⵜ ⵜⵉⴼⴰⵡⵉⵏ",
        "Azrou",
        "أزرو",
        "Fatima Zahra",
        "فاطمة الزهراء",
        "Tapis, couscous 🧺",
        "12",
        "١٢",
        "1 200",
        "0612345678",
        "+212 6 12 34 56 78",
        "٠٦١٢٣٤٥٦٧٨",
        "1234/2019",
        "001234567000089",
        "12345678",
        "x" * 121,
        "a" * 501,
    ]
)

# Telegram first names: 1 to 64 characters, anything people type (the bot greets them).
FIRST_NAMES = st.one_of(
    st.sampled_from(
        [
            "Fatima",
            "فاطمة الزهراء",
            "ⴼⴰⵟⵉⵎⴰ",
            "\u202eamitaF",  # a right-to-left override left open
            "Ali \u2067علي",  # an isolate left open
            "\u202bعلي\u202c",
            "🙂" * 32,
            "%(name)s",
            "A" * 64,
        ]
    ),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), min_size=1, max_size=64),
)

KNOWN_COMMANDS = [
    "start",
    "menu",
    "language",
    "info",
    "help",
    "apply",
    "status",
    "reminders",
    "correct",
    "privacy",
    "mydata",
    "delete_my_data",
    "review",
    "app",
    "find",
    "broadcast",
    "broadcasts",
    "team",
    "grant",
    "revoke",
    "health",
]

# Every action code the bot puts on buttons (bot/callbacks/), and some it never does.
ACTIONS = [kind.CODE for kind in callback_classes()] + ["", "x", "zz"]


def codes(*kinds: type[CallbackData]) -> list[str]:
    """The action codes of these buttons, for forging their data."""
    return [kind.CODE for kind in kinds]


_TOKEN = st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True)


def _value(field: Field) -> st.SearchStrategy[object]:
    if field.kind is bool:
        return st.booleans()
    if field.kind is int:
        return st.integers(0, 10**18 - 1)
    if field.kind is str:
        return _TOKEN
    return st.sampled_from(list(field.kind))


def buttons(kind: type[CallbackData] | None = None) -> st.SearchStrategy[CallbackData]:
    """A well-formed button of `kind` (any kind if None): every field drawn from its type, the
    optional ones left out from some point on."""
    if kind is None:
        return st.sampled_from(callback_classes()).flatmap(buttons)
    chosen = kind

    @st.composite
    def build(draw: st.DrawFn) -> CallbackData:
        fields = chosen.FIELDS
        required = sum(not field.optional for field in fields)
        given = draw(st.integers(required, len(fields)))
        values = [draw(_value(field)) for field in fields[:given]]
        values += [None] * (len(fields) - given)
        make: Callable[..., CallbackData] = chosen
        return make(*values)

    return build()


# Fields that look like ids but are not quite: the parser's corner cases.
ODD_FIELDS = [
    "",
    "0",
    "-1",
    "²",
    "٣",
    "١٢",
    "1e3",
    " 1",
    "1 ",
    "01",
    "99999999999999999999",
    "9223372036854775808",
    "x",
    "all",
    "ifrane",
    "ifrane-1",
    "ifrane-9",
    "ⵜ",
    "🙂",
    "%",
    "'",
    "y",
    "n",
]


def _clip(data: str) -> str:
    """Callback data holds 1 to 64 bytes: cut (on a character boundary) what is longer."""
    return data.encode()[:64].decode(errors="ignore") or "x"


def pick(pool: Sequence[str], fallback: str = "x") -> st.SearchStrategy[str]:
    """One of `pool` (`fallback` if empty), drawn as a number that does not depend on the pool.

    The examples share one application, so ids and the buttons on screen differ from one run
    of an example to the next: with `sampled_from(pool)` hypothesis could not replay a failing
    example ("inconsistent data generation"); with this it replays the same choices."""
    items = list(pool)
    return st.integers(0, 255).map(lambda i: items[i % len(items)] if items else fallback)


_ODD = st.one_of(
    st.sampled_from(ODD_FIELDS),
    st.integers(min_value=-5, max_value=10**20).map(str),
    st.text(max_size=6),
)


def _field(pool: Sequence[str]) -> st.SearchStrategy[str]:
    """Mostly a value that makes sense in this position, sometimes an odd one."""
    plausible = pick(pool, fallback=ODD_FIELDS[0])
    return st.sampled_from([True, True, True, False]).flatmap(lambda p: plausible if p else _ODD)


def _mutations(real: list[str], fields: list[list[str]]) -> st.SearchStrategy[str]:
    """A real code with a field replaced, dropped or added, or another action's prefix."""
    pool = [p for code in real for p in code.split(":")[1:]] + [f for fs in fields for f in fs]

    @st.composite
    def mutate(draw: st.DrawFn) -> str:
        parts = draw(pick(real)).split(":")
        how = draw(st.sampled_from(["prefix", "drop", "replace", "add", "swap"]))
        index = draw(st.integers(0, 7)) % len(parts)
        if how == "replace":
            parts[index] = draw(_field(pool))
        elif how == "drop" and len(parts) > 1:
            del parts[max(index, 1)]
        elif how == "add":
            parts.insert(max(index, 1), draw(_field(pool)))
        elif how == "prefix":
            parts[0] = draw(st.sampled_from(ACTIONS))
        elif how == "swap" and len(parts) > 2:
            parts[1], parts[2] = parts[2], parts[1]
        return _clip(":".join(parts))

    return mutate()


def _forged(actions: list[str], fields: list[list[str]]) -> st.SearchStrategy[str]:
    """`action:f1:f2...`: the bot's own actions with plausible fields in each position
    (`fields[i]`: the values that make sense there, such as the draft's id, then the question
    asked), or odd ones."""

    @st.composite
    def forge(draw: st.DrawFn) -> str:
        action = draw(st.sampled_from(actions) | st.sampled_from(ACTIONS))
        count = draw(st.sampled_from([2, 3, 1, 0, 4]))
        parts = [action]
        for index in range(count):
            pool = fields[index] if index < len(fields) else []
            parts.append(draw(_field(pool)))
        return _clip(":".join(parts))

    return forge()


def callback_data(
    real: list[str], actions: list[str] | None = None, fields: list[list[str]] | None = None
) -> st.SearchStrategy[str]:
    """Button data: real codes, forged ones built from `actions` and positional `fields`,
    mutations of the real ones, and random bytes."""
    actions, fields = actions or ACTIONS, fields or []
    forged = _forged(actions, fields)
    kinds = {
        "forged": forged,
        "ascii": st.text(
            st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=64
        ),
        "unicode": st.text(min_size=1, max_size=16).map(_clip),
        "real": pick(real) if real else forged,
        "mutated": _mutations(real, fields) if real else forged,
        "typed": buttons().map(lambda button: button.pack()),
    }
    weights = ["forged", "forged", "forged", "ascii", "unicode", "real", "real", "mutated", "typed"]
    return st.sampled_from(weights).flatmap(lambda kind: kinds[kind])


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
