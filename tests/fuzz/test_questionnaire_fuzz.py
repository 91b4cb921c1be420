"""Property: at every step of the questionnaire, whatever the applicant sends or presses,
the bot raises nothing, keeps the draft valid (a valid input advances it, anything else
leaves it as it was), and answers in the applicant's language."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import (
    BackToSummary,
    Cancel,
    CancelConfirmed,
    Choose,
    ChoosePhase,
    Consent,
    Correct,
    CorrectAnswer,
    Done,
    EditAnswer,
    EraseData,
    Resume,
    Skip,
    Submit,
    Toggle,
    Withdraw,
    WithdrawConfirmed,
)
from bot.questionnaire import QUESTIONS, Ask, applicable, choice_codes, stale_answers
from bot.services.applications import Draft
from localbotapi import FakeUser
from tests.fuzz.applicant import (
    FORM,
    PHASE,
    STEPS,
    UNCHANGED,
    Snapshot,
    bring_to,
    drawn,
    expected_answer,
    grid_codes,
    question_on_screen,
    show,
    snapshot,
)
from tests.fuzz.buttons import codes, pick
from tests.fuzz.checks import check_answers, check_replies, echo_forms, strings_in
from tests.fuzz.console import submitted
from tests.fuzz.strategies import Edit, Event, Press, Text, events
from tests.fuzz.texts import FIRST_NAMES, fuzz_settings
from tests.inprocess.harness import Harness, Reaction

LOCALES = st.sampled_from(["fr", "ar"])
LANGUAGE_CODES = st.sampled_from([None, "fr", "ar", "en", "ar-MA", "zgh"])


def _destructive(data: str, draft: Draft) -> bool:
    """Presses that may end a draft: submit, confirmed cancel, consent to a draft for another
    phase (one draft at a time), the confirmed erasure of all one's data (/delete_my_data)."""
    application = draft.application
    consent = Consent.parse(data)
    erase = EraseData.parse(data)
    return (
        data in {Submit(application.id).pack(), CancelConfirmed(application.id).pack()}
        or (consent is not None and consent.phase != application.phase_code)
        or (erase is not None and erase.yes)
    )


def _event_texts(event: Event) -> list[str]:
    if isinstance(event, Text):
        return [event.text]
    if isinstance(event, Edit):
        return [event.before, event.after]
    return [str(value) for value in vars(event).values() if isinstance(value, str)]


def check_transition(
    event: Event,
    sent: dict[str, object],
    draft: Draft,
    real: list[str],
    after: Snapshot,
    on_screen: bool,
) -> None:
    before_answers = draft.answers
    application = draft.application
    if after.status != "draft":
        assert isinstance(event, Press) and _destructive(event.data, draft), (
            f"{event} turned the draft into {after.status}"
        )
        if after.status is not None:  # submitted: exactly the answers of the draft
            assert after.answers == before_answers
        return
    check_answers(after.answers, FORM)
    changed = _changed(before_answers, after.answers)
    step = draft.step
    asked = step.question.key if isinstance(step, Ask) else None
    if isinstance(event, Press):
        if event.data not in real:  # forged, or a button not on screen: nothing changes
            assert not changed and after.editing == application.editing, (changed, after)
        else:
            assert changed <= _may_change(asked, draft, after), changed
        return
    assert after.editing in {application.editing, None}
    _check_sent_answer(event, sent, draft, asked, changed, after, on_screen)


def _changed(before: Mapping[str, object], after: Mapping[str, object]) -> set[str]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def _check_sent_answer(
    event: Event,
    sent: dict[str, object],
    draft: Draft,
    asked: str | None,
    changed: set[str],
    after: Snapshot,
    on_screen: bool,
) -> None:
    """A text, media or edit sent: the asked question's answer is what the bot should have
    understood, and nothing else changed beyond what that answer may change. A question
    another screen has pushed out of sight is not answered."""
    expected = expected_answer(event, sent, draft, draft.application.user_id, on_screen)
    if expected is UNCHANGED:
        assert not changed, f"{event} changed {changed}"
    else:
        assert asked is not None
        assert changed <= _may_change(asked, draft, after), changed
        assert after.answers.get(asked) == expected, (after.answers.get(asked), expected)


def _may_change(asked: str | None, draft: Draft, after: Snapshot) -> set[str]:
    """The question asked, and the answers its new value makes stale (which must be gone)."""
    if asked is None:
        return set()
    new = after.answers.get(asked)
    if new is None or not new.complete:
        return {asked}
    values = {**draft.values, asked: new.value}
    stale = set(stale_answers(values, FORM))
    assert not stale & after.answers.keys(), f"stale answers kept: {stale}"
    return {asked, *stale}


