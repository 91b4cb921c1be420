"""Voice prompts: organizers record questions with /voice; members hear them with 🔊, or each
question as it comes (/settings)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler

from bot.callbacks import HearQuestions, PlayPrompt, VoiceLanguage, VoicePick, VoiceRemove
from bot.context import BotContext
from bot.handlers.access import may
from bot.handlers.audience import MEMBERS, team
from bot.handlers.common import (
    answer_button,
    edit_pressed,
    reply,
    send_prompt,
    sender_id,
    voice_seconds,
)
from bot.handlers.fallback import stale_button
from bot.handlers.questionnaire import informs
from bot.services.voice import MAX_PROMPT_SECONDS
from bot.views import voice as view

# Recordings are part of the form, like the catalogue: its editors record them.
PERMISSION = "catalogue"
RECORDERS = team(PERMISSION)


def _language(context: BotContext, locale: str) -> str:
    return context.t.language_name(locale)


async def voice_command(update: Update, context: BotContext) -> None:
    i18n = context.services.i18n
    names = [(code, i18n.native_name(code)) for code in i18n.locales]
    await reply(update, context, view.languages_text(context.t), view.languages_keyboard(names))


async def language_button(update: Update, context: BotContext, pressed: VoiceLanguage) -> None:
    if pressed.locale not in context.services.i18n.locales:
        await stale_button(update, context)
        return
    await answer_button(update)
    recorded = await context.services.voice.recorded(pressed.locale)
    t = context.t
    text = view.prompts_text(t, _language(context, pressed.locale), len(recorded))
    await reply(update, context, text, view.prompts_keyboard(t, pressed.locale, recorded))


async def pick_button(update: Update, context: BotContext, pressed: VoicePick) -> None:
    voice = context.services.voice
    if pressed.locale not in context.services.i18n.locales or not await voice.choose(
        sender_id(update), pressed.locale, pressed.prompt
    ):
        await stale_button(update, context)
        return
    await answer_button(update)
    exists = await voice.prompt(pressed.locale, pressed.prompt) is not None
    t, language = context.t, _language(context, pressed.locale)
    await reply(
        update,
        context,
        view.record_text(t, pressed.prompt, language, exists),
        view.record_keyboard(t, pressed.locale, pressed.prompt, exists),
    )


async def remove_button(update: Update, context: BotContext, pressed: VoiceRemove) -> None:
    voice = context.services.voice
    if not await voice.remove(pressed.locale, pressed.prompt):
        await answer_button(update, view.not_recorded_text(context.t))
        return
    await answer_button(update)
    await voice.cancel(sender_id(update))
    await edit_pressed(update)
    t = context.t
    text = view.removed_text(t, pressed.prompt, _language(context, pressed.locale))
    await reply(update, context, text, view.back_keyboard(t, pressed.locale))


async def recorded_voice(update: Update, context: BotContext) -> None:
    """An organizer's voice note after choosing a prompt in /voice: the recording. Anything
    else goes on to the other handlers."""
    message = update.message
    if message is None or message.voice is None or context.role is None:
        return
    voice, user_id = context.services.voice, sender_id(update)
    recording = await voice.chosen(user_id)
    if recording is None or not await may(context, user_id, PERMISSION):
        return
    t = context.t
    seconds = voice_seconds(message.voice)
    if seconds > MAX_PROMPT_SECONDS:
        await reply(update, context, view.too_long_text(t, MAX_PROMPT_SECONDS))
        raise ApplicationHandlerStop
    saved = await voice.record(user_id, recording, message.voice.file_id, seconds)
    language = _language(context, recording.locale)
    text = view.saved_text(t, recording.prompt, language, saved.replaced)
    await reply(update, context, text, view.back_keyboard(t, recording.locale))
    raise ApplicationHandlerStop


async def play_button(update: Update, context: BotContext, pressed: PlayPrompt) -> None:
    locale = pressed.locale or context.t.locale
    prompt = await context.services.voice.prompt(locale, pressed.prompt)
    if prompt is None:
        await answer_button(update, view.not_recorded_text(context.t))
        return
    await answer_button(update)
    await send_prompt(update, context, prompt.file_id)


async def settings_command(update: Update, context: BotContext) -> None:
    t, hears = context.t, context.hear_questions
    await reply(update, context, view.settings_text(t, hears), view.settings_keyboard(t, hears))


async def hear_button(update: Update, context: BotContext, pressed: HearQuestions) -> None:
    await answer_button(update)
    await context.services.voice.set_hear_questions(sender_id(update), pressed.on)
    t = context.t
    await edit_pressed(
        update, view.settings_keyboard(t, pressed.on), view.settings_text(t, pressed.on)
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.command("settings", informs(settings_command)),
        MEMBERS.route(PlayPrompt, play_button),
        MEMBERS.route(HearQuestions, hear_button),
        RECORDERS.command("voice", voice_command),
        RECORDERS.route(VoiceLanguage, language_button),
        RECORDERS.route(VoicePick, pick_button),
        RECORDERS.route(VoiceRemove, remove_button),
    ]
