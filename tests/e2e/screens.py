"""What a bot message is, as an applicant of the crowd reads it: which screen, which
question, which buttons (tests/e2e/crowd.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.handlers import errors
from bot.i18n import I18n
from bot.questionnaire import QUESTIONS
from localbotapi import BotMessage

REFERENCE = re.compile(r"[A-Z]{3}-\d+-\d{4}")

_i18n = I18n()
# Each question's prompt as applicants read it, to tell which question a message asks.
PROMPTS = {
    locale: {q.key: _i18n.translator(locale).gettext(q.prompt) for q in QUESTIONS}
    for locale in _i18n.locales
}
# The error handler's apology: never expected.
APOLOGY = tuple(_i18n.translator(locale).gettext(errors.APOLOGY) for locale in _i18n.locales)
MULTI_KEYS = frozenset({"stand_needs", "trainings", "programmes"})


# -- what a bot message is -------------------------------------------------------------------


class Screen(StrEnum):
    PICKER = "picker"
    MENU = "menu"
    MARKETS = "markets"
    PHASES = "phases"
    CONSENT = "consent"
    RESUME = "resume"
    QUESTION = "question"
    SUMMARY = "summary"
    SUBMITTED = "submitted"  # a confirmation, or "you already applied", with the reference
    OTHER = "other"


@dataclass(frozen=True)
class Seen:
    screen: Screen
    message: BotMessage
    key: str | None = None  # the question asked

    def data(self, prefix: str) -> str:
        """The callback data of the first button starting with `prefix`."""
        for data in self.message.callback_data():
            if data.startswith(prefix):
                return data
        raise AssertionError(f"no button {prefix!r} in {self.message.describe()}")

    def has(self, prefix: str) -> bool:
        return any(data.startswith(prefix) for data in self.message.callback_data())


def question_key(message: BotMessage) -> str | None:
    """The questionnaire key a message asks: from its buttons, or from its wording."""
    for data in message.callback_data():
        parts = data.split(":")
        if parts[0] in {"a", "t", "d", "s"} and len(parts) >= 3:
            return parts[2]
    if any(b.request_contact for row in message.reply_keyboard or [] for b in row):
        return "phone"
    text = message.text or ""
    for prompts in PROMPTS.values():
        for key, prompt in prompts.items():
            if prompt in text:
                return key
    return None


def classify(message: BotMessage) -> Seen:
    """What a new message shows. Edits (a question marked answered, ticks) are OTHER."""
    seen = Seen(Screen.OTHER, message)
    if message.edited:
        return seen
    prefixes = [
        ("lang:", Screen.PICKER),
        ("res:", Screen.RESUME),
        ("sub:", Screen.SUMMARY),
        ("cons:", Screen.CONSENT),
        ("ph:", Screen.PHASES),
        ("apply:", Screen.MARKETS),
    ]
    for prefix, screen in prefixes:
        if seen.has(prefix):
            return Seen(screen, message)
    key = question_key(message)
    if key is not None:
        return Seen(Screen.QUESTION, message, key)
    reference = REFERENCE.search(message.text or "") is not None
    if reference and (seen.has("menu:apply") or seen.has("wd:")):  # sent, or in /status
        return Seen(Screen.SUBMITTED, message)
    if seen.has("menu:apply"):
        return Seen(Screen.MENU, message)
    return seen
