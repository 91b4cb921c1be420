"""Training seats on a real SQLite file, with the clock moved: taken at acceptance, freed by a
decline or a member's cancel and offered to the next who asked; the attendance window of a
session; hand marking; attestations issued once, verified, and erased with the person."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from pypdf import PdfReader

from bot.context import Services
from bot.i18n import I18n
from bot.questionnaire import BY_KEY, TRAINING_FULL, Ask
from bot.services.trainings import Scan, normalize_code
from bot.validation import ValidationError
from bot.views import trainings as view
from bot.views.attestation_pdf import attestation_pdf
from bot.wiring import render_delivery
from storage.applications import Application
from storage.outbox import Delivery
from storage.statuses import SeatState, Status
from storage.trainings import DueAttestation, new_code
from tests.bot.services.test_applications import fill, started
from tests.conftest import FakeClock
from tests.e2e.bot_process import ROOT

TRAINING = "ifrane-1-admin"


@pytest.fixture
async def one_seat(services: Services) -> Services:
    await services.db.execute("UPDATE trainings SET seats = 1 WHERE code = ?", (TRAINING,))
    for user_id in (1, 2, 3):
        await services.users.touch(user_id, f"Prénom{user_id}", services.clock())
    return services


async def wishing(services: Services, user_id: int, **answers: object) -> Application:
    applications = services.applications
    await started(applications, user_id)
    unique = {"phone": f"+2126120000{user_id:02d}", "coop_register": f"{user_id}/2019"}
    draft = await fill(applications, user_id, {"trainings": [TRAINING], **unique, **answers})
    sent = await applications.submit(draft)
    assert isinstance(sent, Application), sent
    return sent


async def state(services: Services, application: Application) -> SeatState | None:
    seat = await services.trainings.repository.seat(application.id, TRAINING)
    return seat.state if seat else None


async def templates_to(services: Services, user_id: int) -> list[str]:
    rows = await services.db.fetchall(
        "SELECT template FROM deliveries WHERE recipient_id = ? ORDER BY id", (user_id,)
    )
    return [str(row[0]) for row in rows]


async def test_a_seat_is_taken_at_acceptance_and_a_freed_one_offered(one_seat: Services) -> None:
    services = one_seat
    first, second = await wishing(services, 1), await wishing(services, 2)
    # Ticking is a wish: nobody holds a seat before a decision.
    assert await services.applications.repository.full_trainings("ifrane-1") == frozenset()
    assert await state(services, first) is None

    await services.applications.set_status(first.id, Status.ACCEPTED, 99)
    await services.applications.set_status(second.id, Status.ACCEPTED, 99)
    assert await state(services, first) is SeatState.HELD
    assert await state(services, second) is SeatState.QUEUED
    assert await services.applications.repository.full_trainings("ifrane-1") == {TRAINING}
    assert "training_seat" in await templates_to(services, 1)
    assert "training_queued" in await templates_to(services, 2)

    # The first declines the market: the seat goes to the second, who takes it.
    await services.applications.set_status(first.id, Status.DECLINED, 1)
    assert await state(services, first) is SeatState.RELEASED
    assert await state(services, second) is SeatState.PROPOSED
    assert "training_proposed" in await templates_to(services, 2)
    assert await services.trainings.take(second.id, TRAINING, 1) is None  # not theirs
    assert await services.trainings.take(second.id, TRAINING, 2) is not None
    assert await state(services, second) is SeatState.HELD


async def test_a_cancel_by_the_member_frees_the_seat(one_seat: Services) -> None:
    services = one_seat
    first, second = await wishing(services, 1), await wishing(services, 2)
    for application in (first, second):
        await services.applications.set_status(application.id, Status.ACCEPTED, 99)
    assert not await services.trainings.drop(first.id, TRAINING, 2)  # someone else's seat
    assert await services.trainings.drop(first.id, TRAINING, 1)
    assert await state(services, first) is SeatState.CANCELLED
    assert await state(services, second) is SeatState.PROPOSED
    assert not await services.trainings.drop(first.id, TRAINING, 1)  # pressed again


async def test_a_full_training_cannot_be_ticked(one_seat: Services) -> None:
    services = one_seat
    await services.applications.set_status((await wishing(services, 1)).id, Status.ACCEPTED, 99)
    applications = services.applications
    await started(applications, 3)
    # The whole form, trainings unticked.
    draft = await fill(applications, 3, {"phone": "+212612000003", "coop_register": "3/2019"})
    # Back to the trainings question: its answer removed, the form asks it again.
    await services.db.execute(
        "DELETE FROM answers WHERE application_id = ? AND question = 'trainings'",
        (draft.application.id,),
    )
    draft = await applications.draft(3)
    assert draft is not None and isinstance(draft.step, Ask)
    assert draft.step.question.key == "trainings" and draft.form.full == {TRAINING}
    with pytest.raises(ValidationError) as refused:
        await applications.toggle(draft, BY_KEY["trainings"], TRAINING)
    assert refused.value.message == TRAINING_FULL
    assert await applications.toggle(draft, BY_KEY["trainings"], "ifrane-1-finance")


async def test_the_attendance_window(one_seat: Services, clock: FakeClock) -> None:
    services = one_seat
    first = await wishing(services, 1)
    await services.applications.set_status(first.id, Status.ACCEPTED, 99)
    training = services.catalogue.training(TRAINING)
    assert training is not None
    token = await services.trainings.token(training)
    assert await services.trainings.token(training) == token  # one code per session

    clock.now = training.starts - timedelta(minutes=1)
    assert (await services.trainings.scan(token, 1)).outcome is Scan.OUTSIDE
    clock.now = training.starts
    assert (await services.trainings.scan(token, 2)).outcome is Scan.NO_SEAT
    clock.now = training.ends + timedelta(minutes=59)
    assert (await services.trainings.scan(token, 1)).outcome is Scan.SIGNED
    clock.now = training.ends + timedelta(hours=1)
    assert (await services.trainings.scan(token, 1)).outcome is Scan.OUTSIDE
    assert (await services.trainings.scan("forged", 1)).outcome is Scan.UNKNOWN


async def test_hand_marking_then_one_attestation_verified_and_erased(
    one_seat: Services, clock: FakeClock
) -> None:
    services = one_seat
    first = await wishing(services, 1, contact_name="فاطمة الزهراء")
    await services.applications.set_status(first.id, Status.ACCEPTED, 99)
    training = services.catalogue.training(TRAINING)
    assert training is not None
    clock.now = training.starts + timedelta(minutes=5)
    assert await services.trainings.mark(training, first.id, 99) is True
    assert await services.trainings.mark(training, first.id, 99) is False  # ticked off again
    assert await services.trainings.mark(training, first.id, 99) is True
    assert [a.attended for a in await services.trainings.attendees(training)] == [True]

    assert await services.trainings.due() == []  # the session's hour after is not over
    clock.now = training.ends + timedelta(hours=1)
    (due,) = await services.trainings.due()
    assert (due.kind, due.subject, due.person_name) == ("training", TRAINING, "فاطمة الزهراء")
    code = new_code()
    assert await services.trainings.issue(due, code, {"code": code})
    assert not await services.trainings.issue(due, new_code(), {})  # never twice
    assert await services.trainings.due() == []
    assert (await templates_to(services, 1)).count("attestation") == 1

    found_code, found = await services.trainings.verify(code.lower().replace("-", " "))
    assert found_code == code and found is not None and found.person_name == "فاطمة الزهراء"
    assert (await services.trainings.verify("K7QM-4XPD-9TRA"))[1] is None

    await services.privacy.erase(1)
    assert (await services.trainings.verify(code))[1] is None


def test_codes_are_unguessable_and_read_back_as_typed() -> None:
    codes = {new_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert normalize_code("k7qm 4xpd 9tra") == "K7QM-4XPD-9TRA"


def test_the_attestation_pdf_holds_both_languages(services: Services) -> None:
    i18n = I18n()
    due = DueAttestation("training", TRAINING, 1, 1, "Coopérative Tifawin", "فاطمة الزهراء")
    params: dict[str, object] = {"code": "K7QM-4XPD-9TRA"}
    for locale in ("fr", "ar"):
        texts = view.attestation_texts(
            i18n.translator(locale), services.catalogue, due, "K7QM-4XPD-9TRA", "souk_bot"
        )
        assert texts is not None
        params[locale] = texts
    reader = PdfReader(io.BytesIO(attestation_pdf(json.loads(json.dumps(params)))))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for wanted in (
        "Attestation de participation",
        "Gestion administrative",
        "mardi 4 mai 2027",
        "شهادة المشاركة",
        "التدبير",  # the title may be broken across two lines
        "للتعاونية",
        "فاطمة الزهراء",
        "Coopérative Tifawin",
        "/verify K7QM-4XPD-9TRA",
    ):
        assert wanted in text, (wanted, text)
    # The person's Arabic name inside the French paragraph too (its glyphs from the Arabic font).
    french = text.split("شهادة المشاركة")[0]
    assert "فاطمة" in french and "الزهراء" in french, french
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index, union-attr]
    }
    assert any("NotoNaskhArabic" in name for name in fonts), fonts


async def test_training_reminders_and_messages_only_for_a_seat_still_held(
    one_seat: Services,
) -> None:
    """A wish without a seat (the training full, or the seat given up) is not reminded; a
    seat's confirmation queued and then given up is not sent."""
    services = one_seat
    first, second = await wishing(services, 1), await wishing(services, 2)
    for application in (first, second):
        await services.applications.set_status(application.id, Status.ACCEPTED, 99)
    rows = [
        Delivery(r[0], r[1], "notification", r[2], json.loads(r[3]), 0, "fr")
        for r in await services.db.fetchall(
            "SELECT id, recipient_id, template, params FROM deliveries ORDER BY id"
        )
    ]
    rendered = {
        (row.recipient_id, row.template, str(row.params.get("training"))): await render_delivery(
            services, row
        )
        for row in rows
        if row.template in {"training_soon", "training_seat", "training_queued"}
    }
    assert rendered[(1, "training_soon", TRAINING)] is not None
    assert rendered[(2, "training_soon", TRAINING)] is None  # queued: no seat
    assert rendered[(1, "training_seat", TRAINING)] is not None
    assert rendered[(2, "training_queued", TRAINING)] is not None
    await services.trainings.drop(first.id, TRAINING, 1)
    seat_row = next(r for r in rows if (r.recipient_id, r.template) == (1, "training_seat"))
    assert await render_delivery(services, seat_row) is None


