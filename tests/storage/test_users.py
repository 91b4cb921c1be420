"""Users: seen on every update, each update handled once."""

from __future__ import annotations

from datetime import timedelta

from storage.db import Database
from storage.roles import RoleRepository
from storage.users import UserRepository
from tests.conftest import FakeClock


async def test_an_update_delivered_again_is_recognised(db: Database, clock: FakeClock) -> None:
    users = UserRepository(db)
    first = await users.seen(7, "Fatima", clock(), 1000)
    assert first is not None and first.id == 7 and first.first_name == ""  # not a team member
    assert await users.seen(7, "Fatima", clock(), 1001) is not None
    assert await users.seen(7, "Fatima", clock(), 1001) is None  # the same update again
    assert await users.seen(7, "Fatima", clock(), 1000) is None  # an older one
    assert await users.seen(8, "Khadija", clock(), 1000) is not None  # per user


async def test_after_a_week_of_silence_update_ids_may_start_lower(
    db: Database, clock: FakeClock
) -> None:
    users = UserRepository(db)
    await users.seen(7, "Fatima", clock(), 900_000)
    later = clock() + timedelta(days=8)
    assert await users.seen(7, "Fatima", later, 12) is not None  # Telegram chose a new start
    assert await users.seen(7, "Fatima", later, 12) is None
    assert await users.seen(7, "Fatima", later, 13) is not None


async def test_a_team_member_comes_with_their_role_and_name(db: Database, clock: FakeClock) -> None:
    users, roles = UserRepository(db), RoleRepository(db)
    await roles.grant(5, "organizer", granted_by=1, now=clock())
    member = await users.seen(5, "Samira", clock(), 1)
    applicant = await users.seen(7, "Fatima", clock(), 2)
    assert member is not None and (member.role, member.first_name) == ("organizer", "Samira")
    assert applicant is not None and (applicant.role, applicant.first_name) == (None, "")


async def test_whether_the_form_is_hidden_is_read_with_each_update(
    db: Database, clock: FakeClock
) -> None:
    """Stored, so that a text after a restart still knows the question was out of sight."""
    users = UserRepository(db)
    first = await users.seen(7, "", clock(), update_id=1)
    assert first is not None and first.form_hidden is False
    await users.set_form_hidden(7, True)
    later = await users.seen(7, "", clock(), update_id=2)
    assert later is not None and later.form_hidden is True
    await users.set_form_hidden(7, False)
    again = await users.seen(7, "", clock(), update_id=3)
    assert again is not None and again.form_hidden is False