DRAFT_ACTIONS = codes(
    Done,
    Toggle,
    Choose,
    Skip,
    EditAnswer,
    BackToSummary,
    Submit,
    Cancel,
    CancelConfirmed,
    Resume,
    Consent,
    ChoosePhase,
)


def visible_codes(user: FakeUser) -> list[str]:
    """The callback data of every button on screen in the chat (edits applied)."""
    return [data for message in user.messages for data in message.callback_data()]


def draft_fields(draft: Draft | None) -> list[list[str]]:
    """What each position of a questionnaire code may hold: id, question, choice."""
    if draft is None:
        return [[PHASE], ["y", "n"]]
    step = draft.step
    asked = [step.question.key] if isinstance(step, Ask) else []
    codes = choice_codes(step.question, FORM) if isinstance(step, Ask) else []
    every_code = sorted({code for q in QUESTIONS for code in choice_codes(q, FORM)})
    keys = [q.key for q in QUESTIONS]
    return [[str(draft.application.id)], [*asked, *keys], [*codes, *every_code]]


@pytest.mark.parametrize(
    ("legal_form", "stop"), STEPS, ids=[f"{form}-{key or 'summary'}" for form, key in STEPS]
)
@fuzz_settings(10)
@given(data=st.data())
def test_any_input_at_any_step(
    harness: Harness, legal_form: str, stop: str | None, data: st.DataObject
) -> None:
    chosen = data.draw(st.sampled_from(["fr", "ar", None]), label="locale")
    client = data.draw(LANGUAGE_CODES, label="client")
    name = data.draw(FIRST_NAMES, label="first name")
    user = harness.new_user(chosen, language_code=client, first_name=name)
    # Not chosen yet (the picker skipped by a deep link...): Telegram's language, else French.
    locale = chosen or harness.services.i18n.resolve(client)
    draft: Draft | None = harness.run(bring_to(harness, user, legal_form, stop, drawn(data)))
    assert draft is not None
    harness.run(show(harness, user, draft, locale))
    for _ in range(data.draw(st.integers(1, 4), label="events")):
        real = visible_codes(user) + grid_codes(harness, draft)
        event = data.draw(events(real, DRAFT_ACTIONS, draft_fields(draft)), label="event")
        send_and_check(harness, user, locale, draft, real, event)
        draft = harness.run(harness.services.applications.draft(user.id))


def send_and_check(
    harness: Harness,
    user: FakeUser,
    locale: str,
    draft: Draft | None,
    real: list[str],
    event: Event,
) -> None:
    on_screen = draft is not None and question_on_screen(harness, user, draft)
    with harness.watching(user) as reaction:
        sent = event.send(user, harness)
        harness.pump()

    echoed = [user.first_name, *_event_texts(event)]
    if draft is not None:
        after = harness.run(snapshot(harness, draft.application.id))
        check_transition(event, sent, draft, real, after, on_screen)
        echoed += [s for answer in draft.answers.values() for s in strings_in(answer.value)]
        echoed += [s for answer in after.answers.values() for s in strings_in(answer.value)]
    current = harness.run(harness.services.applications.draft(user.id))
    if current is not None:
        check_answers(current.answers, FORM)
        echoed += [s for answer in current.answers.values() for s in strings_in(answer.value)]
    if isinstance(event, Press):
        answers = [reaction.callback_answer(str(query)) for query in sent["query_ids"]]
        assert all(answers), f"button {event.data!r} not answered"
    else:
        assert reaction.events, f"no reply to {event}"
        answers = []
    stored = harness.run(harness.services.users.get(user.id))
    assert stored is not None
    check_replies(reaction.events, answers, stored.locale or locale, echo_forms(echoed))


def test_phase_is_open(harness: Harness) -> None:
    """The examples above apply to a phase still open at the harness's clock."""
    phase = harness.catalogue.phase(PHASE)
    assert phase is not None and harness.clock() < phase.application_deadline


CONDITIONAL = {"coop_register", "ice", "rnae", "microcredit_association", "trainings"}
CORRECTION_ACTIONS = codes(
    CorrectAnswer,
    BackToSummary,
    Choose,
    Toggle,
    Done,
    Skip,
    Correct,
    Withdraw,
    WithdrawConfirmed,
    Resume,
    Consent,
    EditAnswer,
)


