"""Structures over HTTP (issue 16): a facilitator files for two cooperatives in one phase and
is refused a third with the first one's register number, without learning anything about it;
a member applies to Mohammedia with the profile stored by her Ifrane application and answers
only what is new; decisions and reminders name the structure."""

from __future__ import annotations

import re
import sqlite3

import pytest

from bot.callbacks import (
    ChooseMarket,
    ChoosePhase,
    Consent,
    ContactPerson,
    Done,
    EditAnswer,
    EraseStructure,
    PickStructure,
    Submit,
    UpdateProfile,
)
from bot.catalogue import DEFAULT_CATALOGUE_PATH, load_catalogue
from bot.questionnaire import FormContext, applicable
from localbotapi import BotMessage, FakeTelegram, FakeUser
from storage.structures import PROFILE
from tests.e2e.bot_process import BotProcess, StartBot
from tests.e2e.journey import (
    buttons_of,
    choose_language,
    next_new_message,
    open_edit_grid,
    press_button,
    press_code,
)
from tests.e2e.screens import question_key
from tests.e2e.test_apply import answer_until
from tests.e2e.test_decisions import accept

ADMIN = 9301


@pytest.fixture(scope="module")
def bot(fake: FakeTelegram, start_bot: StartBot) -> BotProcess:
    process = start_bot(name="structures", admins=[ADMIN], quiet_hours="off")
    organizer = fake.user(ADMIN, first_name="Admin", language_code="fr")
    choose_language(organizer, "Français")
    return process


def to_phase(user: FakeUser, phase_code: str) -> BotMessage:
    """Apply, market, phase: the screen that follows (structures, or the consent)."""
    user.send_command("/apply")
    markets = next_new_message(user)
    press_button(user, markets, ChooseMarket, market=phase_code.rsplit("-", 1)[0])
    phases = next_new_message(user)
    press_button(user, phases, ChoosePhase, phase=phase_code)
    return next_new_message(user)


def file_as_facilitator(
    user: FakeUser, phase_code: str, name: str, register: str, phone: str
) -> str:
    """A new structure, filed for its contact person; the text answering Send."""
    screen = to_phase(user, phase_code)
    if PickStructure.parse(screen.callback_data()[0]) is not None:
        assert "Pour quelle structure" in (screen.text or "")
        press_button(user, screen, PickStructure, structure=0)
        screen = next_new_message(user)
    press_button(user, screen, ContactPerson, yes=False)
    consent = next_new_message(user)
    assert "Lisez ces points à la personne à contacter" in (consent.text or "")
    assert "Elle a accepté" in consent.button_texts()[0]
    press_button(user, consent, Consent, yes=True)
    first = next_new_message(user)
    typed = {"structure_name": name, "phone": phone, "contact_name": "Itto Ouhammou"}
    contact = answer_until(user, first, "contact_name", register=register, typed=typed)
    assert "pas le vôtre" in (contact.text or "")
    summary = answer_until(user, contact, register=register, typed=typed)
    assert name in (summary.text or "")
    press_button(user, summary, Submit)
    return next_new_message(user).text or ""


def test_a_facilitator_files_for_two_cooperatives_and_is_refused_a_duplicate(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, first_name="Animatrice", language_code="fr")
    choose_language(user, "Français")
    first = file_as_facilitator(user, "ifrane-1", "Coopérative Tifawin", "501/2019", "0661000001")
    second = file_as_facilitator(user, "ifrane-1", "Coopérative Amal", "502/2019", "0661000002")
    references = [re.search(r"IFR-1-\d{4}", text) for text in (first, second)]
    assert all(references), (first, second)
    # A third with the first one's register number: refused, and nothing about the first.
    third = file_as_facilitator(user, "ifrane-1", "Coopérative Tizi", "501/2019", "0661000003")
    assert "La vôtre n'est pas envoyée" in third
    assert references[0] and references[0].group(0) not in third
    assert "Tifawin" not in third and "accept" not in third.lower()
    with sqlite3.connect(bot.database) as connection:
        rows = connection.execute(
            "SELECT a.status, c.through_facilitator, s.contact_is_filer FROM applications AS a"
            " JOIN consents AS c ON c.id = a.consent_id"
            " LEFT JOIN structures AS s ON s.id = a.structure_id WHERE a.user_id = ?"
            " ORDER BY a.id",
            (new_user_id,),
        ).fetchall()
    assert rows == [("submitted", 1, 0), ("submitted", 1, 0), ("draft", 1, None)]
    # /status: both structures, each application under its name.
    user.drain()
    user.send_command("/status")
    overview = next_new_message(user)
    assert "Vous déposez pour 2 structures" in (overview.text or "")
    draft, *cards = [next_new_message(user) for _ in range(3)]
    assert "Coopérative Tizi" in (draft.text or "")
    assert [(c.text or "").splitlines()[0] for c in cards] == [
        "🏢 Coopérative Tifawin",
        "🏢 Coopérative Amal",
    ]

    assert "continue" in (next_new_message(user).text or "")  # the draft's summary again
    # The decision names the structure; so does the reminder to confirm.
    assert references[1]
    accept(fake, references[1].group(0))
    decision = user.expect_message(timeout=15, contains="Coopérative Amal")
    assert (decision.text or "").startswith("🏢 Coopérative Amal\n")
    with sqlite3.connect(bot.database) as connection:
        changed = connection.execute(
            "UPDATE deliveries SET not_before = '2000-01-01T00:00:00+00:00'"
            " WHERE recipient_id = ? AND template = 'confirm_soon' AND status = 'pending'",
            (new_user_id,),
        ).rowcount
    assert changed >= 1
    reminder = user.expect_message(timeout=15, contains="Rappel")
    assert (reminder.text or "").startswith("🏢 Coopérative Amal\n")

    # /mydata lists the structures filed for; one of them is erased alone.
    user.drain()
    user.send_command("/mydata")
    mydata = ""
    while (message := next_new_message(user)).document is None:
        mydata += message.text or ""
    assert "Coopérative Tifawin (par votre intermédiaire" in mydata
    assert "Coopérative Amal (par votre intermédiaire" in mydata
    assert "continue" in (next_new_message(user).text or "")  # the draft, shown again
    user.send_command("/delete_my_data")
    question = next_new_message(user)
    labels = dict(zip(question.button_texts(), question.callback_data(), strict=True))
    amal = EraseStructure.parse(labels["🗑️ Seulement Coopérative Amal"])
    assert amal is not None and amal.asked is None
    press_button(user, question, EraseStructure, structure=amal.structure)
    confirm = next_new_message(user)
    assert "Effacer les données de Coopérative Amal" in (confirm.text or "")
    press_button(user, confirm, EraseStructure, structure=amal.structure)
    assert "Les données de Coopérative Amal sont effacées" in (next_new_message(user).text or "")
    with sqlite3.connect(bot.database) as connection:
        names = connection.execute(
            "SELECT name FROM structures WHERE filer_id = ? AND erased_at IS NULL ORDER BY id",
            (new_user_id,),
        ).fetchall()
        secrets = connection.execute(
            "SELECT COUNT(*) FROM answers WHERE value LIKE '%Amal%'"
        ).fetchone()
    assert names == [('"Coopérative Tifawin"',)] and secrets == (0,)


