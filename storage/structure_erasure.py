"""Erasing one structure's data at its filer's request (a facilitator who files for several):
its applications, their consents and the messages about them are erased exactly as
`/delete_my_data` erases them (`storage/privacy.py`, whose rules apply unchanged), and so is
its profile. The filer's other structures and everything else about the filer stay."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from storage import privacy
from storage.db import Database, marks
from storage.privacy import Erased


async def erase_structure(
    db: Database, user_id: int, structure_id: int, reason_codes: Collection[str], now: datetime
) -> Erased:
    async with db.transaction() as connection:
        applications = await privacy._ids(  # the same erasure, for one structure
            connection,
            "SELECT id FROM applications WHERE structure_id = ? AND user_id = ?",
            (structure_id, user_id),
        )
        if not applications:
            return Erased()
        ids_in = marks(applications)
        consents = await privacy._ids(
            connection,
            f"SELECT consent_id FROM applications WHERE id IN ({ids_in}) AND consent_id IS NOT NULL",
            applications,
        )
        deliveries = await privacy._ids(
            connection,
            "SELECT id FROM deliveries WHERE recipient_id = ? AND"
            f" json_extract(params, '$.application_id') IN ({ids_in})",
            (user_id, *applications),
        )
        return await privacy._erase(
            connection,
            user_id,
            applications,
            consents,
            deliveries,
            sorted(reason_codes),
            now,
        )
