"""The team console without ids, over HTTP: /find by any phone form, invite links, /grant by
reply to a forwarded message, /close and /open by buttons."""

from __future__ import annotations

import re
import sqlite3

import pytest

from bot.callbacks import (
    CardAction,
    GrantRole,
    InviteAnswer,
    InviteRole,
    ReviewCard,
    Submit,
    SwitchPhase,
)
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.journey import (
    buttons_of,
    choose_language,
    next_new_message,
    open_draft,
    press_button,
)
from tests.e2e.test_apply import answer_until

ADMIN, ARABIC_ADMIN = 9301, 9302
LINK = re.compile(r"https://t\.me/(\w+)\?start=(inv_[A-Za-z0-9_-]+)")


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    return start_bot(name="team", admins=[ADMIN, ARABIC_ADMIN])


def until(user: FakeUser, contains: str, limit: int = 6) -> BotMessage:
    """The first new message containing `contains`, skipping the few before it (a menu...)."""
    seen = []
    for _ in range(limit):
        message = next_new_message(user)
        if contains in (message.text or ""):
            return message
        seen.append(message.text)
    raise AssertionError(f"no message with {contains!r} among {seen}")


def admin(fake: FakeTelegram, user_id: int = ADMIN, language: str = "Français") -> FakeUser:
    """An admin of ADMIN_IDS, their language chosen (on their first visit only)."""
    user = fake.user(user_id, first_name="Admin", language_code="fr")
    user.drain()
    user.send_command("/start")
    first = next_new_message(user)
    if first.callback_data() and all(d.startswith("lang:") for d in first.callback_data()):
        user.press(language, message_id=first.message_id)
        next_new_message(user)  # the menu
    return user


def role_of(bot: BotProcess, user_id: int) -> str | None:
    with sqlite3.connect(bot.database) as connection:
        row = connection.execute("SELECT role FROM roles WHERE user_id = ?", (user_id,)).fetchone()
    return row[0] if row else None


