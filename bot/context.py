"""The typed context every handler receives: services, and the user's translator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.catalogue import Catalogue
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import I18n, Translator
from bot.services.applications import ApplicationService
from bot.services.privacy import PrivacyService
from storage.catalogue import CatalogueRepository
from storage.db import Database
from storage.outbox import OutboxRepository
from storage.roles import RoleRepository
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
    privacy: PrivacyService


class BotContext(CallbackContext[ExtBot[int], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Set once per update by the user-tracking handler that runs before every other one."""

    locale: str | None = None  # effective locale: chosen, else guessed from Telegram
    locale_chosen: bool = False

    @property
    def services(self) -> Services:
        services = self.bot_data[SERVICES_KEY]
        assert isinstance(services, Services)
        return services

    @property
    def t(self) -> Translator:
        return self.services.i18n.translator(self.locale)


BotApplication = Application[
    ExtBot[int], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
