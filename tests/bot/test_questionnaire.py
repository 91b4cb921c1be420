"""The walk of the form: order, conditions, edits, and answers made stale by a change."""

from __future__ import annotations

from typing import Any

import pytest

from bot.catalogue import DEFAULT_CATALOGUE_PATH, load_catalogue
from bot.questionnaire import (
    BY_KEY,
    QUESTIONS,
    Ask,
    FormContext,
    Kind,
    Review,
    applicable,
    choice_codes,
    identifier,
    next_step,
    stale_answers,
)
from bot.validation import ValidationError

CATALOGUE = load_catalogue(DEFAULT_CATALOGUE_PATH)


def form(phase_code: str = "ifrane-1") -> FormContext:
    phase = CATALOGUE.phase(phase_code)
    assert phase is not None
    market = CATALOGUE.market(phase.market_code)
    assert market is not None
    return FormContext(CATALOGUE, market, phase)


def complete_answers(legal_form: str = "cooperative") -> dict[str, Any]:
    return {
        "legal_form": legal_form,
        "structure_name": "Coopérative Tifawin",
        "coop_register": "1234/2019",
        "province": "ifrane",
        "town": "Azrou",
        "sector": "crafts",
        "products": "Tapis",
        "members": 12,
        "women_members": 9,
        "led_by": "women",
        "contact_name": "Fatima Zahra",
        "phone": "+212612345678",
        "stand_needs": ["electricity"],
        "trainings": [],
        "programmes": [],
        "photos": None,
    }


def walk(answers: dict[str, Any], ctx: FormContext) -> list[str]:
    """Answer each asked question in turn with the prepared value; return the keys asked."""
    given: dict[str, Any] = {}
    asked = []
    while isinstance(step := next_step(given, ctx), Ask):
        asked.append(step.question.key)
        given[step.question.key] = answers.get(step.question.key)
        assert len(asked) <= len(QUESTIONS), "the walk must end"
    return asked


def test_keys_unique_and_callback_safe() -> None:
    keys = [q.key for q in QUESTIONS]
    assert len(keys) == len(set(keys))
    assert all(k.isascii() and ":" not in k and len(k) <= 24 for k in keys)


def test_cooperative_walk_asks_register_not_ice() -> None:
    asked = walk(complete_answers(), form())
    assert asked[0] == "legal_form"
    assert "coop_register" in asked
    assert not {"ice", "rnae", "microcredit_association"} & set(asked)
    assert asked[-1] == "photos"


@pytest.mark.parametrize(
    ("legal_form", "identifier_question"),
    [
        ("tpe", "ice"),
        ("auto_entrepreneur", "rnae"),
        ("microcredit", "microcredit_association"),
        ("association", None),
    ],
)
def test_identifier_question_fits_legal_form(
    legal_form: str, identifier_question: str | None
) -> None:
    asked = set(walk(complete_answers(legal_form), form()))
    conditional = {"coop_register", "ice", "rnae", "microcredit_association"}
    assert asked & conditional == ({identifier_question} if identifier_question else set())


def test_trainings_only_when_the_phase_has_some() -> None:
    ifrane = form("ifrane-1")
    assert "trainings" in [q.key for q in applicable({}, ifrane)]
    assert choice_codes(BY_KEY["trainings"], ifrane) == [
        t.code for t in ifrane.market.trainings_for(1)
    ]


def test_all_answered_is_review() -> None:
    assert isinstance(next_step(complete_answers(), form()), Review)


def test_resume_at_first_unanswered() -> None:
    answers = complete_answers()
    del answers["town"], answers["phone"]
    step = next_step(answers, form())
    assert isinstance(step, Ask) and step.question.key == "town"


def test_editing_asks_that_question_even_if_answered() -> None:
    step = next_step(complete_answers(), form(), editing="sector")
    assert isinstance(step, Ask) and step.question.key == "sector"


def test_changing_legal_form_makes_old_identifier_stale_and_asks_new_one() -> None:
    answers = complete_answers()
    answers["legal_form"] = "tpe"
    assert stale_answers(answers, form()) == ["coop_register"]
    del answers["coop_register"]
    step = next_step(answers, form())
    assert isinstance(step, Ask) and step.question.key == "ice"


def test_fewer_members_than_women_makes_women_stale() -> None:
    answers = complete_answers()
    answers["members"] = 5
    assert "women_members" in stale_answers(answers, form())


def test_women_cannot_exceed_members() -> None:
    check = BY_KEY["women_members"].check
    assert check is not None
    with pytest.raises(ValidationError) as caught:
        check(13, {"members": 12})
    assert caught.value.params == {"members": 12}
    check(12, {"members": 12})


def test_every_choice_question_offers_choices() -> None:
    ctx = form()
    for question in QUESTIONS:
        if question.kind in {Kind.CHOICE, Kind.MULTI}:
            assert choice_codes(question, ctx), question.key
        else:
            assert question.parse is not None or question.kind in {Kind.PHOTOS}, question.key


def test_province_offers_other() -> None:
    assert choice_codes(BY_KEY["province"], form())[-1] == "other"


def test_identifier_picks_the_register_number() -> None:
    assert identifier({"coop_register": "12/2019"}) == "12/2019"
    assert identifier({"ice": None, "rnae": "123456"}) == "123456"
    assert identifier({}) is None
