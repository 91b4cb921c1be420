"""Voice prompts: organizers' recordings of questions and screens, by language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database


@dataclass(frozen=True)
class VoicePrompt:
    locale: str
    prompt: str  # a question key, or a screen's name
    file_id: str
    duration: int


@dataclass(frozen=True)
class Recording:
    """What an organizer chose to record next."""

    locale: str
    prompt: str


class VoicePromptRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, locale: str, prompt: str) -> VoicePrompt | None:
        """Read with every question asked (its "🔊 Écouter" button): by primary key, so a
        `lookup`, not a round trip to aiosqlite's thread."""
        rows = await self._db.lookup(
            "SELECT locale, prompt, file_id, duration FROM voice_prompts"
            " WHERE locale = ? AND prompt = ?",
            (locale, prompt),
        )
        return VoicePrompt(**dict(rows[0])) if rows else None

    async def recorded(self, locale: str) -> dict[str, VoicePrompt]:
        """The prompts recorded in `locale`, by prompt."""
        rows = await self._db.fetchall(
            "SELECT locale, prompt, file_id, duration FROM voice_prompts WHERE locale = ?",
            (locale,),
        )
        return {row["prompt"]: VoicePrompt(**dict(row)) for row in rows}

    async def save(
        self, recording: Recording, file_id: str, duration: int, user_id: int, now: datetime
    ) -> None:
        """Store (or replace) the recording and end the organizer's choice, in one transaction."""
        async with self._db.transaction() as connection:
            await connection.execute(
                "INSERT INTO voice_prompts (locale, prompt, file_id, duration, recorded_by,"
                " recorded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (locale, prompt) DO UPDATE"
                " SET file_id = excluded.file_id, duration = excluded.duration,"
                " recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
                (recording.locale, recording.prompt, file_id, duration, user_id, now.isoformat()),
            )
            await connection.execute("DELETE FROM voice_recordings WHERE user_id = ?", (user_id,))

    async def remove(self, locale: str, prompt: str) -> bool:
        return (
            await self._db.execute(
                "DELETE FROM voice_prompts WHERE locale = ? AND prompt = ?", (locale, prompt)
            )
            > 0
        )

    async def choose(self, user_id: int, recording: Recording, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO voice_recordings (user_id, locale, prompt, chosen_at) VALUES"
            " (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET locale = excluded.locale,"
            " prompt = excluded.prompt, chosen_at = excluded.chosen_at",
            (user_id, recording.locale, recording.prompt, now.isoformat()),
        )

    async def chosen(self, user_id: int, since: datetime) -> Recording | None:
        """The prompt the organizer chose to record, if chosen at `since` or later."""
        row = await self._db.fetchone(
            "SELECT locale, prompt FROM voice_recordings WHERE user_id = ? AND chosen_at >= ?",
            (user_id, since.isoformat()),
        )
        return Recording(row["locale"], row["prompt"]) if row is not None else None

    async def forget_choice(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM voice_recordings WHERE user_id = ?", (user_id,))

    async def set_hear_questions(self, user_id: int, on: bool) -> None:
        await self._db.execute(
            "UPDATE users SET hear_questions = ? WHERE id = ?", (int(on), user_id)
        )


async def erase_voice_in(connection: aiosqlite.Connection, user_id: int) -> None:
    """A team member's recorded voice prompts are their voice: personal data, erased with the
    rest of theirs (inside the erasure's transaction)."""
    await connection.execute("DELETE FROM voice_prompts WHERE recorded_by = ?", (user_id,))
    await connection.execute("DELETE FROM voice_recordings WHERE user_id = ?", (user_id,))
