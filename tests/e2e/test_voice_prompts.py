"""Questions that can be heard, over HTTP: an organizer records a question with /voice, members
of that language see 🔊 under it and hear the recording, /settings reads every question aloud,
and recordings survive /reload."""

from __future__ import annotations

import pytest

from bot.callbacks import (
    ChooseMarket,
    ChoosePhase,
    Consent,
    HearQuestions,
    PlayPrompt,
    VoiceLanguage,
    VoicePick,
    VoiceRemove,
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

ADMIN = 9701
FRENCH_MEMBER = 9702


@pytest.fixture(scope="module")
def bot(start_bot: StartBot) -> BotProcess:
    return start_bot(name="voice", admins=[ADMIN])


def record(admin: FakeUser, locale: str, prompt: str, duration: int = 4) -> str:
    """/voice → language → prompt → a voice note; returns the recording's file id."""
    admin.send_command("/voice")
    languages = next_new_message(admin)
    press_button(admin, languages, VoiceLanguage, locale=locale)
    prompts = next_new_message(admin)
    press_button(admin, prompts, VoicePick, locale=locale, prompt=prompt)
    asking = next_new_message(admin)
    assert "🎙️" in (asking.text or "")
    sent = admin.send_voice(duration)
    saved = next_new_message(admin)
    assert "✅" in (saved.text or ""), saved.describe()
    file_id = sent["voice"]["file_id"]
    assert isinstance(file_id, str)
    return file_id


def attachment_of(message: BotMessage) -> str | None:
    return message.attachment["file_id"] if message.attachment is not None else None


def test_a_recorded_question_is_heard_in_its_language_only(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    admin = fake.user(ADMIN, language_code="fr")
    choose_language(admin, "Français")
    file_id = record(admin, "ar", "legal_form")

    member = fake.user(new_user_id, language_code="ar")
    choose_language(member, "العربية")
    question = open_draft(member)
    assert buttons_of(question, PlayPrompt) == [PlayPrompt("legal_form")]
    assert "🔊" in question.button_texts()[0]
    press_button(member, question, PlayPrompt)
    assert attachment_of(next_new_message(member)) == file_id

    french = fake.user(FRENCH_MEMBER, language_code="fr")
    choose_language(french, "Français")
    assert buttons_of(open_draft(french), PlayPrompt) == []


def test_settings_read_every_recorded_question_aloud(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    admin = fake.user(ADMIN, language_code="fr")
    consent_voice = record(admin, "fr", "consent")
    form_voice = record(admin, "fr", "legal_form")

    member = fake.user(new_user_id, language_code="fr")
    choose_language(member, "Français")
    member.send_command("/settings")
    settings = next_new_message(member)
    assert "⚙️" in (settings.text or "")
    press_button(member, settings, HearQuestions, on=True)
    edited = member.expect_message()
    assert "🔊" in (edited.text or "") and buttons_of(edited, HearQuestions) == [
        HearQuestions(False)
    ]
    member.send_command("/apply")
    press_button(member, next_new_message(member), ChooseMarket, market="ifrane")
    press_button(member, next_new_message(member), ChoosePhase, phase="ifrane-1")
    consent = next_new_message(member)
    assert attachment_of(next_new_message(member)) == consent_voice  # right after the text
    press_button(member, consent, Consent, phase="ifrane-1", yes=True)
    question = next_new_message(member)
    assert "?" in (question.text or "") and buttons_of(question, PlayPrompt)
    assert attachment_of(next_new_message(member)) == form_voice
    # Switched off: the 🔊 button stays, the voice no longer comes by itself.
    press_button(member, edited, HearQuestions, on=False)
    member.send_command("/menu")  # the menu, then the question in progress again
    shown = next_new_message(member)
    while not buttons_of(shown, PlayPrompt):
        assert shown.attachment is None, shown.describe()
        shown = next_new_message(member)
    member.expect_no_message(within=1.0)


def test_recordings_are_replaced_removed_and_survive_a_reload(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    admin = fake.user(ADMIN, language_code="fr")
    record(admin, "ar", "structure_name")
    newer = record(admin, "ar", "structure_name", duration=6)
    admin.send_command("/reload")
    assert "✅" in (next_new_message(admin).text or "")

    admin.send_command("/voice")
    press_button(admin, next_new_message(admin), VoiceLanguage, locale="ar")
    prompts = next_new_message(admin)
    labels = " ".join(prompts.button_texts())
    assert "✅ Nom" in labels, labels
    press_button(admin, prompts, VoicePick, locale="ar", prompt="structure_name")
    replacing = next_new_message(admin)
    assert "remplacera" in (replacing.text or "")
    press_button(admin, replacing, PlayPrompt, prompt="structure_name", locale="ar")
    assert attachment_of(next_new_message(admin)) == newer
    press_button(admin, replacing, VoiceRemove, locale="ar", prompt="structure_name")
    assert "🗑️" in (next_new_message(admin).text or "")

    # Removed: a voice note now is an ordinary message, not a recording.
    admin.send_voice(3)
    assert "✅" not in (next_new_message(admin).text or "")


def test_a_member_cannot_record(fake: FakeTelegram, bot: BotProcess, new_user_id: int) -> None:
    member = fake.user(new_user_id, language_code="fr")
    choose_language(member, "Français")
    member.send_command("/voice")
    answer = next_new_message(member)
    assert not buttons_of(answer, VoiceLanguage)
    member.press_data(VoicePick("fr", "legal_form").pack())
    member.send_voice(3)
    reply = next_new_message(member)
    assert "✅ Enregistré" not in (reply.text or "")
    assert not buttons_of(reply, Consent)