def test_find_reads_any_form_of_a_phone_number(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    applicant = fake.user(new_user_id, language_code="fr")
    choose_language(applicant, "Français")
    typed = {"phone": "+212661234567", "structure_name": "Coopérative Argane Tiznit"}
    summary = answer_until(applicant, open_draft(applicant, "ifrane-2"), typed=typed)
    press_button(applicant, summary, Submit)
    reference = re.search(r"IFR-2-\d{4}", next_new_message(applicant).text or "")
    assert reference, "no reference on submission"

    organizer = admin(fake)
    organizer.send_command("/find", "0661", "23", "45", "67")
    found = next_new_message(organizer)
    text = found.text or ""
    assert reference.group() in text and "Coopérative Argane Tiznit" in text, text
    assert "Ifrane" in text and "phase 2" in text and "À examiner" in text, text
    [card_button] = buttons_of(found, ReviewCard)
    press_button(organizer, found, ReviewCard, action=CardAction.SHOW)
    card = next_new_message(organizer)
    assert reference.group() in (card.text or "") and "Envoyée le" in (card.text or "")
    assert "Langue du candidat : français" in (card.text or "")

    # The voice note of the card comes with whose it is.
    press_button(organizer, card, ReviewCard, action=CardAction.MEDIA)
    voice = next_new_message(organizer)
    assert voice.method == "sendVoice", voice.describe()
    caption = voice.text or ""
    assert reference.group() in caption and "Coopérative Argane Tiznit" in caption, caption

    # In Arabic-Indic digits, with 00212, with dots: the same application, the same button.
    arabic = admin(fake, ARABIC_ADMIN, "العربية")
    for typed_phone in ("٠٦٦١٢٣٤٥٦٧", "00212.661.23.45.67", "6-61-23-45-67"):
        arabic.send_command("/find", typed_phone)
        result = next_new_message(arabic)
        assert buttons_of(result, ReviewCard) == [card_button], (typed_phone, result.text)
    assert "المرحلة 2" in (result.text or ""), result.text  # in the organizer's language


def test_an_invite_link_makes_an_organizer_once_the_admin_confirms(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    inviter = admin(fake)
    inviter.send_command("/invite")
    roles = next_new_message(inviter)
    press_button(inviter, roles, InviteRole, role="organizer")
    text = until(inviter, "https://t.me/").text or ""
    match = LINK.search(text)
    assert match and "organisateur" in text, text
    assert match.group(1) == "souk_test_bot"  # the fake's bot
    token = match.group(2)

    newcomer = fake.user(new_user_id, first_name="Khadija", language_code="ar")
    newcomer.send_command("/start", token)
    assert "طلبكم" in (next_new_message(newcomer).text or "")  # sent for confirmation
    picker = next_new_message(newcomer)
    newcomer.press("العربية", message_id=picker.message_id)
    next_new_message(newcomer)  # the menu
    assert role_of(bot, new_user_id) is None  # not before the admin confirms

    # Someone else opening the same link gets nothing.
    other = fake.user(new_user_id + 500, language_code="fr")
    other.send_command("/start", token)
    assert "plus valable" in (next_new_message(other).text or "")

    asked = until(inviter, "Khadija")
    assert "organisateur" in (asked.text or "")
    press_button(inviter, asked, InviteAnswer, confirm=True)
    assert "Khadija" in (until(inviter, "maintenant organisateur").text or "")
    assert role_of(bot, new_user_id) == "organizer"

    welcome = next_new_message(newcomer)
    assert "مرحبا بكم في فريق المنظمين" in (welcome.text or ""), welcome.text
    assert "/review" in (welcome.text or "") and "/grant" not in (welcome.text or "")
    menu = {command["command"] for command in fake.command_menu(new_user_id, "ar")}
    assert {"review", "close", "find"} <= menu and "invite" not in menu, menu
    newcomer.send_command("/help")
    help_text = next_new_message(newcomer).text or ""
    assert "/close" in help_text and "/backup" not in help_text, help_text
    newcomer.send_command("/review")
    assert "لم أفهم" not in (next_new_message(newcomer).text or "")


def test_an_arabic_admin_invites_with_the_role_in_arabic_and_may_refuse(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    inviter = admin(fake, ARABIC_ADMIN, "العربية")
    inviter.send_command("/invite", "مراجع")
    text = next_new_message(inviter).text or ""
    match = LINK.search(text)
    assert match and "مراجع" in text, text
    stranger = fake.user(new_user_id, first_name="Intrus", language_code="fr")
    choose_language(stranger, "Français")
    stranger.send_command("/start", match.group(2))
    next_new_message(stranger)
    asked = until(inviter, "Intrus")
    press_button(inviter, asked, InviteAnswer, confirm=False)
    next_new_message(inviter)
    assert "pas été acceptée" in (next_new_message(stranger).text or "")
    assert role_of(bot, new_user_id) is None
    # A second answer (another admin, a double tap) changes nothing.
    inviter.press_data(InviteAnswer(buttons_of(asked, InviteAnswer)[0].invite_id, True).pack())
    next_new_message(inviter)
    assert role_of(bot, new_user_id) is None


def test_grant_by_replying_to_a_forwarded_message(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    person = fake.user(new_user_id, first_name="Samira", language_code="fr")
    choose_language(person, "Français")
    granter = admin(fake)
    forwarded = granter.forward_text("Bonjour, je suis Samira", sender=person)
    # A forward from an admin: the roles as buttons, under the forward quoted.
    offer = next_new_message(granter)
    assert "Samira" in (offer.text or "") and offer.reply_to_message_id == forwarded["message_id"]
    press_button(granter, offer, GrantRole, user_id=new_user_id, role="organizer")
    assert "Samira" in (until(granter, "maintenant organisateur").text or "")
    assert role_of(bot, new_user_id) == "organizer"
    assert "Bienvenue dans l'équipe" in (next_new_message(person).text or "")

    # Replying to the forward with /grant and a role, in French.
    granter.send_text("/grant examinatrice", reply_to=forwarded["message_id"])
    assert "Samira" in (until(granter, "maintenant examinateur").text or "")
    assert role_of(bot, new_user_id) == "reviewer"
    granter.send_command("/team")
    team = next_new_message(granter).text or ""
    assert "Samira — examinateur" in team, team  # roles in the reader's language

    # /grant alone in reply: the roles as buttons.
    granter.send_text("/grant", reply_to=forwarded["message_id"])
    choice = until(granter, "Quel rôle")
    press_button(granter, choice, GrantRole, user_id=new_user_id, role="organizer")
    assert "Samira" in (until(granter, "maintenant organisateur").text or "")

    # Someone whose privacy settings hide their account: no id, so an invitation instead.
    hidden = granter.forward_text("Salam", hidden_name="Khadija B.")
    first = next_new_message(granter).text or ""
    assert "Khadija B." in first and "/invite" in first, first
    granter.send_text("/grant organisateur", reply_to=hidden["message_id"])
    refusal = next_new_message(granter).text or ""
    assert "Khadija B." in refusal and "/invite" in refusal, refusal


def test_close_and_open_offer_the_phases_as_buttons(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    organizer = admin(fake)
    organizer.send_command("/close")
    phases = next_new_message(organizer)
    assert SwitchPhase("ifrane-3", False) in buttons_of(phases, SwitchPhase), phases.describe()
    press_button(organizer, phases, SwitchPhase, phase="ifrane-3")
    assert "d'Ifrane · phase 3" in (until(organizer, "Candidatures fermées").text or "")
    with sqlite3.connect(bot.database) as connection:
        assert connection.execute(
            "SELECT applications_open FROM phases WHERE code = 'ifrane-3'"
        ).fetchone() == (0,)

    # Applicants no longer see it; /open offers it back (and only the closed phases).
    organizer.send_command("/open")
    closed = next_new_message(organizer)
    assert buttons_of(closed, SwitchPhase) == [SwitchPhase("ifrane-3", True)]
    press_button(organizer, closed, SwitchPhase, phase="ifrane-3")
    assert "d'Ifrane · phase 3" in (until(organizer, "Candidatures ouvertes").text or "")
    with sqlite3.connect(bot.database) as connection:
        assert connection.execute(
            "SELECT applications_open FROM phases WHERE code = 'ifrane-3'"
        ).fetchone() == (1,)
