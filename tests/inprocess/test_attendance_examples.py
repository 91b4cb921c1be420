"""/attendance, example by example: the session's QR code and the list a trainer marks by
hand; nothing for a member."""

from __future__ import annotations

from bot.callbacks import AttendanceMark, AttendancePick
from storage.applications import Application
from storage.statuses import Status
from tests.bot.services.test_applications import fill, started
from tests.inprocess.harness import Harness

TRAINING = "ifrane-1-admin"


async def _holding_a_seat(harness: Harness, user_id: int) -> Application:
    services = harness.services
    await started(services.applications, user_id)
    answers = {
        "trainings": [TRAINING],
        "structure_name": "Tifawin Attendance",
        "phone": f"+2126130{user_id % 100_000:05d}",
        "coop_register": f"{user_id}/2021",
    }
    sent = await services.applications.submit(await fill(services.applications, user_id, answers))
    assert isinstance(sent, Application), sent
    await services.applications.set_status(sent.id, Status.ACCEPTED, 1)
    return sent


def test_a_trainer_gets_the_code_and_marks_a_member_present_by_hand(harness: Harness) -> None:
    member = harness.new_user("fr")
    with harness.watching(member):
        harness.run(_holding_a_seat(harness, member.id))
        harness.pump()
    trainer = harness.new_user("fr", role="organizer")
    with harness.watching(trainer) as reaction:
        trainer.send_command("/attendance")
        harness.pump()
    (choice,) = reaction.events
    assert "quelle formation" in (choice.text or "")
    assert len(choice.button_texts()) >= 3
    with harness.watching(trainer) as reaction:
        trainer.press(callback_data=AttendancePick(TRAINING).pack(), message_id=choice.message_id)
        harness.pump()
    photo, listing = (event for event in reaction.events if not event.edited)
    assert photo.photo is not None and "Gestion administrative" in (photo.text or "")
    assert "0 présent" in (listing.text or ""), listing.text
    (row,) = [label for label in listing.button_texts() if "Tifawin Attendance" in label]
    assert row.startswith("▫️")
    (mark,) = [data for data in listing.callback_data() if (AttendanceMark.parse(data) is not None)]
    with harness.watching(trainer) as reaction:
        trainer.press(callback_data=mark, message_id=listing.message_id)
        harness.pump()
    edited = reaction.events[-1]
    assert edited.edited and "1 présent" in (edited.text or ""), edited.text
    assert any(label.startswith("✅") for label in edited.button_texts())


def test_a_member_has_no_attendance_command(harness: Harness) -> None:
    member = harness.new_user("fr")
    with harness.watching(member) as reaction:
        member.send_command("/attendance", TRAINING)
        harness.pump()
    assert all(event.photo is None for event in reaction.events)
    assert "pas compris" in (reaction.events[0].text or "")
