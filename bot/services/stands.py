"""Stands for a phase's confirmed exhibitors, their cards, and arrival on the day.

The proposal's rule, said to the organizers with the list (`bot/views/stands.py`):
1. Pole by sector: an exhibitor goes to a pole that lists their sector (`sectors` in the
   catalogue's pole), else to a pole that lists none; when those are full, anywhere free.
2. Electricity: those who asked for it (stand need `electricity`) choose first, among the
   stands with electricity; the others take stands without it first.
3. Women's structures are not all at the back: within each pole, stands are taken in the
   catalogue's order (front first) by exhibitors in turn, a women's structure then another
   one, in the order they applied.

A confirmed stand moves only to a free stand, through `relocate`: a new card, the old one's
link refused. Arrival is marked only while the phase runs (`arrival_window`): from its first
day, in the market's time zone, to its end.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

from bot.catalogue import Catalogue, Market, Phase, Stand
from bot.clock import Clock
from bot.permissions import allows
from storage.outbox import NewDelivery
from storage.roles import RoleRepository
from storage.stands import Arrival, Assignment, Exhibitor, StandRepository
from storage.templates import Template

ELECTRICITY = "electricity"
WOMEN = frozenset({"women", "women_youth"})
ARRIVAL_PREFIX = "arr_"
STAND_CARD = Template.STAND_CARD
ABSENT_LIST = Template.STANDS_ABSENT
# Without opening hours in the catalogue, absentees are listed at this hour of the first day.
DEFAULT_CLOSING = time(20, 0)


def is_arrival(payload: str) -> bool:
    return payload.startswith(ARRIVAL_PREFIX)


def arrival_link(bot_username: str, token: str) -> str:
    """What the card's QR code opens: `/start arr_<token>` in the bot."""
    return f"https://t.me/{bot_username}?start={ARRIVAL_PREFIX}{token}"


def _interleaved(exhibitors: Sequence[Exhibitor]) -> list[Exhibitor]:
    women = [e for e in exhibitors if e.led_by in WOMEN]
    others = [e for e in exhibitors if e.led_by not in WOMEN]
    order: list[Exhibitor] = []
    for index in range(max(len(women), len(others))):
        order.extend(group[index] for group in (women, others) if index < len(group))
    return order


def propose(
    market: Market, phase: Phase, exhibitors: Sequence[Exhibitor], taken: set[str]
) -> list[tuple[int, str]]:
    """(application id, stand number) for each exhibitor, by the rule above; an exhibitor left
    out when every stand is taken."""
    free = [stand for stand in phase.stands if stand.number not in taken]
    listed = {sector for pole in market.poles for sector in pole.sectors}

    def poles_for(exhibitor: Exhibitor) -> set[str]:
        if exhibitor.sector in listed:
            return {p.code for p in market.poles if exhibitor.sector in p.sectors}
        return {p.code for p in market.poles if not p.sectors}

    chosen: list[tuple[int, str]] = []

    def take(exhibitor: Exhibitor, fits: list[Stand]) -> bool:
        if not fits:
            return False
        free.remove(fits[0])
        chosen.append((exhibitor.application_id, fits[0].number))
        return True

    order = _interleaved(exhibitors)
    left: list[Exhibitor] = []
    for wants_power in (True, False):
        for exhibitor in order:
            if (ELECTRICITY in exhibitor.stand_needs) != wants_power:
                continue
            home = [s for s in free if s.pole in poles_for(exhibitor)]
            preferred = [s for s in home if s.electricity == wants_power]
            if not take(exhibitor, preferred or home):
                left.append(exhibitor)
    for exhibitor in _interleaved(left):
        take(exhibitor, free)
    return chosen


@dataclass(frozen=True)
class Board:
    """A phase's stands as the organizers see them."""

    phase: Phase
    market: Market
    exhibitors: dict[int, Exhibitor]
    assignments: list[Assignment]
    arrivals: dict[int, Arrival]

    @property
    def without_stand(self) -> list[Exhibitor]:
        placed = {a.application_id for a in self.assignments}
        return [e for e in self.exhibitors.values() if e.application_id not in placed]

    def confirmed(self) -> list[Assignment]:
        return [a for a in self.assignments if a.confirmed and a.application_id in self.exhibitors]

    def free(self) -> list[Stand]:
        """The stands nobody holds, proposed or confirmed, front first."""
        held = {a.stand for a in self.assignments}
        return [s for s in self.phase.stands if s.number not in held]


@dataclass(frozen=True)
class ArrivalWindow:
    """When arrivals are marked: from the phase's first day to its end."""

    opens: datetime
    closes: datetime

    def holds(self, moment: datetime) -> bool:
        return self.opens <= moment < self.closes


def arrival_window(market: Market, phase: Phase) -> ArrivalWindow:
    """The whole first day (from its midnight, in the market's time zone) to the phase's end.
    Not from the set-up time: exhibitors come early to set up, and a scan refused at 07:50
    for an 08:00 set-up would send the organizer back to the gate ten minutes later."""
    zone = market.timezone
    first_day = phase.starts.astimezone(zone).date()
    return ArrivalWindow(datetime.combine(first_day, time(0), tzinfo=zone), phase.ends)


