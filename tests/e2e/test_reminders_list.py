"""/reminders over HTTP, in French and in Arabic: an accepted exhibitor who chose a training
sees each event on its real date (bundled catalogue: Ifrane phase 1 opens Monday 3 May 2027 at
10:00, set-up 08:00; the administration training is on Tuesday 4 May 2027 at 08:00), with when
each reminder will come, under the default quiet hours (21:00-08:00)."""

from __future__ import annotations

import sqlite3

import pytest

from bot.callbacks import CardAction, ReminderSetting, ReviewCard, SetReminders
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.journey import (
    choose_language,
    next_new_message,
    press_button,
    press_code,
)
from tests.e2e.test_decisions import apply_with_training

ADMIN = 9001


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    return start_bot(name="reminders-list", admins=[ADMIN])


def accept(fake: FakeTelegram, bot: BotProcess, user: FakeUser) -> BotMessage:
    """The organizer accepts the user's application; returns the decision the user receives."""
    with sqlite3.connect(bot.database) as connection:
        (target,) = connection.execute(
            "SELECT id FROM applications WHERE user_id = ?", (user.id,)
        ).fetchone()
    organizer = fake.user(ADMIN, first_name="Nadia", language_code="fr")
    organizer.drain()
    organizer.press_data(ReviewCard(CardAction.ACCEPT, target, "all").pack())
    assert "Décision" in (next_new_message(organizer).text or "")
    return next_new_message(user)


def reminders(user: FakeUser) -> list[BotMessage]:
    user.send_command("/reminders")
    messages = [next_new_message(user)]
    while not messages[-1].callback_data():  # the last one carries the button
        messages.append(next_new_message(user))
    return messages


def pending(bot: BotProcess, user: FakeUser) -> set[str]:
    with sqlite3.connect(bot.database) as connection:
        rows = connection.execute(
            "SELECT template, params FROM deliveries WHERE recipient_id = ? AND kind = 'reminder'"
            " AND status = 'pending'",
            (user.id,),
        ).fetchall()
    return {template + ("7" if '"days": 7' in params else "") for template, params in rows}


@pytest.fixture(scope="module", autouse=True)
def organizer(fake: FakeTelegram, bot: BotProcess) -> None:
    choose_language(fake.user(ADMIN, first_name="Nadia", language_code="fr"), "Français")


def test_confirmed_exhibitor_sees_each_event_on_its_date_in_french(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, first_name="Amina", language_code="fr")
    apply_with_training(user, "Français")
    decision = accept(fake, bot, user)
    press_code(user, decision, ":y")  # confirmed
    next_new_message(user)

    (text,) = [message.text or "" for message in reminders(user)]
    phase = text.index("🏪 Marché d'Ifrane · phase 1")
    assert text.index("📅 lundi 3 mai 2027 à 10:00 (installation des stands à 08:00)") > phase
    assert "📍 Ifrane, centre-ville" in text
    assert "🔔 rappel le lundi 26 avril à 10:00" in text
    assert "🔔 rappel la veille à 10:00" in text
    training = text.index("🎓 Formation : Gestion administrative")
    assert training > phase
    block = text[training:]
    assert "📅 mardi 4 mai 2027 à 08:00" in block
    assert "📍 Ifrane, tente de formation du marché" in block
    assert "🔔 rappel la veille à 08:00" in block
    # 2 hours before 08:00 is 06:00, inside quiet hours: the evening before, not at 08:00.
    assert "🔔 rappel la veille à 20:59" in block
    assert "lundi 31 mai" not in text and "lundi 3 mai 2027, 08:00" not in text
    assert pending(bot, user) == {"phase_soon7", "phase_soon", "training_soon"}

    # Turning the non-essential reminders off stops only the one a week before the market.
    user.send_command("/reminders")
    shown = next_new_message(user)
    press_button(user, shown, SetReminders, setting=ReminderSetting.OFF)
    (after,) = [message.text or "" for message in reminders(user)]
    assert "🔕 rappel le lundi 26 avril à 10:00 : arrêté" in after
    assert "🔔 rappel la veille à 10:00" in after and "🔔 rappel la veille à 20:59" in after
    assert "Le rappel 7 jours avant le marché est arrêté" in after
    assert pending(bot, user) == {"phase_soon", "training_soon"}


def test_accepted_exhibitor_sees_each_event_on_its_date_in_arabic(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, first_name="Fatima", language_code="ar")
    apply_with_training(user, "العربية")
    decision = accept(fake, bot, user)
    assert any(data.endswith(":y") for data in decision.callback_data())  # not confirmed yet

    (text,) = [message.text or "" for message in reminders(user)]
    assert text.startswith("\u200f")
    assert "✅ المرجو تأكيد حضوركم (سوق إفران · المرحلة 1)" in text
    phase = text.index("🏪 سوق إفران · المرحلة 1")
    assert text.index("📅 يوم الاثنين 3 ماي 2027 على الساعة 10:00") > phase
    assert "(تركيب الأروقة على الساعة 08:00)" in text
    assert "🔔 تذكير يوم الاثنين 26 أبريل على الساعة 10:00" in text
    assert "🔔 تذكير في اليوم السابق على الساعة 10:00" in text
    training = text.index("🎓 دورة تكوينية: التدبير الإداري للتعاونية")
    block = text[training:]
    assert "📅 يوم الثلاثاء 4 ماي 2027 على الساعة 08:00" in block
    assert "🔔 تذكير في اليوم السابق على الساعة 08:00" in block
    assert "🔔 تذكير في اليوم السابق على الساعة 20:59" in block
    assert {"phase_soon7", "phase_soon", "training_soon"} <= pending(bot, user)
