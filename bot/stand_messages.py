"""The outbox messages of stands: each exhibitor's stand card, and the organizers' list of
absentees at the end of the first day. Rendered at send time; a card whose stand changed or
whose application is no longer confirmed is stale and not sent."""

from __future__ import annotations

from bot.context import Services
from bot.i18n import Translator
from bot.services.outbox import Outgoing
from bot.services.stands import ABSENT_LIST, STAND_CARD
from bot.views import stands as views
from bot.views.stand_card import StandCard, caption, draw
from storage.outbox import Delivery
from storage.statuses import Status

TEMPLATES = frozenset({STAND_CARD, ABSENT_LIST})


def card_of(services: Services, params: dict[str, object]) -> StandCard | None:
    phase = services.catalogue.phase(str(params.get("phase")))
    market = services.catalogue.market(phase.market_code) if phase else None
    stand = phase.stand(str(params.get("stand"))) if phase else None
    if phase is None or market is None or stand is None:
        return None
    return StandCard(
        market,
        phase,
        stand,
        str(params.get("structure", "")),
        str(params.get("reference", "")),
        str(params.get("link", "")),
    )


def card_message(t: Translator, card: StandCard) -> Outgoing:
    return Outgoing(caption(t, card), photo=draw(t, card))


async def render_stand_delivery(services: Services, delivery: Delivery) -> Outgoing | None:
    t = services.i18n.translator(delivery.locale)
    params = delivery.params
    if delivery.template == ABSENT_LIST:
        board = await services.stands.board(str(params.get("phase")))
        return Outgoing(views.absent_text(t, board)) if board is not None else None
    application_id = int(params.get("application_id", 0))
    application = await services.application_records.get(application_id)
    assignment = await services.stands.repository.of_application(application_id)
    if (
        application is None
        or application.status != Status.CONFIRMED
        or assignment is None
        or assignment.stand != params.get("stand")
    ):
        return None
    card = card_of(services, params)
    return card_message(t, card) if card is not None else None
