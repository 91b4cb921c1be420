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
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import phonenumbers
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

Context = ContextTypes.DEFAULT_TYPE
State = str | int  # a step name, or ConversationHandler.END
END = ConversationHandler.END
Answers = dict[str, Any]

LANGUAGE, MENU, MARKET, PHASE, CONSENT, SUMMARY = (
    "language",
    "menu",
    "market",
    "phase",
    "consent",
    "summary",
)


class Invalid(ValueError):
    pass


def _text(minimum: int, maximum: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = " ".join(text.split())
        if not minimum <= len(value) <= maximum or not any(c.isalpha() for c in value):
            raise Invalid(f"Écrivez entre {minimum} et {maximum} caractères.")
        return value

    return parse


def _count(text: str) -> int:
    try:
        value = int(text.replace(" ", ""))  # int() reads Arabic-Indic digits too
    except ValueError:
        raise Invalid("Écrivez un nombre, par exemple 12.") from None
    if not 0 <= value <= 100_000:
        raise Invalid("Écrivez un nombre entre 0 et 100 000.")
    return value


def _register(text: str) -> str:
    value = text.strip().upper()
    if not re.fullmatch(r"[0-9A-Z][0-9A-Z/ -]{0,29}", value) or not re.search(r"\d", value):
        raise Invalid("Écrivez le numéro, par exemple 1234/2019.")
    return value


def _phone(text: str) -> str:
    try:
        number = phonenumbers.parse(text, "MA")
    except phonenumbers.NumberParseException:
        raise Invalid("Ce numéro n'est pas valable. Exemple : 0612345678.") from None
    if not phonenumbers.is_valid_number(number):
        raise Invalid("Ce numéro n'est pas valable. Exemple : 0612345678.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True)
class Step:
    key: str
    kind: str  # choice, text, voice, count, phone, multi, photos
    prompt: str
    label: str
    choices: tuple[tuple[str, str], ...] = ()
    parse: Callable[[str], Any] | None = None
    only_if: Callable[[Answers], bool] = lambda answers: True
    optional: bool = False


def _legal(form: str) -> Callable[[Answers], bool]:
    return lambda answers: answers.get("legal_form") == form


PROVINCES = (
    ("fes", "Fès"),
    ("meknes", "Meknès"),
    ("el_hajeb", "El Hajeb"),
    ("ifrane", "Ifrane"),
    ("sefrou", "Sefrou"),
    ("boulemane", "Boulemane"),
    ("moulay_yacoub", "Moulay Yacoub"),
    ("taza", "Taza"),
    ("taounate", "Taounate"),
    ("mohammedia", "Mohammedia"),
    ("casablanca", "Casablanca"),
    ("other", "Autre province"),
)
STEPS = (
    Step(
        "legal_form",
        "choice",
        "Quelle est la forme de votre structure ?",
        "Forme",
        (
            ("cooperative", "Coopérative"),
            ("association", "Association"),
            ("auto_entrepreneur", "Auto-entrepreneur"),
            ("tpe", "Très petite entreprise"),
            ("microcredit", "Client d'une association de microcrédit"),
        ),
    ),
    Step(
        "structure_name", "text", "Quel est le nom de votre structure ?", "Nom", parse=_text(2, 100)
    ),
    Step(
        "coop_register",
        "text",
        "Numéro d'inscription au registre des coopératives ? (Passer si vous ne l'avez pas)",
        "N° registre",
        parse=_register,
        only_if=_legal("cooperative"),
        optional=True,
    ),
    Step(
        "ice",
        "text",
        "Votre numéro ICE (15 chiffres) ? (Passer si vous ne l'avez pas)",
        "ICE",
        parse=_register,
        only_if=_legal("tpe"),
        optional=True,
    ),
    Step(
        "rnae",
        "text",
        "Votre numéro d'auto-entrepreneur (RNAE) ? (Passer si vous ne l'avez pas)",
        "N° RNAE",
        parse=_register,
        only_if=_legal("auto_entrepreneur"),
        optional=True,
    ),
    Step(
        "microcredit_association",
        "text",
        "Le nom de votre association de microcrédit ?",
        "Association de microcrédit",
        parse=_text(2, 100),
        only_if=_legal("microcredit"),
    ),
    Step("province", "choice", "Dans quelle province êtes-vous ?", "Province", PROVINCES),
    Step("town", "text", "Dans quelle ville ou commune ?", "Ville", parse=_text(2, 80)),
    Step(
        "sector",
        "choice",
        "Quel est votre secteur ?",
        "Secteur",
        (
            ("crafts", "Artisanat"),
            ("beauty", "Cosmétique"),
            ("agrifood", "Agroalimentaire"),
            ("services", "Services"),
            ("other", "Autre"),
        ),
    ),
    Step(
        "products",
        "voice",
        "Quels produits allez-vous exposer ? Écrivez, ou envoyez un message vocal.",
        "Produits",
        parse=_text(3, 500),
    ),
    Step(
        "members",
        "count",
        "Combien de membres compte votre structure ? (un nombre)",
        "Membres",
        parse=_count,
    ),
    Step(
        "women_members",
        "count",
        "Combien de femmes parmi les membres ? (un nombre)",
        "Femmes",
        parse=_count,
    ),
    Step(
        "led_by",
        "choice",
        "Est-ce une structure de femmes ou de jeunes ?",
        "Femmes / jeunes",
        (
            ("women", "Structure de femmes"),
            ("youth", "Structure de jeunes"),
            ("women_youth", "Femmes et jeunes"),
            ("none", "Ni l'un ni l'autre"),
        ),
    ),
    Step(
        "contact_name",
        "text",
        "Nom et prénom de la personne à contacter ?",
        "Contact",
        parse=_text(2, 80),
    ),
    Step(
        "phone",
        "phone",
        "Votre numéro de téléphone ? Touchez « Partager mon numéro » ou écrivez-le.",
        "Téléphone",
        parse=_phone,
    ),
    Step(
        "stand_needs",
        "multi",
        "De quoi avez-vous besoin au stand ? Cochez, puis « Terminé ».",
        "Besoins au stand",
        (
            ("electricity", "Électricité"),
            ("table", "Table"),
            ("chairs", "Chaises"),
            ("water", "Eau"),
            ("shade", "Ombre"),
            ("storage", "Rangement"),
        ),
    ),
    Step(
        "trainings",
        "multi",
        "Quelles formations voulez-vous suivre ? Cochez, puis « Terminé ».",
        "Formations",
        (
            ("admin", "Administration"),
            ("finance", "Finance"),
            ("marketing", "Marketing"),
        ),
    ),
    Step(
        "programmes",
        "multi",
        "Avez-vous déjà bénéficié d'un de ces programmes ? Cochez, puis « Terminé ».",
        "Programmes",
        (
            ("tamkine", "Tamkine"),
            ("mouazara", "Mouazara"),
            ("indh", "INDH"),
            ("intelaka", "Intelaka"),
            ("microcredit", "Microcrédit"),
        ),
    ),
    Step(
        "photos",
        "photos",
        "Envoyez jusqu'à 3 photos de vos produits, ou touchez « Passer ».",
        "Photos",
        optional=True,
    ),
)
BY_KEY = {step.key: step for step in STEPS}
STATE = {step.key: f"q:{step.key}" for step in STEPS}  # one conversation state per question
PHASES = {
    "ifrane": (("ifrane-1", "Phase 1 · 3 mai"), ("ifrane-2", "Phase 2 · 7 juin")),
    "mohammedia": (("mohammedia-1", "Phase 1 · 4 oct."),),
}


def _answers(context: Context) -> Answers:
    assert context.user_data is not None
    answers: Answers = context.user_data.setdefault("answers", {})
    return answers


def _uid(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _label(step: Step, code: str) -> str:
    return dict(step.choices).get(code, code)


def _shown(step: Step, value: Any) -> str:
    if value is None or value == []:
        return "—"
    if step.kind == "choice":
        return _label(step, value)
    if step.kind == "multi":
        return ", ".join(_label(step, code) for code in value)
    if step.kind == "photos":
        return f"{len(value)} photo(s)"
    if isinstance(value, dict):
        return f"🎤 message vocal ({value['duration']} s)"
    return str(value)


async def _send(update: Update, context: Context, text: str, markup: Any = None) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def _answer_query(update: Update, text: str | None = None) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text)


def _question_keyboard(update: Update, context: Context, step: Step) -> Any:
    uid, answers = _uid(update), _answers(context)
    if step.kind == "phone":
        share = KeyboardButton("📱 Partager mon numéro", request_contact=True)
        return ReplyKeyboardMarkup([[share]], resize_keyboard=True, one_time_keyboard=True)
    rows: list[list[InlineKeyboardButton]] = []
    if step.kind == "choice":
        rows = [[_button(label, f"a:{uid}:{step.key}:{code}")] for code, label in step.choices]
    elif step.kind == "multi":
        ticked = set(answers.get(f"_{step.key}", []))
        rows = [
            [_button(("✅ " if code in ticked else "▫️ ") + label, f"t:{uid}:{step.key}:{code}")]
            for code, label in step.choices
        ]
        rows.append([_button("✔️ Terminé", f"d:{uid}:{step.key}")])
    elif step.kind == "photos" and answers.get("_photos"):
        rows.append([_button("✔️ Terminé", f"d:{uid}:{step.key}")])
    if step.optional:
        rows.append([_button("⏭️ Passer", f"s:{uid}:{step.key}")])
    return InlineKeyboardMarkup(rows) if rows else None


def _applicable(answers: Answers) -> list[Step]:
    return [step for step in STEPS if step.only_if(answers)]


def _question_text(context: Context, step: Step) -> str:
    steps = _applicable(_answers(context))
    position = next((i for i, s in enumerate(steps) if s.key == step.key), 0) + 1
    return f"Question {position} sur {len(steps)}\n{step.prompt}"


async def _ask(update: Update, context: Context, step: Step) -> State:
    await _send(
        update, context, _question_text(context, step), _question_keyboard(update, context, step)
    )
    return STATE[step.key]


async def _next(update: Update, context: Context) -> State:
    """The first applicable question without an answer, or the summary."""
    answers = _answers(context)
    assert context.user_data is not None
    if context.user_data.pop("editing", None) is None:
        for step in _applicable(answers):
            if step.key not in answers:
                return await _ask(update, context, step)
    return await _summary(update, context)


async def _summary(update: Update, context: Context) -> State:
    answers, uid = _answers(context), _uid(update)
    lines = ["Votre candidature :", "Marché d'Ifrane, phase 1", ""]
    lines += [f"{s.label} : {_shown(s, answers.get(s.key))}" for s in _applicable(answers)]
    lines += ["", "Vérifiez, puis envoyez."]
    edits = [_button(f"✏️ {s.label}", f"e:{uid}:{s.key}") for s in _applicable(answers)]
    rows = [edits[i : i + 2] for i in range(0, len(edits), 2)]
    rows.append([_button("📨 Envoyer ma candidature", f"sub:{uid}")])
    rows.append([_button("🗑️ Annuler la candidature", f"can:{uid}")])
    await _send(update, context, "\n".join(lines), InlineKeyboardMarkup(rows))
    return SUMMARY


async def _save(update: Update, context: Context, step: Step, value: Any) -> None:
    answers = _answers(context)
    answers[step.key] = value
    for other in STEPS:  # answers that no longer apply (another legal form)
        if other.key in answers and not other.only_if(answers):
            del answers[other.key]


async def _mark_answered(update: Update, context: Context, step: Step, shown: str) -> None:
    query = update.callback_query
    if query is not None and query.message is not None:
        await query.edit_message_text(f"{_question_text(context, step)}\n✅ {shown}")


async def start(update: Update, context: Context) -> State:
    assert context.user_data is not None
    context.user_data.clear()
    rows = [[_button("Français", "lang:fr")], [_button("العربية", "lang:ar")]]
    await _send(
        update, context, "Choisissez votre langue :\nاختر لغتك:", InlineKeyboardMarkup(rows)
    )
    return LANGUAGE


async def language(update: Update, context: Context) -> State:
    await _answer_query(update, "Langue choisie : français")
    user = update.effective_user
    rows = [
        [_button("📝 Candidater", "menu:apply")],
        [_button("📅 Marchés et programme", "menu:info")],
        [_button("📂 Ma candidature", "menu:status")],
        [_button("🌐 Langue", "menu:lang"), _button("❓ Aide", "menu:help")],
    ]
    name = user.first_name if user else ""
    await _send(
        update, context, f"Bonjour {name} ! Que voulez-vous faire ?", InlineKeyboardMarkup(rows)
    )
    return MENU


async def menu(update: Update, context: Context) -> State:
    await _answer_query(update)
    rows = [
        [_button("Marché itinérant d'Ifrane", "apply:ifrane")],
        [_button("Foire solidaire de Mohammedia", "apply:mohammedia")],
        [_button("🏠 Menu", "menu:home")],
    ]
    await _send(
        update, context, "À quel marché voulez-vous participer ?", InlineKeyboardMarkup(rows)
    )
    return MARKET


async def market(update: Update, context: Context) -> State:
    assert update.callback_query is not None and update.callback_query.data is not None
    await _answer_query(update)
    code = update.callback_query.data.split(":")[1]
    rows = [[_button(f"{label} · 70 places libres", f"ph:{p}")] for p, label in PHASES[code]]
    await _send(update, context, "Choisissez la phase :", InlineKeyboardMarkup(rows))
    return PHASE


async def phase(update: Update, context: Context) -> State:
    assert update.callback_query is not None and update.callback_query.data is not None
    await _answer_query(update)
    code = update.callback_query.data.split(":")[1]
    rows = [
        [_button("✅ J'accepte", f"cons:{code}:y")],
        [_button("❌ Je refuse", f"cons:{code}:n")],
    ]
    text = (
        "Avant de commencer, lisez ceci :\n• Vos réponses servent à choisir les exposants.\n"
        "• Seule l'équipe d'organisation les voit.\nAcceptez-vous ?"
    )
    await _send(update, context, text, InlineKeyboardMarkup(rows))
    return CONSENT


async def consent(update: Update, context: Context) -> State:
    query = update.callback_query
    assert query is not None and query.data is not None and context.user_data is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    if query.data.endswith(":n"):
        await _send(update, context, "D'accord. Aucune donnée n'est enregistrée.")
        return END
    context.user_data["phase"] = query.data.split(":")[1]
    context.user_data["answers"] = {}
    return await _next(update, context)


def _step_of(update: Update) -> tuple[Step, list[str]] | None:
    query = update.callback_query
    parts = (query.data or "").split(":") if query else []
    if len(parts) < 3 or parts[1] != str(_uid(update)) or parts[2] not in BY_KEY:
        return None
    return BY_KEY[parts[2]], parts


async def choice(update: Update, context: Context) -> State | None:
    found = _step_of(update)
    if found is None or found[0].kind != "choice" or found[1][3] not in dict(found[0].choices):
        await _answer_query(update, "Ce bouton n'est plus valable.")
        return None
    step, parts = found
    await _save(update, context, step, parts[3])
    await _answer_query(update)
    await _mark_answered(update, context, step, _label(step, parts[3]))
    return await _next(update, context)


async def toggle(update: Update, context: Context) -> State | None:
    found = _step_of(update)
    if found is None or found[0].kind != "multi" or found[1][3] not in dict(found[0].choices):
        await _answer_query(update, "Ce bouton n'est plus valable.")
        return None
    step, parts = found
    answers = _answers(context)
    ticked: list[str] = answers.setdefault(f"_{step.key}", [])
    ticked.remove(parts[3]) if parts[3] in ticked else ticked.append(parts[3])
    await _answer_query(update)
    assert update.callback_query is not None
    await update.callback_query.edit_message_reply_markup(_question_keyboard(update, context, step))
    return None


async def done(update: Update, context: Context) -> State | None:
    found = _step_of(update)
    if found is None:
        await _answer_query(update, "Ce bouton n'est plus valable.")
        return None
    step, _ = found
    value = list(_answers(context).pop(f"_{step.key}", []))
    await _save(update, context, step, value)
    await _answer_query(update)
    await _mark_answered(update, context, step, _shown(step, value))
    return await _next(update, context)


async def skip(update: Update, context: Context) -> State | None:
    found = _step_of(update)
    if found is None or not found[0].optional:
        await _answer_query(update, "Ce bouton n'est plus valable.")
        return None
    step, _ = found
    await _save(update, context, step, None)
    await _answer_query(update)
    await _mark_answered(update, context, step, "Passé")
    return await _next(update, context)


def typed(step: Step) -> Callable[[Update, Context], Any]:
    async def on_message(update: Update, context: Context) -> State | None:
        message = update.message
        assert message is not None
        value: Any
        if step.kind == "voice" and message.voice is not None:
            value = {"voice": message.voice.file_id, "duration": message.voice.duration}
        elif step.kind == "phone" and message.contact is not None:
            if message.contact.user_id != _uid(update):
                return await _hint(update, context, step, "Partagez votre propre numéro.")
            try:
                value = _phone("+" + message.contact.phone_number.lstrip("+"))
            except Invalid as error:
                return await _hint(update, context, step, str(error))
        elif step.kind == "photos" and message.photo:
            photos = [*_answers(context).get("_photos", []), message.photo[-1].file_id]
            _answers(context)["_photos"] = photos
            if len(photos) < 3:
                await _ask(update, context, step)
                return None
            value = _answers(context).pop("_photos")
        elif message.text is not None and step.parse is not None:
            try:
                value = step.parse(message.text)
            except Invalid as error:
                return await _hint(update, context, step, str(error))
            if step.key == "women_members" and value > _answers(context).get("members", value):
                return await _hint(update, context, step, "Ce nombre dépasse les membres.")
        else:
            return await _hint(update, context, step, "Répondez avec les boutons ou du texte.")
        await _save(update, context, step, value)
        if step.kind == "phone":
            await _send(update, context, f"✅ Numéro enregistré : {value}", ReplyKeyboardRemove())
        return await _next(update, context)

    return on_message


async def _hint(update: Update, context: Context, step: Step, text: str) -> State:
    await _send(update, context, text)
    return await _ask(update, context, step)


async def edit(update: Update, context: Context) -> State:
    found = _step_of(update)
    if found is None:
        await _answer_query(update, "Ce bouton n'est plus valable.")
        return SUMMARY
    assert context.user_data is not None
    context.user_data["editing"] = found[0].key
    await _answer_query(update)
    return await _ask(update, context, found[0])


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
    await _send(update, context, text)
    return END


async def cancel(update: Update, context: Context) -> State:
    assert context.user_data is not None
    context.user_data.clear()
    await _answer_query(update)
    await _send(update, context, "La candidature est effacée.")
    return END


async def stale(update: Update, context: Context) -> None:
    await _answer_query(update, "Ce bouton n'est plus valable.")


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
