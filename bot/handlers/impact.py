"""The impact survey's answers (buttons, and the optional voice note at the end), and
/impact <market>, the funders' report (text, chart, spreadsheet)."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import BaseHandler

from bot.callbacks import ImpactMarket, SurveyAnswer
from bot.catalogue import Market
from bot.context import BotContext
from bot.handlers.audience import MEMBERS, team
from bot.handlers.common import answer_button, edit_pressed, refuse_button, reply, sender_id
from bot.services import exports
from bot.services.impact import CHOICES, next_step, valid
from bot.views import impact as view
from bot.views.impact_chart import impact_chart_png
from bot.views.impact_report import markets_keyboard, report_table, report_text
from bot.views.phases import phase_label
from storage.impact import VOICE


async def _phase_name(context: BotContext, phase_code: str) -> str | None:
    catalogue = context.services.catalogue
    phase = catalogue.phase(phase_code)
    market = catalogue.market(phase.market_code) if phase else None
    if phase is None or market is None:
        return None
    return phase_label(context.t, market, phase)


async def _next_screen(update: Update, context: BotContext, application_id: int, name: str) -> None:
    """The next unanswered question, or the thanks when the survey is finished."""
    answers = await context.services.impact.repository.answers(application_id)
    step = next_step(answers)
    t = context.t
    if step is None:
        await reply(update, context, view.thanks_text(t))
        return
    text, markup = view.survey_screen(t, name, application_id, step, CHOICES.get(step, ()))
    await reply(update, context, text, markup)


async def survey_answer(update: Update, context: BotContext, pressed: SurveyAnswer) -> None:
    """One answer: saved as given, the question's message keeps it in words, the next comes."""
    services = context.services
    application = await services.application_records.get(pressed.application_id)
    if (
        application is None
        or application.user_id != sender_id(update)
        or not valid(pressed.question, pressed.choice)
    ):
        await refuse_button(update, context)
        return
    name = await _phase_name(context, application.phase_code)
    if name is None:
        await refuse_button(update, context)
        return
    await services.impact.repository.answer(
        application.id, pressed.question, pressed.choice, services.clock()
    )
    await answer_button(update)
    await edit_pressed(
        update, None, view.answered_text(context.t, pressed.question, pressed.choice)
    )
    await _next_screen(update, context, application.id, name)


async def on_voice(update: Update, context: BotContext) -> bool:
    """A voice note while a survey waits for one (its last, optional step): kept as the
    survey's. False for anything else, which the other handlers then read."""
    message = update.message
    if message is None or message.voice is None:
        return False
    impact = context.services.impact
    for survey in await impact.repository.of_user(sender_id(update)):
        if next_step(survey.answers) == VOICE:
            await impact.repository.answer(
                survey.application_id, VOICE, message.voice.file_id, context.services.clock()
            )
            await reply(update, context, view.thanks_text(context.t))
            return True
    return False


async def impact_command(update: Update, context: BotContext) -> None:
    """`/impact <market>`; without one, a button per market."""
    t, catalogue = context.t, context.services.catalogue
    args = context.args or []
    market = catalogue.market(args[0]) if args else None
    if market is None:
        text = t.gettext("📈 Rapport d'impact : choisissez le marché.")
        await reply(update, context, t.start_rtl(text), markets_keyboard(t, catalogue.markets))
        return
    await _send_report(update, context, market)


async def impact_market(update: Update, context: BotContext, pressed: ImpactMarket) -> None:
    market = context.services.catalogue.market(pressed.market)
    if market is None:
        await refuse_button(update, context)
        return
    await answer_button(update)
    await _send_report(update, context, market)


async def _send_report(update: Update, context: BotContext, market: Market) -> None:
    t, services = context.t, context.services
    chat = update.effective_chat
    assert chat is not None
    figures = await services.impact.market_impact(market)
    await reply(update, context, report_text(t, market, figures, services.catalogue))
    # Drawing and zipping take a moment: keep the event loop serving other users.
    chart = await asyncio.to_thread(impact_chart_png, t, market, figures)
    await context.bot.send_photo(chat.id, chart)
    headers, rows = report_table(t, figures, services.catalogue)
    title = t.gettext("Impact %(market)s", market=market.short_name.get(t.locale))
    workbook = await asyncio.to_thread(exports.table_xlsx, headers, rows, title, t.rtl)
    day = services.clock().astimezone(market.timezone).date()
    await context.bot.send_document(
        chat.id,
        workbook,
        filename=f"impact-{exports.export_filename(market.code, None, day, 'xlsx')}",
    )


EXPORTERS = team("export")


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.route(SurveyAnswer, survey_answer),
        EXPORTERS.command("impact", impact_command),
        EXPORTERS.route(ImpactMarket, impact_market),
    ]
