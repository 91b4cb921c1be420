"""Joining the organizing team: roles given by an admin, invitations opened and confirmed.

Every way in ends in `grant`, which also queues the new member's welcome (in their language,
at send time): /grant with an id, /grant in reply to a forwarded message, a confirmed invite.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.clock import Clock
from storage.invites import Claim, Invite, InviteRepository
from storage.outbox import NewDelivery, OutboxRepository
from storage.roles import Change, RoleRepository
from storage.templates import Template
from storage.users import UserRepository

# `/start inv_...`: distinct from the markets' deep links (`/start ifrane`), whose codes are
# lower-case words. A deep link's payload is at most 64 characters of [A-Za-z0-9_-]
# (https://core.telegram.org/bots/features#deep-linking): 4 + 32 here.
INVITE_PREFIX = "inv_"
INVITE_VALIDITY = timedelta(hours=48)
# Who opened an expired link is kept a month for the team's record, then forgotten.
KEEP_EXPIRED = timedelta(days=30)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_invite(payload: str) -> bool:
    return payload.startswith(INVITE_PREFIX)


class Decided(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    STALE = "stale"  # already decided (by another admin, a double tap), or unknown


@dataclass(frozen=True)
class Grant:
    change: Change
    welcomed: bool  # False: the person has never opened the bot, nothing could be sent


@dataclass(frozen=True)
class Decision:
    outcome: Decided
    invite: Invite | None = None
    grant: Grant | None = None  # for a confirmation: whether the role was given


class TeamService:
    def __init__(
        self,
        roles: RoleRepository,
        invites: InviteRepository,
        users: UserRepository,
        outbox: OutboxRepository,
        clock: Clock,
    ) -> None:
        self.roles = roles
        self.invites = invites
        self.users = users
        self.outbox = outbox
        self.clock = clock

    async def grant(self, user_id: int, role: str, granted_by: int, name: str = "") -> Grant:
        """Give `role`; the new member is welcomed with the commands of that role if they have
        opened the bot (a bot cannot write first: https://core.telegram.org/bots/faq)."""
        now = self.clock()
        change = await self.roles.grant(user_id, role, granted_by, now)
        welcomed = change is Change.DONE and await self.users.get(user_id) is not None
        if welcomed and name:  # for /team, until their next message brings it
            await self.users.remember_name(user_id, name)
        if welcomed:
            await self.outbox.enqueue(
                [
                    NewDelivery(
                        user_id,
                        "notification",
                        Template.TEAM_WELCOME,
                        {"role": role},
                        now,
                        f"welcome:{user_id}:{role}:{now.isoformat()}",
                    )
                ],
                now,
            )
        return Grant(change, welcomed)

    async def create_invite(self, role: str, created_by: int) -> tuple[str, datetime]:
        """A new one-time link's payload and its expiry. Only its hash is stored."""
        now = self.clock()
        token = INVITE_PREFIX + secrets.token_urlsafe(24)
        expires = now + INVITE_VALIDITY
        await self.invites.create(token_hash(token), role, created_by, now, expires)
        return token, expires

    async def purge_invites(self) -> int:
        return await self.invites.purge(self.clock() - KEEP_EXPIRED)

    async def open_invite(self, token: str, user_id: int, name: str) -> tuple[Claim, Invite | None]:
        """Someone opened `/start <token>`: the first to do so waits for the inviting admin,
        who is asked to confirm (once, however often the link is opened)."""
        now = self.clock()
        claim, invite = await self.invites.claim(token_hash(token), user_id, name, now)
        if claim is Claim.CLAIMED and invite is not None:
            params = {"invite_id": invite.id, "role": invite.role, "user_id": user_id, "name": name}
            await self.outbox.enqueue(
                [
                    NewDelivery(
                        invite.created_by,
                        "notification",
                        Template.INVITE_OPENED,
                        params,
                        now,
                        f"invite:{invite.id}:opened",
                    )
                ],
                now,
            )
        return claim, invite

    async def decide(self, invite_id: int, confirm: bool, admin_id: int) -> Decision:
        """An admin's answer to an opened invite: confirmed, the person gets the role (and the
        welcome); refused, they are told. Decided once: a second answer is stale."""
        now = self.clock()
        invite = await self.invites.get(invite_id)
        outcome = Decided.GRANTED if confirm else Decided.REFUSED
        if invite is None or invite.claimed_by is None:
            return Decision(Decided.STALE, invite)
        if not await self.invites.decide(invite_id, outcome.value, admin_id, now):
            return Decision(Decided.STALE, invite)
        if confirm:
            grant = await self.grant(invite.claimed_by, invite.role, admin_id, invite.claimed_name)
            return Decision(outcome, invite, grant)
        await self.outbox.enqueue(
            [
                NewDelivery(
                    invite.claimed_by,
                    "notification",
                    Template.INVITE_REFUSED,
                    {},
                    now,
                    f"invite:{invite.id}:refused",
                )
            ],
            now,
        )
        return Decision(outcome, invite)