@fuzz_settings(25)
@given(data=st.data())
def test_any_input_while_correcting_a_sent_application(
    harness: Harness, data: st.DataObject
) -> None:
    """/correct asks the same questions about a sent application: the same properties, and
    the application stays complete (only the question being asked may lack its answer)."""
    locale = data.draw(LOCALES, label="locale")
    user = harness.new_user(locale)
    legal_form = data.draw(st.sampled_from(["cooperative", "tpe", "association"]), label="form")
    application = harness.run(
        submitted(harness, drawn(data), legal_form=legal_form, applicant=user)
    )
    service = harness.services.applications
    sent = harness.run(service.correction_of(user.id, application.id))
    assert sent is not None
    keys = [q.key for q in applicable(sent.values, FORM)]
    assert harness.run(service.start_correction(sent, data.draw(pick(keys), label="corrected")))
    draft = harness.run(service.reload(sent))  # now under correction
    assert draft is not None
    harness.run(show(harness, user, draft, locale))
    for _ in range(data.draw(st.integers(1, 4), label="events")):
        real = visible_codes(user)
        fields = [[str(application.id)], keys, draft_fields(draft)[2]]
        event = data.draw(events(real, CORRECTION_ACTIONS, fields), label="event")
        on_screen = question_on_screen(harness, user, draft)
        with harness.watching(user) as reaction:
            sent_message = event.send(user, harness)
            harness.pump()
        after = harness.run(snapshot(harness, application.id))
        check_correction(event, sent_message, draft, real, after, on_screen)
        check_reply(harness, user, locale, event, sent_message, reaction, (sent, draft), after)
        draft = harness.run(service.correction_of(user.id, application.id))
        if draft is None:  # withdrawn
            return


def check_correction(
    event: Event,
    sent: dict[str, object],
    draft: Draft,
    real: list[str],
    after: Snapshot,
    on_screen: bool,
) -> None:
    application = draft.application
    erase = EraseData.parse(event.data) if isinstance(event, Press) else None
    if erase is not None and erase.yes:
        return  # /delete_my_data confirmed: withdrawn, answers erased
    if after.status != application.status:
        withdrawn = WithdrawConfirmed(application.id).pack()
        assert isinstance(event, Press) and event.data == withdrawn, event
        assert after.status == "withdrawn" and after.answers == draft.answers
        return
    check_answers(after.answers, FORM)
    values = {key: answer.value for key, answer in after.answers.items() if answer.complete}
    missing = {q.key for q in applicable(values, FORM) if q.key not in values}
    # A corrected answer can make a question apply (another legal form: another register);
    # it is asked next, and again at the next /correct if the applicant leaves. Questions
    # that always apply are never without an answer.
    assert missing <= CONDITIONAL | {after.editing}, f"sent, and no answer to {missing}"
    changed = _changed(draft.answers, after.answers)
    asked = application.editing
    if isinstance(event, Press) and event.data not in real:
        # Forged, or not on screen: at most the ticks so far become the answer (leaving a
        # question of a sent application keeps them).
        if asked in changed:
            pending = draft.answers[asked]
            assert not pending.complete and after.answers[asked].value == pending.value
        assert changed <= {asked}, changed
        return
    if isinstance(event, Press):
        assert changed <= _may_change(asked, draft, after), changed
        return
    _check_sent_answer(event, sent, draft, asked, changed, after, on_screen)


def check_reply(
    harness: Harness,
    user: FakeUser,
    locale: str,
    event: Event,
    sent: dict[str, object],
    reaction: Reaction,
    before: tuple[Draft, ...],
    after: Snapshot,
) -> None:
    if isinstance(event, Press):
        answers = [reaction.callback_answer(str(query)) for query in sent["query_ids"]]
        assert all(answers), f"button {event.data!r} not answered"
    else:
        assert reaction.events, f"no reply to {event}"
        answers = []
    # The answers as sent and before the event too: the structure's profile keeps the name
    # as first sent, and the bot quotes it when a correction differs from the profile.
    echoed = [user.first_name, *_event_texts(event)]
    for answers_then in (*(draft.answers for draft in before), after.answers):
        echoed += [s for answer in answers_then.values() for s in strings_in(answer.value)]
    stored = harness.run(harness.services.users.get(user.id))  # the language may have changed
    assert stored is not None
    check_replies(reaction.events, answers, stored.locale or locale, echo_forms(echoed))
