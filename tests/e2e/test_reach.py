"""A call for applications that reaches people, over HTTP: announcements to everyone who started
the bot and to people with an unsent application, by language, with the right count; and the
printable poster whose QR code opens the bot on the market's application."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
import zxingcpp
from PIL import Image

from bot.callbacks import BroadcastAction, ChoosePhase, PosterFor
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.broadcasting import (
    ORGANIZER,
    audience_id,
    open_console,
    pause,
    press_typed,
    report_of,
    send_and_count,
    step,
)
from tests.e2e.journey import buttons_of, choose_language, next_new_message, open_draft

BOT_USERNAME = "souk_reach_bot"  # not the fake's default: the link must come from getMe
DESIGNER = 9002  # another organizer, for the poster


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token="123456:TEST-TOKEN", bot_username=BOT_USERNAME) as server:
        yield server


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    return start_bot(name="reach", admins=[ORGANIZER, DESIGNER], quiet_hours="off")


def reach_of(audience: BotMessage) -> int:
    """The count the audience screen announces ("👥 4 personnes recevront l'annonce.")."""
    found = re.search(r"👥 (\d+) personnes? recevr", audience.text or "")
    assert found, audience.text
    return int(found.group(1))


def choose(organizer: FakeUser, audience: BotMessage, name: str, value: str) -> BotMessage:
    draft = audience_id(audience)
    options = press_typed(organizer, audience, step(BroadcastAction.FILTER, draft, name))
    return press_typed(organizer, options, step(BroadcastAction.VALUE, draft, name, value))


def write_and_preview(organizer: FakeUser, audience: BotMessage, marker: str) -> BotMessage:
    """The French and the Arabic texts (Tamazight skipped), no photo: the preview."""
    draft = audience_id(audience)
    press_typed(organizer, audience, step(BroadcastAction.WRITE, draft))
    pause()
    organizer.send_text(f"{marker} : les candidatures de la phase 2 sont ouvertes.")
    assert "en arabe" in (next_new_message(organizer).text or "")
    pause()
    organizer.send_text(f"{marker} : باب الترشيح للمرحلة الثانية مفتوح.")
    tamazight = next_new_message(organizer)  # optional: its readers get the French
    photo_prompt = press_typed(organizer, tamazight, step(BroadcastAction.SKIP_LANGUAGE, draft))
    return press_typed(organizer, photo_prompt, step(BroadcastAction.NO_PHOTO, draft))


def announcement(user: FakeUser, marker: str) -> str:
    message = user.expect_message(timeout=15, contains=marker)
    return message.text or ""


def test_announcements_reach_people_who_never_applied_or_did_not_send(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    # Four people: two only opened the bot (French, Arabic), two started an application and
    # left it unsent (French, Arabic). Nobody has applied.
    visitor_fr = fake.user(new_user_id, language_code="fr")
    visitor_ar = fake.user(new_user_id + 1, language_code="ar")
    drafter_fr = fake.user(new_user_id + 2, language_code="fr")
    drafter_ar = fake.user(new_user_id + 3, language_code="ar")
    choose_language(visitor_fr, "Français")
    choose_language(visitor_ar, "العربية")
    choose_language(drafter_fr, "Français")
    open_draft(drafter_fr, "ifrane-2")
    choose_language(drafter_ar, "العربية")
    open_draft(drafter_ar, "mohammedia-1")
    people = (visitor_fr, visitor_ar, drafter_fr, drafter_ar)
    for person in people:
        person.drain()

    organizer = fake.user(ORGANIZER, first_name="Nadia", language_code="fr")
    open_console(organizer)
    pause()
    organizer.send_command("/broadcast")
    audience = next_new_message(organizer)
    assert reach_of(audience) == 0  # applicants: nobody has sent an application
    audience = choose(organizer, audience, "status", "everyone")
    assert "Tous les utilisateurs du bot" in (audience.text or "")
    assert reach_of(audience) == 4  # the organizer, in the team, is not counted
    audience = choose(organizer, audience, "language", "ar")
    assert reach_of(audience) == 2
    preview = write_and_preview(organizer, audience, "APPEL-AR")
    assert send_and_count(organizer, preview) == 2
    assert "باب الترشيح للمرحلة الثانية مفتوح" in announcement(visitor_ar, "APPEL-AR")
    assert "باب الترشيح" in announcement(drafter_ar, "APPEL-AR")
    assert "Envoyés : 2" in report_of(organizer, 1)
    for person in (visitor_fr, drafter_fr):
        assert not [m for m in person.messages if "APPEL-AR" in (m.text or "")]

    # The same call to French readers only.
    pause()
    organizer.send_command("/broadcast")
    audience = choose(organizer, next_new_message(organizer), "status", "everyone")
    audience = choose(organizer, audience, "language", "fr")
    assert reach_of(audience) == 2
    preview = write_and_preview(organizer, audience, "APPEL-FR")
    assert send_and_count(organizer, preview) == 2
    assert "les candidatures de la phase 2 sont ouvertes" in announcement(visitor_fr, "APPEL-FR")
    assert "les candidatures de la phase 2 sont ouvertes" in announcement(drafter_fr, "APPEL-FR")
    assert "Envoyés : 2" in report_of(organizer, 2)
    for person in (visitor_ar, drafter_ar):
        assert not [m for m in person.messages if "APPEL-FR" in (m.text or "")]

    # People with an unsent application, in both languages: each reads their own.
    pause()
    organizer.send_command("/broadcast")
    audience = next_new_message(organizer)
    audience = choose(organizer, audience, "status", "drafts")
    assert "Candidature non envoyée" in (audience.text or "")
    assert reach_of(audience) == 2
    preview = write_and_preview(organizer, audience, "RAPPEL")
    assert send_and_count(organizer, preview) == 2
    assert "les candidatures de la phase 2 sont ouvertes" in announcement(drafter_fr, "RAPPEL")
    assert "باب الترشيح للمرحلة الثانية مفتوح" in announcement(drafter_ar, "RAPPEL")
    for person in (visitor_fr, visitor_ar):
        assert not [m for m in person.messages if "RAPPEL" in (m.text or "")]


def test_poster_qr_code_opens_the_application_in_french_and_arabic(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    organizer = fake.user(DESIGNER, first_name="Karim", language_code="fr")
    open_console(organizer)
    organizer.drain()
    pause()
    organizer.send_command("/poster")
    choice = next_new_message(organizer)
    assert [b.market for b in buttons_of(choice, PosterFor)] == ["ifrane", "mohammedia"]
    press_typed(organizer, choice, PosterFor("ifrane"))
    preview = organizer.last_message
    document = next_new_message(organizer)
    assert preview is not None and preview.photo is not None
    assert document.document is not None
    assert document.document["file_name"] == "affiche-ifrane.png"
    link = f"https://t.me/{BOT_USERNAME}?start=ifrane"
    assert link in (document.text or "")
    image = Image.open(io.BytesIO(document.document["content"] or b""))
    assert image.size == (1654, 2339) and round(image.info["dpi"][0]) == 200  # A4, 200 dpi
    assert [found.text for found in zxingcpp.read_barcodes(image.convert("L"))] == [link]

    # Scanned by a newcomer in Arabic: the language, then Ifrane's phases to apply to.
    newcomer = fake.user(new_user_id + 5000, language_code="ar")  # not one of the first test's
    newcomer.send_command("/start", "ifrane")
    picker = next_new_message(newcomer)
    newcomer.press("العربية", message_id=picker.message_id)
    phases = next_new_message(newcomer)
    assert "إفران" in (phases.text or "")
    assert {b.phase for b in buttons_of(phases, ChoosePhase)} == {
        "ifrane-1",
        "ifrane-2",
        "ifrane-3",
    }

    # Scanned by someone who already uses the bot in French: straight to the phases.
    member = fake.user(new_user_id + 5001, language_code="fr")
    choose_language(member, "Français")
    member.drain()
    member.send_command("/start", "mohammedia")
    phases = next_new_message(member)
    assert "Choisissez la phase" in (phases.text or "")
    assert [b.phase for b in buttons_of(phases, ChoosePhase)] == ["mohammedia-1"]
