"""The baseline: the same application journey written the canonical python-telegram-bot way.

One `ConversationHandler`, one state per step, answers kept in `context.user_data` only (lost
on restart), French only, no database, no flood control; its sends go through PTB's own
`AIORateLimiter` (30 messages a second, as Telegram allows; `BASELINE_RATE_LIMITER=0` runs it
without, which no bot may do with Telegram). It asks the same 19
questions (same kinds: buttons, typed text, a voice note, the share-contact button, ticks then
Done, Skip, photos), with validation comparable in spirit, and shows the same keyboards with
the same callback-data shapes as our bot (`a:<id>:<question>:<choice>`, `t:…`, `d:…`, `s:…`,
`sub:<id>`), so that `bench/journey.py` walks both bots with one driver.

    BOT_TOKEN=… BOT_API_BASE_URL=… python -m bench.baseline_bot
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable
from typing import Any

from telegram import (
    InlineKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bench.baseline_form import (
    BY_KEY,
    CONSENT,
    END,
    LANGUAGE,
    MARKET,
    MENU,
    PHASE,
    PHASES,
    STATE,
    STEPS,
    SUMMARY,
    Context,
    Invalid,
    State,
    Step,
    _phone,
)
from bench.baseline_screens import (
    answer_query,
    answers_of,
    ask,
    inline_button,
    label_of,
    mark_answered,
    next_step,
    question_keyboard,
    save,
    send,
    shown_answer,
    user_id_of,
)


async def start(update: Update, context: Context) -> State:
    assert context.user_data is not None
    context.user_data.clear()
    rows = [[inline_button("Français", "lang:fr")], [inline_button("العربية", "lang:ar")]]
    await send(update, context, "Choisissez votre langue :\nاختر لغتك:", InlineKeyboardMarkup(rows))
    return LANGUAGE


async def language(update: Update, context: Context) -> State:
    await answer_query(update, "Langue choisie : français")
    user = update.effective_user
    rows = [
        [inline_button("📝 Candidater", "menu:apply")],
        [inline_button("📅 Marchés et programme", "menu:info")],
        [inline_button("📂 Ma candidature", "menu:status")],
        [inline_button("🌐 Langue", "menu:lang"), inline_button("❓ Aide", "menu:help")],
    ]
    name = user.first_name if user else ""
    await send(
        update, context, f"Bonjour {name} ! Que voulez-vous faire ?", InlineKeyboardMarkup(rows)
    )
    return MENU


async def menu(update: Update, context: Context) -> State:
    await answer_query(update)
    rows = [
        [inline_button("Marché itinérant d'Ifrane", "apply:ifrane")],
        [inline_button("Foire solidaire de Mohammedia", "apply:mohammedia")],
        [inline_button("🏠 Menu", "menu:home")],
    ]
    await send(
        update, context, "À quel marché voulez-vous participer ?", InlineKeyboardMarkup(rows)
    )
    return MARKET


async def market(update: Update, context: Context) -> State:
    assert update.callback_query is not None and update.callback_query.data is not None
    await answer_query(update)
    code = update.callback_query.data.split(":")[1]
    rows = [[inline_button(f"{label} · 70 places libres", f"ph:{p}")] for p, label in PHASES[code]]
    await send(update, context, "Choisissez la phase :", InlineKeyboardMarkup(rows))
    return PHASE


async def phase(update: Update, context: Context) -> State:
    assert update.callback_query is not None and update.callback_query.data is not None
    await answer_query(update)
    code = update.callback_query.data.split(":")[1]
    rows = [
        [inline_button("✅ J'accepte", f"cons:{code}:y")],
        [inline_button("❌ Je refuse", f"cons:{code}:n")],
    ]
    text = (
        "Avant de commencer, lisez ceci :\n• Vos réponses servent à choisir les exposants.\n"
        "• Seule l'équipe d'organisation les voit.\nAcceptez-vous ?"
    )
    await send(update, context, text, InlineKeyboardMarkup(rows))
    return CONSENT


async def consent(update: Update, context: Context) -> State:
    query = update.callback_query
    assert query is not None and query.data is not None and context.user_data is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    if query.data.endswith(":n"):
        await send(update, context, "D'accord. Aucune donnée n'est enregistrée.")
        return END
    context.user_data["phase"] = query.data.split(":")[1]
    context.user_data["answers"] = {}
    return await next_step(update, context)


def _step_of(update: Update) -> tuple[Step, list[str]] | None:
    query = update.callback_query
    parts = (query.data or "").split(":") if query else []
    if len(parts) < 3 or parts[1] != str(user_id_of(update)) or parts[2] not in BY_KEY:
        return None
    return BY_KEY[parts[2]], parts


async def choice(update: Update, context: Context) -> State | None:
    found = _step_of(update)
    if found is None or found[0].kind != "choice" or found[1][3] not in dict(found[0].choices):
        await answer_query(update, "Ce bouton n'est plus valable.")
        return None
    step, parts = found
    await save(update, context, step, parts[3])
    await answer_query(update)
    await mark_answered(update, context, step, label_of(step, parts[3]))
    return await next_step(update, context)


async def toggle(update: Update, context: Context) -> State | None:
    found = _step_of(update)
    if found is None or found[0].kind != "multi" or found[1][3] not in dict(found[0].choices):
        await answer_query(update, "Ce bouton n'est plus valable.")
        return None
    step, parts = found
    answers = answers_of(context)
    ticked: list[str] = answers.setdefault(f"_{step.key}", [])
    ticked.remove(parts[3]) if parts[3] in ticked else ticked.append(parts[3])
    await answer_query(update)
    assert update.callback_query is not None
    await update.callback_query.edit_message_reply_markup(question_keyboard(update, context, step))
    return None


async def done(update: Update, context: Context) -> State | None:
    found = _step_of(update)
    if found is None:
        await answer_query(update, "Ce bouton n'est plus valable.")
        return None
    step, _ = found
    value = list(answers_of(context).pop(f"_{step.key}", []))
    await save(update, context, step, value)
    await answer_query(update)
    await mark_answered(update, context, step, shown_answer(step, value))
    return await next_step(update, context)


async def skip(update: Update, context: Context) -> State | None:
    found = _step_of(update)
    if found is None or not found[0].optional:
        await answer_query(update, "Ce bouton n'est plus valable.")
        return None
    step, _ = found
    await save(update, context, step, None)
    await answer_query(update)
    await mark_answered(update, context, step, "Passé")
    return await next_step(update, context)


def typed(step: Step) -> Callable[[Update, Context], Any]:
    async def on_message(update: Update, context: Context) -> State | None:
        message = update.message
        assert message is not None
        value: Any
        if step.kind == "voice" and message.voice is not None:
            value = {"voice": message.voice.file_id, "duration": message.voice.duration}
        elif step.kind == "phone" and message.contact is not None:
            if message.contact.user_id != user_id_of(update):
                return await _hint(update, context, step, "Partagez votre propre numéro.")
            try:
                value = _phone("+" + message.contact.phone_number.lstrip("+"))
            except Invalid as error:
                return await _hint(update, context, step, str(error))
        elif step.kind == "photos" and message.photo:
            photos = [*answers_of(context).get("_photos", []), message.photo[-1].file_id]
            answers_of(context)["_photos"] = photos
            if len(photos) < 3:
                await ask(update, context, step)
                return None
            value = answers_of(context).pop("_photos")
        elif message.text is not None and step.parse is not None:
            try:
                value = step.parse(message.text)
            except Invalid as error:
                return await _hint(update, context, step, str(error))
            if step.key == "women_members" and value > answers_of(context).get("members", value):
                return await _hint(update, context, step, "Ce nombre dépasse les membres.")
        else:
            return await _hint(update, context, step, "Répondez avec les boutons ou du texte.")
        await save(update, context, step, value)
        if step.kind == "phone":
            await send(update, context, f"✅ Numéro enregistré : {value}", ReplyKeyboardRemove())
        return await next_step(update, context)

    return on_message


async def _hint(update: Update, context: Context, step: Step, text: str) -> State:
    await send(update, context, text)
    return await ask(update, context, step)


async def edit(update: Update, context: Context) -> State:
    found = _step_of(update)
    if found is None:
        await answer_query(update, "Ce bouton n'est plus valable.")
        return SUMMARY
    assert context.user_data is not None
    context.user_data["editing"] = found[0].key
    await answer_query(update)
    return await ask(update, context, found[0])


async def submit(update: Update, context: Context) -> State:
    query = update.callback_query
    assert query is not None and context.user_data is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    sequence = context.bot_data["sequence"] = context.bot_data.get("sequence", 0) + 1
    reference = f"IFR-{context.user_data.get('phase', 'x-1').rsplit('-', 1)[1]}-{sequence:04d}"
    context.user_data["reference"] = reference
    text = (
        f"✅ Candidature envoyée ! Référence : {reference}\n"
        "Les organisateurs vont l'examiner. Vous recevrez leur réponse ici."
    )
    await send(update, context, text)
    return END


async def cancel(update: Update, context: Context) -> State:
    assert context.user_data is not None
    context.user_data.clear()
    await answer_query(update)
    await send(update, context, "La candidature est effacée.")
    return END


async def stale(update: Update, context: Context) -> None:
    await answer_query(update, "Ce bouton n'est plus valable.")


def _question_handlers(step: Step) -> list[Any]:
    handlers: list[Any] = []
    if step.kind == "choice":
        handlers.append(CallbackQueryHandler(choice, pattern=r"^a:"))
    elif step.kind == "multi":
        handlers += [
            CallbackQueryHandler(toggle, pattern=r"^t:"),
            CallbackQueryHandler(done, pattern=r"^d:"),
        ]
    elif step.kind == "photos":
        handlers += [
            MessageHandler(filters.PHOTO, typed(step)),
            CallbackQueryHandler(done, pattern=r"^d:"),
        ]
    else:
        media = {"voice": filters.VOICE, "phone": filters.CONTACT}.get(step.kind)
        accepted = filters.TEXT & ~filters.COMMAND
        handlers.append(MessageHandler(accepted | media if media else accepted, typed(step)))
    if step.optional:
        handlers.append(CallbackQueryHandler(skip, pattern=r"^s:"))
    handlers.append(MessageHandler(~filters.COMMAND, typed(step)))  # anything else: a hint
    return handlers


def build(token: str, root: str, rate_limited: bool = True) -> Application:  # type: ignore[type-arg]
    warnings.filterwarnings("ignore", category=PTBUserWarning)  # per_message=False is intended
    states: dict[object, list[Any]] = {
        LANGUAGE: [CallbackQueryHandler(language, pattern=r"^lang:")],
        MENU: [CallbackQueryHandler(menu, pattern=r"^menu:apply$")],
        MARKET: [CallbackQueryHandler(market, pattern=r"^apply:")],
        PHASE: [CallbackQueryHandler(phase, pattern=r"^ph:")],
        CONSENT: [CallbackQueryHandler(consent, pattern=r"^cons:")],
        SUMMARY: [
            CallbackQueryHandler(edit, pattern=r"^e:"),
            CallbackQueryHandler(submit, pattern=r"^sub:"),
            CallbackQueryHandler(cancel, pattern=r"^can:"),
        ],
    }
    for step in STEPS:
        states[STATE[step.key]] = _question_handlers(step)
    conversation = ConversationHandler(
        entry_points=[CommandHandler("start", start)],
        states=states,
        fallbacks=[CommandHandler("start", start), CommandHandler("cancel", cancel)],
        allow_reentry=True,
    )
    builder = Application.builder().token(token)
    builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    if rate_limited:
        # PTB's own answer to Telegram's 30 messages a second (the `rate-limiter` extra).
        limiter = AIORateLimiter(overall_max_rate=30, overall_time_period=1)
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]
    application = builder.build()
    application.add_handler(conversation)
    application.add_handler(CallbackQueryHandler(stale))
    return application


def main() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    root = os.environ.get("BOT_API_BASE_URL", "https://api.telegram.org").rstrip("/")
    rate_limited = os.environ.get("BASELINE_RATE_LIMITER", "1") != "0"
    application = build(os.environ["BOT_TOKEN"], root, rate_limited)
    profile_path = os.environ.get("SOUK_PROFILE", "").strip()  # as `python -m bot` does
    if not profile_path:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
        return
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    finally:
        profiler.disable()
        profiler.dump_stats(profile_path)


if __name__ == "__main__":
    main()