def test_a_member_reuses_her_profile_and_answers_only_what_is_new(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, first_name="Fatima", language_code="fr")
    choose_language(user, "Français")
    consent = to_phase(user, "ifrane-1")
    press_button(user, consent, Consent, yes=True)  # she is the contact person
    phone, register = f"2126{new_user_id % 100_000_000:08d}", f"{new_user_id}/2021"
    summary = answer_until(user, next_new_message(user), phone=phone, register=register)
    press_button(user, summary, Submit)
    assert re.search(r"IFR-1-\d{4}", next_new_message(user).text or "")

    screen = to_phase(user, "mohammedia-1")
    assert "Pour quelle structure" in (screen.text or "")
    assert "➡️ Avec Coopérative Tifawin" in screen.button_texts()
    (tifawin, _another) = buttons_of(screen, PickStructure)
    press_button(user, screen, PickStructure, structure=tifawin.structure)
    consent = next_new_message(user)
    assert "Candidature pour : Coopérative Tifawin" in (consent.text or "")
    press_button(user, consent, Consent, yes=True)
    asked: list[str] = []
    question = next_new_message(user)
    while (key := question_key(question)) is not None:
        asked.append(key)
        assert key in {"stand_needs", "trainings", "photos"}, f"asked again: {asked}"
        if key == "stand_needs":
            press_code(user, question, ":stand_needs:water")
            user.expect_message()  # the tick, an edit
        if key == "photos":
            press_code(user, question, ":photos")  # Skip
        else:
            press_button(user, question, Done, question=key)
        question = next_new_message(user)
    catalogue = load_catalogue(DEFAULT_CATALOGUE_PATH)
    phase = catalogue.phase("mohammedia-1")
    market = catalogue.market("mohammedia")
    assert phase is not None and market is not None
    form = FormContext(catalogue, market, phase)
    profile_answers = {"legal_form": "cooperative"}
    new = [q.key for q in applicable(profile_answers, form) if q.key not in PROFILE]
    assert asked == new  # e.g. stand needs, trainings, photos: 3 of the 19 questions
    assert len(asked) < len(applicable(profile_answers, form)) - 10
    assert "Coopérative Tifawin" in (question.text or "") and "Azrou" in (question.text or "")
    # She moved: the town changed here asks whether the stored profile should follow.
    press_button(user, open_edit_grid(user, question), EditAnswer, question="town")
    next_new_message(user)
    user.send_text("Mohammedia")
    summary = next_new_message(user)
    assert "Mohammedia" in (summary.text or "")
    offer = next_new_message(user)
    assert "diffèrent de la fiche enregistrée de Coopérative Tifawin : Ville" in (offer.text or "")
    press_button(user, offer, UpdateProfile)
    assert "La fiche de Coopérative Tifawin est à jour" in (next_new_message(user).text or "")
    with sqlite3.connect(bot.database) as connection:
        (town,) = connection.execute(
            "SELECT s.town FROM structures AS s JOIN applications AS a ON a.structure_id = s.id"
            " WHERE a.user_id = ? AND a.status = 'draft'",
            (new_user_id,),
        ).fetchone()
    assert town == '"Mohammedia"'
    press_button(user, summary, Submit)
    assert re.search(r"MOH-1-\d{4}", next_new_message(user).text or "")
