"""Under the summary, Send comes first; the ✏️ buttons wait behind one button."""

from __future__ import annotations

from bot.callbacks import (
    CLOSE_GRID,
    Cancel,
    CorrectAnswer,
    EditAnswer,
    MenuItem,
    OpenMenu,
    Submit,
)
from bot.i18n import I18n
from bot.questionnaire import applicable
from bot.views import application as view
from tests.bot.keyboards_drawn import CATALOGUES, Env

I18N = I18n()


def _draft():  # type: ignore[no-untyped-def]
    return next(Env(I18N.translator("fr"), CATALOGUES["bundled"]()).drafts())


def test_send_first_then_one_edit_button_then_cancel() -> None:
    draft = _draft()
    app = draft.application.id
    rows = view.summary_keyboard(I18N.translator("fr"), draft).inline_keyboard
    assert [[b.callback_data for b in row] for row in rows] == [
        [Submit(app).pack()],
        [EditAnswer(app).pack()],
        [Cancel(app).pack()],
    ]
    assert [row[0].text for row in rows] == [
        "📨 Envoyer ma candidature",
        "✏️ Modifier une réponse",
        "🗑️ Annuler la candidature",
    ]


def test_grid_has_a_pencil_per_answer_and_a_way_back() -> None:
    draft = _draft()
    app = draft.application.id
    keys = [q.key for q in applicable(draft.values, draft.form)]
    grid = view.summary_grid_keyboard(I18N.translator("ar"), draft).inline_keyboard
    data = [b.callback_data for row in grid for b in row]
    edits = [EditAnswer(app, key).pack() for key in keys]
    assert data == [*edits, EditAnswer(app, CLOSE_GRID).pack()]
    assert all(len(row) <= 2 for row in grid)
    correction = view.correction_keyboard(I18N.translator("fr"), draft).inline_keyboard
    data = [b.callback_data for row in correction for b in row]
    corrections = [CorrectAnswer(app, key).pack() for key in keys]
    assert data == [*corrections, OpenMenu(MenuItem.HOME).pack()]
