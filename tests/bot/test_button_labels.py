"""Every button the bot draws fits a phone: at most 30 characters, in every language.

Telegram cuts a button's label to one line. Two nets catch a label that does not fit:

1. `KEYBOARDS` draws every keyboard with the bundled catalogue and with a catalogue whose names
   are as long as the parser allows, in every language, and measures each label after
   formatting (ticks and emoji included).
2. `test_every_button_call_is_measured` reads the source: a button whose label is a fixed
   msgid is measured directly; any other (a label built from data or with placeholders) must
   sit in a function listed in `BUILT_LABELS_CHECKED`, i.e. one that `KEYBOARDS` draws.

To add a keyboard: add its builder to `KEYBOARDS` (a function of `Env` yielding markups) and,
if its labels are built from data, its `(file, function)` to `BUILT_LABELS_CHECKED`. A keyboard
built inside a handler with fixed msgids needs nothing: the source scan measures it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

import pytest
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.views.buttons import MAX_LABEL
from tests.bot.keyboards_drawn import (
    BUILT_LABELS_CHECKED,
    CATALOGUES,
    I18N,
    KEYBOARDS,
    ROOT,
    Env,
    Markup,
)


def labels(markup: Markup) -> Iterator[str]:
    if isinstance(markup, InlineKeyboardMarkup):
        yield from (button.text for row in markup.inline_keyboard for button in row)
    elif isinstance(markup, ReplyKeyboardMarkup):
        yield from (str(getattr(b, "text", b)) for row in markup.keyboard for b in row)


@pytest.mark.parametrize("catalogue_name", list(CATALOGUES))
@pytest.mark.parametrize("locale", list(I18N.locales))
@pytest.mark.parametrize("keyboard", list(KEYBOARDS))
def test_every_label_fits_a_phone(catalogue_name: str, locale: str, keyboard: str) -> None:
    env = Env(I18N.translator(locale), CATALOGUES[catalogue_name]())
    drawn = list(KEYBOARDS[keyboard](env))
    assert drawn, f"{keyboard} drew nothing"
    too_long = {label for markup in drawn for label in labels(markup) if len(label) > MAX_LABEL}
    assert not too_long, f"{keyboard}: labels over {MAX_LABEL} characters: {sorted(too_long)}"


# ---- the source scan ---------------------------------------------------------------------------

BUTTON_CALLS = {"button", "InlineKeyboardButton", "KeyboardButton"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _fixed_msgid(node: ast.expr) -> tuple[str, str | None] | None:
    """`t.gettext("…")` / `t.pgettext("ctx", "…")` without parameters: (msgid, context)."""
    if not isinstance(node, ast.Call) or node.keywords:
        return None
    strings = [
        a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
    ]
    if len(strings) != len(node.args):
        return None
    if _name(node.func) == "gettext" and len(strings) == 1:
        return strings[0], None
    if _name(node.func) == "pgettext" and len(strings) == 2:
        return strings[1], strings[0]
    return None


def button_sites() -> Iterator[tuple[str, str, ast.Call]]:
    """Every button built in bot/: (file, enclosing function, call)."""
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and _name(node.func) in BUTTON_CALLS
                    and node.args
                    and function.name != "button"
                ):
                    yield str(path.relative_to(ROOT)), function.name, node


def test_every_button_call_is_measured() -> None:
    unmeasured, too_long, fixed = set(), [], 0
    for file, function, call in button_sites():
        found = _fixed_msgid(call.args[0])
        if found is None:
            if (file, function) not in BUILT_LABELS_CHECKED:
                unmeasured.add((file, function))
            continue
        fixed += 1
        msgid, context = found
        for locale in I18N.locales:
            t = I18N.translator(locale)
            label = t.pgettext(context, msgid) if context else t.gettext(msgid)
            if len(label) > MAX_LABEL:
                too_long.append(f"{file} {function} [{locale}]: {label!r} ({len(label)})")
    assert fixed > 20  # the scan does find the buttons
    assert not too_long, too_long
    assert not unmeasured, (
        f"buttons with built labels that no test draws: {sorted(unmeasured)}; add the keyboard "
        "to KEYBOARDS and the function to BUILT_LABELS_CHECKED"
    )
