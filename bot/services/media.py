"""Photos and voice notes of a phase as zip files, each named by reference and structure, so
that the export's columns can say where each one is.

The bot keeps only Telegram file ids: each file is downloaded again (getFile, then the file
itself), which Telegram allows bots up to 20 MB a file
(https://core.telegram.org/bots/api#getfile), and sent back in zips under the 50 MB a bot may
upload (https://core.telegram.org/bots/api#senddocument), as many zips as needed.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from bot.questionnaire import QUESTIONS, Kind
from storage.reports import ExportRow

log = logging.getLogger(__name__)

# Under Telegram's 50 MB, counted the smaller way (10^6), with room for the upload's envelope.
MAX_ZIP_BYTES = 48_000_000
_ZIP_END = 22  # the end-of-central-directory record
_ENTRY_OVERHEAD = 30 + 46 + 64  # local header, central header, room for extra fields
# Characters no file system accepts in a name, and those that would make folders.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u200e\u200f\u2066-\u2069]+')
_SPACES = re.compile(r"[\s.]+")
_NAME_LENGTH = 40


@dataclass(frozen=True)
class MediaFile:
    file_id: str
    name: str  # inside the zip: reference, structure, what it is


def _structure(row: ExportRow) -> str:
    name = row.answers.get("structure_name")
    cleaned = _UNSAFE.sub(" ", name if isinstance(name, str) else "")
    return _SPACES.sub("-", cleaned.strip())[:_NAME_LENGTH].strip("-")


# The questions whose answers may be files, in the form's order.
_MEDIA_QUESTIONS = tuple(
    question.key for question in QUESTIONS if question.kind in (Kind.PHOTOS, Kind.TEXT_OR_VOICE)
)


def media_files(row: ExportRow, only: str | None = None) -> list[MediaFile]:
    """The application's photos (`IFR-1-0042_Tifawin_photo1.jpg`) and voice notes
    (`IFR-1-0042_Tifawin_vocal.ogg`), in the form's order; `only`: one question's."""
    files: list[MediaFile] = []
    stem = ""
    for key in (only,) if only is not None else _MEDIA_QUESTIONS:
        value = row.answers.get(key)
        if not value or isinstance(value, str):
            continue
        stem = stem or "_".join(
            part for part in (row.reference or f"id{row.id}", _structure(row)) if part
        )
        if isinstance(value, list):
            files += [
                MediaFile(file_id, f"{stem}_photo{number}.jpg")
                for number, file_id in enumerate(value, start=1)
                if isinstance(file_id, str) and file_id
            ]
        elif isinstance(value, dict) and isinstance(value.get("voice"), str):
            files.append(MediaFile(value["voice"], f"{stem}_vocal.ogg"))
    return files


def zip_filename(name: str, number: int) -> str:
    """`ifrane-phase2-2026-11-23.zip`, part 2 -> `ifrane-phase2-2026-11-23-media2.zip`."""
    stem, dot, extension = name.rpartition(".")
    return f"{stem}-media{number}.{extension}" if dot else f"{name}-media{number}"


def _entry_size(name: str, size: int) -> int:
    return size + _ENTRY_OVERHEAD + 2 * len(name.encode("utf-8"))


class ZipPacker:
    """Adds files to a zip until the next one would take it over `limit`; then the zip is
    handed back finished and a new one begins. Photos and voice notes are already
    compressed: they are stored as they are."""

    def __init__(self, limit: int = MAX_ZIP_BYTES) -> None:
        self._limit = limit
        self._buffer = io.BytesIO()
        self._zip: zipfile.ZipFile | None = None  # opened by the first file: never left open
        self._size = _ZIP_END

    def add(self, name: str, content: bytes) -> bytes | None:
        """Adds the file; returns the previous zip, finished, if the file did not fit in it."""
        finished = None
        size = _entry_size(name, len(content))
        if self._zip is not None and self._size + size > self._limit:
            finished = self.finish()
        if self._zip is None:
            self._buffer = io.BytesIO()
            self._zip = zipfile.ZipFile(self._buffer, "w", zipfile.ZIP_STORED)
        self._zip.writestr(name, content)
        self._size += size
        return finished

    def finish(self) -> bytes | None:
        """The zip so far (None if empty); the next file begins a new one."""
        if self._zip is None:
            return None
        self._zip.close()
        self._zip, self._size = None, _ZIP_END
        return self._buffer.getvalue()


@dataclass
class MediaReport:
    zips: int = 0
    files: int = 0
    missing: list[str] = field(default_factory=list)  # names that could not be downloaded


async def send_media_zips(
    files: Iterable[MediaFile],
    download: Callable[[str], Awaitable[bytes]],
    send: Callable[[bytes, int], Awaitable[None]],
    limit: int = MAX_ZIP_BYTES,
) -> MediaReport:
    """Downloads each file and sends the zips as they fill (`send(content, number)`), so that
    no more than one zip is held in memory. A file that cannot be downloaded (too big, gone)
    is named in the report instead."""
    report = MediaReport()
    packer = ZipPacker(limit)
    for media in files:
        try:
            content = await download(media.file_id)
        except Exception as error:  # one file lost must not lose the others
            log.warning("media %s not downloaded: %s", media.name, error)
            report.missing.append(media.name)
            continue
        finished = packer.add(media.name, content)
        report.files += 1
        if finished is not None:
            report.zips += 1
            await send(finished, report.zips)
    last = packer.finish()
    if last is not None:
        report.zips += 1
        await send(last, report.zips)
    return report
