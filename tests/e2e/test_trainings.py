"""Trainings with seats, attendance and attestations (issue 17, items 3 and 4), over HTTP.

One training of one seat: the first accepted holds it, the second waits, a third applicant
sees it full and cannot tick it; the holder gives it up and the seat is offered to the one
waiting, who takes it. The catalogue is then moved (`/reload`, as an organizer would) so that
the session is under way: the trainer's QR code decodes to a deep link that signs the member
in; moved again, the session is over: the same code is refused, and the member receives the
attestations (the training's, the phase's) as PDFs whose text holds the French and the Arabic,
with a code that `/verify` recognises, and a forged one that it does not.
"""

from __future__ import annotations

import io
import re
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from bot.callbacks import (
    CardAction,
    Done,
    DropSeat,
    ReviewCard,
    Submit,
    TakeSeat,
    Toggle,
)
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.bot_process import ROOT, BotProcess, StartBot
from tests.e2e.journey import (
    buttons_of,
    choose_language,
    next_new_message,
    open_draft,
    press_button,
)
from tests.e2e.test_apply import answer_until

ADMIN = 9701
BOT_USERNAME = "souk_test_bot"  # the fake's default
CASABLANCA = ZoneInfo("Africa/Casablanca")
TRAINING = "ifrane-1-admin"
SOURCE = (ROOT / "bot/data/markets.toml").read_text(encoding="utf-8")
PHASE_1 = (
    "starts = 2027-05-03T10:00:00\n  ends = 2027-05-09T20:00:00\n"
    "  application_deadline = 2027-04-12T23:59:00"
)
TRAINING_STARTS = {
    "ifrane-1-admin": "2027-05-04T08:00:00",
    "ifrane-1-finance": "2027-05-05T08:00:00",
    "ifrane-1-marketing": "2027-05-06T08:00:00",
}
ARABIC_NAME = "فاطمة الزهراء العلوي"


def _local(moment: datetime) -> str:
    return moment.astimezone(CASABLANCA).strftime("%Y-%m-%dT%H:%M:00")


def catalogue(
    phase: tuple[datetime, datetime, datetime] | None, starts: dict[str, datetime]
) -> str:
    """The bundled catalogue, the admin training of phase 1 with one seat; with `phase`
    (starts, ends, deadline) and `starts`, phase 1 and its trainings moved in time."""
    text = SOURCE
    assert PHASE_1 in text
    if phase is not None:
        begin, end, deadline = (_local(m) for m in phase)
        text = text.replace(
            PHASE_1,
            f"starts = {begin}\n  ends = {end}\n  application_deadline = {deadline}",
        )
    for code, old in TRAINING_STARTS.items():
        block = f'code = "{code}"\n  phase = 1\n'
        head, tail = text.split(block)
        new = _local(starts[code]) if code in starts else old
        tail = tail.replace(f"starts = {old}", f"starts = {new}", 1)
        if code == TRAINING:
            tail = tail.replace("seats = 30", "seats = 1", 1)
        text = head + block + tail
    return text


@pytest.fixture(scope="module")
def markets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("catalogue") / "markets.toml"
    path.write_text(catalogue(None, {}), "utf-8")
    return path


@pytest.fixture(scope="module")
def bot(fake: FakeTelegram, start_bot: StartBot, markets: Path) -> BotProcess:
    process = start_bot(name="trainings", admins=[ADMIN], quiet_hours="off", markets=markets)
    choose_language(fake.user(ADMIN, first_name="Nadia", language_code="fr"), "Français")
    return process


def waiting_for(user: FakeUser, found: Callable[[BotMessage], bool]) -> BotMessage:
    while True:
        message = user.expect_message(timeout=40)
        if found(message):
            return message


def says(*parts: str) -> Callable[[BotMessage], bool]:
    return lambda m: all(part in (m.text or "") for part in parts)


