"""A document a user sends can be downloaded by the bot (getFile, then
`{root}/file/bot{token}/{path}`), as on the cloud Bot API, up to its 20 MB limit
(https://core.telegram.org/bots/api#getfile)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot as PTBBot
from telegram.error import BadRequest

from localbotapi import FakeTelegram
from localbotapi.params import MAX_DOWNLOAD

TOKEN = "123456:TEST-TOKEN"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        yield server
    assert not server.internal_errors, server.internal_errors


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[PTBBot]:
    client = PTBBot(
        TOKEN, base_url=f"{fake.base_url}/bot", base_file_url=f"{fake.base_url}/file/bot"
    )
    async with client:
        yield client


async def test_a_document_sent_by_a_user_downloads_whole(bot: PTBBot, fake: FakeTelegram) -> None:
    content = 'name = { fr = "Marché", ar = "سوق" }\n'.encode()
    fake.user(1001).send_document("markets.toml", content=content)
    (update,) = await bot.get_updates()
    document = update.message.document if update.message else None
    assert document is not None and document.file_name == "markets.toml"
    assert document.file_size == len(content)
    file = await bot.get_file(document.file_id)
    assert file.file_path is not None and file.file_path.endswith(".toml")
    assert bytes(await file.download_as_bytearray()) == content


async def test_a_document_over_20_mb_cannot_be_downloaded(bot: PTBBot, fake: FakeTelegram) -> None:
    fake.user(1001).send_document("big.toml", content=b"#" * (MAX_DOWNLOAD + 1))
    (update,) = await bot.get_updates()
    document = update.message.document if update.message else None
    assert document is not None and document.file_size == MAX_DOWNLOAD + 1
    with pytest.raises(BadRequest, match="too big"):
        await bot.get_file(document.file_id)
    fake.user(1001).send_document("limit.toml", content=b"#" * MAX_DOWNLOAD)
    (at_limit,) = await bot.get_updates(offset=update.update_id + 1)
    document = at_limit.message.document if at_limit.message else None
    assert document is not None
    file = await bot.get_file(document.file_id)
    assert len(await file.download_as_bytearray()) == MAX_DOWNLOAD
