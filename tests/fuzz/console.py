"""What the organizer console tests share: submitted applications, the database's state,
and everything people wrote that the bot may quote back."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from bot.services.applications import Draft
from localbotapi import FakeUser
from storage.applications import Application
from tests.fuzz.applicant import Chooser, Media, bring_to
from tests.fuzz.checks import check_replies, echo_forms, strings_in
from tests.fuzz.strategies import Edit, Event, Press, Text
from tests.inprocess.harness import Harness, Reaction

_numbers = itertools.count(100_000)
LEGAL_FORMS = st.sampled_from(["cooperative", "association", "tpe", "auto_entrepreneur"])
PHASES = st.sampled_from(["ifrane-1", "ifrane-2", "ifrane-3", "mohammedia-1"])


def real_media(harness: Harness) -> Media:
    """Photos and a voice note the fake knows, as applicants would have sent them."""
    sender = harness.new_user("fr")
    photos = [sender.send_photo()["photo"][-1]["file_id"] for _ in range(3)]
    voice = sender.send_voice(9)["voice"]["file_id"]
    harness.skip_pending()
    return Media(tuple(photos), voice)


async def submitted(
    harness: Harness,
    choose: Chooser,
    *,
    legal_form: str = "cooperative",
    phase: str = "ifrane-1",
    locale: str = "fr",
    applicant: FakeUser | None = None,
) -> Application:
    """An application, complete and sent, by `applicant` or a new one (with a phone and a
    register number of its own, so that it is nobody's duplicate)."""
    number = next(_numbers)
    applicant = applicant or await harness.add_user(locale)
    fixed = {
        "phone": f"+21266{number % 10**7:07d}",
        "coop_register": f"{number}/2019",
        "ice": f"{number:015d}",
        "rnae": f"{number:08d}",
    }
    draft: Draft = await bring_to(
        harness, applicant, legal_form, None, choose, phase=phase, fixed=fixed
    )
    result = await harness.services.applications.submit(draft)
    assert isinstance(result, Application), result
    return result


@dataclass(frozen=True)
class State:
    """What organizers' actions may change, and what they must not."""

    statuses: dict[int, str]
    answers: dict[tuple[int, str], str]  # of sent applications: never changed by the console
    broadcasts: dict[int, tuple[str, str, str, str, str | None]]  # status, stage, audience...


async def state(harness: Harness) -> State:
    db = harness.services.db
    statuses = {
        int(row["id"]): str(row["status"])
        for row in await db.fetchall("SELECT id, status FROM applications")
    }
    answers = {
        (int(row["application_id"]), str(row["question"])): str(row["value"])
        for row in await db.fetchall(
            "SELECT application_id, question, value FROM answers WHERE application_id IN"
            " (SELECT id FROM applications WHERE status != 'draft')"
        )
    }
    broadcasts = {
        int(row["id"]): (row["status"], row["stage"], row["audience"], row["texts"], row["photo"])
        for row in await db.fetchall(
            "SELECT id, status, stage, audience, texts, photo FROM broadcasts"
        )
    }
    return State(statuses, answers, broadcasts)


async def written(harness: Harness) -> list[str]:
    """Everything people wrote that the bot may show: answers, announcements, reasons."""
    db = harness.services.db
    texts: list[str] = []
    for row in await db.fetchall("SELECT value FROM answers"):
        texts += strings_in(json.loads(row["value"]))
    for row in await db.fetchall("SELECT texts FROM broadcasts"):
        texts += strings_in(json.loads(row["texts"]))
    for row in await db.fetchall("SELECT reason FROM status_changes WHERE reason IS NOT NULL"):
        texts.append(str(row["reason"]))
    for row in await db.fetchall("SELECT first_name FROM users WHERE first_name != ''"):
        texts.append(str(row["first_name"]))
    return texts


def event_texts(event: Event) -> list[str]:
    if isinstance(event, Text):
        return [event.text]
    if isinstance(event, Edit):
        return [event.before, event.after]
    return [str(value) for value in vars(event).values() if isinstance(value, str)]


def visible_codes(user: FakeUser) -> list[str]:
    return [data for message in user.messages for data in message.callback_data()]


def check_answered(
    harness: Harness, user: FakeUser, event: Event, sent: dict[str, Any], reaction: Reaction
) -> None:
    """A reply (or the button answered), every word of it in the user's language."""
    answers = []
    if isinstance(event, Press):
        answered = [reaction.callback_answer(str(query)) for query in sent["query_ids"]]
        assert all(answered), f"button {event.data!r} not answered"
        answers += answered
    else:
        assert reaction.events, f"no reply to {event}"
    stored = harness.run(harness.services.users.get(user.id))
    assert stored is not None and stored.locale is not None
    echoes = echo_forms([user.first_name, *event_texts(event), *harness.run(written(harness))])
    check_replies(reaction.events, answers, stored.locale, echoes)