def apply_with_training(user: FakeUser, language: str, **typed: str) -> str:
    choose_language(user, language)
    phone, register = f"2126{user.id % 100_000_000:08d}", f"{user.id}/2020"
    question = answer_until(
        user,
        open_draft(user, "ifrane-1"),
        phone=phone,
        register=register,
        typed=typed,
        stop_before="trainings",
    )
    press_button(user, question, Toggle, choice=TRAINING)
    assert any(b.startswith("✅") for b in user.expect_message().button_texts())
    summary = answer_until(user, question, phone=phone, register=register, typed=typed)
    press_button(user, summary, Submit)
    found = re.search(r"[A-Z]{3}-\d-\d{4}", next_new_message(user).text or "")
    assert found
    return found.group(0)


def accept(fake: FakeTelegram, reference: str) -> None:
    organizer = fake.user(ADMIN)
    organizer.drain()
    organizer.send_command("/app", reference)
    card = waiting_for(organizer, lambda m: bool(buttons_of(m, ReviewCard)))
    target = buttons_of(card, ReviewCard)[0].application_id
    organizer.press_data(
        ReviewCard(CardAction.ACCEPT, target, "all").pack(), message_id=card.message_id
    )
    waiting_for(organizer, says("Décision enregistrée"))


def reload(fake: FakeTelegram, markets: Path, text: str) -> None:
    markets.write_text(text, "utf-8")
    organizer = fake.user(ADMIN)
    organizer.drain()
    organizer.send_command("/reload")
    reply = waiting_for(organizer, says("Catalogue"))
    assert "✅" in (reply.text or ""), reply.text


def seat_state(bot: BotProcess, user_id: int) -> tuple[str, str | None]:
    with sqlite3.connect(bot.database) as connection:
        row = connection.execute(
            "SELECT state, attended_at FROM training_seats WHERE user_id = ? AND training_code = ?",
            (user_id, TRAINING),
        ).fetchone()
    return (str(row[0]), row[1]) if row else ("none", None)


