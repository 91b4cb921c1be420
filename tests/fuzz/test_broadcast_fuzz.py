"""Property: at every stage of the broadcast wizard (audience, one text per language, photo,
preview), whatever the organizer sends or presses, the bot raises nothing, answers in their
language, and the draft moves only along the wizard's own steps: a valid text or photo
advances it, a button does what it says, anything else leaves it as it was."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import BroadcastAction, BroadcastStep
from bot.i18n import I18n
from bot.services.broadcasts import (
    AUDIENCE,
    EVERYONE,
    FILTERS,
    MAX_CAPTION,
    MAX_TEXT,
    PHOTO,
    PREVIEW,
    TEXT_PREFIX,
    BroadcastService,
)
from bot.validation import ValidationError, parse_announcement
from localbotapi import FakeUser
from storage.broadcasts import Audience, Broadcast
from tests.fuzz.applicant import fixed_answers
from tests.fuzz.buttons import codes
from tests.fuzz.console import check_answered, submitted, visible_codes
from tests.fuzz.strategies import Edit, Event, Photo, Press, Text, commands, media, presses
from tests.fuzz.texts import PLAUSIBLE, TEXT, fuzz_settings
from tests.inprocess.harness import Harness

LOCALES = I18n().locales  # fr, ar, zgh: one text step each; zgh may be skipped
OPTIONAL = {locale for locale in LOCALES if BroadcastService.optional(locale)}
TEXT_STAGES = [TEXT_PREFIX + locale for locale in LOCALES]
STAGES = ["audience", *TEXT_STAGES, "photo", "preview", "preview-photo", "restarted"]
BC_ACTIONS = [*(action.value for action in BroadcastAction), "zz"]
VALID_TEXTS = [
    "Réunion des exposantes samedi à 10 h.",
    "اجتماع العارضات يوم السبت على الساعة 10.",
    "ⴰⵎⵓⵏⵉ ⵏ ⵜⵎⵙⵙⴽⴰⵏⵉⵏ\n\nⴰⵙⵉⴽⵙ 🧺",
    "A" * 1_500,  # too long for a caption
    "B" * MAX_TEXT,
]
ANNOUNCEMENTS = st.one_of(
    TEXT,
    PLAUSIBLE,
    st.sampled_from(VALID_TEXTS),
    st.lists(TEXT | PLAUSIBLE, min_size=2, max_size=6).map("\n".join),
)


@pytest.fixture(scope="module")
def photo(harness: Harness) -> str:
    """Recipients for the announcements, and a photo the fake knows."""
    for phase in ("ifrane-1", "ifrane-2", "mohammedia-1"):
        harness.run(submitted(harness, fixed_answers, phase=phase))
    sender = harness.new_user("fr")
    file_id = str(sender.send_photo()["photo"][-1]["file_id"])
    harness.skip_pending()
    return file_id


async def prepare(harness: Harness, author: int, stage: str, text: str, photo: str) -> Broadcast:
    """A draft brought to `stage` through the service, as the organizer's buttons would."""
    service = harness.services.broadcasts
    draft = await service.open_draft(author)

    async def fresh() -> Broadcast:
        current = await service.repository.get(draft.id)
        assert current is not None
        return current

    if stage == AUDIENCE:
        return draft
    await service.to_texts(draft)
    if stage == TEXT_STAGES[0]:
        return await fresh()
    await service.write(await fresh(), text)
    for later in TEXT_STAGES[1:]:
        if stage == later:
            return await fresh()
        await service.write(await fresh(), text)
    if stage == PHOTO:
        return await fresh()
    with_photo = stage != "preview" and len(text) <= MAX_CAPTION
    await service.add_photo(await fresh(), photo if with_photo else None)
    if stage == "restarted":
        await service.back_to_audience(await fresh())
    return await fresh()


def check_draft(draft: Broadcast, options: dict[str, list[str]]) -> None:
    """A draft the wizard could have built."""
    stages = {AUDIENCE, PHOTO, PREVIEW, *(TEXT_PREFIX + locale for locale in LOCALES)}
    assert draft.stage in stages, draft.stage
    texts = draft.texts
    assert set(texts) <= {*LOCALES, EVERYONE}, texts
    assert EVERYONE not in texts or len(texts) == 1, texts
    for text in texts.values():
        assert parse_announcement(text, max_length=MAX_TEXT) == text, text
    written = [TEXT_PREFIX + locale for locale in LOCALES if locale in texts]
    if draft.stage == AUDIENCE:
        assert not texts, texts
    elif draft.stage.startswith(TEXT_PREFIX):
        locale = draft.stage.removeprefix(TEXT_PREFIX)
        before = LOCALES[: LOCALES.index(locale)]
        required = [TEXT_PREFIX + code for code in before if code not in OPTIONAL]
        assert set(required) <= set(written) <= {TEXT_PREFIX + code for code in before}, written
    else:
        assert EVERYONE in texts or set(LOCALES) - OPTIONAL <= set(texts), texts
    if draft.stage != PREVIEW:
        assert draft.photo is None, f"a photo chosen before the photo step: {draft}"
    elif draft.photo is not None:
        assert max(map(len, texts.values())) <= MAX_CAPTION
    for name, value in asdict(draft.audience).items():
        assert value in {None, "all"} or value in options[name], (name, value)


def _next_stage(locale: str) -> str:
    position = LOCALES.index(locale)
    return TEXT_PREFIX + LOCALES[position + 1] if position + 1 < len(LOCALES) else PHOTO


