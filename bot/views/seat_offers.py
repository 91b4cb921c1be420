"""A freed training seat's offer: until when it holds, and the message to the member who let
it lapse (storage/seat_offers.py). Pure functions, as every outbox renderer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.callbacks import DropSeat
from bot.catalogue import Catalogue, Market
from bot.i18n import Translator
from bot.keyboards import button, inline
from bot.services.outbox import Outgoing
from storage.statuses import SeatState


def offer_until_text(t: Translator, market: Market, until: str) -> str:
    """`⏳ Cette place vous est réservée jusqu'au mardi 4 mai 2027 à 08:00.`, in the market's
    time zone (where the member is)."""
    moment = datetime.fromisoformat(until).astimezone(market.timezone)
    return t.gettext(
        "⏳ Cette place vous est réservée jusqu'au %(date)s à %(time)s. Sans réponse de votre"
        " part, elle sera proposée à la personne suivante.",
        date=t.date(moment),
        time=t.time(moment),
    )


def lapsed_message(
    t: Translator,
    catalogue: Catalogue,
    now: datetime,
    params: Mapping[str, Any],
    state: SeatState | None,
) -> Outgoing | None:
    """The offer went to the next one waiting; the member stays on the waiting list. None once
    they have left it, or have a seat again, or the training has begun."""
    training = catalogue.training(str(params["training"]))
    if training is None or now >= training.starts or state is not SeatState.QUEUED:
        return None
    text = t.gettext(
        "⌛ Vous n'avez pas répondu à temps : la place à la formation « %(title)s » a été"
        " proposée à la personne suivante sur la liste d'attente.\n"
        "Vous restez sur la liste d'attente : si une autre place se libère, elle vous sera"
        " proposée.",
        title=training.title.get(t.locale),
    )
    application_id = int(params["application_id"])
    leave = button(t.gettext("❌ Ne plus attendre"), DropSeat(application_id, training.code))
    return Outgoing(t.start_rtl(text), inline([[leave]]))
