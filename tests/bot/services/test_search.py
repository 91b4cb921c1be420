"""/find: what an organizer types is matched literally, `%` and `_` included."""

from __future__ import annotations

import pytest

from bot.catalogue import Catalogue
from bot.services.applications import ApplicationService
from storage.applications import Application, ApplicationRepository
from storage.catalogue import CatalogueRepository
from storage.db import Database
from storage.users import UserRepository
from tests.bot.services.test_applications import fill, started
from tests.conftest import FakeClock

NAMES = {1: "Tifawin", 2: "Atlas_Argan", 3: "Bio 100% Azrou"}


@pytest.fixture
async def sent(db: Database, catalogue: Catalogue, clock: FakeClock) -> ApplicationRepository:
    service = ApplicationService(
        ApplicationRepository(db), CatalogueRepository(db), catalogue, clock
    )
    for user_id, name in NAMES.items():
        await UserRepository(db).touch(user_id, "U", clock())
        await started(service, user_id, "ifrane-2")
        own = {
            "structure_name": name,
            "phone": f"+21261234560{user_id}",
            "coop_register": f"{user_id}/2019",
        }
        assert isinstance(await service.submit(await fill(service, user_id, own)), Application)
    return service.repository


async def names_found(repository: ApplicationRepository, text: str) -> set[int]:
    return {application.user_id for application in await repository.search(text)}


async def test_percent_and_underscore_are_not_wildcards(sent: ApplicationRepository) -> None:
    assert await names_found(sent, "%") == {3}  # not every application
    assert await names_found(sent, "_") == {2}
    assert await names_found(sent, "s_A") == {2}  # "Atlas_Argan", and not "...s A..." shapes
    assert await names_found(sent, "0%") == {3}
    assert await names_found(sent, "T_fawin") == set()  # `_` is not "any one character"
    assert await names_found(sent, "ifaw") == {1}  # a plain part of a name still matches