def test_seats_attendance_and_attestations(
    fake: FakeTelegram, bot: BotProcess, markets: Path, new_user_id: int
) -> None:
    holder = fake.user(new_user_id, language_code="fr")
    waiting = fake.user(new_user_id + 1, language_code="ar")
    late = fake.user(new_user_id + 2, language_code="fr")
    held_ref = apply_with_training(holder, "Français")
    waiting_ref = apply_with_training(waiting, "العربية", contact_name=ARABIC_NAME)

    accept(fake, held_ref)
    confirmation = waiting_for(holder, says("Votre place est réservée", "Gestion administrative"))
    assert "📍 Ifrane, tente de formation du marché" in (confirmation.text or "")
    accept(fake, waiting_ref)
    decision = waiting_for(waiting, lambda m: any(d.endswith(":y") for d in m.callback_data()))
    waiting_for(waiting, says("التدبير الإداري للتعاونية", "لائحة الانتظار"))
    assert seat_state(bot, waiting.id)[0] == "queued"

    # A full training: shown as full, and ticking it is refused.
    choose_language(late, "Français")
    question = answer_until(
        late,
        open_draft(late, "ifrane-1"),
        phone=f"2126{late.id % 100_000_000:08d}",
        register=f"{late.id}/2020",
        stop_before="trainings",
    )
    assert "Formation complète" in (question.text or ""), question.text
    label = next(b for b in question.button_texts() if "Gestion administrative" in b)
    assert label.startswith("⛔"), question.button_texts()
    toggle = Toggle(buttons_of(question, Toggle)[0].application_id, "trainings", TRAINING)
    query = late.press_data(toggle.pack(), message_id=question.message_id)
    assert "complète" in late.callback_answer(query).get("text", "")
    press_button(late, question, Done, question="trainings")
    late.drain()

    # The holder gives the seat up: it is offered to the one waiting, who takes it.
    press_button(holder, confirmation, DropSeat, training=TRAINING)
    waiting_for(holder, says("n'êtes plus inscrit"))
    offer = waiting_for(waiting, lambda m: bool(buttons_of(m, TakeSeat)))
    assert "التدبير الإداري للتعاونية" in (offer.text or "")
    press_button(waiting, offer, TakeSeat, training=TRAINING)
    waiting_for(waiting, lambda m: bool(buttons_of(m, DropSeat)) and not m.edited)
    assert seat_state(bot, waiting.id)[0] == "held"
    assert seat_state(bot, holder.id)[0] == "cancelled"
    # The waiting member confirms the place at the market (for the phase's attestation).
    waiting.press(
        callback_data=next(d for d in decision.callback_data() if d.endswith(":y")),
        message_id=decision.message_id,
    )
    waiting.drain()

    # The session is under way: the trainer's QR code signs the member in.
    now = datetime.now(CASABLANCA)
    day = now.replace(hour=10, minute=0, second=0, microsecond=0)
    reload(
        fake,
        markets,
        catalogue(
            (day - timedelta(days=1), day + timedelta(days=5), day - timedelta(days=2)),
            {
                TRAINING: now - timedelta(minutes=30),
                "ifrane-1-finance": day + timedelta(days=1),
                "ifrane-1-marketing": day + timedelta(days=2),
            },
        ),
    )
    organizer = fake.user(ADMIN)
    organizer.send_command("/attendance", TRAINING)
    photo = waiting_for(organizer, lambda m: m.attachment is not None)
    assert "Gestion administrative" in (photo.text or "")
    content = photo.attachment["content"] if photo.attachment else None
    assert content
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(content)).convert("L"))
    link = re.fullmatch(rf"https://t\.me/{BOT_USERNAME}\?start=(att_[A-Za-z0-9_-]+)", found.text)
    assert link, found.text
    listing = waiting_for(organizer, lambda m: "place réservée" in (m.text or ""))
    assert any("Coopérative Tifawin" in b for b in listing.button_texts())
    waiting.send_command("/start", link.group(1))
    waiting_for(waiting, says("تم تسجيل حضوركم"))
    assert seat_state(bot, waiting.id)[1] is not None

    # The session and its hour after are over: the same code is refused; the attestations come.
    reload(
        fake,
        markets,
        catalogue(
            (day - timedelta(days=3), now - timedelta(minutes=10), day - timedelta(days=4)),
            {
                TRAINING: now - timedelta(hours=4),
                "ifrane-1-finance": day - timedelta(days=2),
                "ifrane-1-marketing": day - timedelta(days=1),
            },
        ),
    )
    waiting.drain()
    waiting.send_command("/start", link.group(1))
    refused = waiting_for(waiting, says("⛔"))
    assert "التدبير الإداري للتعاونية" in (refused.text or "")

    documents: dict[str, str] = {}
    while len(documents) < 2:
        sent = waiting_for(
            waiting, lambda m: m.attachment is not None and m.attachment["kind"] == "document"
        )
        assert sent.attachment and sent.attachment["content"]
        text = PdfReader(io.BytesIO(sent.attachment["content"])).pages[0].extract_text()
        documents[sent.text or ""] = text
    training_pdf = next(text for caption, text in documents.items() if "التدبير" in caption)
    for wanted in (
        "Attestation de participation",
        "Gestion administrative",
        "شهادة المشاركة",
        "التدبير",
        "للتعاونية",
        ARABIC_NAME,
        "Coopérative Tifawin",
    ):
        assert wanted in training_pdf, (wanted, training_pdf)
    phase_pdf = next(text for caption, text in documents.items() if "التدبير" not in caption)
    assert "exposant" in phase_pdf and ARABIC_NAME in phase_pdf, phase_pdf

    code = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", training_pdf)
    assert code, training_pdf
    late.send_command("/verify", code.group(0).lower())
    valid = waiting_for(late, says("Attestation valable"))
    assert "Gestion administrative" in (valid.text or "") and ARABIC_NAME in (valid.text or "")
    late.send_command("/verify", "K7QM-4XPD-9TRA")
    waiting_for(late, says("Aucune attestation"))
