"""ADMIN_IDS is the list of admins from the settings, synced at every start."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.db import Database
from storage.roles import RoleRepository

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
