"""Bringing an applicant to any step of the questionnaire with valid answers, and what any
input at that step may change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.catalogue import DEFAULT_CATALOGUE_PATH, load_catalogue
from bot.questionnaire import (
    QUESTIONS,
    Ask,
    FormContext,
    Kind,
    Question,
    Review,
    applicable,
    choice_codes,
)
from bot.services.applications import Draft, kind_accepts_text
from bot.talk import SMALL_TALK, bundled_keywords
from bot.validation import ValidationError, parse_contact_phone
from bot.views import application as view
from localbotapi import FakeUser
from storage.applications import Answer
from tests.fuzz.strategies import Contact, Event, Photo, Text, Voice
from tests.inprocess.harness import Harness

PHASE = "ifrane-1"
CATALOGUE = load_catalogue(DEFAULT_CATALOGUE_PATH)
_market = CATALOGUE.market("ifrane")
_phase = CATALOGUE.phase(PHASE)
assert _market is not None and _phase is not None
FORM = FormContext(CATALOGUE, _market, _phase)

# Valid answers as people type them: every script, emoji, bidi marks, the longest allowed.
VALID_TEXTS: dict[str, list[str]] = {
    "structure_name": [
        "Coopérative Tifawin",
        "تعاونية الأمل للنسيج",
        "ⵜⴰⵙⵖⵓⵏⵜ ⵜⵉⴼⴰⵡⵉⵏ 🌾",
        "\u200fتعاونية \u2066Atlas\u2069",
        "C" * 120,
    ],
    "coop_register": ["1234/2019", "١٢٣٤/٢٠١٩", "A-12 / 2020", "9" * 30],
    "ice": ["001234567000089", "001 234 567 000 089"],
    "rnae": ["12345678", "1" * 20],
    "microcredit_association": ["Al Amana", "جمعية أمانة", "A" * 120],
    "town": ["Azrou", "أزرو", "ⴰⵣⵔⵓ", "Aït Bouguemez", "T" * 60],
    "products": ["Tapis et couscous 🧺", "زرابي وكسكس", "ⵜⴰⵣⵔⴱⵉⵜ", "P" * 500],
    "contact_name": ["Fatima Zahra", "فاطمة الزهراء", "ⴼⴰⵟⵉⵎⴰ", "N" * 80],
    "phone": ["0612345678", "+33612345678", "٠٦١٢٣٤٥٦٧٨", "05 35 56 60 00"],
}

# Every question, reached along a legal form it applies to; None is the summary.
STEPS: list[tuple[str, str | None]] = [
    *(("cooperative", q.key) for q in applicable({"legal_form": "cooperative"}, FORM)),
    ("tpe", "ice"),
    ("auto_entrepreneur", "rnae"),
    ("microcredit", "microcredit_association"),
    ("cooperative", None),
    ("tpe", None),
]
assert {key for _, key in STEPS} >= {q.key for q in QUESTIONS}


@dataclass(frozen=True)
class Media:
    """File ids the answers may hold: made up, or real ones known to the fake (the console
    sends them back to organizers)."""

    photos: tuple[str, ...] = ("AgACFAKEphoto1", "AgACFAKEphoto2", "AgACFAKEphoto3")
    voice: str = "AwACAgQAAxkBAAIVOICE"


def valid_value(
    question: Question, draft: Draft, data: st.DataObject, media: Media = Media()
) -> Any:
    key, kind = question.key, question.kind
    label = f"answer to {key}"
    if kind is Kind.CHOICE:
        return data.draw(st.sampled_from(choice_codes(question, draft.form)), label=label)
    if kind is Kind.MULTI:
        codes = choice_codes(question, draft.form)
        return data.draw(st.lists(st.sampled_from(codes), unique=True), label=label)
    if kind is Kind.PHOTOS:
        photos = st.lists(st.sampled_from(media.photos), min_size=1, max_size=3)
        return data.draw(st.none() | photos, label=label)
    if kind is Kind.COUNT:
        members = draft.values.get("members")
        top = members if key == "women_members" and isinstance(members, int) else 100_000
        low = 1 if key == "members" else 0
        return data.draw(st.integers(min_value=low, max_value=top), label=label)
    if key == "products" and data.draw(st.booleans(), label="voice note?"):
        duration = data.draw(st.integers(0, 600), label="duration")
        return {"voice": media.voice, "duration": duration}
    if question.optional and data.draw(st.booleans(), label=f"skip {key}?"):
        return None
    assert question.parse is not None
    return question.parse(data.draw(st.sampled_from(VALID_TEXTS[key]), label=label))


# The answers of a careful applicant, for examples that need no variety.
FIXED: dict[str, Any] = {
    "structure_name": "Coopérative Tifawin",
    "coop_register": "1234/2019",
    "ice": "001234567000089",
    "rnae": "12345678",
    "microcredit_association": "Al Amana",
    "province": "ifrane",
    "town": "Azrou",
    "sector": "crafts",
    "products": "Tapis",
    "members": 12,
    "women_members": 9,
    "led_by": "women",
    "contact_name": "Fatima Zahra",
    "phone": "+212612345678",
    "stand_needs": ["electricity"],
    "trainings": [],
    "programmes": [],
    "photos": None,
}

Chooser = Callable[[Question, Draft], Any]


def drawn(data: st.DataObject, media: Media = Media()) -> Chooser:
    """Valid answers drawn by hypothesis."""
    return lambda question, draft: valid_value(question, draft, data, media)


def fixed_answers(question: Question, draft: Draft) -> Any:
    return FIXED[question.key]


async def bring_to(
    harness: Harness,
    user: FakeUser,
    legal_form: str,
    stop: str | None,
    choose: Chooser,
    *,
    phase: str = PHASE,
    fixed: dict[str, Any] | None = None,
) -> Draft:
    """A draft answered validly up to question `stop` (None: every question, the summary):
    `choose` gives each answer, `fixed` some (a phone of its own, to avoid duplicates...)."""
    service = harness.services.applications
    started = await service.start(user.id, phase)
    assert isinstance(started, Draft), started
    draft = started
    fixed = {"legal_form": legal_form, **(fixed or {})}
    while True:
        step = draft.step
        if isinstance(step, Review) or step.question.key == stop:
            saved = await service.draft(user.id)
            assert saved is not None and saved.answers == draft.answers
            return saved
        question = step.question
        value = fixed[question.key] if question.key in fixed else choose(question, draft)
        await service.answer(draft, question, value)
        # What the database now holds (answering in order makes no answer stale).
        answers = {**draft.answers, question.key: Answer(value, True)}
        draft = Draft(draft.application, answers, draft.form)


async def show(harness: Harness, user: FakeUser, draft: Draft, locale: str) -> list[str]:
    """Send the step as `show_step` does; the callback data of its buttons."""
    t = harness.services.i18n.translator(locale)
    step = draft.step
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None
    if isinstance(step, Ask):
        text = view.question_text(t, draft, step.question)
        markup = view.question_keyboard(t, draft, step.question)
    else:
        text, markup = view.summary_text(t, draft), view.summary_keyboard(t, draft)
    await harness.app.bot.send_message(user.id, text, reply_markup=markup)
    if not isinstance(markup, InlineKeyboardMarkup):
        return []
    # The summary's ✏️ buttons are one tap away, behind "✏️ Modifier une réponse": on screen.
    shown = [markup] if isinstance(step, Ask) else [markup, view.summary_grid_keyboard(t, draft)]
    return [
        str(button.callback_data)
        for keyboard in shown
        for row in keyboard.inline_keyboard
        for button in row
        if button.callback_data is not None
    ]


def grid_codes(harness: Harness, draft: Draft | None) -> list[str]:
    """At the summary, the callback data of its ✏️ buttons: one tap away, behind "✏️ Modifier
    une réponse", and an earlier grid keeps its buttons, which the bot takes at the summary.
    Nothing at a question."""
    if draft is None or isinstance(draft.step, Ask):
        return []
    t = harness.services.i18n.translator("fr")  # callback data is the same in any language
    keyboard = view.summary_grid_keyboard(t, draft)
    return [
        str(button.callback_data)
        for row in keyboard.inline_keyboard
        for button in row
        if button.callback_data is not None
    ]


UNCHANGED = object()


def question_on_screen(harness: Harness, user: FakeUser, draft: Draft) -> bool:
    """Whether the question asked is the last message the bot sent in the chat (in any
    language, under a note or not): only then may a message answer it."""
    step, messages = draft.step, user.messages
    if not isinstance(step, Ask) or not messages:
        return False
    last = messages[-1].text or ""
    i18n = harness.services.i18n
    return any(
        last.endswith(view.question_text(i18n.translator(code), draft, step.question))
        for code in i18n.locales
    )


def expected_answer(
    event: Event, sent: dict[str, Any], draft: Draft, user_id: int, on_screen: bool = True
) -> Answer | object:
    """What a message does to the question being asked: the answer it gives, or UNCHANGED
    (always, when another screen came after the question, or for a bare greeting)."""
    step = draft.step
    if not isinstance(step, Ask):
        return UNCHANGED
    shared = isinstance(event, Contact) and step.question.kind is Kind.PHONE
    if not on_screen and not shared:  # the share-contact button stays under any message
        return UNCHANGED
    said = bundled_keywords().whole(event.text) if isinstance(event, Text) else None
    if said is not None and said.intent in SMALL_TALK:
        return UNCHANGED
    question = step.question
    kind = question.kind
    try:
        if isinstance(event, Text) and not event.is_command and kind_accepts_text(question):
            assert question.parse is not None
            value = question.parse(event.text)
            if question.check is not None:
                question.check(value, draft.values)
            return Answer(value, True)
        if isinstance(event, Voice) and kind is Kind.TEXT_OR_VOICE:
            voice = {"voice": sent["voice"]["file_id"], "duration": event.duration}
            return Answer(voice, True)
        if isinstance(event, Photo) and kind is Kind.PHOTOS:
            pending = draft.pending(question) or []
            photos = [*pending, sent["photo"][-1]["file_id"]][:3]
            return Answer(photos, len(photos) >= 3)
        if isinstance(event, Contact) and kind is Kind.PHONE and event.whose == "own":
            return Answer(parse_contact_phone(event.phone), True)
    except ValidationError:
        return UNCHANGED
    return UNCHANGED


@dataclass(frozen=True)
class Snapshot:
    status: str | None  # None: deleted
    editing: str | None
    answers: dict[str, Answer]


async def snapshot(harness: Harness, application_id: int) -> Snapshot:
    repository = harness.services.applications.repository
    application = await repository.get(application_id)
    if application is None:
        return Snapshot(None, None, {})
    return Snapshot(
        application.status, application.editing, await repository.answers(application_id)
    )
