"""`python -m bot.catalogue [path]`: check a catalogue file; exit status 1 on error."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.catalogue.model import DEFAULT_CATALOGUE_PATH, CatalogueError
from bot.catalogue.parser import load_catalogue


def main(argv: list[str] | None = None) -> int:
    """Check a catalogue file: `python -m bot.catalogue [path]`; exit status 1 on error."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_CATALOGUE_PATH
    try:
        catalogue = load_catalogue(path)
    except CatalogueError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1
    for market in catalogue.markets:
        phases = ", ".join(
            f"{p.code} {p.starts:%Y-%m-%d}..{p.ends:%Y-%m-%d} ({p.capacity})" for p in market.phases
        )
        print(f"{market.code}: {phases}; {len(market.trainings)} training(s)")
    print(f"OK {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