async def test_the_migration_gives_seats_to_places_already_held(one_seat: Services) -> None:
    services = one_seat
    first, second = await wishing(services, 1), await wishing(services, 2)
    await services.applications.set_status(first.id, Status.ACCEPTED, 99)
    await services.db.execute("DELETE FROM training_seats")
    migration = ROOT / "storage/migrations/0021_training_seats.sql"
    (backfill,) = [s for s in migration.read_text().split(";") if "INSERT INTO" in s]
    await services.db.execute(backfill)
    assert await state(services, first) is SeatState.HELD
    assert await state(services, second) is None  # submitted only: a wish


async def test_a_correction_of_the_trainings_moves_the_seats(one_seat: Services) -> None:
    """Unticked after acceptance: the seat goes to the next; ticked again: back in the queue."""
    services = one_seat
    first, second = await wishing(services, 1), await wishing(services, 2)
    for application in (first, second):
        await services.applications.set_status(application.id, Status.ACCEPTED, 99)
    # The holder's own seat does not count as full for them while correcting.
    assert await services.applications.repository.full_trainings("ifrane-1", first.id) == set()
    repository = services.applications.repository
    await repository.save_answer(first.id, "trainings", ["ifrane-1-finance"], services.clock())
    assert await state(services, first) is SeatState.CANCELLED
    assert await state(services, second) is SeatState.PROPOSED
    finance = await services.trainings.repository.seat(first.id, "ifrane-1-finance")
    assert finance is not None and finance.state is SeatState.HELD
    await repository.save_answer(first.id, "trainings", [TRAINING], services.clock())
    assert await state(services, first) is SeatState.QUEUED
    finance = await services.trainings.repository.seat(first.id, "ifrane-1-finance")
    assert finance is not None and finance.state is SeatState.CANCELLED
