"""Build the database that `test_structures_migration.py` migrates: made by the code of main
at a277881 (migrations 0001-0017, its repositories and services), before structures existed.

Run from a checkout of that commit (the output is committed as `pre_structures.sql`):

    PYTHONPATH=<checkout> python tests/storage/data/make_pre_structures.py out.sql
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from bot.catalogue import DEFAULT_CATALOGUE_PATH, load_catalogue
from bot.questionnaire import Ask
from bot.services.applications import ApplicationService, Draft
from bot.services.catalogue import sync_catalogue
from bot.services.privacy import PrivacyService
from storage.applications import Application, ApplicationRepository
from storage.catalogue import CatalogueRepository
from storage.db import Database
from storage.privacy import PrivacyRepository
from storage.statuses import Status
from storage.users import UserRepository

BASE = {
    "legal_form": "cooperative",
    "structure_name": "Coopérative Tifawin",
    "coop_register": "12/2019",
    "province": "ifrane",
    "town": "Azrou",
    "sector": "crafts",
    "products": "Tapis de laine",
    "members": 12,
    "women_members": 9,
    "led_by": "women",
    "contact_name": "Fatima Ait",
    "phone": "+212612345678",
    "stand_needs": ["electricity"],
    "trainings": [],
    "programmes": [],
    "photos": ["photo-file-1"],
}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


async def fill(service: ApplicationService, user_id: int, answers: dict[str, object]) -> Draft:
    draft = await service.draft(user_id)
    assert draft is not None
    while isinstance(step := draft.step, Ask):
        await service.answer(draft, step.question, answers[step.question.key])
        draft = await service.draft(user_id) or draft
    return draft


async def build(path: Path) -> None:
    catalogue = load_catalogue(DEFAULT_CATALOGUE_PATH)
    db = await Database.open(path)
    await sync_catalogue(catalogue, CatalogueRepository(db))
    clock = Clock()
    for user_id in (101, 102, 103, 104, 105):
        await UserRepository(db).touch(user_id, f"Prénom{user_id}", clock())
    service = ApplicationService(
        ApplicationRepository(db), CatalogueRepository(db), catalogue, clock
    )

    async def send(user_id: int, phase: str, **changes: object) -> Application:
        await service.start(user_id, phase)
        result = await service.submit(await fill(service, user_id, {**BASE, **changes}))
        assert isinstance(result, Application), result
        return result

    # 101: sent to Ifrane 1, accepted, then corrected (town); and a draft for Ifrane 2.
    first = await send(101, "ifrane-1")
    await service.set_status(first.id, Status.ACCEPTED, 1)
    sent = await service.correction_of(101, first.id)
    assert sent is not None and await service.start_correction(sent, "town")
    editing = await service.in_progress(101, first.id)
    assert editing is not None
    await service.parse_and_answer(editing, editing.step.question, "Azrou centre")  # type: ignore[union-attr]
    await service.start(101, "ifrane-2")
    draft = await service.draft(101)
    assert draft is not None
    await service.answer(draft, draft.step.question, "association")  # type: ignore[union-attr]
    # 102: an association, sent to Ifrane 1 and rejected.
    second = await send(
        102,
        "ifrane-1",
        legal_form="association",
        structure_name="Association Amal",
        phone="+212698765432",
        members=30,
        women_members=30,
        programmes=["intelaka", "indh"],
    )
    await service.set_status(second.id, Status.REJECTED, 1, "other")
    # 103: sent, then had all their data erased.
    await send(
        103,
        "ifrane-1",
        structure_name="Coopérative Effacée",
        coop_register="99/2020",
        phone="+212611111111",
    )
    privacy = PrivacyService(PrivacyRepository(db), service, db, 12, clock)
    await privacy.erase(103)
    # 104: an auto-entrepreneur with a voice note for products, sent to Ifrane 2.
    await send(
        104,
        "ifrane-2",
        legal_form="auto_entrepreneur",
        structure_name="Hassan Bijoux",
        rnae="123456789",
        phone="+212622222222",
        products={"voice": "voice-file-1", "duration": 12},
    )
    await db.close()


def main() -> None:
    target = Path(sys.argv[1])
    with TemporaryDirectory() as folder:
        path = Path(folder) / "bot.sqlite3"
        asyncio.run(build(path))
        with sqlite3.connect(path) as connection:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            lines = list(connection.iterdump())
    target.write_text(
        "\n".join([*lines, f"PRAGMA user_version = {version};"]) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
