"""A crowd of scripted applicants filling in the questionnaire at once, over HTTP.

Shared by the e2e tests (load, crash, logs without personal data) and the benchmarks::

    from tests.e2e.crowd import run_crowd

    result = fake.run_coroutine(run_crowd(fake, 200))       # blocking, from a test thread
    # or: result = await run_crowd(fake, 200)                # from any event loop
    assert not result.failures, result.failures
    print(result.summary())

Each applicant is a `FakeUser` with a `Persona` (unique phone, register number, names, typed
texts): `/start`, a language, Apply, the market, the phase, consent, every question, the
summary, Send. The bot's next question (or reply) to an answer is its acknowledgement: each
applicant records the answers it SAW acknowledged (`ApplicantResult.acknowledged`, as the
value stored in `answers.value`, JSON-decoded) and how long each step took (`StepEvent`, also
passed to `on_step` as it happens, in the fake's event loop: keep it quick).

By default every step must be acknowledged within `step_timeout` seconds, and any message
other than the expected ones is recorded in `unexpected`: that is the load test's "zero
errors". With `recover_after`, an applicant who sees no acknowledgement for that long (the
bot was killed, say) resumes as a person would, with **Continue** on the draft (or the menu,
then Apply, if it has no draft yet). It never re-sends an answer blindly, since the bot may
have saved it and moved on to the next question; and what the bot sent before that tap
(late replies to updates it received before a crash) is dropped, so that a stale question is
never answered (see `Applicant._synced`).

Everything runs in the fake's event loop (`FakeTelegram.arun`), so thousands of applicants
cost coroutines, not threads.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.crowd_results import ApplicantResult, CrowdOptions, CrowdResult, OnStep, StepEvent
from tests.e2e.personas import Persona, number_word, persona, typed_number
from tests.e2e.screens import MULTI_KEYS, REFERENCE, Screen, Seen, classify

# -- one applicant ---------------------------------------------------------------------------


class StepTimeout(Exception):
    pass


Want = Callable[[Seen], bool]


class Applicant:
    """One scripted applicant's walk through the questionnaire."""

    def __init__(self, user: FakeUser, persona: Persona, options: CrowdOptions) -> None:
        self.user = user
        self.persona = persona
        self.options = options
        self.result = ApplicantResult(persona)
        self._app_id: str | None = None  # the draft's, once a button shows it
        self._photo_id = ""  # the last photo and voice note sent (their ids are the answers)
        self._voice_id = ""

    # Acting and waiting.

    async def _send(self, action: Awaitable[object]) -> None:
        await action
        self.result.updates_sent += 1

    def _noise(self, message: BotMessage) -> bool:
        """Messages that come with an acknowledgement and need nothing from the applicant."""
        if message.edited:  # a question marked answered, a keyboard removed
            return True
        text = message.text or ""
        return message.remove_keyboard and self.persona.phone in text  # "number saved"

    async def _wait(self, want: Want, seconds: float) -> Seen | None:
        """The next message `want` accepts; others are skipped (and noted if unexpected)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while (remaining := end - loop.time()) > 0:
            try:
                message = await self.user.aexpect_message(timeout=remaining)
            except AssertionError:
                return None
            seen = classify(message)
            if want(seen):
                return seen
            if not self._noise(message):
                self.result.unexpected.append(message.describe())
        return None

    def _timeout(self) -> float:
        timeout = self.options.recover_after or self.options.step_timeout
        if self.options.deadline is not None:
            timeout = min(timeout, max(self.options.deadline - time.monotonic(), 0.1))
        return timeout

    def _record(self, step: str, started: float) -> None:
        now = time.monotonic()
        event = StepEvent(self.persona.user_id, step, now - started, now)
        self.result.steps.append(event)
        if self.options.on_step is not None:
            self.options.on_step(event)

    async def _act(self, step: str, action: Awaitable[object], want: Want) -> Seen:
        """Do something and wait for the bot's acknowledgement. StepTimeout if none comes."""
        if self.options.pause:
            await asyncio.sleep(self.options.pause)
        started = time.monotonic()
        await self._send(action)
        timeout = self._timeout()
        seen = await self._wait(want, timeout)
        if seen is None:
            raise StepTimeout(f"no acknowledgement of {step!r} within {timeout:.0f} s")
        self._learn(seen)
        self._record(step, started)
        return seen

    def _press(self, seen: Seen, prefix: str) -> Awaitable[str]:
        return self.user.apress(callback_data=seen.data(prefix), message_id=seen.message.message_id)

    # The walk.

    async def run(self) -> ApplicantResult:
        try:
            await self._walk()
        except Exception as error:  # one applicant's failure must not stop the others
            recent = "\n  ".join(event.describe() for event in self.user.events[-12:])
            self.result.error = f"{type(error).__name__}: {error}\nlast bot events:\n  {recent}"
        return self.result

    async def _walk(self) -> None:
        screens = {Screen.PICKER, Screen.MENU, Screen.RESUME}
        seen: Seen | None = None
        try:
            seen = await self._act(
                "start", self.user.asend_command("/start"), lambda s: s.screen in screens
            )
        except StepTimeout:
            if self.options.recover_after is None:
                raise
        while True:
            if self.options.deadline is not None and time.monotonic() > self.options.deadline:
                raise TimeoutError(f"not done by the deadline; last screen: {seen}")
            try:
                if seen is None:
                    seen = await self._recover()
                if seen.screen is Screen.SUBMITTED:
                    match = REFERENCE.search(seen.message.text or "")
                    assert match is not None
                    self.result.reference = match.group(0)
                    return
                seen = await self._step(seen)
            except StepTimeout:
                if self.options.recover_after is None:
                    raise
                seen = None

    async def _recover(self) -> Seen:
        """No acknowledgement came (the bot was killed, say): start again from what the bot
        shows after a button pressed now (see `_synced`), as a person would tap Continue."""
        self.result.recoveries += 1
        started = time.monotonic()
        if not self.user.messages:  # the very first /start went unanswered
            return await self._act(
                "recover",
                self.user.asend_command("/start"),
                lambda s: s.screen in {Screen.PICKER, Screen.MENU},
            )
        if self._app_id is None:  # no draft yet: the menu, then Apply
            data, want = "menu:home", {Screen.MENU}
        else:  # Continue the draft; the menu if there is no draft any more
            data, want = f"res:{self._app_id}", {Screen.QUESTION, Screen.SUMMARY, Screen.MENU}
        seen = await self._synced(data, want)
        if seen.screen is Screen.MENU and self._app_id is not None:
            # The draft was sent (the confirmation was lost): "My application" shows it.
            seen = await self._synced("menu:status", {Screen.SUBMITTED})
        self._record("recover", started)
        return seen

    async def _synced(self, data: str, want: set[Screen]) -> Seen:
        """Press a button (`data`, on the newest bot message) and wait for the bot to answer
        that very press. The bot handles each user's updates in order, so by then it has
        handled (or lost, in a crash) everything sent before: what it said until then is
        stale and is dropped, and the next message `want` accepts is the press's reply."""
        timeout = self._timeout()
        query = await self.user.apress_data(data)
        self.result.updates_sent += 1
        try:
            await self.user.acallback_answer(query, timeout=timeout)
        except AssertionError:
            raise StepTimeout(f"press {data!r} not answered within {timeout:.0f} s") from None
        await self.user.adrain()  # nothing awaited since the answer: no reply is lost here
        seen = await self._wait(lambda s: s.screen in want, timeout)
        if seen is None:
            raise StepTimeout(f"no reply to {data!r} within {timeout:.0f} s")
        self._learn(seen)
        return seen

    def _learn(self, seen: Seen) -> None:
        """The draft's id, from any button that carries it (Continue needs it)."""
        for data in seen.message.callback_data():
            action, _, rest = data.partition(":")
            app_id = rest.split(":")[0]
            if action in {"a", "t", "d", "s", "res", "sub"} and app_id.isdigit():
                self._app_id = app_id
                return

    async def _step(self, seen: Seen) -> Seen:
        p = self.persona
        screen = seen.screen
        if screen is Screen.PICKER:
            return await self._act(
                "language",
                self._press(seen, f"lang:{p.language}"),
                lambda s: s.screen is Screen.MENU,
            )
        if screen is Screen.MENU:
            return await self._act(
                "menu",
                self._press(seen, "menu:apply"),
                lambda s: s.screen in {Screen.MARKETS, Screen.RESUME},
            )
        if screen is Screen.RESUME:
            return await self._act(
                "resume",
                self._press(seen, "res:"),
                lambda s: s.screen in {Screen.QUESTION, Screen.SUMMARY},
            )
        if screen is Screen.MARKETS:
            return await self._act(
                "market",
                self._press(seen, f"apply:{p.market}"),
                lambda s: s.screen is Screen.PHASES,
            )
        if screen is Screen.PHASES:
            after_phase = {Screen.CONSENT, Screen.QUESTION, Screen.SUMMARY, Screen.SUBMITTED}
            return await self._act(
                "phase", self._press(seen, f"ph:{p.phase}"), lambda s: s.screen in after_phase
            )
        if screen is Screen.CONSENT:
            return await self._act(
                "consent",
                self._press(seen, f"cons:{p.phase}:y"),
                lambda s: s.screen is Screen.QUESTION,
            )
        if screen is Screen.SUMMARY:
            return await self._act(
                "submit", self._press(seen, "sub:"), lambda s: s.screen is Screen.SUBMITTED
            )
        if screen is Screen.QUESTION:
            return await self._answer(seen)
        raise AssertionError(f"nothing to do with {seen.message.describe()}")

    async def _answer(self, seen: Seen) -> Seen:
        """Answer the question asked; the next question (or the summary) acknowledges it."""
        key = seen.key
        assert key is not None
        if key == "stand_needs" and not any(
            text.startswith("✅") for text in seen.message.button_texts()
        ):
            message_id = seen.message.message_id
            edit = await self._act(
                "stand_needs:tick",
                self._press(seen, f"t:{seen.data('t:').split(':')[1]}:stand_needs:electricity"),
                lambda s: s.message.edited and s.message.message_id == message_id,
            )
            return Seen(Screen.QUESTION, edit.message, key)
        if key == "photos" and self.persona.photo and not seen.has("d:"):
            return await self._act(
                "photos:photo",
                self._photo(),
                lambda s: s.screen is Screen.QUESTION and s.key == "photos" and s.has("d:"),
            )
        action, value = self._answer_action(seen, key)
        self.result.answered.pop(key, None)  # until sent: a photo or voice note gets a new id
        try:
            acknowledged = await self._act(
                key, action, lambda s: s.screen in {Screen.QUESTION, Screen.SUMMARY}
            )
        finally:
            self.result.answered[key] = value()
        if acknowledged.screen is Screen.QUESTION and acknowledged.key == key:
            raise AssertionError(
                f"answer to {key!r} refused: {acknowledged.message.describe()}; "
                f"just before: {self.result.unexpected[-2:]}"
            )
        self.result.acknowledged[key] = value()
        return acknowledged

    def _answer_action(self, seen: Seen, key: str) -> tuple[Awaitable[object], Callable[[], Any]]:
        """What to send for question `key`, and (once sent) the value the bot should store."""
        p, user = self.persona, self.user

        def stored(value: Any) -> Callable[[], Any]:
            return lambda: value

        if key in {"legal_form", "province", "sector", "led_by"}:
            code = {
                "legal_form": p.legal_form,
                "province": "ifrane",
                "sector": "crafts",
                "led_by": p.led_by,
            }[key]
            return self._press(seen, f"a:{seen.data('a:').split(':')[1]}:{key}:{code}"), stored(
                code
            )
        if key in MULTI_KEYS:
            value = ["electricity"] if key == "stand_needs" else []
            return self._press(seen, "d:"), stored(value)
        if key == "photos":
            if p.photo:
                return self._press(seen, "d:"), lambda: [self._photo_id]
            return self._press(seen, "s:"), stored(None)
        if key == "rnae":
            return self._press(seen, "s:"), stored(None)
        if key == "products" and p.voice:
            return self._voice(), lambda: {"voice": self._voice_id, "duration": 7}
        if key == "phone":
            if p.share_contact:
                return user.asend_contact(p.phone.removeprefix("+")), stored(p.phone)
            return user.asend_text(p.typed_phone), stored(p.phone)
        arabic = p.language == "ar"
        texts: dict[str, tuple[str, Any]] = {
            "structure_name": (p.structure_name, p.structure_name),
            "coop_register": (p.coop_register, p.coop_register),
            "town": (p.town, p.town),
            "products": (p.products, p.products),
            "members": (typed_number(p.members, arabic), p.members),
            "women_members": (typed_number(p.women_members, arabic), p.women_members),
            "contact_name": (p.contact_name, p.contact_name),
        }
        text, value = texts[key]
        return user.asend_text(text), stored(value)

    async def _photo(self) -> None:
        sent = await self.user.asend_photo()
        self._photo_id = str(sent["photo"][-1]["file_id"])

    async def _voice(self) -> None:
        sent = await self.user.asend_voice(duration=7)
        self._voice_id = str(sent["voice"]["file_id"])


