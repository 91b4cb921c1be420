"""The read side that handlers reach openly: what a screen looks up, and nothing that writes.

Handlers change state only through services (`bot/services/`), which own every consequence;
to show something they read through these protocols (`Services.application_records`,
`Services.broadcast_records`, `Services.console`), never through a service's repository."""

from __future__ import annotations

from typing import Protocol

from storage.application_rows import Answer, Application
from storage.broadcasts import Broadcast, Progress


class ApplicationRecords(Protocol):
    async def get(self, application_id: int) -> Application | None: ...

    async def of_user(self, user_id: int) -> list[Application]: ...

    async def answers(self, application_id: int) -> dict[str, Answer]: ...

    async def corrections(self, application_id: int) -> list[tuple[str, str]]: ...

    async def decision_deadline(self, application_id: int) -> str | None: ...

    async def held_trainings(self, application_id: int) -> list[str]: ...

    async def for_reminders(
        self, user_id: int | None = None, *, application_id: int | None = None
    ) -> list[tuple[Application, str | None, list[str], bool]]: ...


class BroadcastRecords(Protocol):
    async def get(self, broadcast_id: int) -> Broadcast | None: ...

    async def draft_of(self, author_id: int) -> Broadcast | None: ...

    async def history(self, limit: int = 10) -> list[tuple[Broadcast, Progress]]: ...

    async def recent_to_follow(self, shown: set[int]) -> list[Broadcast]: ...
