"""Button data (bot/callbacks/): every action packs and parses itself, refuses anything
malformed, reads the buttons already in users' chats as before, has a route and a producer."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram.ext import CallbackQueryHandler

from bot.app import GROUP_MAIN, build_application
from bot.callbacks import (
    MAX_CALLBACK_BYTES,
    BroadcastAction,
    BroadcastStep,
    CalendarFile,
    CallbackData,
    CardAction,
    Choose,
    ChooseLanguage,
    ChooseMarket,
    ConfirmOffer,
    Consent,
    EditAnswer,
    EraseData,
    MenuItem,
    OfferChoice,
    OpenMenu,
    RejectFor,
    ReminderSetting,
    ReviewCard,
    SetReminders,
    ShowMarket,
    Submit,
    callback_classes,
)
from bot.catalogue import Catalogue
from bot.config import load_settings
from bot.handlers.routes import parsed
from bot.validation import parse_id
from tests.fuzz.buttons import ACTIONS, buttons

BOT = Path(__file__).resolve().parents[2] / "bot"

# Data on buttons sent before typed callback data (bot/keyboards.encode): still in users'
# chats after an upgrade, they must mean what they meant.
OLD_BUTTONS = [
    ("lang:ar", ChooseLanguage("ar")),
    ("menu:home", OpenMenu(MenuItem.HOME)),
    ("menu:lang", OpenMenu(MenuItem.LANGUAGE)),
    ("mkt:ifrane", ShowMarket("ifrane")),
    ("mkt:ifrane:2", ShowMarket("ifrane", 2)),
    ("apply:all", ChooseMarket("all")),
    ("cons:ifrane-1:y", Consent("ifrane-1", True)),
    ("cons:ifrane-1:n", Consent("ifrane-1", False)),
    ("a:12:legal_form:cooperative", Choose(12, "legal_form", "cooperative")),
    ("e:12", EditAnswer(12)),
    ("e:12:-", EditAnswer(12, "-")),
    ("e:12:town", EditAnswer(12, "town")),
    ("sub:12", Submit(12)),
    ("cf:7:y", ConfirmOffer(7, OfferChoice.YES)),
    ("cf:7:x", ConfirmOffer(7, OfferChoice.NO_CONFIRMED)),
    ("cf:7:k", ConfirmOffer(7, OfferChoice.KEEP)),
    ("ics:7", CalendarFile(7)),
    ("rem:off", SetReminders(ReminderSetting.OFF)),
    ("del:n", EraseData(False)),
    ("del:y:1767225600", EraseData(True, 1767225600)),
    ("rv:acc:12:mohammedia", ReviewCard(CardAction.ACCEPT, 12, "mohammedia")),
    ("rv:prev:12:ifrane-1", ReviewCard(CardAction.PREVIOUS, 12, "ifrane-1")),
    ("rj:12:other:all", RejectFor(12, "other", "all")),
    ("bc:v:3:market:-", BroadcastStep(BroadcastAction.VALUE, 3, "market", "-")),
    ("bc:pv:3:ar", BroadcastStep(BroadcastAction.PREVIEW, 3, "ar")),
    ("bc:stop:9", BroadcastStep(BroadcastAction.STOP, 9)),
]


@pytest.mark.parametrize(("data", "meant"), OLD_BUTTONS)
def test_old_buttons_mean_what_they_meant(data: str, meant: CallbackData) -> None:
    assert type(meant).parse(data) == meant
    assert meant.pack() == data


MALFORMED = [
    (ConfirmOffer, "cf:7"),  # a field missing
    (ConfirmOffer, "cf:7:y:1"),  # one too many
    (ConfirmOffer, "cf:7:z"),  # not a choice
    (ConfirmOffer, "cf:٧:y"),  # Arabic-Indic digit: int() would read it
    (ConfirmOffer, "cf:²:y"),  # str.isdigit() is True
    (ConfirmOffer, "cf:-7:y"),
    (ConfirmOffer, "cf:07:y"),  # not as the bot writes it
    (ConfirmOffer, "cf: 7:y"),
    (ConfirmOffer, "cf:9223372036854775808:y"),  # past SQLite's 64-bit integers
    (ConfirmOffer, "cfx:7:y"),  # another prefix
    (ConfirmOffer, "ics:7"),  # another action
    (ConfirmOffer, ""),
    (ConfirmOffer, None),
    (Submit, "sub:"),
    (Submit, "sub"),
    (OpenMenu, "menu:admin"),
    (Consent, "cons:ifrane-1:yes"),
    (ChooseLanguage, "lang:ⵜ"),
    (ChooseLanguage, "lang:a b"),
    (ReviewCard, "rv:drop:12:all"),
    (ReviewCard, "rv:acc:12:"),  # an empty field
    (EraseData, "del"),
    (BroadcastStep, "bc:zz:3"),
    (BroadcastStep, "bc:v:3:market:-:x"),
    (ShowMarket, "mkt:ifrane:" + "1" * 19),
    (Choose, "a:1:" + "k" * 60),  # over 64 bytes
]


@pytest.mark.parametrize(("kind", "data"), MALFORMED)
def test_malformed_data_is_refused(kind: type[CallbackData], data: str | None) -> None:
    assert kind.parse(data) is None


@given(buttons())
def test_every_button_round_trips(button: CallbackData) -> None:
    data = button.pack()
    assert data.isascii() and 0 < len(data.encode()) <= MAX_CALLBACK_BYTES
    assert re.match(type(button).pattern(), data)
    assert type(button).parse(data) == button
    # Each action reads only its own data.
    others = [kind for kind in callback_classes() if kind is not type(button)]
    assert all(kind.parse(data) is None for kind in others)


def _mutations(data: str) -> st.SearchStrategy[str]:
    parts = data.split(":")
    index = st.integers(0, len(parts) - 1)
    odd = st.sampled_from(["", "٣", "²", "-1", "1 ", "ⵜ", "a:b", "1" * 19, "x" * 70])
    return st.one_of(
        index.map(lambda i: ":".join(parts[:i] + parts[i + 1 :])),  # a field dropped
        st.tuples(index, odd).map(lambda c: ":".join([*parts[: c[0]], c[1], *parts[c[0] :]])),
        st.tuples(index, odd).map(lambda c: ":".join([*parts[: c[0]], c[1], *parts[c[0] + 1 :]])),
        st.sampled_from(ACTIONS).map(lambda code: ":".join([code, *parts[1:]])),
    )


@given(st.data())
def test_parse_is_total_and_a_parsed_button_packs_back(data: st.DataObject) -> None:
    """Any data: a button of `kind` (which packs back to that very data) or None; never an
    exception."""
    kind = data.draw(st.sampled_from(callback_classes()))
    raw = data.draw(
        st.one_of(st.text(max_size=70), buttons().map(CallbackData.pack).flatmap(_mutations))
    )
    parsed = kind.parse(raw)
    if parsed is not None:
        assert parsed.pack() == raw  # one string per button, and back


@pytest.mark.parametrize(
    "button",
    [
        Choose(1, "legal_form", "k" * 60),  # too long
        ChooseLanguage("ⵜ"),  # not ASCII
        ChooseLanguage("a:b"),  # would read back as two fields
        ChooseLanguage(""),
        Submit(-1),
        Submit(10**18),
        BroadcastStep(BroadcastAction.VALUE, 3, None, "x"),  # a field left out before one given
    ],
)
def test_pack_refuses_what_would_not_read_back(button: CallbackData) -> None:
    with pytest.raises(ValueError):
        button.pack()


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("007", 7),
        ("999999999999999999", 999_999_999_999_999_999),
        ("", None),
        ("-1", None),
        ("²", None),  # str.isdigit() is True, int() refuses it
        ("٣", None),  # int() reads it as 3: not a code the bot ever makes
        ("1 ", None),
        ("1e3", None),
        ("9223372036854775808", None),  # past SQLite's 64-bit integers
        ("99999999999999999999", None),
    ],
)
def test_parse_id(field: str, expected: int | None) -> None:
    assert parse_id(field) == expected


@given(st.text())
def test_parse_id_is_total(field: str) -> None:
    value = parse_id(field)
    assert value is None or (0 <= value < 2**63 and field.isascii() and int(field) == value)


# ---- routes and producers -------------------------------------------------------------------


def routed(catalogue: Catalogue) -> list[str]:
    """The patterns of the button handlers, as registered."""
    application = build_application(load_settings({"BOT_TOKEN": "1:abc"}), catalogue)
    return [
        handler.pattern.pattern
        for handler in application.handlers[GROUP_MAIN]
        if isinstance(handler, CallbackQueryHandler) and isinstance(handler.pattern, re.Pattern)
    ]


def produced() -> set[str]:
    """The classes whose buttons something in bot/ builds: `button(label, Kind(...))`, or a
    class handed to a function that builds them (`edit_grid(t, draft, EditAnswer, back)`);
    registering a route (`route(Kind, handler)`) produces nothing."""
    names: set[str] = set()
    for path in BOT.rglob("*.py"):
        if "callbacks" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else None
            callee = node.func.id if isinstance(node.func, ast.Name) else callee
            for argument in node.args:
                built = argument.func if isinstance(argument, ast.Call) else None
                if callee == "button" and built is not None:
                    names.add(
                        built.attr if isinstance(built, ast.Attribute) else ast.unparse(built)
                    )
                elif callee != "route" and isinstance(argument, ast.Name | ast.Attribute):
                    names.add(argument.attr if isinstance(argument, ast.Attribute) else argument.id)
    return names


def test_every_route_has_a_producer_and_every_button_a_route(catalogue: Catalogue) -> None:
    patterns = routed(catalogue)
    by_pattern = {kind.pattern(): kind for kind in callback_classes()}
    assert len(patterns) == len(set(patterns)), "an action routed twice"
    unknown = [pattern for pattern in patterns if pattern not in by_pattern]
    assert not unknown, f"routes of no button class: {unknown}"
    names = {kind.__name__ for kind in callback_classes()}
    without_route = names - {by_pattern[pattern].__name__ for pattern in patterns}
    assert not without_route, f"buttons nothing routes: {sorted(without_route)}"
    without_producer = names - produced()
    assert not without_producer, f"routes no button of bot/ produces: {sorted(without_producer)}"


def test_codes_are_unique_and_no_code_prefixes_another_route() -> None:
    codes = [kind.CODE for kind in callback_classes()]
    assert len(codes) == len(set(codes))
    for kind in callback_classes():
        for other in codes:
            if other != kind.CODE:
                assert not re.match(kind.pattern(), other + ":1"), (kind.CODE, other)


async def test_a_handler_gets_the_parsed_button_and_malformed_data_the_stale_answer() -> None:
    calls: list[object] = []

    async def handler(update: Any, context: Any, pressed: ConfirmOffer) -> None:
        calls.append(pressed)

    async def stale(update: Any, context: Any) -> None:
        calls.append("stale")

    callback = parsed(ConfirmOffer, handler, stale)
    for data in ["cf:7:k", "cf:7", "cf:٧:y", "cf:7:k:1"]:
        update = SimpleNamespace(callback_query=SimpleNamespace(data=data))
        await callback(update, None)  # type: ignore[arg-type]
    assert calls == [ConfirmOffer(7, OfferChoice.KEEP), "stale", "stale", "stale"]
