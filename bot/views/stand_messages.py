"""The market day's outbox messages, rendered from their params: each exhibitor's stand card
(picture and caption) and the organizers' list of absentees. Pure: what only the moment of
sending can know (the stand still the exhibitor's, the place still confirmed, the phase's board)
comes as facts (bot/services/delivery_facts.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.catalogue import Catalogue
from bot.i18n import Translator
from bot.services.outbox import Outgoing
from bot.services.stands import Board
from bot.views import stands as views
from bot.views.stand_card import StandCard, caption, draw


def card_of(catalogue: Catalogue, params: Mapping[str, Any]) -> StandCard | None:
    phase = catalogue.phase(str(params.get("phase")))
    market = catalogue.market(phase.market_code) if phase else None
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
        str(params["moved_from"]) if params.get("moved_from") else None,
    )


def card_message(t: Translator, card: StandCard) -> Outgoing:
    return Outgoing(caption(t, card), photo=draw(t, card))


def absent_message(t: Translator, board: Board | None) -> Outgoing | None:
    return Outgoing(views.absent_text(t, board)) if board is not None else None
