"""The services, built once from the settings, the catalogue and the open database: by the
composition root (`bot/app.py`, at start-up) and by the tests, so both use the same wiring;
and the dispatcher's renderer, which joins the facts of the moment to the pure renderers."""

from __future__ import annotations

from bot.catalogue import Catalogue
from bot.clock import Clock
from bot.config import Settings
from bot.context import Services
from bot.i18n import I18n
from bot.services.applications import ApplicationService
from bot.services.broadcasts import BroadcastService
from bot.services.delivery_facts import DeliveryFacts
from bot.services.helpdesk import HelpDesk
from bot.services.monitoring import Operations
from bot.services.outbox import Outgoing
from bot.services.privacy import PrivacyService
from bot.services.reminders import in_quiet_hours
from bot.services.voice import VoicePromptService
from bot.views.outbox import RENDERERS, Scene
from storage.applications import ApplicationRepository
from storage.broadcasts import BroadcastRepository
from storage.catalogue import CatalogueRepository
from storage.db import Database
from storage.impact import ImpactRepository
from storage.organizer_events import OrganizerEventRepository
from storage.outbox import Delivery, OutboxRepository
from storage.privacy import PrivacyRepository
from storage.roles import RoleRepository
from storage.templates import template_of
from storage.tickets import TicketRepository
from storage.users import UserRepository
from storage.voice import VoicePromptRepository


def build_services(
    settings: Settings, catalogue: Catalogue, db: Database, i18n: I18n, clock: Clock
) -> Services:
    catalogue_rows = CatalogueRepository(db)
    tickets = TicketRepository(db)
    applications = ApplicationService(
        ApplicationRepository(db), catalogue_rows, catalogue, clock, settings.quiet_hours
    )
    # Quiet hours are in market time; the markets of one bot share a time zone.
    zone = catalogue.markets[0].timezone
    quiet_hours = settings.quiet_hours

    def quiet() -> bool:
        return quiet_hours is not None and in_quiet_hours(clock(), zone, *quiet_hours)

    return Services(
        settings=settings,
        db=db,
        i18n=i18n,
        catalogue=catalogue,
        clock=clock,
        users=UserRepository(db),
        catalogue_rows=catalogue_rows,
        applications=applications,
        roles=RoleRepository(db),
        outbox=OutboxRepository(db),
        broadcasts=BroadcastService(BroadcastRepository(db), catalogue, i18n.locales, clock),
        quiet=quiet,
        helpdesk=HelpDesk(
            tickets,
            applications.repository,
            clock,
            settings.question_retention_days,
        ),
        operations=Operations(started_at=clock()),
        privacy=PrivacyService(
            PrivacyRepository(db),
            applications,
            db,
            settings.retention_months,
            clock,
            tickets,
        ),
        voice=VoicePromptService(VoicePromptRepository(db), clock),
    )


async def render_delivery(services: Services, delivery: Delivery) -> Outgoing | None:
    """A delivery in its recipient's language of now: the facts of the moment first
    (`bot/services/delivery_facts.py`), then its template's pure renderer
    (`bot/views/outbox.py`). None: not to be sent (stale, or a template this version does not
    know)."""
    template = template_of(delivery.template)
    if template is None:
        return None
    facts = DeliveryFacts(
        services.catalogue,
        services.applications,
        services.outbox,
        services.broadcasts,
        services.roles,
        OrganizerEventRepository(services.db),
        services.helpdesk,
        ImpactRepository(services.db),
        services.stands,
    )
    params, known = await facts.gather(template, delivery.params, delivery.recipient_id)
    scene = Scene(
        services.i18n.translator(delivery.locale),
        services.catalogue,
        services.clock(),
        services.i18n.locales[0],
        known,
    )
    return RENDERERS[template](scene, params)
