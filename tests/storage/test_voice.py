"""Voice prompts in SQLite: one per language and prompt, a choice that expires, and erasure."""

from __future__ import annotations

from datetime import timedelta

from storage.db import Database
from storage.privacy import PrivacyRepository
from storage.users import UserRepository
from storage.voice import Recording, VoicePromptRepository
from tests.conftest import FakeClock

ORGANIZER, OTHER = 7, 8


async def test_recording_again_replaces_and_ends_the_choice(db: Database, clock: FakeClock) -> None:
    voice = VoicePromptRepository(db)
    asked = Recording("ar", "legal_form")
    await voice.choose(ORGANIZER, asked, clock())
    assert await voice.chosen(ORGANIZER, clock() - timedelta(minutes=1)) == asked
    await voice.save(asked, "first", 3, ORGANIZER, clock())
    assert await voice.chosen(ORGANIZER, clock() - timedelta(minutes=1)) is None
    await voice.save(asked, "second", 5, OTHER, clock())
    recorded = await voice.recorded("ar")
    assert list(recorded) == ["legal_form"] and recorded["legal_form"].file_id == "second"
    assert await voice.recorded("fr") == {}


async def test_an_old_choice_is_not_a_recording(db: Database, clock: FakeClock) -> None:
    voice = VoicePromptRepository(db)
    await voice.choose(ORGANIZER, Recording("fr", "town"), clock())
    clock.advance(minutes=31)
    assert await voice.chosen(ORGANIZER, clock() - timedelta(minutes=30)) is None


async def test_erasing_a_team_member_erases_their_recordings(
    db: Database, clock: FakeClock
) -> None:
    await UserRepository(db).touch(ORGANIZER, "Amina", clock())
    voice = VoicePromptRepository(db)
    await voice.save(Recording("ar", "town"), "hers", 3, ORGANIZER, clock())
    await voice.save(Recording("ar", "phone"), "his", 3, OTHER, clock())
    await voice.choose(ORGANIZER, Recording("ar", "products"), clock())
    await PrivacyRepository(db).erase_user(ORGANIZER, [], clock())
    assert list(await voice.recorded("ar")) == ["phone"]
    assert await voice.chosen(ORGANIZER, clock() - timedelta(days=1)) is None
