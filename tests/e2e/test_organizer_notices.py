"""Organizers are told, and the catalogue from the chat (issue 15, items 4 and 6), over HTTP:
a decline in a French organizer's daily digest and at once to an Arabic organizer; a market
with `auto_offer = false` whose freed place waits for the organizer's button; a catalogue
sent back with a mistake refused with its key named, and a good one applied, the previous
file kept under a dated name."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.callbacks import CardAction, OfferFreed, ReviewCard, SetNotices, Submit
from localbotapi import BotMessage, FakeTelegram, FakeUser
from tests.e2e.bot_process import ROOT, BotProcess, StartBot
from tests.e2e.journey import (
    buttons_of,
    choose_language,
    next_new_message,
    open_draft,
    open_info_phase,
    press_button,
    press_code,
)
from tests.e2e.test_apply import answer_until

ADMIN_FR, ADMIN_AR = 9501, 9502
CASABLANCA = ZoneInfo("Africa/Casablanca")
MOHAMMEDIA = '[[markets]]\ncode = "mohammedia"'
# A second phase for Mohammedia, after the first (which ends on 31 March 2027).
NEW_PHASE = """
  [[markets.phases]]
  number = 2
  starts = 2027-04-20T10:00:00
  ends = 2027-04-25T20:00:00
  application_deadline = 2027-04-10T23:59:00
  place = { fr = "Esplanade du port", ar = "ساحة الميناء" }
  capacity = 40
"""


@pytest.fixture(scope="module")
def markets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled catalogue, with Mohammedia's freed places left to the organizers."""
    path = tmp_path_factory.mktemp("catalogue") / "markets.toml"
    source = (ROOT / "bot/data/markets.toml").read_text(encoding="utf-8")
    assert MOHAMMEDIA in source
    path.write_text(source.replace(MOHAMMEDIA, f"{MOHAMMEDIA}\nauto_offer = false"), "utf-8")
    return path


@pytest.fixture(scope="module")
def bot(fake: FakeTelegram, start_bot: StartBot, markets: Path) -> BotProcess:
    process = start_bot(
        name="notices", admins=[ADMIN_FR, ADMIN_AR], quiet_hours="off", markets=markets
    )
    choose_language(fake.user(ADMIN_FR, first_name="Nadia", language_code="fr"), "Français")
    arabic = fake.user(ADMIN_AR, first_name="Karim", language_code="ar")
    choose_language(arabic, "العربية")
    # The Arabic organizer wants each event at once.
    arabic.send_command("/notifications")
    choice = next_new_message(arabic)
    assert "ملخص واحد في اليوم" in (choice.text or ""), choice.describe()
    press_button(arabic, choice, SetNotices, immediate=True)
    edited = arabic.expect_message()
    assert edited.edited and "✅ ⚡ فورا" in edited.button_texts(), edited.describe()
    return process


def apply(user: FakeUser, language: str, phase_code: str) -> str:
    """A sent application; its reference."""
    choose_language(user, language)
    phone, register = f"2126{user.id % 100_000_000:08d}", f"{user.id}/2020"
    summary = answer_until(user, open_draft(user, phase_code), phone=phone, register=register)
    press_button(user, summary, Submit)
    sent = next_new_message(user).text or ""
    found = re.search(r"[A-Z]{3}-\d-\d{4}", sent)
    assert found, sent
    return found.group(0)


def decide(fake: FakeTelegram, reference: str, action: CardAction) -> None:
    organizer = fake.user(ADMIN_FR)
    organizer.drain()
    organizer.send_command("/app", reference)
    # The card (a look-alike of an earlier application may come first).
    card = waiting_for(organizer, lambda m: bool(buttons_of(m, ReviewCard)))
    target = buttons_of(card, ReviewCard)[0].application_id
    organizer.press_data(ReviewCard(action, target, "all").pack(), message_id=card.message_id)
    waiting_for(organizer, lambda m: "Décision enregistrée" in (m.text or ""))
    organizer.drain()


