"""Answering a button never stops the work it belongs to (issue 13, item 4)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from telegram.error import BadRequest, TimedOut

from bot.handlers.common import answer_button

BOT = Path(__file__).resolve().parents[2] / "bot"
TOO_OLD = "Query is too old and response timeout expired or query id is invalid"


class Query:
    def __init__(self, error: Exception | None) -> None:
        self.id = "4382749823749820001"
        self.error = error
        self.answered: list[tuple[Any, ...]] = []

    async def answer(self, text: str | None = None, show_alert: bool = False) -> bool:
        self.answered.append((text, show_alert))
        if self.error is not None:
            raise self.error
        return True


class Update:
    def __init__(self, query: Query) -> None:
        self.callback_query = query


@pytest.mark.parametrize("error", [None, BadRequest(TOO_OLD), TimedOut()])
async def test_a_refused_or_lost_answer_does_not_raise(error: Exception | None) -> None:
    query = Query(error)
    await answer_button(Update(query), "Ce bouton n'est plus valable.")  # type: ignore[arg-type]
    assert query.answered == [("Ce bouton n'est plus valable.", False)]


def test_buttons_are_answered_only_through_answer_button() -> None:
    """A direct `query.answer()` elsewhere would raise "query is too old" into its handler."""
    direct = re.compile(r"(callback_query|query)\.answer\(|answer_callback_query\(")
    found = [
        f"{path.relative_to(BOT)}:{number}"
        for path in BOT.rglob("*.py")
        if path.name != "common.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if direct.search(line)
    ]
    assert found == []
