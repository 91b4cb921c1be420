"""A phase's stands and plan in the catalogue file, and the sectors a pole welcomes.

Two ways to write the stands, whichever the organizers have at hand:
- a count per pole, `stands = { exhibition = 60, institutional = 6 }`: numbered 1, 2, 3...
  in the order written;
- one table per stand, `[[markets.phases.stands]]` with `number`, `pole`, and optionally
  `size_m2`, `electricity` and `at = [x, y]` (its place on the plan image, in pixels).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from bot.catalogue.model import Phase, Pole, Stand
from bot.catalogue.readers import Reader

BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data"
MAX_STANDS = 2_000
MAX_AREA = 10_000
MAX_PIXELS = 20_000
_STAND_KEYS = ("number", "pole")
_STAND_OPTIONAL = ("size_m2", "electricity", "at")
# Stand numbers go into button data and onto the card: short, plain.
STAND_NUMBER = re.compile(r"[A-Za-z0-9-]{1,8}")


def read_stands(
    reader: Reader, table: Mapping[str, object], path: str, poles: Sequence[Pole]
) -> tuple[Stand, ...]:
    key = f"{path}.stands"
    value = table["stands"]
    known = {pole.code for pole in poles}
    if isinstance(value, dict):
        return _counted(reader, value, key, known)
    items = reader.table_list(table, "stands", path, "markets.phases.stands", min_items=1)
    stands: list[Stand] = []
    for item_path, item in items:
        reader.check_keys(item, item_path, _STAND_KEYS, _STAND_OPTIONAL)
        number = reader.string(item, "number", item_path)
        if not STAND_NUMBER.fullmatch(number):
            raise reader.error(
                f"{item_path}.number",
                f"'{number}' is not a stand number: 1 to 8 letters, digits or '-' (e.g. \"A12\")",
            )
        if any(stand.number == number for stand in stands):
            raise reader.error(f"{item_path}.number", f"duplicate stand number '{number}'")
        stands.append(
            Stand(
                number=number,
                pole=_pole(reader, reader.string(item, "pole", item_path), item_path, known),
                size_m2=(
                    reader.positive(item, "size_m2", item_path, example=9, maximum=MAX_AREA)
                    if "size_m2" in item
                    else None
                ),
                electricity=(
                    reader.boolean(item, "electricity", item_path)
                    if "electricity" in item
                    else False
                ),
                at=_point(reader, item["at"], f"{item_path}.at") if "at" in item else None,
            )
        )
    return tuple(stands)


def _counted(
    reader: Reader, counts: Mapping[str, object], key: str, known: set[str]
) -> tuple[Stand, ...]:
    stands: list[Stand] = []
    for pole in counts:
        _pole(reader, pole, key, known)
        count = reader.positive(counts, pole, key, example=60, maximum=MAX_STANDS)
        start = len(stands) + 1
        stands.extend(Stand(str(number), pole) for number in range(start, start + count))
    if not stands:
        raise reader.error(key, "give at least one pole and its number of stands")
    return tuple(stands)


def _pole(reader: Reader, code: str, path: str, known: set[str]) -> str:
    if code not in known:
        names = ", ".join(sorted(known)) or "none: add [[markets.poles]] sections first"
        raise reader.error(f"{path}.pole", f"unknown pole '{code}' (this market's poles: {names})")
    return code


def _point(reader: Reader, value: object, path: str) -> tuple[int, int]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or not all(0 <= v <= MAX_PIXELS for v in value)
    ):
        raise reader.error(path, "must be two whole numbers of pixels, e.g. at = [120, 340]")
    return int(value[0]), int(value[1])


def read_plan(reader: Reader, table: Mapping[str, object], path: str) -> Path:
    """The plan image, relative to the catalogue file, else to the bundled data folder (a
    catalogue checked from a temporary copy, e.g. one sent back through /catalogue, finds
    the bundled plans); it must exist and open as an image."""
    written = reader.string(table, "plan", path)
    plan = (Path(reader.file).parent / written).resolve()
    if not plan.exists():
        plan = (BUNDLED_DATA / written).resolve()
    try:
        from PIL import Image

        with Image.open(plan) as image:
            image.verify()
    except (OSError, SyntaxError) as exc:
        raise reader.error(
            f"{path}.plan", f"cannot open '{written}' as an image (PNG or JPEG): {exc}"
        ) from exc
    return plan


def with_stands(
    reader: Reader, phase: Phase, table: Mapping[str, object], path: str, poles: Sequence[Pole]
) -> Phase:
    return replace(
        phase,
        stands=read_stands(reader, table, path, poles) if "stands" in table else (),
        plan=read_plan(reader, table, path) if "plan" in table else None,
    )


def read_pole_sectors(
    reader: Reader, table: Mapping[str, object], path: str, sectors: Sequence[str]
) -> tuple[str, ...]:
    if "sectors" not in table:
        return ()
    value = table["sectors"]
    key = f"{path}.sectors"
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise reader.error(key, 'must be a list of sector codes, e.g. ["crafts", "agrifood"]')
    for code in value:
        if code not in sectors:
            raise reader.error(key, f"unknown sector '{code}' (known: {', '.join(sectors)})")
    return tuple(value)