def decline(applicant: FakeUser) -> None:
    """The applicant declines the place offered, asked twice."""
    notice = next_new_message(applicant)
    press_code(applicant, notice, ":n")
    press_code(applicant, next_new_message(applicant), ":x")
    next_new_message(applicant)


def waiting_for(user: FakeUser, found: Callable[[BotMessage], bool]) -> BotMessage:
    """The first message to `user` that `found` accepts, skipping others (earlier notices)."""
    while True:
        message = user.expect_message(timeout=15)
        if found(message):
            return message


def status_of(bot: BotProcess, reference: str) -> str:
    with sqlite3.connect(bot.database) as connection:
        (status,) = connection.execute(
            "SELECT status FROM applications WHERE reference = ?", (reference,)
        ).fetchone()
    return str(status)


def test_a_decline_reaches_the_digest_and_an_organizer_told_at_once(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    applicant = fake.user(new_user_id, language_code="fr")
    reference = apply(applicant, "Français", "ifrane-1")
    decide(fake, reference, CardAction.ACCEPT)
    decline(applicant)

    # At once, in Arabic, to the organizer who chose it.
    arabic = waiting_for(fake.user(ADMIN_AR), lambda m: reference in (m.text or ""))
    assert "اعتذر عن المقعد" in (arabic.text or ""), arabic.text
    assert "سوق إفران" in (arabic.text or ""), arabic.text

    # The French organizer's digest waits for the next 18:00, market time.
    now = datetime.now(UTC)
    with sqlite3.connect(bot.database) as connection:
        rows = connection.execute(
            "SELECT not_before FROM deliveries WHERE recipient_id = ?"
            " AND template = 'organizer_digest' AND status = 'pending'",
            (ADMIN_FR,),
        ).fetchall()
        assert len(rows) == 1, rows
        moment = datetime.fromisoformat(rows[0][0])
        assert moment.astimezone(CASABLANCA).time() == time(18, 0), moment
        assert now < moment <= now + timedelta(days=1), moment
        # The evening comes.
        connection.execute(
            "UPDATE deliveries SET not_before = '2000-01-01T00:00:00+00:00'"
            " WHERE recipient_id = ? AND template = 'organizer_digest'",
            (ADMIN_FR,),
        )
    digest = waiting_for(fake.user(ADMIN_FR), lambda m: "Résumé du" in (m.text or ""))
    text = digest.text or ""
    assert "Marché d'Ifrane · phase 1" in text, text
    assert f"{reference} (Coopérative Tifawin) : a refusé la place" in text, text


def test_a_freed_place_waits_for_the_organizer_button(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    holder = fake.user(new_user_id, language_code="fr")
    waiting = fake.user(new_user_id + 50_000, language_code="ar")
    held = apply(holder, "Français", "mohammedia-1")
    queued = apply(waiting, "العربية", "mohammedia-1")
    decide(fake, held, CardAction.ACCEPT)
    decide(fake, queued, CardAction.WAITLIST)
    next_new_message(waiting)  # on the waiting list
    decline(holder)

    organizer = fake.user(ADMIN_AR)
    free = waiting_for(organizer, lambda m: bool(buttons_of(m, OfferFreed)))
    assert "مقعد شاغر ينتظر قراركم" in (free.text or ""), free.describe()
    assert status_of(bot, queued) == "waitlisted"  # nobody offered it on their own
    waiting.expect_no_message(within=1.5)

    press_button(organizer, free, OfferFreed, phase="mohammedia-1")
    done = waiting_for(organizer, lambda m: "الأول في لائحة الانتظار" in (m.text or ""))
    assert queued in (done.text or ""), done.text
    assert status_of(bot, queued) == "offered"
    offer = next_new_message(waiting)
    assert queued in (offer.text or "") and any(d.endswith(":y") for d in offer.callback_data())
    press_button(organizer, free, OfferFreed, phase="mohammedia-1")  # pressed again: nothing
    again = waiting_for(organizer, lambda m: "لا يوجد مقعد لاقتراحه" in (m.text or ""))
    assert again.text


def test_the_catalogue_goes_out_and_comes_back_checked(
    fake: FakeTelegram, bot: BotProcess, markets: Path
) -> None:
    organizer = fake.user(ADMIN_FR)
    organizer.drain()
    organizer.send_command("/catalogue")
    sent = next_new_message(organizer)
    assert sent.document is not None, sent.describe()
    assert sent.document["file_name"] == "markets.toml"
    current = (sent.document["content"] or b"").decode()
    assert current == markets.read_text(encoding="utf-8")

    # A mistake: refused with the file, the key and the reason; nothing changes.
    broken = current.replace("  capacity = 70", "  capacity = soixante-dix", 1)
    organizer.send_document("markets.toml", content=broken.encode())
    refusal = waiting_for(organizer, lambda m: "Catalogue refusé" in (m.text or ""))
    assert "markets.toml: line " in (refusal.text or ""), refusal.text
    typo = current.replace("  capacity = 70", "  capacity = 0", 1)
    organizer.send_document("markets.toml", content=typo.encode())
    refusal = waiting_for(organizer, lambda m: "Catalogue refusé" in (m.text or ""))
    assert "markets.toml: markets[0].phases[0].capacity: must be greater than 0" in (
        refusal.text or ""
    ), refusal.text
    # Far too big for a catalogue: not even downloaded.
    organizer.send_document("markets.toml", content=b"#" * (1024 * 1024 + 1))
    waiting_for(organizer, lambda m: "Fichier trop gros" in (m.text or ""))
    assert fake.arrivals("getFile") == 2  # the two files with a mistake only
    assert markets.read_text(encoding="utf-8") == current
    assert sorted(p.name for p in markets.parent.iterdir()) == ["markets.toml"]

    # A new phase: applied at once, the previous file kept beside it under a dated name.
    edited = current.replace(
        '\n  [[markets.trainings]]\n  code = "mohammedia-1-digital"',
        NEW_PHASE + '\n  [[markets.trainings]]\n  code = "mohammedia-1-digital"',
        1,
    )
    assert edited != current
    organizer.send_document("markets.toml", content=edited.encode())
    applied = waiting_for(organizer, lambda m: "Nouveau catalogue appliqué" in (m.text or ""))
    copies = sorted(p.name for p in markets.parent.iterdir() if p.name != "markets.toml")
    assert len(copies) == 1 and re.fullmatch(r"markets-\d{4}-\d\d-\d\d-\d{6}\.toml", copies[0])
    assert copies[0] in (applied.text or ""), applied.text
    assert (markets.parent / copies[0]).read_text(encoding="utf-8") == current
    assert markets.read_text(encoding="utf-8") == edited
    _, _, details = open_info_phase(organizer, "mohammedia-2")
    assert "Esplanade du port" in (details.text or ""), details.describe()
    with sqlite3.connect(bot.database) as connection:
        changes = connection.execute(
            "SELECT user_id, file_name, previous_copy FROM catalogue_changes"
        ).fetchall()
    assert changes == [(ADMIN_FR, "markets.toml", copies[0])]
    organizer.send_command("/catalogue")
    again = next_new_message(organizer)
    assert again.document is not None and again.document["content"] == edited.encode()
    assert "Dernier changement depuis le chat" in (again.text or "") and "Nadia" in (
        again.text or ""
    ), again.describe()

    # Not an organizer: the same file is just a document.
    applicant = fake.user(61_001, language_code="fr")
    choose_language(applicant, "Français")
    applicant.send_document("markets.toml", content=typo.encode())
    reply = next_new_message(applicant)
    assert "Catalogue" not in (reply.text or ""), reply.describe()
    assert markets.read_text(encoding="utf-8") == edited
