"""/info reads on a cheap phone: short messages, nothing said twice, a pin where there is a place."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from bot.callbacks import ChoosePhase
from bot.catalogue import Catalogue, Market
from bot.i18n import I18n
from bot.services.applications import Availability
from bot.views import info as view
from bot.views.buttons import MAX_LABEL, phase_labels
from tests.bot.keyboards_drawn import CATALOGUES

I18N = I18n()
MAX_MESSAGE = 1_100


def _situations(market: Market) -> Iterator[list[Availability]]:
    for left, is_open in ((None, True), (1, True), (0, True), (None, False)):
        yield [
            Availability(phase, phase.capacity if left is None else left, is_open)
            for phase in market.phases
        ]


def _messages(catalogue: Catalogue, locale: str) -> Iterator[str]:
    t = I18N.translator(locale)
    for market in catalogue.markets:
        for availabilities in _situations(market):
            yield view.market_card(t, market, availabilities)
            yield from (view.phase_text(t, market, a) for a in availabilities)


@pytest.mark.parametrize("catalogue_name", list(CATALOGUES))
@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_every_info_message_is_short(catalogue_name: str, locale: str) -> None:
    messages = list(_messages(CATALOGUES[catalogue_name](), locale))
    assert messages
    too_long = [(len(text), text[:60]) for text in messages if len(text) >= MAX_MESSAGE]
    assert not too_long, too_long


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_card_says_places_hours_and_contact_once(locale: str) -> None:
    t = I18N.translator(locale)
    market = CATALOGUES["bundled"]().markets[0]
    card = view.market_card(
        t, market, [Availability(p, 70 - p.number, True) for p in market.phases]
    )
    assert "10:00" in card and "20:00" in card
    assert card.count("05 35 00 00 00") == 1
    for phase in market.phases:
        assert f" {70 - phase.number} " in card
    assert market.description.get(locale) not in card  # a card, not the brochure


def test_phase_details_name_the_training_place_once_and_apply_while_open() -> None:
    t = I18N.translator("fr")
    market = CATALOGUES["bundled"]().markets[0]
    phase = market.phases[1]
    text = view.phase_text(t, market, Availability(phase, 67, True))
    assert text.count("tente de formation") == 1
    assert text.count("2027") == 2  # the phase's last day and the deadline, not every date
    assert "mardi 8 juin" in text and "08:00–10:00" in text and "30 places" in text
    assert "67 places libres" in text and "14 mai 2027" in text
    buttons = view.phase_keyboard(t, market, Availability(phase, 67, True)).inline_keyboard
    assert buttons[0][0].callback_data == ChoosePhase("ifrane-2").pack()
    closed = view.phase_keyboard(t, market, Availability(phase, 67, False)).inline_keyboard
    assert all(row[0].callback_data != ChoosePhase("ifrane-2").pack() for row in closed)


def test_venue_is_the_phase_place_in_the_market_town() -> None:
    t = I18N.translator("ar")
    market = CATALOGUES["bundled"]().markets[0]
    latitude, longitude, title, address = view.venue(t, market, market.phases[0]) or (0, 0, "", "")
    assert (latitude, longitude) == (33.5331, -5.1069)
    assert title == "إفران، وسط المدينة" and address == "إفران، جهة فاس مكناس"
    assert view.venue(t, market, replace(market.phases[0], location=None)) is None


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_phase_labels_of_a_market_read_alike_and_fit(locale: str) -> None:
    t = I18N.translator(locale)
    for catalogue in (CATALOGUES["bundled"](), CATALOGUES["longest"]()):
        for market in catalogue.markets:
            for availabilities in _situations(market):
                labels = phase_labels(t, availabilities)
                assert all(len(label) <= MAX_LABEL for label in labels), labels
                assert len({("👥" in label) for label in labels}) == 1, labels
    may = CATALOGUES["bundled"]().markets[0].phases[0]
    assert phase_labels(I18N.translator("fr"), [Availability(may, 67, True)]) == [
        "Phase 1 · 3–9 mai · 67 places"
    ]


def test_the_fair_says_its_area_and_the_market_its_poles() -> None:
    """A card still says what makes a market: 70 exhibitors on 1,000 m², its poles."""
    ifrane, fair = CATALOGUES["bundled"]().markets
    french, arabic = I18N.translator("fr"), I18N.translator("ar")
    card = view.market_card(french, fair, [Availability(p, 70, True) for p in fair.phases])
    assert "70 exposants sur 1\u202f000 m²" in card
    assert "1.000" in view.market_card(
        arabic, fair, [Availability(p, 70, True) for p in fair.phases]
    )
    details = view.phase_text(french, ifrane, Availability(ifrane.phases[0], 70, True))
    assert "Pôle d'exposition, Pôle institutionnel, Pôle d'animation" in details
