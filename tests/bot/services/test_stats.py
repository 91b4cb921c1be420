"""Statistics per phase: figures from the database, the text in both languages, the chart."""

from __future__ import annotations

import struct
import warnings

import pytest

from bot.arabic import has_arabic, visual
from bot.catalogue import Catalogue, Market, Phase
from bot.i18n import I18n
from bot.services.applications import ApplicationService
from bot.services.stats import (
    PhaseStats,
    chart_text,
    phase_stats,
    stats_chart_png,
    stats_text,
)
from storage.applications import ApplicationRepository
from storage.db import Database
from storage.reports import ReportRepository
from tests.storage.test_reports import service, started, submitted

__all__ = ["service"]  # the fixture, shared with the report tests

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def i18n() -> I18n:
    return I18n()


@pytest.fixture
def market(catalogue: Catalogue) -> Market:
    found = catalogue.market("ifrane")
    assert found is not None
    return found


def phase(catalogue: Catalogue, code: str) -> Phase:
    found = catalogue.phase(code)
    assert found is not None
    return found


def sample(code: str = "ifrane-1") -> PhaseStats:
    return PhaseStats(
        phase_code=code,
        capacity=70,
        places_left=68,
        by_status={"submitted": 3, "accepted": 1, "confirmed": 1, "withdrawn": 1},
        by_sector={"crafts": 3, "beauty": 1, "services": 1},
        by_province={"ifrane": 4, "other": 1},
        women_structures_share=0.6,
    )


async def test_phase_stats_from_database(
    service: ApplicationService, db: Database, catalogue: Catalogue
) -> None:
    await submitted(service, 1, answers={"sector": "crafts", "led_by": "women"})
    accepted = await submitted(service, 2, answers={"sector": "beauty", "led_by": "youth"})
    await submitted(service, 3, answers={"sector": "crafts", "led_by": "women_youth"})
    waitlisted = await submitted(service, 4, answers={"led_by": "none", "province": "fes"})
    withdrawn = await submitted(service, 6, answers={"led_by": "women"})
    assert await service.set_status(accepted.id, "accepted", actor_id=99)
    assert await service.set_status(waitlisted.id, "waitlisted", actor_id=99)
    assert await service.withdraw(6, withdrawn.id)
    await started(service, 5)  # a draft counts nowhere

    stats = await phase_stats(
        ReportRepository(db), ApplicationRepository(db), phase(catalogue, "ifrane-1")
    )

    assert stats.phase_code == "ifrane-1"
    assert stats.capacity == 70 and stats.places_left == 69
    assert stats.by_status == {"submitted": 2, "accepted": 1, "waitlisted": 1, "withdrawn": 1}
    assert stats.by_sector == {"crafts": 3, "beauty": 1}
    assert stats.by_province == {"ifrane": 3, "fes": 1}
    assert stats.women_structures_share == pytest.approx(2 / 4)  # withdrawn one left out


async def test_phase_stats_of_an_empty_phase(
    service: ApplicationService, db: Database, catalogue: Catalogue
) -> None:
    stats = await phase_stats(
        ReportRepository(db), ApplicationRepository(db), phase(catalogue, "ifrane-3")
    )
    assert stats.by_status == {} and stats.by_sector == {} and stats.by_province == {}
    assert stats.women_structures_share == 0.0
    assert stats.places_left == stats.capacity == 70


def test_stats_text_fr(i18n: I18n, market: Market, catalogue: Catalogue) -> None:
    text = stats_text(i18n.translator("fr"), market, [sample(), sample("ifrane-2")], catalogue)
    assert text.count("phase 1") == 1 and "phase 2" in text
    assert "6 candidatures envoyées" in text
    assert "À examiner : 3" in text and "Confirmées : 1" in text and "Retirées : 1" in text
    assert "68 places libres sur 70" in text
    assert "60" in text and "%" in text
    assert "Artisanat (3)" in text  # catalogue names, most frequent first
    assert text.index("Artisanat") < text.index("Beauté")
    assert "Ifrane (4)" in text and "Autre province (1)" in text
    assert "crafts" not in text and "%(" not in text


def test_stats_text_ar(i18n: I18n, market: Market, catalogue: Catalogue) -> None:
    t = i18n.translator("ar")
    text = stats_text(t, market, [sample()], catalogue)
    assert text.startswith("\u200f")  # laid out right to left
    assert "الصناعة التقليدية (3)" in text
    assert "Artisanat" not in text and "candidature" not in text and "%(" not in text


def test_stats_text_of_an_empty_phase(i18n: I18n, market: Market, catalogue: Catalogue) -> None:
    empty = PhaseStats("ifrane-3", 70, 70, {}, {}, {}, 0.0)
    text = stats_text(i18n.translator("fr"), market, [empty], catalogue)
    assert "0 candidature envoyée" in text and "70 places libres sur 70" in text


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE)
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_chart_is_a_png(i18n: I18n, market: Market, locale: str) -> None:
    stats = [sample("ifrane-1"), sample("ifrane-2"), sample("ifrane-3")]
    width, height = png_size(stats_chart_png(i18n.translator(locale), market, stats))
    assert width > 0 and height > 0


def test_chart_without_applications(i18n: I18n, market: Market) -> None:
    empty = PhaseStats("ifrane-1", 70, 70, {}, {}, {}, 0.0)
    width, height = png_size(stats_chart_png(i18n.translator("fr"), market, [empty]))
    assert width > 0 and height > 0


def test_chart_closes_its_figures(i18n: I18n, market: Market) -> None:
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    stats_chart_png(i18n.translator("fr"), market, [sample()])
    assert len(plt.get_fignums()) == before


def test_stats_text_without_phases(i18n: I18n, market: Market, catalogue: Catalogue) -> None:
    assert "Aucune phase" in stats_text(i18n.translator("fr"), market, [], catalogue)
    assert "Aucune" not in stats_text(i18n.translator("ar"), market, [], catalogue)


def test_chart_shows_refusals_and_declines(i18n: I18n, market: Market) -> None:
    stats = PhaseStats(
        "ifrane-1", 70, 60, {"rejected": 4, "declined": 2, "accepted": 10}, {}, {}, 0
    )
    words = chart_text(i18n.translator("fr"), market, [stats])
    values = {series.label: series.values for series in words.series}
    assert values["Non retenues"] == [4]
    assert values["Refusées par le candidat"] == [2]
    assert values["Places attribuées"] == [10]
    assert not words.rtl


def test_arabic_chart_words_are_arabic_joined_and_ordered(i18n: I18n, market: Market) -> None:
    words = chart_text(i18n.translator("ar"), market, [sample()])
    texts = [words.title, words.axis, *(series.label for series in words.series)]
    assert words.rtl
    # In the organizer's language (presentation forms are Arabic letters, joined)...
    assert all(any("\ufe70" <= char <= "\ufeff" for char in text) for text in texts)
    # ...and none left in the form matplotlib would draw as separate letters.
    assert not any(has_arabic(text) for text in texts)
    assert visual(i18n.translator("ar").gettext("Capacité")) in texts


def test_arabic_chart_draws_every_glyph(i18n: I18n, market: Market) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        png = stats_chart_png(i18n.translator("ar"), market, [sample(), sample("ifrane-2")])
    assert png.startswith(PNG_SIGNATURE)
