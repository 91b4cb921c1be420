"""/poster, example by example: what an organizer gets, and what others do not."""

from __future__ import annotations

from bot.callbacks import PosterFor
from tests.inprocess.harness import Harness


def test_an_arabic_organizer_picks_the_market_and_gets_a_preview_and_the_file(
    harness: Harness,
) -> None:
    organizer = harness.new_user("ar", role="organizer")
    with harness.watching(organizer) as reaction:
        organizer.send_command("/poster", "casablanca")
        harness.pump()
    (choice,) = reaction.events
    assert "سوق غير معروف" in (choice.text or "") and "casablanca" in (choice.text or "")
    assert choice.button_texts() == ["سوق إفران", "معرض المحمدية"]
    with harness.watching(organizer) as reaction:
        organizer.press(callback_data=PosterFor("mohammedia").pack(), message_id=choice.message_id)
        harness.pump()
    preview, document = reaction.events
    assert preview.photo is not None and "ملصق" in (preview.text or "")
    assert document.document is not None
    assert document.document["file_name"] == "affiche-mohammedia.png"
    assert (document.document["content"] or b"").startswith(b"\x89PNG")
    assert "https://t.me/souk_test_bot?start=mohammedia" in (document.text or "")


def test_no_poster_for_a_market_whose_phases_are_all_closed(harness: Harness) -> None:
    organizer = harness.new_user("fr", role="organizer")
    with harness.watching(organizer):
        organizer.send_command("/close", "mohammedia-1")
        harness.pump()
    try:
        with harness.watching(organizer) as reaction:
            organizer.send_command("/poster", "mohammedia")
            harness.pump()
        (answer,) = reaction.events
        assert "fermées pour toutes les phases" in (answer.text or "")
        assert answer.document is None and answer.photo is None
    finally:
        with harness.watching(organizer):
            organizer.send_command("/open", "mohammedia-1")
            harness.pump()


def test_an_applicant_has_no_poster_command(harness: Harness) -> None:
    applicant = harness.new_user("fr")
    with harness.watching(applicant) as reaction:
        applicant.send_command("/poster", "ifrane")
        harness.pump()
    assert [event.text for event in reaction.events if event.document or event.photo] == []
    assert "pas compris" in (reaction.events[0].text or "")
