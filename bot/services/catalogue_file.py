"""The catalogue sent back from the chat: checked exactly as at start-up, then put in place of
MARKETS_FILE, the previous file kept beside it under a dated name. A file with a mistake
changes nothing: it is checked before anything is written."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from bot.catalogue import Catalogue, CatalogueError, load_catalogue

# A catalogue is a few tens of kilobytes; Telegram lets bots download up to 20 MB
# (https://core.telegram.org/bots/api#getfile), far more than a catalogue needs.
MAX_CATALOGUE_BYTES = 1024 * 1024
SUFFIX = ".toml"


def is_catalogue_name(file_name: str | None) -> bool:
    return bool(file_name) and str(file_name).lower().endswith(SUFFIX)


def check(raw: bytes, file_name: str) -> Catalogue:
    """The catalogue in `raw`, or the `CatalogueError` start-up would give, naming the file
    as it was sent."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalogue.toml"
        path.write_bytes(raw)
        try:
            return load_catalogue(path)
        except CatalogueError as error:
            raise CatalogueError(file_name, error.key, error.reason) from None


def dated_copy(path: Path, moment: datetime) -> Path:
    """`markets-2026-12-05-1504.toml` beside `markets.toml`; never an existing file."""
    stamp = moment.strftime("%Y-%m-%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}-{stamp}{path.suffix}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{stamp}-{number}{path.suffix}")
    return candidate


def install(path: Path, raw: bytes, moment: datetime) -> Path | None:
    """Write `raw` as the catalogue file, keeping the previous one as a dated copy (returned;
    None if there was none). The new file appears whole or not at all (a rename)."""
    fresh = path.with_name(f".{path.name}.new")
    fresh.write_bytes(raw)
    copy = None
    try:
        if path.exists():
            copy = dated_copy(path, moment)
            shutil.copy2(path, copy)
        os.replace(fresh, path)
    finally:
        fresh.unlink(missing_ok=True)
    return copy
