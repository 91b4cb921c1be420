"""The properties: stored answers that still hold, and replies in the user's language."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from bot.i18n import I18n
from bot.questionnaire import BY_KEY, MAX_PHOTOS, FormContext, Kind, Question, stale_answers
from bot.questionnaire import choice_codes as codes_of
from bot.validation import ValidationError, clean_text
from localbotapi import BotMessage, RecordedCall
from storage.applications import Answer

I18N = I18n()
NATIVE_NAMES = [I18N.native_name(code) for code in I18N.locales]
# The language picker asks in every language at once: the user may not read ours yet.
PICKER_LINES = [I18N.translator(code).gettext("Choisissez votre langue :") for code in I18N.locales]
REFERENCE = re.compile(r"[A-Z]{2,5}-[0-9]+-[0-9]+")
# /team shows each member's role as the code /grant takes (admin, organizer, reviewer).
ROLE_CODE = re.compile(r"— (admin|organizer|reviewer)$", re.MULTILINE)
LINK = re.compile(r"(https?://|@)\S+")


# ---- answers --------------------------------------------------------------------------------


def check_value(question: Question, value: Any, form: FormContext, values: dict[str, Any]) -> None:
    """`value` is a complete answer the question could have accepted."""
    key = question.key
    if value is None:
        assert question.optional, f"{key}: skipped, but it is not optional"
        return
    kind = question.kind
    if kind is Kind.CHOICE:
        assert value in codes_of(question, form), f"{key}: {value!r} is not a choice"
    elif kind is Kind.MULTI:
        assert isinstance(value, list), f"{key}: {value!r} is not a list"
        assert len(set(value)) == len(value), f"{key}: {value!r} has duplicates"
        assert set(value) <= set(codes_of(question, form)), f"{key}: {value!r} not all choices"
    elif kind is Kind.PHOTOS:
        assert isinstance(value, list), f"{key}: {value!r} is not a list"
        assert len(value) <= MAX_PHOTOS and all(isinstance(v, str) and v for v in value), value
    elif kind is Kind.TEXT_OR_VOICE and isinstance(value, dict):
        assert set(value) == {"voice", "duration"}, f"{key}: {value!r}"
        assert isinstance(value["voice"], str) and value["voice"], value
        assert isinstance(value["duration"], int) and value["duration"] >= 0, value
    else:
        assert question.parse is not None, key
        assert isinstance(value, int if kind is Kind.COUNT else str), f"{key}: {value!r}"
        try:
            reparsed = question.parse(str(value))
        except ValidationError as error:
            raise AssertionError(f"{key}: stored {value!r} does not parse: {error}") from None
        assert reparsed == value, f"{key}: stored {value!r} parses as {reparsed!r}"
    if question.check is not None:
        question.check(value, values)


def check_answers(answers: dict[str, Answer], form: FormContext) -> None:
    """Every stored answer holds for its question; nothing answers a question that does not
    apply; options being ticked (or photos being sent) are valid so far."""
    values = {key: answer.value for key, answer in answers.items() if answer.complete}
    for key, answer in answers.items():
        assert key in BY_KEY, f"answer to an unknown question {key!r}"
        question = BY_KEY[key]
        if answer.complete:
            check_value(question, answer.value, form, values)
            continue
        assert question.kind in {Kind.MULTI, Kind.PHOTOS}, f"{key}: incomplete {answer!r}"
        assert isinstance(answer.value, list), f"{key}: pending {answer.value!r}"
        if question.kind is Kind.MULTI:
            assert set(answer.value) <= set(codes_of(question, form)), answer
        else:
            assert 0 < len(answer.value) < MAX_PHOTOS, answer
    assert not stale_answers(values, form), f"stale answers kept: {stale_answers(values, form)}"


# ---- language -------------------------------------------------------------------------------


def is_arabic_letter(char: str) -> bool:
    return unicodedata.bidirectional(char) == "AL" and unicodedata.category(char).startswith("L")


def has_letter(text: str) -> bool:
    return any(unicodedata.category(char).startswith("L") for char in text)


def echo_forms(texts: Iterable[str]) -> list[str]:
    """What the bot may quote back of what people wrote: as written, cleaned, line by line,
    and the 39-character excerpts of announcement lists; longest first."""
    forms: set[str] = set()
    for text in texts:
        if not text:
            continue
        forms.add(text)
        for line in [text, *text.split("\n")]:
            cleaned = clean_text(line)
            forms.update({cleaned, cleaned[:39], line[:39]})
    return sorted((form for form in forms if form), key=len, reverse=True)


def strings_in(value: Any) -> list[str]:
    """Every string inside a JSON value (answers, broadcast texts...)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


def _without(text: str, echoes: list[str]) -> str:
    # The fixed texts first: an echo of a single letter ("e") would otherwise cut into them
    # and leave the rest of the French picker line to be read as the reply's language.
    for fixed in [*PICKER_LINES, *NATIVE_NAMES]:
        text = text.replace(fixed, " ")
    for echo in echoes:
        text = text.replace(echo, " ")
    return LINK.sub(" ", REFERENCE.sub(" ", ROLE_CODE.sub(" ", text)))


def check_language(text: str | None, locale: str, echoes: list[str], what: str) -> None:
    """Arabic: the text has Arabic letters, unless it is only codes, numbers and emoji.
    French: no Arabic letter, except in what people wrote and the bot quotes back."""
    if not text:
        return
    rest = _without(text, echoes)
    if locale == "ar":
        assert any(map(is_arabic_letter, rest)) or not has_letter(rest), (
            f"{what} is not in Arabic: {text!r}"
        )
    else:
        assert not any(map(is_arabic_letter, rest)), f"{what} is not in French: {text!r}"


EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE RLE LRO RLO (closed by PDF)
ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI RLI FSI (closed by PDI)
PDI = "\u2069"


def check_bidi(text: str | None, what: str) -> None:
    """What people wrote, quoted in a message, must not turn the rest of it around: every
    embedding or override sits inside an isolate, and every isolate closes on its line."""
    for line in (text or "").splitlines():
        depth = 0
        for char in line:
            if char in ISOLATES:
                depth += 1
            elif char == PDI and depth:
                depth -= 1
            else:
                assert char not in EMBEDDINGS or depth, f"{what}: {line!r} leaks an override"
        assert depth == 0, f"{what}: {line!r} leaves an isolate open"


def check_replies(
    events: list[BotMessage], answers: list[RecordedCall], locale: str, echoes: list[str]
) -> None:
    """Messages (with their buttons) and button answers, all in the user's language."""
    for event in events:
        check_language(event.text, locale, echoes, event.describe())
        check_bidi(event.text, event.describe())
        for label in event.button_texts():
            check_language(label, locale, echoes, f"button {label!r} of {event.describe()}")
            check_bidi(label, f"button {label!r}")
    for call in answers:
        text = call.params.get("text")
        check_language(text if isinstance(text, str) else None, locale, echoes, f"{call}")


def json_strings(raw: str | None) -> list[str]:
    return strings_in(json.loads(raw)) if raw else []
