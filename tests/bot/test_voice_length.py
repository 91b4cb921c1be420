"""A voice note's length is stored as whole seconds (an int in the answer's JSON), whether
python-telegram-bot gives an int (today) or a timedelta (its next major version, or today
with PTB_TIMEDELTA set)."""

from __future__ import annotations

import json

import pytest
from telegram import Voice

from bot.handlers.common import voice_seconds


@pytest.mark.parametrize("timedeltas", ["", "true"])
def test_a_voice_note_length_is_whole_seconds(
    monkeypatch: pytest.MonkeyPatch, timedeltas: str
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", timedeltas)
    voice = Voice("file", "unique", duration=12)
    seconds = voice_seconds(voice)
    assert seconds == 12 and isinstance(seconds, int)
    assert json.loads(json.dumps({"duration": seconds})) == {"duration": 12}