@dataclass(frozen=True)
class Marking:
    """What a scan or a press did: `arrival` None when outside `window` (nothing marked)."""

    window: ArrivalWindow
    arrival: Arrival | None = None
    new: bool = False


def first_day_closing(market: Market, phase: Phase) -> datetime:
    return datetime.combine(
        phase.starts.date(), market.closes or DEFAULT_CLOSING, tzinfo=market.timezone
    )


class StandService:
    def __init__(
        self,
        repository: StandRepository,
        roles: RoleRepository,
        catalogue: Catalogue,
        clock: Clock,
    ) -> None:
        self.repository = repository
        self._roles = roles
        self._catalogue = catalogue
        self._clock = clock

    def _where(self, phase_code: str) -> tuple[Market, Phase] | None:
        phase = self._catalogue.phase(phase_code)
        market = self._catalogue.market(phase.market_code) if phase else None
        return (market, phase) if market is not None and phase is not None else None

    async def board(self, phase_code: str) -> Board | None:
        where = self._where(phase_code)
        if where is None:
            return None
        market, phase = where
        exhibitors = await self.repository.exhibitors(phase_code)
        return Board(
            phase,
            market,
            {e.application_id: e for e in exhibitors},
            await self.repository.assignments(phase_code),
            await self.repository.arrivals(phase_code),
        )

    async def proposal(self, phase_code: str) -> Board | None:
        """The board, after proposing a stand to each confirmed exhibitor who has none."""
        board = await self.board(phase_code)
        if board is None or not board.without_stand:
            return board
        taken = {a.stand for a in board.assignments}
        chosen = propose(board.market, board.phase, board.without_stand, taken)
        await self.repository.propose(phase_code, chosen, self._clock())
        return await self.board(phase_code)

    async def move(self, phase_code: str, application_id: int, stand: str) -> bool:
        where = self._where(phase_code)
        if where is None or where[1].stand(stand) is None:
            return False
        return await self.repository.move(phase_code, application_id, stand)

    async def confirm_all(self, phase_code: str, organizer_id: int, bot_username: str) -> int:
        """Confirm every proposed stand of confirmed exhibitors: each one's card, and for the
        organizers the list of absentees at the end of the first day, are queued with it."""
        board = await self.board(phase_code)
        if board is None:
            return 0
        now = self._clock()
        proposed = [
            a for a in board.assignments if not a.confirmed and a.application_id in board.exhibitors
        ]
        tokens = {a.application_id: secrets.token_urlsafe(18) for a in proposed}
        cards = [
            _card(board, a, a.stand, arrival_link(bot_username, tokens[a.application_id]), now)
            for a in proposed
        ]
        closing = first_day_closing(board.market, board.phase)
        team = [m for m in await self._roles.team() if allows(m.role, "decide")]
        absent = [
            NewDelivery(
                member.user_id,
                "notification",
                ABSENT_LIST,
                {"phase": phase_code},
                max(now, closing),
                f"stands_absent:{phase_code}:{member.user_id}",
            )
            for member in team
        ]
        return await self.repository.confirm(
            phase_code, tokens, [*cards, *absent], organizer_id, now
        )

    async def relocate(
        self,
        phase_code: str,
        application_id: int,
        stands: tuple[str, str],
        organizer_id: int,
        bot_username: str,
    ) -> bool:
        """The one door for moving a confirmed stand, `stands` (from, to), to a free stand:
        a new token, the old card's refused from now on (kept in `stand_moves`, with who moved
        it), and the new card queued with a line saying from where to where; all in one
        transaction. False if the stand changed meanwhile or the other is no longer free."""
        old, new = stands
        board = await self.board(phase_code)
        if board is None or board.phase.stand(new) is None:
            return False
        assignment = next(
            (a for a in board.confirmed() if a.application_id == application_id), None
        )
        if assignment is None or assignment.stand != old:
            return False
        now = self._clock()
        token = secrets.token_urlsafe(18)
        card = _card(board, assignment, new, arrival_link(bot_username, token), now, old)
        return await self.repository.relocate(
            phase_code, application_id, stands, token, card, organizer_id, now
        )

    async def arrive(
        self, application_id: int, phase_code: str, organizer_id: int, how: str
    ) -> Marking | None:
        """Mark the arrival, once, while the phase runs; None for a phase not in the
        catalogue."""
        where = self._where(phase_code)
        if where is None:
            return None
        window = arrival_window(*where)
        now = self._clock()
        if not window.holds(now):
            return Marking(window)
        new, arrival = await self.repository.mark_arrived(
            application_id, phase_code, organizer_id, how, now
        )
        return Marking(window, arrival, new)


def _card(
    board: Board,
    assignment: Assignment,
    stand: str,
    link: str,
    now: datetime,
    moved_from: str | None = None,
) -> NewDelivery:
    """An exhibitor's stand card, queued now; after a move, it says from which stand."""
    exhibitor = board.exhibitors[assignment.application_id]
    params: dict[str, object] = {
        "application_id": assignment.application_id,
        "phase": board.phase.code,
        "stand": stand,
        "structure": exhibitor.name,
        "reference": exhibitor.reference,
        "link": link,
    }
    if moved_from is not None:
        params["moved_from"] = moved_from
    return NewDelivery(
        assignment.user_id,
        "notification",
        STAND_CARD,
        params,
        now,
        f"stand_card:{assignment.application_id}:{stand}",
    )
