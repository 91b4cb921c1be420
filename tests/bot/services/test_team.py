"""Joining the team: one-time invitation links, confirmed by an admin; the welcome."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from bot.context import Services
from bot.services.team import Decided, is_invite
from storage.invites import Claim
from storage.roles import Change
from storage.templates import Template
from tests.conftest import FakeClock

ADMIN, PERSON, OTHER = 1, 2, 3


async def queued(services: Services, recipient: int) -> list[tuple[str, dict[str, object]]]:
    rows = await services.db.fetchall(
        "SELECT template, params FROM deliveries WHERE recipient_id = ? ORDER BY id", (recipient,)
    )
    return [(row["template"], json.loads(row["params"])) for row in rows]


async def test_a_link_is_unguessable_one_time_and_only_its_hash_is_kept(
    services: Services, clock: FakeClock
) -> None:
    team = services.team
    token, expires = await team.create_invite("organizer", ADMIN)
    other_token, _ = await team.create_invite("organizer", ADMIN)
    # A deep link's payload: at most 64 characters of [A-Za-z0-9_-], and not a market's code.
    assert re.fullmatch(r"inv_[A-Za-z0-9_-]{32}", token) and is_invite(token)
    assert token != other_token and not is_invite("ifrane-2")
    assert expires - clock() == timedelta(hours=48)
    dump = "\n".join(str(tuple(row)) for row in await services.db.fetchall("SELECT * FROM invites"))
    assert token not in dump and token[4:] not in dump

    assert (await team.open_invite(token + "x", PERSON, "Samira"))[0] is Claim.UNKNOWN
    assert (await team.open_invite(token, ADMIN, "Admin"))[0] is Claim.OWN
    claim, invite = await team.open_invite(token, PERSON, "Samira")
    assert claim is Claim.CLAIMED and invite is not None and invite.claimed_by == PERSON
    # Opening it again asks nothing more of the admin; anyone else is refused.
    assert (await team.open_invite(token, PERSON, "Samira"))[0] is Claim.CLAIMED
    assert (await team.open_invite(token, OTHER, "Intrus"))[0] is Claim.USED
    asked = await queued(services, ADMIN)
    assert [template for template, _ in asked] == [Template.INVITE_OPENED]
    assert asked[0][1] == {
        "invite_id": invite.id,
        "role": "organizer",
        "user_id": PERSON,
        "name": "Samira",
    }
    assert await services.roles.role_of(PERSON) is None


async def test_an_expired_link_makes_nobody_a_member(services: Services, clock: FakeClock) -> None:
    token, _ = await services.team.create_invite("reviewer", ADMIN)
    clock.advance(hours=48)
    assert (await services.team.open_invite(token, PERSON, "Samira"))[0] is Claim.EXPIRED
    assert await queued(services, ADMIN) == []
    # A month after expiry, who opened what is forgotten.
    clock.advance(days=31)
    assert await services.team.purge_invites() == 1


async def test_confirmed_once_the_person_is_welcomed_in_the_role(
    services: Services, clock: FakeClock
) -> None:
    await services.users.touch(PERSON, "Samira", clock())
    token, _ = await services.team.create_invite("organizer", ADMIN)
    _, invite = await services.team.open_invite(token, PERSON, "Samira")
    assert invite is not None
    decision = await services.team.decide(invite.id, True, ADMIN)
    assert decision.outcome is Decided.GRANTED and decision.grant is not None
    assert decision.grant.change is Change.DONE and decision.grant.welcomed
    assert await services.roles.role_of(PERSON) == "organizer"
    assert await queued(services, PERSON) == [(Template.TEAM_WELCOME, {"role": "organizer"})]
    # A second answer (another admin, a double tap) changes nothing.
    assert (await services.team.decide(invite.id, False, ADMIN)).outcome is Decided.STALE
    assert await services.roles.role_of(PERSON) == "organizer"


async def test_someone_who_never_opened_the_bot_gets_the_role_but_no_welcome(
    services: Services,
) -> None:
    grant = await services.team.grant(OTHER, "reviewer", ADMIN)
    assert grant.change is Change.DONE and not grant.welcomed
    assert await queued(services, OTHER) == []


async def test_erasing_ones_data_forgets_the_invitation_one_opened(
    services: Services, clock: FakeClock
) -> None:
    await services.users.touch(PERSON, "Samira", clock())
    token, _ = await services.team.create_invite("organizer", ADMIN)
    await services.team.open_invite(token, PERSON, "Samira")
    await services.privacy.erase(PERSON)
    rows = await services.db.fetchall("SELECT * FROM invites WHERE claimed_by = ?", (PERSON,))
    assert rows == []
