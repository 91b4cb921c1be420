"""The fake keeps Telegram's file limits for bots: 20 MB to download, 50 MB to upload
(https://core.telegram.org/bots/api#getfile, https://core.telegram.org/bots/api#senddocument)."""

from __future__ import annotations

import pytest
from telegram import Bot as PTBBot
from telegram.error import BadRequest, NetworkError

from localbotapi import FakeTelegram, FakeUser
from localbotapi.params import MAX_DOWNLOAD, MAX_UPLOAD


async def test_a_file_over_20_mb_cannot_be_downloaded(bot: PTBBot, fatima: FakeUser) -> None:
    fatima.send_voice(content=b"OggS" + b"\x00" * MAX_DOWNLOAD)
    fatima.send_voice(content=b"OggS" + b"\x00" * 100)
    big, small = [update.message.voice for update in await bot.get_updates() if update.message]
    assert big is not None and small is not None
    with pytest.raises(BadRequest, match=r"(?i)file is too big"):
        await bot.get_file(big.file_id)
    file = await bot.get_file(small.file_id)
    assert len(await file.download_as_bytearray()) == 104


async def test_an_upload_over_50_mb_is_refused(
    fake: FakeTelegram, bot: PTBBot, fatima: FakeUser
) -> None:
    with pytest.raises(NetworkError, match="Request Entity Too Large"):
        await bot.send_document(
            fatima.chat_id, b"\x00" * (MAX_UPLOAD + 1), filename="big.zip", write_timeout=60
        )
    sent = await bot.send_document(fatima.chat_id, b"\x00" * 1000, filename="small.zip")
    assert sent.document is not None
