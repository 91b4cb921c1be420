"""/media (organizers): a phase's photos and voice notes as zip files, in the background."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler

from bot.context import BotContext
from bot.handlers.common import reply
from bot.handlers.reports import EXPORTERS, market_and_phase
from bot.services import exports, media
from bot.views import media as views
from storage.reports import ReportRepository

log = logging.getLogger(__name__)

# A zip of nearly 50 MB takes minutes on a slow uplink: the default timeouts would cut it.
UPLOAD_TIMEOUT = 600.0
DOWNLOAD_TIMEOUT = 120.0


async def media_command(update: Update, context: BotContext) -> None:
    """`/media [market] [phase]`: downloading and zipping takes a while, so it runs as a
    background task; each zip is sent as soon as it is full."""
    t, services = context.t, context.services
    chosen = market_and_phase(context)
    if chosen is None:
        await reply(update, context, views.usage_text(t))
        return
    market, number = chosen
    phases = [p.code for p in market.phases if number is None or p.number == number]
    rows = await ReportRepository(services.db).applications_for_export(phases)
    files = [file for row in rows for file in media.media_files(row)]
    if not files:
        await reply(update, context, views.nothing_text(t))
        return
    await reply(update, context, views.preparing_text(t, len(files)))
    day = services.clock().astimezone(market.timezone).date()
    name = exports.export_filename(market.code, number, day, "zip")
    context.application.create_task(
        _send_zips(update, context, files, name), update=update, name="media zips"
    )


async def _send_zips(
    update: Update, context: BotContext, files: list[media.MediaFile], name: str
) -> None:
    chat = update.effective_chat
    assert chat is not None
    t = context.t

    async def download(file_id: str) -> bytes:
        file = await context.bot.get_file(file_id, read_timeout=DOWNLOAD_TIMEOUT)
        return bytes(await file.download_as_bytearray(read_timeout=DOWNLOAD_TIMEOUT))

    async def send(content: bytes, number: int) -> None:
        await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_DOCUMENT)
        await context.bot.send_document(
            chat.id,
            content,
            filename=media.zip_filename(name, number),
            caption=views.zip_caption(t, number),
            write_timeout=UPLOAD_TIMEOUT,
            read_timeout=UPLOAD_TIMEOUT,
        )

    report = await media.send_media_zips(files, download, send)
    log.info(
        "media: %d files in %d zips, %d missing", report.files, report.zips, len(report.missing)
    )
    await reply(update, context, views.done_text(t, report))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [EXPORTERS.command("media", media_command)]
