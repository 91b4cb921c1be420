"""Property: in the review console (/review cards and their buttons, /app, /find, rejection
reasons), whatever a team member sends or presses, the bot raises nothing, answers in their
language, changes an application's status only by a decision they may take and along an
allowed transition, and never changes an applicant's answers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import (
    BroadcastStep,
    ChooseLanguage,
    ConfirmOffer,
    Correct,
    OpenMenu,
    RejectFor,
    Resume,
    ReviewCard,
    Withdraw,
)
from storage.statuses import can_change
from tests.fuzz.applicant import Media, drawn
from tests.fuzz.buttons import ODD_FIELDS, codes
from tests.fuzz.console import (
    LEGAL_FORMS,
    PHASES,
    State,
    check_answered,
    real_media,
    state,
    submitted,
    visible_codes,
)
from tests.fuzz.strategies import Event, Press, Text, commands, media, presses
from tests.fuzz.texts import FIRST_NAMES, FRAGMENTS, PLAUSIBLE, TEXT, fuzz_settings
from tests.inprocess.harness import Harness

CONSOLE_ACTIONS = codes(
    ReviewCard,
    RejectFor,
    ReviewCard,
    RejectFor,
    BroadcastStep,
    OpenMenu,
    ChooseLanguage,
    Resume,
    Correct,
    Withdraw,
    ConfirmOffer,
)
SCOPES = ["all", "ifrane", "ifrane-1", "ifrane-2", "mohammedia", "mohammedia-1"]
REASONS = ["phase_full", "outside_region", "incomplete", "too_many_in_category", "other"]
REVIEW_COMMANDS = ["review", "app", "find"]


@pytest.fixture(scope="module")
def files(harness: Harness) -> Media:
    return real_media(harness)


def console_events(
    real: list[str], fields: list[list[str]], reference: str
) -> st.SearchStrategy[Event]:
    args = st.one_of(
        TEXT,
        PLAUSIBLE,
        st.sampled_from([*ODD_FIELDS, *SCOPES, reference, reference.lower(), "1", "2"]),
    )
    typed = st.one_of(
        st.builds(
            lambda name, words: Text(" ".join([f"/{name}", *words])),
            st.sampled_from(REVIEW_COMMANDS),
            st.lists(args, max_size=3),
        ),
        commands(),
        st.builds(Text, TEXT | PLAUSIBLE | st.sampled_from(FRAGMENTS)),
        media(),
    )
    pressed = presses(real, CONSOLE_ACTIONS, fields)
    return st.booleans().flatmap(lambda press: pressed if press else typed)


def check_decisions(role: str, event: Event, before: State, after: State) -> None:
    """Only decisions change statuses, each an allowed transition; answers never change."""
    assert (
        after.answers.items()
        >= {key: value for key, value in before.answers.items() if key[0] in after.statuses}.items()
    ), "an applicant's answers changed"
    changed = {
        app: (before.statuses[app], status)
        for app, status in after.statuses.items()
        if app in before.statuses and before.statuses[app] != status
    }
    for old, new in changed.values():
        assert can_change(old, new), f"{old} -> {new}"
    if changed:
        assert role in {"admin", "organizer"}, f"a {role} changed {changed}"
        assert isinstance(event, Press | Text), f"{event} changed {changed}"


@fuzz_settings(40)
@given(data=st.data())
def test_review_console(harness: Harness, files: Media, data: st.DataObject) -> None:
    locale = data.draw(st.sampled_from(["fr", "ar"]), label="locale")
    role = data.draw(st.sampled_from(["organizer", "admin", "reviewer"]), label="role")
    member = harness.new_user(locale, role=role, first_name=data.draw(FIRST_NAMES, label="name"))
    application = harness.run(
        submitted(
            harness,
            drawn(data, files),
            legal_form=data.draw(LEGAL_FORMS, label="legal form"),
            phase=data.draw(PHASES, label="phase"),
            locale=data.draw(st.sampled_from(["fr", "ar"]), label="applicant"),
        )
    )
    opening = data.draw(
        st.sampled_from(["/review", f"/app {application.reference}", "/review ifrane 1"]),
        label="opening",
    )
    with harness.watching(member):
        member.send_text(opening)
        harness.pump()
    before = harness.run(state(harness))
    ids = [str(application.id), *(str(i) for i in sorted(before.statuses)[-3:])]
    fields = [["show", "acc", "wl", "rej", "med", "prev", "next", *ids], [*ids, *REASONS], SCOPES]
    for _ in range(data.draw(st.integers(1, 4), label="events")):
        real = visible_codes(member)
        reference = application.reference or "IFR-1-0001"
        event = data.draw(console_events(real, fields, reference), label="event")
        with harness.watching(member) as reaction:
            sent = event.send(member, harness)
            harness.pump()
        after = harness.run(state(harness))
        check_decisions(role, event, before, after)
        check_answered(harness, member, event, sent, reaction)
        before = after