def expected_after(event: Event, sent: dict[str, Any], draft: Broadcast) -> dict[str, Any] | None:
    """What a message does to the draft: the fields it sets, or None (nothing)."""
    if isinstance(event, Text) and draft.stage.startswith(TEXT_PREFIX):
        if event.text.startswith("/"):
            return None
        try:
            text = parse_announcement(event.text, max_length=MAX_TEXT)
        except ValidationError:
            return None
        locale = draft.stage.removeprefix(TEXT_PREFIX)
        return {"stage": _next_stage(locale), "texts": {**draft.texts, locale: text}}
    if isinstance(event, Photo) and draft.stage == PHOTO:
        if max(map(len, draft.texts.values())) > MAX_CAPTION:
            return None
        return {"stage": PREVIEW, "photo": sent["photo"][-1]["file_id"]}
    return None


PRESSES = {  # what each button may do, from the stage it is offered at
    "go": (AUDIENCE, lambda d: {"stage": TEXT_PREFIX + LOCALES[0]}),
    "same": (
        tuple(TEXT_STAGES[1:]),
        lambda d: {"stage": PHOTO, "texts": {EVERYONE: d.texts[LOCALES[0]]}},
    ),
    # An optional language left out: the next step, no text for it.
    "skip": (
        tuple(TEXT_PREFIX + locale for locale in OPTIONAL),
        lambda d: {"stage": _next_stage(d.stage.removeprefix(TEXT_PREFIX)), "texts": d.texts},
    ),
    "nophoto": (PHOTO, lambda d: {"stage": PREVIEW, "photo": None}),
    # "Start again" is under the preview, and works from any step (an older preview's).
    "re": (None, lambda d: {"stage": AUDIENCE, "texts": {}, "photo": None}),
}


def check_wizard(
    event: Event, sent: dict[str, Any], before: Broadcast, after: Broadcast | None
) -> None:
    changes = (
        {}
        if after is None
        else {
            key: getattr(after, key)
            for key in ("status", "stage", "texts", "photo", "audience")
            if getattr(after, key) != getattr(before, key)
        }
    )
    if not isinstance(event, Press):
        expected = expected_after(event, sent, before)
        assert changes == (expected or {}), (event, changes, expected)
        return
    # `bc:<action>:<draft>[:...]`; fields after those a button needs are ignored.
    data = event.data
    parts = [*data.split(":"), "", ""]
    action = parts[1]
    assert (parts[0] == "bc" and parts[2] == str(before.id)) or (not changes and after), data
    if after is None:
        assert action == "x", f"{data!r} deleted the draft"
        return
    if not changes:
        return
    if "status" in changes:  # sending, or already done when the outbox was quick
        assert changes["status"] in {"sending", "done"}, changes
        assert action == "send" and before.stage == PREVIEW, data
        return
    if set(changes) == {"audience"}:
        assert action == "v" and before.stage == AUDIENCE, data
        return
    assert action in PRESSES, (data, changes)
    stage, effect = PRESSES[action]
    offered = stage if isinstance(stage, tuple) else (stage,)
    assert None in offered or before.stage in offered, (data, before.stage)
    expected = effect(before)
    assert {key: changes.get(key, getattr(before, key)) for key in expected} == expected


def broadcast_events(real: list[str], fields: list[list[str]]) -> st.SearchStrategy[Event]:
    typed = st.one_of(
        st.builds(Text, ANNOUNCEMENTS),
        st.builds(Photo, st.none() | ANNOUNCEMENTS),
        st.sampled_from(["/broadcast", "/broadcasts"]).map(Text),
        commands(),
        media(),
        st.builds(Edit, ANNOUNCEMENTS, ANNOUNCEMENTS),
    )
    pressed = presses(real, codes(BroadcastStep), fields)
    return st.booleans().flatmap(lambda press: pressed if press else typed)


@pytest.mark.parametrize("stage", STAGES)
@fuzz_settings(12)
@given(data=st.data())
def test_broadcast_wizard(harness: Harness, photo: str, stage: str, data: st.DataObject) -> None:
    locale = data.draw(st.sampled_from(LOCALES), label="locale")
    author = harness.new_user(locale, role=data.draw(st.sampled_from(["organizer", "admin"])))
    text = data.draw(st.sampled_from(VALID_TEXTS), label="first text")
    draft = harness.run(prepare(harness, author.id, stage, text, photo))
    open_wizard(harness, author)
    service = harness.services.broadcasts
    options = {name: service.options(name, Audience()) for name in FILTERS}
    codes = sorted({code for values in options.values() for code in values})
    for _ in range(data.draw(st.integers(1, 4), label="events")):
        real = visible_codes(author)
        fields = [
            BC_ACTIONS,
            [str(draft.id), str(draft.id + 1)],
            [*FILTERS, *LOCALES],
            [*codes, "-"],
        ]
        event = data.draw(broadcast_events(real, fields), label="event")
        with harness.watching(author) as reaction:
            sent = event.send(author, harness)
            harness.pump()
        after = harness.run(service.repository.get(draft.id))
        check_wizard(event, sent, draft, after)
        if after is not None and after.status == "draft":
            check_draft(after, options)
        check_answered(harness, author, event, sent, reaction)
        current = harness.run(service.repository.draft_of(author.id))
        if current is None:  # sent or discarded: the next event may open a new one
            current = harness.run(service.open_draft(author.id))
        draft = current


def open_wizard(harness: Harness, author: FakeUser) -> None:
    with harness.watching(author) as reaction:
        author.send_text("/broadcast")
        harness.pump()
    assert reaction.events
