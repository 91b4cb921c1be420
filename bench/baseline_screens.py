"""The baseline's screens: questions with their keyboards, the summary, and where the
conversation goes next (answers in `context.user_data` only). Part of `bench/baseline_bot.py`."""

from __future__ import annotations

from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)

from bench.baseline_form import STATE, STEPS, SUMMARY, Answers, Context, State, Step


def answers_of(context: Context) -> Answers:
    assert context.user_data is not None
    answers: Answers = context.user_data.setdefault("answers", {})
    return answers


def user_id_of(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def inline_button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def label_of(step: Step, code: str) -> str:
    return dict(step.choices).get(code, code)


def shown_answer(step: Step, value: Any) -> str:
    if value is None or value == []:
        return "—"
    if step.kind == "choice":
        return label_of(step, value)
    if step.kind == "multi":
        return ", ".join(label_of(step, code) for code in value)
    if step.kind == "photos":
        return f"{len(value)} photo(s)"
    if isinstance(value, dict):
        return f"🎤 message vocal ({value['duration']} s)"
    return str(value)


async def send(update: Update, context: Context, text: str, markup: Any = None) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def answer_query(update: Update, text: str | None = None) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text)


def question_keyboard(update: Update, context: Context, step: Step) -> Any:
    uid, answers = user_id_of(update), answers_of(context)
    if step.kind == "phone":
        share = KeyboardButton("📱 Partager mon numéro", request_contact=True)
        return ReplyKeyboardMarkup([[share]], resize_keyboard=True, one_time_keyboard=True)
    rows: list[list[InlineKeyboardButton]] = []
    if step.kind == "choice":
        rows = [
            [inline_button(label, f"a:{uid}:{step.key}:{code}")] for code, label in step.choices
        ]
    elif step.kind == "multi":
        ticked = set(answers.get(f"_{step.key}", []))
        rows = [
            [
                inline_button(
                    ("✅ " if code in ticked else "▫️ ") + label, f"t:{uid}:{step.key}:{code}"
                )
            ]
            for code, label in step.choices
        ]
        rows.append([inline_button("✔️ Terminé", f"d:{uid}:{step.key}")])
    elif step.kind == "photos" and answers.get("_photos"):
        rows.append([inline_button("✔️ Terminé", f"d:{uid}:{step.key}")])
    if step.optional:
        rows.append([inline_button("⏭️ Passer", f"s:{uid}:{step.key}")])
    return InlineKeyboardMarkup(rows) if rows else None


def applicable(answers: Answers) -> list[Step]:
    return [step for step in STEPS if step.only_if(answers)]


def question_text(context: Context, step: Step) -> str:
    steps = applicable(answers_of(context))
    position = next((i for i, s in enumerate(steps) if s.key == step.key), 0) + 1
    return f"Question {position} sur {len(steps)}\n{step.prompt}"


async def ask(update: Update, context: Context, step: Step) -> State:
    await send(
        update, context, question_text(context, step), question_keyboard(update, context, step)
    )
    return STATE[step.key]


async def next_step(update: Update, context: Context) -> State:
    """The first applicable question without an answer, or the summary."""
    answers = answers_of(context)
    assert context.user_data is not None
    if context.user_data.pop("editing", None) is None:
        for step in applicable(answers):
            if step.key not in answers:
                return await ask(update, context, step)
    return await summary(update, context)


async def summary(update: Update, context: Context) -> State:
    answers, uid = answers_of(context), user_id_of(update)
    lines = ["Votre candidature :", "Marché d'Ifrane, phase 1", ""]
    lines += [f"{s.label} : {shown_answer(s, answers.get(s.key))}" for s in applicable(answers)]
    lines += ["", "Vérifiez, puis envoyez."]
    edits = [inline_button(f"✏️ {s.label}", f"e:{uid}:{s.key}") for s in applicable(answers)]
    rows = [edits[i : i + 2] for i in range(0, len(edits), 2)]
    rows.append([inline_button("📨 Envoyer ma candidature", f"sub:{uid}")])
    rows.append([inline_button("🗑️ Annuler la candidature", f"can:{uid}")])
    await send(update, context, "\n".join(lines), InlineKeyboardMarkup(rows))
    return SUMMARY


async def save(update: Update, context: Context, step: Step, value: Any) -> None:
    answers = answers_of(context)
    answers[step.key] = value
    for other in STEPS:  # answers that no longer apply (another legal form)
        if other.key in answers and not other.only_if(answers):
            del answers[other.key]


async def mark_answered(update: Update, context: Context, step: Step, shown: str) -> None:
    query = update.callback_query
    if query is not None and query.message is not None:
        await query.edit_message_text(f"{question_text(context, step)}\n✅ {shown}")
