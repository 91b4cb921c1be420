"""Copy the validated catalogue into SQLite, where applications refer to its phases."""

from __future__ import annotations

from bot.catalogue import Catalogue
from storage.catalogue import CatalogueRepository, MarketRow, PhaseRow, TrainingRow


def catalogue_rows(catalogue: Catalogue) -> list[MarketRow]:
    return [
        MarketRow(
            code=market.code,
            ref_prefix=market.ref_prefix,
            timezone=market.timezone_name,
            phases=tuple(
                PhaseRow(
                    code=phase.code,
                    market_code=market.code,
                    number=phase.number,
                    starts=phase.starts,
                    ends=phase.ends,
                    deadline=phase.application_deadline,
                    capacity=phase.capacity,
                )
                for phase in market.phases
            ),
            trainings=tuple(
                TrainingRow(
                    code=training.code,
                    phase_code=training.phase_code,
                    starts=training.starts,
                    duration_minutes=int(training.duration.total_seconds() // 60),
                    seats=training.seats,
                )
                for training in market.trainings
            ),
        )
        for market in catalogue.markets
    ]


async def sync_catalogue(catalogue: Catalogue, repository: CatalogueRepository) -> None:
    await repository.sync(catalogue_rows(catalogue))