async def run_crowd(
    fake: FakeTelegram,
    n: int,
    *,
    first_user_id: int = 300_001,
    phases: Sequence[str] = ("ifrane-1",),
    step_timeout: float = 30.0,
    recover_after: float | None = None,
    deadline: float | None = None,
    on_step: OnStep | None = None,
    pause: float = 0.0,
    results: list[ApplicantResult] | None = None,
) -> CrowdResult:
    """`n` applicants (user ids from `first_user_id`, personas from `persona`) fill in and
    send applications at once, each to one of `phases` in turn.

    - `step_timeout`: seconds each step may take before the applicant gives up (an error);
    - `recover_after`: instead, after that many seconds without an acknowledgement, the
      applicant taps Continue and goes on (for tests that kill the bot);
    - `deadline`: a `time.monotonic()` by which every applicant must be done;
    - `on_step`: called with every `StepEvent` as it happens, in the fake's event loop;
    - `pause`: seconds each applicant takes to read a message before acting (0: a script);
    - `results`, if given, is filled as the applicants are created, so another thread can
      look at what they saw acknowledged while they are still going (the crash test does).
    """
    options = CrowdOptions(step_timeout, recover_after, deadline, on_step, pause)
    applicants = []
    for index in range(n):
        who = persona(index, first_user_id + index, phases)
        user = fake.user(
            who.user_id, first_name=number_word(who.user_id), language_code=who.language
        )
        applicant = Applicant(user, who, options)
        applicants.append(applicant)
        if results is not None:
            results.append(applicant.result)
    started = time.monotonic()
    done = await fake.arun(_gather(applicants))
    return CrowdResult(done, time.monotonic() - started)


async def _gather(applicants: list[Applicant]) -> list[ApplicantResult]:
    return list(await asyncio.gather(*(applicant.run() for applicant in applicants)))
