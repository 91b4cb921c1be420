"""ADMIN_IDS is the list of admins from the settings, synced at every start."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.db import Database
from storage.roles import Change, RoleRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_sync_admins_removes_those_no_longer_listed(db: Database) -> None:
    roles = RoleRepository(db)
    await roles.sync_admins([1, 2], NOW)
    await roles.grant(3, "organizer", 1, NOW)
    await roles.sync_admins([2], NOW)
    assert [(m.user_id, m.role) for m in await roles.team()] == [(2, "admin"), (3, "organizer")]
    # An empty ADMIN_IDS removes them all; granted roles stay.
    await roles.sync_admins([], NOW)
    assert [(m.user_id, m.role) for m in await roles.team()] == [(3, "organizer")]


async def roles_now(roles: RoleRepository) -> list[tuple[int, str]]:
    return [(member.user_id, member.role) for member in await roles.team()]


async def test_admins_of_admin_ids_change_only_in_the_settings(db: Database) -> None:
    roles = RoleRepository(db)
    await roles.sync_admins([1], NOW)
    await roles.grant(2, "admin", 1, NOW)
    assert await roles.grant(1, "reviewer", 2, NOW) is Change.CONFIGURED
    assert await roles.revoke(1) is Change.CONFIGURED
    assert await roles_now(roles) == [(1, "admin"), (2, "admin")]
    # A granted admin may be changed by another admin.
    assert await roles.grant(2, "organizer", 1, NOW) is Change.DONE
    assert await roles.revoke(2) is Change.DONE
    assert await roles.revoke(2) is Change.NO_ROLE
    assert await roles_now(roles) == [(1, "admin")]


async def test_the_last_admin_stays(db: Database) -> None:
    """With ADMIN_IDS empty, the granted admins are the only ones: one must always remain."""
    roles = RoleRepository(db)
    await roles.sync_admins([], NOW)
    await roles.grant(1, "admin", 0, NOW)
    await roles.grant(2, "admin", 1, NOW)
    assert await roles.revoke(2) is Change.DONE
    assert await roles.grant(1, "organizer", 1, NOW) is Change.LAST_ADMIN  # demoting oneself
    assert await roles.revoke(1) is Change.LAST_ADMIN
    assert await roles.grant(1, "admin", 1, NOW) is Change.DONE  # still an admin: fine
    assert await roles_now(roles) == [(1, "admin")]
