"""The bugs the property-based tests found, each pinned by a plain example on the real
application (in-process, against the fake Bot API)."""

from __future__ import annotations

from typing import Any

from bot.questionnaire import Ask, Question
from bot.services.applications import Draft
from localbotapi import FakeUser
from tests.fuzz.applicant import bring_to, fixed_answers, show, snapshot
from tests.fuzz.checks import check_bidi
from tests.fuzz.console import real_media, submitted
from tests.inprocess.harness import Harness, Reaction

REFUSED = "Ce bouton n'est plus valable."


def press(harness: Harness, user: FakeUser, data: str) -> tuple[Reaction, str | None]:
    """Press `data` on the last bot message; the reaction and the button's answer text."""
    with harness.watching(user) as reaction:
        query_id = user.press_data(data)
        harness.pump()
    answer = reaction.callback_answer(query_id)
    assert answer is not None, f"{data!r} not answered"
    text = answer.params.get("text")
    return reaction, text if isinstance(text, str) else None


def send(harness: Harness, user: FakeUser, text: str) -> Reaction:
    with harness.watching(user) as reaction:
        user.send_text(text)
        harness.pump()
    return reaction


def test_forged_done_and_tick_buttons_change_nothing(harness: Harness) -> None:
    """`d:<app>:structure_name` stored [] as the structure's name; a tick on a choice
    question stored a list for it."""
    user = harness.new_user("fr")
    draft = harness.run(bring_to(harness, user, "cooperative", "structure_name", fixed_answers))
    harness.run(show(harness, user, draft, "fr"))
    app = draft.application.id
    for data_ in (f"d:{app}:structure_name", f"t:{app}:structure_name:cooperative"):
        _, answer = press(harness, user, data_)
        assert answer == REFUSED
    before_choice = harness.run(snapshot(harness, app))
    assert before_choice.answers == draft.answers
    user2 = harness.new_user("fr")
    first = harness.run(bring_to(harness, user2, "cooperative", "legal_form", fixed_answers))
    harness.run(show(harness, user2, first, "fr"))
    _, answer = press(harness, user2, f"t:{first.application.id}:legal_form:cooperative")
    assert answer == REFUSED
    assert harness.run(snapshot(harness, first.application.id)).answers == {}
    _, answer = press(harness, user2, f"d:{first.application.id}:photos")
    assert answer == REFUSED


def test_odd_ids_in_buttons_are_refused_politely(harness: Harness) -> None:
    """ "²".isdigit() is True but int() refuses it; 20 digits overflow SQLite."""
    user = harness.new_user("ar")
    draft = harness.run(bring_to(harness, user, "cooperative", "province", fixed_answers))
    harness.run(show(harness, user, draft, "ar"))
    for forged in (
        "a:²:province:fes",
        "back:²",
        "cor:²",
        "ce:²:town",
        "wd:99999999999999999999",
        "cf:9223372036854775808:y",
        "del:y:²",
    ):
        _, answer = press(harness, user, forged)
        assert answer is None or "ⵜ" not in answer
        assert harness.run(snapshot(harness, draft.application.id)).answers == draft.answers
    step = harness.run(harness.services.applications.draft(user.id))
    assert step is not None and isinstance(step.step, Ask)


def test_review_scope_is_always_a_known_code(harness: Harness) -> None:
    """`/review ⵜⵉⴼⴰⵡⵉⵏ` put the text in the card's callback data: ValueError (not ASCII,
    or longer than 64 bytes)."""
    application = harness.run(submitted(harness, fixed_answers))
    organizer = harness.new_user("fr", role="organizer")
    for command in ("/review ⵜⵉⴼⴰⵡⵉⵏ", "/review " + "x" * 80, "/review ifrane 1"):
        reaction = send(harness, organizer, command)
        codes = [code for event in reaction.events for code in event.callback_data()]
        assert codes and all(code.isascii() and len(code) <= 64 for code in codes), codes
    for forged in (f"rv:show:{application.id}:ⵜ", f"rv:next:{application.id}:{'y' * 50}"):
        reaction, _ = press(harness, organizer, forged)
        codes = [code for event in reaction.events for code in event.callback_data()]
        assert all(code.endswith((":all", ":ifrane-1")) for code in codes if code.startswith("rv"))
    reaction, _ = press(harness, organizer, f"rv:grant:{application.id}:all")
    assert reaction.events  # an unknown action: the menu, nothing else


