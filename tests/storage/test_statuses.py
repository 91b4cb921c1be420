"""The statuses' one home: the groupings agree with the transitions, and no other module spells
a status out."""

from __future__ import annotations

import ast
from pathlib import Path

from bot import statuses as words
from bot.i18n import I18n
from storage.statuses import (
    FINAL,
    HOLDS_A_PLACE,
    LIVE,
    NEEDS_CONFIRMATION,
    TOLD,
    TRANSITIONS,
    Status,
    can_change,
    may_withdraw,
    sql_list,
)

ROOT = Path(__file__).resolve().parents[2]
# The same words in other vocabularies: an announcement's own "draft", the reminder of an
# unfinished draft, a consent's "accepted" key in /mydata's file, an audience named "accepted".
OTHER_VOCABULARIES = {
    ("storage/broadcasts.py", "draft"),
    ("storage/broadcasts.py", "accepted"),
    ("bot/services/broadcasts.py", "draft"),
    ("bot/services/reminders.py", "draft"),
    ("bot/views/broadcast.py", "accepted"),
    ("bot/views/privacy.py", "accepted"),
}


def test_groupings_follow_the_transitions() -> None:
    assert frozenset(TRANSITIONS) == LIVE
    assert Status.DRAFT not in LIVE and not (FINAL & LIVE)
    assert all(not TRANSITIONS.get(status) for status in FINAL)
    assert NEEDS_CONFIRMATION <= HOLDS_A_PLACE <= LIVE
    assert all(Status.CONFIRMED in TRANSITIONS[status] for status in NEEDS_CONFIRMATION)
    assert frozenset(Status) - {Status.DRAFT, Status.CONFIRMED, Status.WITHDRAWN} >= TOLD


def test_changes_are_checked() -> None:
    assert can_change("submitted", Status.ACCEPTED)
    assert not can_change("draft", Status.ACCEPTED)  # submission has its own door
    assert not can_change("rejected", Status.ACCEPTED)
    assert not can_change("no such status", Status.ACCEPTED)
    assert may_withdraw("confirmed") and not may_withdraw("withdrawn")
    assert sql_list({Status.OFFERED, Status.ACCEPTED}) == "('accepted', 'offered')"


def test_every_status_has_words_for_both_readers_in_every_language() -> None:
    i18n = I18n()
    for locale in i18n.locales:
        t = i18n.translator(locale)
        for status in Status:
            applicant, organizers = words.for_applicant(t, status), words.for_organizers(t, status)
            assert applicant != status.value and organizers != status.value, (locale, status)
        assert [words.tally(t, status) for status in words.TALLY_ORDER]
    french = i18n.translator("fr")
    # One status, two voices.
    assert words.for_applicant(french, Status.OFFERED) == "Une place vous est proposée"
    assert words.for_organizers(french, Status.OFFERED) == "Place proposée, confirmation attendue"


def test_no_status_is_spelled_out_outside_its_home() -> None:
    values = {status.value for status in Status}
    found = []
    for path in sorted(
        [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("storage").rglob("*.py")]
    ):
        relative = path.relative_to(ROOT).as_posix()
        if relative == "storage/statuses.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                spelled = {v for v in values if node.value == v or f"'{v}'" in node.value}
                found += [
                    (relative, node.lineno, value)
                    for value in spelled
                    if (relative, value) not in OTHER_VOCABULARIES
                ]
    assert found == []
