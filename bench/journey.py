"""The application journey: N simulated applicants fill the whole questionnaire at once.

Each applicant is a coroutine in the fake Bot API's own event loop: /start, French, Apply,
the Ifrane market, phase 1, consent, the 19 questions (those that apply to a cooperative:
buttons, typed text, Arabic-Indic digits, a voice note, the share-contact button, a tick
then Done on multi-selects, Skip on photos), the summary, Send. The driver reads each
message's keyboard and answers generically, so the same walk drives our bot and the
baseline (`bench/baseline_bot.py`, which uses the same callback-data shapes).

Latency is measured per user action (an update): from the moment the fake queues it to the
moment the fake holds the message the applicant needs next (the next question, the summary,
the confirmation; for a tick, the redrawn keyboard), as the simulated applicant sees it.
Applicants act as soon as they can (no thinking time): with N of them at once, each waits
behind the others' updates, so latency grows with N once the bot is saturated.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bench.process import MeasuredBot
from bot.questionnaire import QUESTIONS
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.screens import question_key

FIRST_USER = 2_000_001
PHASE = "ifrane-1"

# The typed answers. Each applicant is its own structure: the phone and the register number
# (what the bot's duplicate check compares) come from its user id, see `Applicant.typed`.
TEXTS = {
    "town": "Azrou",
    "members": "١٢",  # Arabic-Indic digits, as many phones type them
    "women_members": "9",
    "contact_name": "Fatima Zahra",
}
CHOICES = {"legal_form": "cooperative", "province": "ifrane", "sector": "crafts", "led_by": "women"}
TICKED = {"stand_needs": "electricity"}
REFERENCE = re.compile(r"\bIFR-1-\d+\b")


@dataclass
class JourneyResult:
    bot: str
    users: int
    completed: int = 0  # ours: applications `submitted` in its database; baseline: see run
    updates: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss: int = 0
    startup_seconds: float = 0.0
    bot_messages: int = 0  # messages sent or edited by the bot during the journey
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def updates_per_second(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    @property
    def cpu_per_update(self) -> float:
        return self.cpu_seconds / self.updates if self.updates else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[index]


def is_summary(message: BotMessage) -> bool:
    return any(data.startswith("sub:") for data in message.callback_data())


def button(message: BotMessage, prefix: str = "", suffix: str = "") -> str:
    for data in message.callback_data():
        if data.startswith(prefix) and data.endswith(suffix):
            return data
    raise AssertionError(f"no button {prefix}…{suffix} in {message.describe()}")


class Applicant:
    """One simulated applicant; every action is timed until the message that answers it."""

    def __init__(self, user: FakeUser, result: JourneyResult, timeout: float) -> None:
        self.user = user
        self.result = result
        self.timeout = timeout
        self.reference: str | None = None  # the one the confirmation gave

    @property
    def phone(self) -> str:
        """A Moroccan mobile of its own (+2126…, then 8 digits of the user id)."""
        return f"2126{self.user.id % 100_000_000:08d}"

    def typed(self, key: str) -> str:
        own = {
            "structure_name": f"Coopérative Tifawin {self.user.id}",
            "coop_register": f"{self.user.id}/2019",
        }
        return own.get(key) or TEXTS[key]

    async def act(
        self, action: Callable[[], Awaitable[object]], wanted: Callable[[BotMessage], bool]
    ) -> BotMessage:
        began = time.monotonic()
        await action()
        self.result.updates += 1
        while True:
            event = await self.user.aexpect_message(timeout=self.timeout)
            if wanted(event):
                self.result.latencies.append(time.monotonic() - began)
                return event

    async def press(
        self, message: BotMessage, data: str, wanted: Callable[[BotMessage], bool] | None = None
    ) -> BotMessage:
        return await self.act(
            lambda: self.user.apress(callback_data=data, message_id=message.message_id),
            wanted or _new_question,
        )

    async def walk(self) -> bool:
        user = self.user
        picker = await self.act(lambda: user.asend_command("/start"), _new)
        menu = await self.press(picker, button(picker, "lang:fr"), _new)
        markets = await self.press(menu, button(menu, suffix="menu:apply"), _new)
        phases = await self.press(markets, button(markets, suffix="apply:ifrane"), _new)
        consent = await self.press(phases, button(phases, suffix=f"ph:{PHASE}"), _new)
        question = await self.press(consent, button(consent, suffix=f"cons:{PHASE}:y"))
        for _ in range(len(QUESTIONS) + 1):
            if is_summary(question):
                sent = await self.press(question, button(question, "sub:"), _new)
                # A refusal (a duplicate) quotes the existing application's reference too:
                # what counts for our bot is its database (see `run`).
                found = REFERENCE.search(sent.text or "")
                self.reference = found.group() if found else None
                return found is not None
            question = await self.answer(question)
        raise AssertionError(f"no summary after every question: {question.describe()}")

    async def answer(self, question: BotMessage) -> BotMessage:
        key, user = question_key(question), self.user
        if key is None:
            raise AssertionError(f"not a question: {question.describe()}")
        if key in CHOICES:
            return await self.press(question, button(question, "a:", f":{key}:{CHOICES[key]}"))
        if key in TICKED:
            ticked = await self.press(
                question, button(question, "t:", f":{key}:{TICKED[key]}"), _redrawn(question)
            )
            question = ticked
        if key in {"stand_needs", "trainings", "programmes"}:
            return await self.press(question, button(question, "d:", f":{key}"))
        if key == "photos":
            return await self.press(question, button(question, "s:", f":{key}"))
        if key == "products":
            return await self.act(lambda: user.asend_voice(7), _new_question)
        if key == "phone":
            return await self.act(lambda: user.asend_contact(self.phone), _new_question)
        return await self.act(lambda: user.asend_text(self.typed(key)), _new_question)


def _new(message: BotMessage) -> bool:
    return not message.edited


def _new_question(message: BotMessage) -> bool:
    """The next step: a question or the summary (a confirmation such as "number saved" before
    it is part of the same reply)."""
    return not message.edited and (question_key(message) is not None or is_summary(message))


def _redrawn(question: BotMessage) -> Callable[[BotMessage], bool]:
    return lambda event: event.edited and event.message_id == question.message_id


async def _run_all(applicants: list[Applicant]) -> list[bool | BaseException]:
    return await asyncio.gather(*(a.walk() for a in applicants), return_exceptions=True)


def run(
    users: int,
    *,
    module: str = "bot",
    label: str | None = None,
    extra_env: Mapping[str, str] | None = None,
    first_user: int = FIRST_USER,
) -> JourneyResult:
    """Start `python -m <module>` against a fresh fake and database; walk `users` applicants
    through the journey at once; measure the bot process."""
    result = JourneyResult(label or module, users)
    timeout = max(120.0, users * 0.6)
    with tempfile.TemporaryDirectory() as workdir, FakeTelegram() as fake:
        bot = MeasuredBot(fake, Path(workdir), extra_env, module=module)
        bot.start()
        result.startup_seconds = bot.startup_seconds
        applicants: list[Applicant] = []
        try:
            applicants = [
                Applicant(
                    fake.user(first_user + i, first_name="Fatima", language_code="fr"),
                    result,
                    timeout,
                )
                for i in range(users)
            ]
            time.sleep(0.5)  # start-up calls (menus) settle before the clock starts
            sends_before = _bot_messages(fake)
            cpu_before = bot.cpu_seconds()
            began = time.monotonic()
            outcomes = fake.run_coroutine(_run_all(applicants), timeout=timeout * 30)
            result.seconds = time.monotonic() - began
            result.cpu_seconds = bot.cpu_seconds() - cpu_before
            result.peak_rss = bot.peak_rss()
            result.bot_messages = _bot_messages(fake) - sends_before
            result.errors = [
                f"{type(o).__name__}: {str(o)[:1500]}" for o in outcomes if o is not True
            ][:5]
        finally:
            code = bot.stop()
            if code != 0 or "Traceback" in bot.log():
                result.errors.append(f"bot exited with {code}: {bot.log()[-3000:]}")
        if module == "bot":
            result.completed = submitted(bot.database, first_user, users)
        else:
            # The baseline keeps no database: an application is one confirmation with a
            # reference of its own (it refuses nothing as a duplicate).
            result.completed = len({a.reference for a in applicants if a.reference})
    return result


def submitted(database: Path, first_user: int, users: int) -> int:
    """Applications in status `submitted` of the journey's applicants, read in the database."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        (count,) = connection.execute(
            "SELECT COUNT(*) FROM applications WHERE status = 'submitted'"
            " AND user_id BETWEEN ? AND ?",
            (first_user, first_user + users - 1),
        ).fetchone()
    return int(count)


def _bot_messages(fake: FakeTelegram) -> int:
    counts = fake.stats.calls_per_method
    return sum(n for method, n in counts.items() if method.startswith(("send", "edit")))
