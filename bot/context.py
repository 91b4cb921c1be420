"""The typed context every handler receives: services, and the user's translator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.catalogue import Catalogue
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import I18n, Translator
from bot.services.applications import ApplicationService
from bot.services.broadcasts import BroadcastService
from bot.services.helpdesk import HelpDesk
from bot.services.impact import ImpactService
from bot.services.monitoring import Operations
from bot.services.outbox import Dispatcher
from bot.services.privacy import PrivacyService
from bot.services.stands import StandService
from bot.services.team import TeamService
from bot.services.trainings import TrainingService
from bot.services.voice import VoicePromptService
from storage.catalogue import CatalogueRepository
from storage.console import ConsoleQueries
from storage.db import Database
from storage.impact import ImpactRepository
from storage.invites import InviteRepository
from storage.outbox import OutboxRepository
from storage.reads import ApplicationRecords, BroadcastRecords
from storage.roles import RoleRepository
from storage.stands import StandRepository
from storage.trainings import TrainingRepository
from storage.users import UserRepository

SERVICES_KEY = "services"


@dataclass
class Services:
    """Everything a handler may use, built once in `post_init`."""

    settings: Settings
    db: Database
    i18n: I18n
    catalogue: Catalogue
    clock: Clock
    users: UserRepository
    catalogue_rows: CatalogueRepository
    applications: ApplicationService
    roles: RoleRepository
    outbox: OutboxRepository
    broadcasts: BroadcastService
    privacy: PrivacyService
    voice: VoicePromptService
    quiet: Callable[[], bool]  # quiet hours now, in market time
    helpdesk: HelpDesk
    dispatcher: Dispatcher | None = None
    # Process-lifetime state for /health and error reports; not in SQLite on purpose: it
    # describes this run of the bot.
    operations: Operations = field(default_factory=Operations)

    @property
    def application_records(self) -> ApplicationRecords:
        """Applications as screens read them (storage/reads.py); changes go through services."""
        return self.applications.repository

    @property
    def broadcast_records(self) -> BroadcastRecords:
        return self.broadcasts.repository

    @property
    def console(self) -> ConsoleQueries:
        """The review console's read-only lookups (queue, reference, search, look-alikes)."""
        return self.applications.repository

    @property
    def team(self) -> TeamService:
        """Roles and invitations to the team; it holds no state, so it is built when used."""
        return TeamService(
            self.roles, InviteRepository(self.db), self.users, self.outbox, self.clock
        )

    @property
    def trainings(self) -> TrainingService:
        """Training seats, attendance, attestations; stateless, built when used."""
        return TrainingService(TrainingRepository(self.db), self.catalogue, self.clock)

    @property
    def impact(self) -> ImpactService:
        """The impact survey and the funders' report; stateless, built when used."""
        return ImpactService(
            ImpactRepository(self.db),
            self.outbox,
            StandRepository(self.db),
            TrainingRepository(self.db),
        )

    @property
    def stands(self) -> StandService:
        """Stands and arrivals; it holds no state, so it is built when used."""
        return StandService(StandRepository(self.db), self.roles, self.catalogue, self.clock)

    def use_catalogue(self, catalogue: Catalogue) -> None:
        """After /reload: every service reads the new catalogue from now on."""
        self.catalogue = catalogue
        self.applications.catalogue = catalogue
        self.broadcasts.catalogue = catalogue


class BotContext(
    CallbackContext[ExtBot[dict[str, Any]], dict[Any, Any], dict[Any, Any], dict[Any, Any]]
):
    """Set once per update by the user-tracking handler that runs before every other one."""

    locale: str | None = None  # effective locale: chosen, else guessed from Telegram
    locale_chosen: bool = False
    role: str | None = None  # the user's role in the organizing team, read with the user
    # Whether the last screen sent was not the application form (stored; None: not read yet).
    form_hidden: bool | None = None
    hear_questions: bool = False  # send each question's voice prompt with it (/settings)

    @property
    def services(self) -> Services:
        services = self.bot_data[SERVICES_KEY]
        assert isinstance(services, Services)
        return services

    @property
    def t(self) -> Translator:
        return self.services.i18n.translator(self.locale)


BotApplication = Application[
    ExtBot[dict[str, Any]], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
