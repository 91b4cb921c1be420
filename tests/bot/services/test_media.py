"""/media's zips: files named as the export names them, split under the upload limit."""

from __future__ import annotations

import io
import zipfile

from bot.services.media import (
    MAX_ZIP_BYTES,
    MediaFile,
    ZipPacker,
    media_files,
    send_media_zips,
    zip_filename,
)
from storage.reports import ExportRow


def export_row(reference: str = "IFR-1-0042", **answers: object) -> ExportRow:
    return ExportRow(
        id=42,
        reference=reference,
        phase_code="ifrane-1",
        status="submitted",
        user_id=7,
        submitted_at=None,
        updated_at="",
        answers=dict(answers),
    )


def test_files_named_by_reference_and_structure() -> None:
    row = export_row(
        structure_name="Coopérative Tifawin",
        photos=["p1", "p2"],
        products={"voice": "v1", "duration": 4},
    )
    assert media_files(row) == [  # in the form's order: products, then photos
        MediaFile("v1", "IFR-1-0042_Coopérative-Tifawin_vocal.ogg"),
        MediaFile("p1", "IFR-1-0042_Coopérative-Tifawin_photo1.jpg"),
        MediaFile("p2", "IFR-1-0042_Coopérative-Tifawin_photo2.jpg"),
    ]
    assert [file.file_id for file in media_files(row, only="photos")] == ["p1", "p2"]
    assert media_files(export_row(products="Tapis")) == []


def test_names_are_safe_in_any_file_system() -> None:
    row = export_row(structure_name='تعاونية "الأمل" / Sefrou: 2\u2066x\u2069', photos=["p"])
    (file,) = media_files(row)
    assert file.name == "IFR-1-0042_تعاونية-الأمل-Sefrou-2-x_photo1.jpg"
    assert not any(char in file.name for char in '/\\:"*?<>|\u2066\u2069 ')


def test_zips_split_under_the_limit_and_keep_every_file() -> None:
    packer = ZipPacker(limit=3_000)
    files = {f"f{number}.jpg": bytes([number]) * 900 for number in range(7)}
    zips = [packed for name, data in files.items() if (packed := packer.add(name, data))]
    last = packer.finish()
    assert last is not None
    zips.append(last)
    assert len(zips) >= 3
    assert all(len(packed) <= 3_000 for packed in zips)
    found: dict[str, bytes] = {}
    for packed in zips:
        with zipfile.ZipFile(io.BytesIO(packed)) as archive:
            assert archive.testzip() is None
            found |= {name: archive.read(name) for name in archive.namelist()}
    assert found == files
    assert packer.finish() is None  # nothing left over


def test_the_real_limit_is_under_telegrams_50_mb() -> None:
    assert MAX_ZIP_BYTES < 50 * 1000 * 1000


async def test_a_file_that_cannot_be_downloaded_is_reported_not_fatal() -> None:
    files = [MediaFile("ok-1", "a.jpg"), MediaFile("too-big", "b.jpg"), MediaFile("ok-2", "c.ogg")]
    sent: list[tuple[int, bytes]] = []

    async def download(file_id: str) -> bytes:
        if file_id == "too-big":
            raise RuntimeError("file is too big")
        return file_id.encode() * 500

    async def send(content: bytes, number: int) -> None:
        sent.append((number, content))

    report = await send_media_zips(files, download, send, limit=1_500)
    assert report.missing == ["b.jpg"]
    assert report.files == 2 and report.zips == 2 == len(sent)
    assert [number for number, _ in sent] == [1, 2]
    names = [zipfile.ZipFile(io.BytesIO(content)).namelist() for _, content in sent]
    assert names == [["a.jpg"], ["c.ogg"]]


def test_zip_file_names() -> None:
    assert zip_filename("ifrane-phase2-2026-11-23.zip", 3) == "ifrane-phase2-2026-11-23-media3.zip"