def test_find_with_a_very_long_text_says_so(harness: Harness) -> None:
    """A 10,000-character /find made SQLite fail: "LIKE or GLOB pattern too complex"."""
    harness.run(submitted(harness, fixed_answers))
    organizer = harness.new_user("ar", role="reviewer")
    reaction = send(harness, organizer, "/find " + "ⴱ\ufeffÿ" * 3_000)
    assert [event.text for event in reaction.events] == [
        "نص البحث طويل جدا. أكبر عدد من الحروف: 120."
    ]
    # Bidi marks pasted with a name do not prevent finding it.
    reaction = send(harness, organizer, "/find \u200fTifa\u200ewin")
    assert reaction.events and reaction.events[0].callback_data()


def test_an_edit_without_a_draft_gets_an_answer(harness: Harness) -> None:
    """Editing a message outside the questionnaire got no reply."""
    user = harness.new_user("ar")
    original = user.send_text("Bonjour")
    harness.skip_pending()
    with harness.watching(user) as reaction:
        user.edit_message(original["message_id"], "Bonjour, je voudrais candidater")
        harness.pump()
    assert [event.text for event in reaction.events] == [
        "\u200fتعديل رسالة مرسلة لا يغير شيئا: أرسلوا رسالة جديدة."
    ]


def test_a_first_name_cannot_turn_the_greeting_around(harness: Harness) -> None:
    """A Telegram first name with an override left open ("\\u202eamitaF") reversed the rest
    of "Bonjour ... ! Que voulez-vous faire ?"; an isolate left open swallowed it."""
    for locale, name in (("fr", "\u202eamitaF"), ("ar", "Ali \u2067علي"), ("fr", "x\u2069y")):
        user = harness.new_user(locale, first_name=name)
        reaction = send(harness, user, "/menu")
        check_bidi(reaction.events[0].text, "the greeting")
    admin = harness.new_user("fr", role="admin", first_name="\u202eamitaF")
    send(harness, admin, "/menu")  # the first name of a team member is kept
    reaction = send(harness, admin, "/team")
    check_bidi(reaction.events[0].text, "/team")


def test_buttons_on_a_message_the_bot_cannot_see_still_work(harness: Harness) -> None:
    """A press on a message deleted meanwhile: the answer is saved, then the bot's edit of
    that message failed ("message to edit not found") and the user got the error message."""
    user = harness.new_user("fr")
    draft = harness.run(bring_to(harness, user, "cooperative", "legal_form", fixed_answers))
    harness.run(show(harness, user, draft, "fr"))
    with harness.watching(user) as reaction:
        harness.make_inaccessible(user.press_data(f"a:{draft.application.id}:legal_form:tpe"))
        harness.pump()
    assert reaction.events  # the next question
    after = harness.run(snapshot(harness, draft.application.id))
    assert after.answers["legal_form"].value == "tpe"


def test_a_double_tap_is_not_an_error(harness: Harness) -> None:
    """Two taps on "J'accepte" (or a tick) before the first is handled: the second edit of
    the message changes nothing, and Telegram refused it ("message is not modified")."""
    user = harness.new_user("ar")
    send(harness, user, "/apply ifrane")
    phases = user.last_message
    assert phases is not None
    press(harness, user, next(c for c in phases.callback_data() if c.startswith("ph:")))
    consent = next(c for c in user.last_message.callback_data() if c.endswith(":y"))  # type: ignore[union-attr]
    with harness.watching(user):
        user.press_data(consent)
        user.press_data(consent)
        harness.pump()
    draft = harness.run(harness.services.applications.draft(user.id))
    assert draft is not None and draft.application.phase_code == "ifrane-1"


def test_a_second_consent_screen_never_erases_the_draft(harness: Harness) -> None:
    """The phase button tapped twice shows two consent screens; accepting the second one,
    after answering a few questions, restarted the draft: every answer was lost."""
    user = harness.new_user("fr")
    send(harness, user, "/apply ifrane")
    phases = user.last_message
    assert phases is not None
    phase = next(c for c in phases.callback_data() if c == "ph:ifrane-1")
    with harness.watching(user) as reaction:
        user.press_data(phase, message_id=phases.message_id)
        user.press_data(phase, message_id=phases.message_id)
        harness.pump()
    screens = [event for event in reaction.events if "cons:ifrane-1:y" in event.callback_data()]
    assert len(screens) == 2
    press_on(harness, user, "cons:ifrane-1:y", screens[0].message_id)
    draft = harness.run(harness.services.applications.draft(user.id))
    assert draft is not None
    harness.run(harness.services.applications.answer(draft, draft.step.question, "tpe"))  # type: ignore[union-attr]
    reaction = press_on(harness, user, "cons:ifrane-1:y", screens[1].message_id)
    again = harness.run(harness.services.applications.draft(user.id))
    assert again is not None and again.application.id == draft.application.id
    assert again.values == {"legal_form": "tpe"}
    assert "Question 2" in (reaction.events[-1].text or "")


