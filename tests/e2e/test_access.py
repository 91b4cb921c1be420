"""Who may learn or change what, over HTTP: the duplicate refusal tells a stranger nothing,
and the admins of ADMIN_IDS are changed only in the configuration."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from bot.callbacks import CardAction, ReviewCard, Submit
from localbotapi import FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.journey import (
    buttons_of,
    choose_language,
    next_new_message,
    open_draft,
    press_button,
)
from tests.e2e.test_apply import answer_until

ADMIN = 9301
GRANTED = 9302


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    return start_bot(name="access", admins=[ADMIN])


def send(user: FakeUser, language: str, phone: str, register: str) -> str:
    """Answer every question with this phone and register number, press Send: the answer."""
    choose_language(user, language)
    summary = answer_until(user, open_draft(user, "ifrane-2"), phone=phone, register=register)
    press_button(user, summary, Submit)
    return next_new_message(user).text or ""


@pytest.mark.parametrize("language", ["Français", "العربية"])
def test_a_stranger_typing_someones_phone_learns_nothing_about_their_application(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int, language: str
) -> None:
    phone, register = f"2126{new_user_id:08d}", f"{new_user_id}/2018"
    owner = fake.user(new_user_id, language_code="fr")
    sent = send(owner, "Français", phone, register)
    reference = re.search(r"IFR-2-\d{4}", sent)
    assert reference, sent
    # The organizers accept it: a decision a stranger must not learn either.
    admin = fake.user(ADMIN, language_code="fr")
    admin.send_command("/app", reference.group(0))
    card = next_new_message(admin)
    accept = next(b.pack() for b in buttons_of(card, ReviewCard) if b.action is CardAction.ACCEPT)
    admin.press(callback_data=accept, message_id=card.message_id)
    assert "Décision enregistrée" in (next_new_message(admin).text or "")
    next_new_message(admin)  # the next card, or "nothing left to review"

    for offset, same in ((500_000, "phone"), (600_000, "register")):
        stranger = fake.user(new_user_id + offset, language_code="fr")
        text = send(
            stranger,
            language,
            phone if same == "phone" else f"2127{stranger.id:08d}",
            register if same == "register" else f"{stranger.id}/2019",
        )
        assert "IFR-" not in text, text  # neither the reference
        for status in ("Accept", "مقبول", "Statut", "الحالة"):  # nor the decision
            assert status not in text, text
        assert "05 35 00 00 00" in text, text  # but whom to ask: the organizers of Ifrane
    with sqlite3.connect(bot.database) as connection:
        live = connection.execute(
            "SELECT COUNT(*) FROM applications WHERE phone = ? AND status != 'draft'",
            (f"+{phone}",),
        ).fetchone()
    assert live == (1,)


def test_an_admin_of_admin_ids_is_changed_only_in_the_configuration(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    admin, granted = fake.user(ADMIN, language_code="fr"), fake.user(GRANTED, language_code="ar")
    admin.send_command("/grant", str(GRANTED), "admin")
    assert "maintenant admin" in (next_new_message(admin).text or "")
    choose_language(granted, "العربية")
    for command in (("/grant", str(ADMIN), "reviewer"), ("/revoke", str(ADMIN))):
        granted.send_command(*command)
        refusal = next_new_message(granted).text or ""
        assert "ADMIN_IDS" in refusal and "الإعدادات" in refusal, refusal
    with sqlite3.connect(bot.database) as connection:
        roles = dict(connection.execute("SELECT user_id, role FROM roles").fetchall())
    assert roles[ADMIN] == "admin"
    # A granted admin may step down while a configured one remains.
    granted.send_command("/revoke", str(GRANTED))
    assert "ADMIN_IDS" not in (next_new_message(granted).text or "")
    with sqlite3.connect(bot.database) as connection:
        roles = dict(connection.execute("SELECT user_id, role FROM roles").fetchall())
    assert roles == {ADMIN: "admin"}


def test_telegram_sends_only_the_update_kinds_the_bot_handles(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    """No chat member, poll or reaction updates (names, texts) for a bot that does not use
    them."""
    user = fake.user(new_user_id, language_code="fr")
    user.send_command("/start")
    next_new_message(user)  # a poll has been answered, and recorded
    polls = fake.calls("getUpdates")
    assert polls
    allowed = polls[-1].params.get("allowed_updates")
    if isinstance(allowed, str):  # sent form-encoded, as JSON
        allowed = json.loads(allowed)
    assert sorted(allowed) == ["callback_query", "edited_message", "message"]
