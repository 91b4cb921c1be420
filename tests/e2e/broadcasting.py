"""Steps of a broadcast over HTTP, shared by the e2e tests and the benchmark."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Iterable

from bot.callbacks import BroadcastAction, BroadcastStep, CallbackData, ChooseLanguage
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.journey import buttons_of, next_new_message

ORGANIZER = 9001
HUMAN_PAUSE = 1.02  # an organizer taps more than a second after the last reply: no burst


def seed(database: str, recipients: Iterable[int], beauty: Iterable[int] = ()) -> None:
    """Applicants written straight into the database (filling thousands of questionnaires over
    HTTP would take long and is covered elsewhere): half in Arabic, all in Ifrane phase 1."""
    stamp = "2026-11-01T10:00:00+00:00"
    in_beauty = set(beauty)
    with sqlite3.connect(database) as connection:
        for user_id in recipients:
            locale = "ar" if user_id % 2 else "fr"
            connection.execute(
                "INSERT INTO users (id, locale, first_name, first_seen, last_seen)"
                " VALUES (?, ?, 'Coop', ?, ?)",
                (user_id, locale, stamp, stamp),
            )
            cursor = connection.execute(
                "INSERT INTO applications (user_id, phase_code, status, created_at, updated_at)"
                " VALUES (?, 'ifrane-1', 'submitted', ?, ?)",
                (user_id, stamp, stamp),
            )
            sector = '"beauty"' if user_id in in_beauty else '"crafts"'
            connection.execute(
                "INSERT INTO answers (application_id, question, value, answered_at)"
                " VALUES (?, 'sector', ?, ?)",
                (cursor.lastrowid, sector, stamp),
            )


def pause() -> None:
    time.sleep(HUMAN_PAUSE)


def press_prefix(user: FakeUser, message: BotMessage, prefix: str) -> BotMessage:
    """Press the first button whose data starts with `prefix`; the bot's next event."""
    matches = [data for data in message.callback_data() if data.startswith(prefix)]
    assert matches, f"no button {prefix!r} in {message.describe()}"
    pause()
    user.press(callback_data=matches[0], message_id=message.message_id)
    return user.expect_message()


def press_typed(user: FakeUser, message: BotMessage, wanted: CallbackData) -> BotMessage:
    """Press the button carrying `wanted` (bot/callbacks/); the bot's next event."""
    data = wanted.pack()
    assert data in message.callback_data(), f"no button {data!r} in {message.describe()}"
    pause()
    user.press(callback_data=data, message_id=message.message_id)
    return user.expect_message()


def step(action: BroadcastAction, draft: int, *fields: str) -> BroadcastStep:
    return BroadcastStep(action, draft, *fields)


def open_console(organizer: FakeUser) -> None:
    """/start and French, at a human pace."""
    organizer.send_command("/start")
    picker = next_new_message(organizer)
    press_typed(organizer, picker, ChooseLanguage("fr"))


def compose(organizer: FakeUser, marker: str, sector: str | None = None) -> BotMessage:
    """/broadcast to phase Ifrane 1 (and a sector), both languages, no photo: the preview."""
    pause()
    organizer.send_command("/broadcast")
    audience = next_new_message(organizer)
    assert "Qui doit la recevoir" in (audience.text or "")
    draft = audience_id(audience)
    options = press_typed(organizer, audience, step(BroadcastAction.FILTER, draft, "market"))
    choice = step(BroadcastAction.VALUE, draft, "market", "ifrane")
    audience = press_typed(organizer, options, choice)
    if sector:
        options = press_typed(organizer, audience, step(BroadcastAction.FILTER, draft, "sector"))
        choice = step(BroadcastAction.VALUE, draft, "sector", sector)
        audience = press_typed(organizer, options, choice)
    prompt = press_typed(organizer, audience, step(BroadcastAction.WRITE, draft))
    # The language named in the reader's (French) language, since 3fb50cc.
    assert "en français" in (prompt.text or "")
    pause()
    organizer.send_text(f"{marker} : le marché d'Ifrane ouvre ses portes.\nBienvenue !")
    assert "en arabe" in (next_new_message(organizer).text or "")
    pause()
    organizer.send_text(f"{marker} : سوق إفران يفتح أبوابه. مرحبا!")
    tamazight = next_new_message(organizer)  # optional: its readers get the French
    photo_prompt = press_typed(organizer, tamazight, step(BroadcastAction.SKIP_LANGUAGE, draft))
    return press_typed(organizer, photo_prompt, step(BroadcastAction.NO_PHOTO, draft))


def audience_id(message: BotMessage) -> int:
    """The draft whose audience `message` shows (from its buttons)."""
    return buttons_of(message, BroadcastStep)[0].draft_id


def _send_data(preview: BotMessage) -> str:
    sends = [b for b in buttons_of(preview, BroadcastStep) if b.action is BroadcastAction.SEND]
    assert sends, f"no Send button in {preview.describe()}"
    return sends[0].pack()


def send_and_count(organizer: FakeUser, preview: BotMessage) -> int:
    """Press Send; the number of recipients announced on the button."""
    (label,) = [
        button.text
        for row in preview.inline_keyboard
        for button in row
        if button.callback_data == _send_data(preview)
    ]
    pause()
    organizer.press(callback_data=_send_data(preview), message_id=preview.message_id)
    return int("".join(char for char in label if char.isdigit()))


def received(fake: FakeTelegram, marker: str) -> Counter[int]:
    """How many times each recipient got the broadcast with `marker` (successful sends only;
    not the organizer's preview)."""
    return Counter(
        int(call.params["chat_id"])
        for call in fake.calls("sendMessage")
        if call.status == 200
        and marker in str(call.params.get("text", ""))
        and int(call.params["chat_id"]) != ORGANIZER
    )


def wait_for(fake: FakeTelegram, marker: str, count: int, timeout: float) -> None:
    fake.wait_until(
        lambda: sum(received(fake, marker).values()) >= count,
        timeout=timeout,
        interval=0.5,
        message=f"{count} messages {marker}",
    )


def report_of(organizer: FakeUser, broadcast: int, timeout: float = 20.0) -> str:
    """The report that ends broadcast n° `broadcast`, once its progress message says so too
    (the organizer's next tap comes after both, as it would from a person reading them)."""
    header = f"n°{broadcast} : envoi terminé"

    def finished() -> list[str]:
        return [m.text or "" for m in organizer.messages if header in (m.text or "")]

    deadline = time.monotonic() + timeout
    while len(finished()) < 2:
        assert time.monotonic() < deadline, f"{header!r} not seen twice"
        time.sleep(0.2)
    organizer.drain()
    return finished()[-1]


def throttled_recipients(fake: FakeTelegram) -> dict[int, int]:
    """429s the recipients' chats got. The organizer's own chat is left out: a tap there may
    get two replies in a row (an edit and a message), which Telegram tolerates in a private
    chat but this strict fake counts; the bot's other messages (outbox, progress) are paced."""
    counts = fake.stats.too_many_requests_per_chat
    return {chat: n for chat, n in counts.items() if chat != ORGANIZER and n}


def kill_with_a_send_in_flight(fake: FakeTelegram, bot: BotProcess, chats: list[int]) -> int:
    """Kill the bot while one of its sends to `chats` is on its way, every time: the fake
    delivers the next one and holds its answer, so the bot cannot know whether it arrived.
    Returns that chat."""
    hold = fake.hold_answers(chats)
    fake.wait_until(lambda: fake.held(hold), timeout=10, interval=0.01, message="a send held")
    bot.kill()
    fake.release_answers()
    (chat,) = fake.held(hold)
    return chat