def press_on(harness: Harness, user: FakeUser, data: str, message_id: int) -> Reaction:
    with harness.watching(user) as reaction:
        user.press_data(data, message_id=message_id)
        harness.pump()
    return reaction


async def _previewed(harness: Harness, author_id: int, text: str) -> int:
    """An announcement of `text` to everyone, without a photo, at its preview; its draft id."""
    service = harness.services.broadcasts
    draft = await service.open_draft(author_id)
    await service.to_texts(draft)
    await service.write(await service.open_draft(author_id), text)
    await service.same_text_for_everyone(await service.open_draft(author_id))
    await service.add_photo(await service.open_draft(author_id), None)
    return draft.id


def test_sending_from_a_preview_deleted_meanwhile(harness: Harness) -> None:
    """ "Envoyer" on a preview message deleted meanwhile: removing its buttons failed
    ("message to edit not found") before the broadcast started."""
    harness.run(submitted(harness, fixed_answers))
    author = harness.new_user("fr", role="organizer")
    service = harness.services.broadcasts

    draft_id = harness.run(_previewed(harness, author.id, "Réunion samedi."))
    send(harness, author, "/broadcast")
    with harness.watching(author):
        harness.make_inaccessible(author.press_data(f"bc:send:{draft_id}"))
        harness.pump()
    sent = harness.run(service.repository.get(draft_id))
    assert sent is not None and sent.status in {"sending", "done"}


def test_photos_and_voice_note_of_an_application(harness: Harness) -> None:
    """ "📷 Photos et message vocal" sent an album even of one photo: Telegram refuses an
    album of fewer than two."""
    media = real_media(harness)
    organizer = harness.new_user("ar", role="reviewer")
    for photos in (media.photos[:1], media.photos[:3]):
        answers = {"photos": list(photos), "products": {"voice": media.voice, "duration": 9}}

        def choose(question: Question, draft: Draft, fixed: dict[str, Any] = answers) -> Any:
            return fixed.get(question.key, fixed_answers(question, draft))

        application = harness.run(submitted(harness, choose))
        send(harness, organizer, f"/app {application.reference}")
        reaction, _ = press(harness, organizer, f"rv:med:{application.id}:all")
        sent = [event.method for event in reaction.events]
        album = ["sendMediaGroup"] * len(photos) if len(photos) > 1 else ["sendPhoto"]
        assert sent == [*album, "sendVoice"], sent


def test_announcements_list_quotes_each_on_one_line(harness: Harness) -> None:
    """/broadcasts quoted the start of an announcement with its line breaks: the isolate
    around it opened on one line and closed on another (Telegram lays out each line alone)."""
    harness.run(submitted(harness, fixed_answers))
    author = harness.new_user("ar", role="organizer")
    service = harness.services.broadcasts

    async def sent() -> None:
        await _previewed(harness, author.id, "ⴰⵎⵓⵏⵉ\n\nⴰⵙⵉⴽⵙ 🧺")
        assert await service.start(await service.open_draft(author.id), author.id, 1)

    harness.run(sent())
    reaction = send(harness, author, "/broadcasts")
    check_bidi(reaction.events[0].text, "/broadcasts")
    assert "ⴰⵎⵓⵏⵉ ⴰⵙⵉⴽⵙ 🧺" in (reaction.events[0].text or "")


def test_a_large_team_is_listed_in_several_messages(harness: Harness) -> None:
    """/team sent the whole team in one message: past about 60 members with long names,
    Telegram refused it ("message is too long")."""
    for _ in range(70):
        member = harness.new_user("fr", role="reviewer", first_name="ⵜ" * 64)
        send(harness, member, "/menu")  # a team member's first name is kept
    admin = harness.new_user("ar", role="admin")
    reaction = send(harness, admin, "/team")
    texts = [event.text or "" for event in reaction.events]
    assert len(texts) > 1 and all(len(text) <= 4096 for text in texts)
    assert sum(text.count("ⵜ" * 64) for text in texts) >= 70


def test_a_forged_button_on_a_file_is_answered(harness: Harness) -> None:
    """Question data forged on the /mydata file (a message without text): marking the
    question answered tried to edit a text that is not there."""
    user = harness.new_user("fr")
    draft = harness.run(bring_to(harness, user, "tpe", "ice", fixed_answers))
    send(harness, user, "/mydata")  # the file, then the question shown again below it
    files = [message for message in user.messages if message.method == "sendDocument"]
    assert len(files) == 1
    reaction = press_on(harness, user, f"s:{draft.application.id}:ice", files[0].message_id)
    assert reaction.events  # the next question
    after = harness.run(snapshot(harness, draft.application.id))
    assert after.answers["ice"].value is None
