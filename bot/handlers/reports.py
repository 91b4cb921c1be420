"""/export and /stats (organizers): spreadsheets and a chart, sent as documents."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import BaseHandler

from bot.catalogue import Market
from bot.context import BotContext
from bot.handlers.audience import team
from bot.handlers.common import reply
from bot.i18n import Translator
from bot.questionnaire import FormContext
from bot.services import exports, media, stats
from bot.validation import parse_id
from bot.views.impact_report import stats_survey_text
from bot.views.media import export_media_hint
from storage.reports import ExportRow, ReportRepository


def market_and_phase(context: BotContext) -> tuple[Market, int | None] | None:
    """`[market] [phase]` arguments; the first market when none is named."""
    args = context.args or []
    catalogue = context.services.catalogue
    market = catalogue.market(args[0]) if args else catalogue.markets[0]
    if market is None:
        return None
    if len(args) >= 2:
        number = parse_id(args[1])
        if number is None or market.phase(number) is None:
            return None
        return market, number
    return market, None


async def export_command(update: Update, context: BotContext) -> None:
    """`/export [market] [phase]`: an .xlsx and a .csv with one row per application."""
    t, services = context.t, context.services
    chosen = market_and_phase(context)
    chat = update.effective_chat
    if chosen is None or chat is None:
        await reply(update, context, t.gettext("Exemple : /export ifrane 2"))
        return
    market, number = chosen
    phases = [p for p in market.phases if number is None or p.number == number]
    rows = await ReportRepository(services.db).applications_for_export([p.code for p in phases])
    columns = exports.export_columns(t, FormContext(services.catalogue, market, phases[0]))
    day = services.clock().astimezone(market.timezone).date()
    title = market.name.get(t.locale)
    # Building a large workbook takes seconds: keep the event loop serving other users.
    workbook, table = await asyncio.to_thread(exports.export_files, rows, columns, title, t.rtl)
    await context.bot.send_document(
        chat.id,
        workbook,
        filename=exports.export_filename(market.code, number, day, "xlsx"),
    )
    await context.bot.send_document(
        chat.id,
        table,
        filename=exports.export_filename(market.code, number, day, "csv"),
        caption=_export_caption(t, market, number, rows),
    )


def _export_caption(
    t: Translator, market: Market, number: int | None, rows: list[ExportRow]
) -> str:
    """The count, and where to get the photos and voice notes the export names, if any."""
    count = t.ngettext("%(count)s candidature", "%(count)s candidatures", len(rows))
    if not any(media.media_files(row) for row in rows):
        return count
    command = " ".join(["/media", market.code, *([str(number)] if number is not None else [])])
    return t.start_rtl(f"{count}\n{export_media_hint(t, command)}")


async def stats_command(update: Update, context: BotContext) -> None:
    """`/stats [market]`: counts per phase in words, and the same as a bar chart."""
    t, services = context.t, context.services
    chosen = market_and_phase(context)
    chat = update.effective_chat
    if chosen is None or chat is None:
        await reply(update, context, t.gettext("Exemple : /stats ifrane"))
        return
    market, _ = chosen
    reports = ReportRepository(services.db)
    figures = [
        await stats.phase_stats(reports, services.applications.repository, phase)
        for phase in market.phases
    ]
    text = stats.stats_text(t, market, figures, services.catalogue)
    survey = stats_survey_text(t, market, await services.impact.market_impact(market))
    await reply(update, context, f"{text}\n\n{survey}" if survey else text)
    chart = await asyncio.to_thread(stats.stats_chart_png, t, market, figures)
    await context.bot.send_photo(chat.id, chart)


EXPORTERS = team("export")


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        EXPORTERS.command("export", export_command),
        EXPORTERS.command("stats", stats_command),
    ]
