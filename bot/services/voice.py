"""Voice prompts: what can be recorded, who records it, and what a member hears.

Members who read little hear a question instead of reading it: an organizer records it once
per language with /voice, the bot keeps Telegram's file id and sends the recording again by id
(https://core.telegram.org/bots/api#sending-files), so nothing is downloaded or converted.
Prompts are keyed by question key or screen name, not by catalogue entries: they survive a
/reload, and a question whose text changes keeps its recording until someone records it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.i18n import N_
from bot.questionnaire import QUESTIONS
from storage.voice import Recording, VoicePrompt, VoicePromptRepository

CONSENT = "consent"
SUMMARY = "summary"
# Screens that can be heard besides the questions: their names and labels (French msgids).
SCREENS: dict[str, str] = {CONSENT: N_("Consentement"), SUMMARY: N_("Résumé avant envoi")}
# Telegram plays voice notes of any length, but a prompt is one question: a long recording is
# most likely the wrong one.
MAX_PROMPT_SECONDS = 120
CHOICE_LIFETIME = timedelta(minutes=30)


def prompt_labels() -> dict[str, str]:
    """Every prompt that can be recorded, in the form's order, with its label's msgid."""
    labels = {question.key: question.label for question in QUESTIONS}
    return {CONSENT: SCREENS[CONSENT], **labels, SUMMARY: SCREENS[SUMMARY]}


@dataclass(frozen=True)
class Saved:
    replaced: bool


class VoicePromptService:
    def __init__(self, repository: VoicePromptRepository, clock: Clock) -> None:
        self.repository = repository
        self._clock = clock

    async def prompt(self, locale: str, prompt: str) -> VoicePrompt | None:
        return await self.repository.get(locale, prompt)

    async def recorded(self, locale: str) -> dict[str, VoicePrompt]:
        return await self.repository.recorded(locale)

    async def choose(self, user_id: int, locale: str, prompt: str) -> bool:
        """The organizer's next voice note records `prompt` in `locale`; False if no such
        prompt (a button from an older version of the form)."""
        if prompt not in prompt_labels():
            return False
        await self.repository.choose(user_id, Recording(locale, prompt), self._clock())
        return True

    async def chosen(self, user_id: int) -> Recording | None:
        """What the organizer's voice note records now: a choice made a while ago is
        forgotten, so that a voice note sent later (an answer to their own application, say)
        is not taken for a recording."""
        return await self.repository.chosen(user_id, self._clock() - CHOICE_LIFETIME)

    async def record(
        self, user_id: int, recording: Recording, file_id: str, duration: int
    ) -> Saved:
        replaced = await self.repository.get(recording.locale, recording.prompt) is not None
        await self.repository.save(recording, file_id, duration, user_id, self._clock())
        return Saved(replaced)

    async def remove(self, locale: str, prompt: str) -> bool:
        return await self.repository.remove(locale, prompt)

    async def cancel(self, user_id: int) -> None:
        await self.repository.forget_choice(user_id)

    async def set_hear_questions(self, user_id: int, on: bool) -> None:
        await self.repository.set_hear_questions(user_id, on)
