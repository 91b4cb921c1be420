"""The entry journey over HTTP: language picker, menus, market information, help, fallbacks."""

from __future__ import annotations

from localbotapi import FakeTelegram, FakeUser
from tests.e2e.bot_process import BotProcess
from tests.e2e.journey import open_info_phase


def pick(user: FakeUser, language: str) -> None:
    user.send_command("/start")
    picker = user.expect_message()
    assert picker.button_texts() == ["Français", "العربية", "ⵜⴰⵎⴰⵣⵉⵖⵜ"]
    user.press(language)


def test_new_user_gets_picker_then_arabic_menu(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, first_name="Fatima", language_code="fr")
    pick(user, "العربية")
    menu = user.expect_message()
    assert "Fatima" in (menu.text or "")
    assert "ترشح" in " ".join(menu.button_texts()) or "الترشح" in " ".join(menu.button_texts())
    assert all(not text.isascii() for text in menu.button_texts())


def test_info_shows_short_cards_then_a_phase_with_its_venue_pin(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="fr")
    pick(user, "Français")
    user.expect_message()  # menu
    cards, pin, details = open_info_phase(user, "ifrane-2")
    ifrane, mohammedia = cards
    text = ifrane.text or ""
    assert len(text) < 1_100 and len(mohammedia.text or "") < 1_100
    for number, month in ((1, "mai"), (2, "juin"), (3, "juillet")):
        assert f"Phase {number} : " in text and f" {month} 2027 · 70 places libres" in text
    assert "10:00" in text and "20:00" in text and "05 35 00 00 00" in text
    assert "Formations" not in text  # trainings are in each phase's details
    labels = ifrane.button_texts()
    assert labels[:3] == [
        "Phase 1 · 3–9 mai · 👥 70",
        "Phase 2 · 7–13 juin · 👥 70",
        "Phase 3 · 5–11 juillet · 👥 70",
    ]
    assert all(len(label) <= 30 for card in cards for label in card.button_texts())
    assert "Mohammedia" in (mohammedia.text or "")

    assert pin is not None and pin.venue is not None
    assert pin.venue["title"] == "Ifrane, centre-ville"
    assert pin.venue["address"] == "Ifrane, Région Fès-Meknès"
    call = fake.calls("sendVenue", chat_id=user.chat_id)[-1]
    assert (call.params["latitude"], call.params["longitude"]) == (33.5331, -5.1069)
    details_text = details.text or ""
    assert len(details_text) < 1_100
    assert "lundi 7 juin au dimanche 13 juin 2027" in details_text
    assert "Gestion administrative : mardi 8 juin, 08:00–10:00 (30 places)" in details_text
    assert details_text.count("tente de formation") == 1
    assert "ph:ifrane-2" in details.callback_data()  # Apply, while applications are open

    user.send_command("/language")
    user.expect_message()
    user.press("العربية")
    user.expect_message()  # menu in Arabic
    cards, pin, details = open_info_phase(user, "mohammedia-1")
    arabic = cards[0].text or ""
    assert "ماي" in arabic and "يونيو" in arabic and "يوليوز" in arabic
    assert all(len(card.text or "") < 1_100 for card in cards)
    assert "المرحلة 1 · 23–31 مارس · 👥 70" in cards[1].button_texts()
    assert pin is not None and pin.venue is not None
    assert pin.venue["title"] == "حديقة المحمدية"
    assert (pin.location or {}).get("latitude") == 33.6866
    assert "التسويق الرقمي عبر الهاتف" in (details.text or "") and len(details.text or "") < 1_100


def test_deep_link_opens_market_after_language_choice(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="ar")
    user.send_command("/start", "mohammedia")
    picker = user.expect_message()
    assert picker.has_button("Français")
    user.press("Français")
    market = user.expect_message()  # the application to that market: its phases
    assert "Mohammedia. Choisissez la phase" in (market.text or "")
    assert "ph:mohammedia-1" in market.callback_data()
    # Later, with the language known, the link opens the market straight away.
    user.send_command("/start", "ifrane")
    phases = user.expect_message()
    assert "Ifrane. Choisissez la phase" in (phases.text or "")
    # A phase's link opens that phase: its venue pin, then its details.
    user.send_command("/start", "ifrane-3")
    assert (user.expect_message().venue or {}).get("title") == "Ifrane, centre-ville"
    assert "juillet" in (user.expect_message().text or "")


def test_unknown_text_gets_hint_and_menu(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="fr")
    pick(user, "Français")
    user.expect_message()
    user.send_text("azerty qsdf ?")  # greetings and keywords: tests/e2e/test_talk.py
    hint = user.expect_message()
    assert "pas compris" in (hint.text or "")
    assert hint.has_button("📝 Candidater")
    user.send_command("/nimportequoi")
    assert "pas compris" in (user.expect_message().text or "")
    user.send_sticker()  # what the bot can do instead
    sticker = user.expect_message()
    assert "assistant automatique" in (sticker.text or "")
    assert sticker.has_button("📝 Candidater")


def test_help_in_arabic(fake: FakeTelegram, bot: BotProcess, new_user_id: int) -> None:
    user = fake.user(new_user_id, language_code="ar")
    pick(user, "العربية")
    user.expect_message()
    user.send_command("/help")
    text = user.expect_message().text or ""
    assert "/apply" in text and "/info" in text
    assert not text.isascii()


def test_forged_button_is_refused_politely(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="fr")
    pick(user, "Français")
    menu = user.expect_message()
    query = user.press_data("lang:xx", message_id=menu.message_id)
    assert "plus valable" in (user.callback_answer(query).get("text") or "")
    query = user.press_data("zz:1:2", message_id=menu.message_id)
    assert "plus valable" in (user.callback_answer(query).get("text") or "")


def test_group_chat_gets_pointer_only(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    member = fake.user(new_user_id, chat_id=-100_000 - new_user_id, chat_type="group")
    member.send_command("/info")
    pointer = member.expect_message()
    assert "t.me/" in (pointer.text or "")
    member.send_text("salut tout le monde")
    member.expect_no_message(within=1.0)


def test_public_menus_as_each_app_language_sees_them(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    """Resolved as Telegram does (chat + language -> ... -> default), not merged over scopes."""
    french = fake.command_menu(new_user_id, "fr")
    arabic = fake.command_menu(new_user_id, "ar")
    english = fake.command_menu(new_user_id, "en")
    commands = [c["command"] for c in french]
    assert commands[:2] == ["start", "apply"] and "review" not in commands
    assert [c["command"] for c in arabic] == [c["command"] for c in english] == commands
    assert french[1]["description"] == "Candidater à un marché"
    assert not arabic[1]["description"].isascii()
    assert english == french  # an app in English: the default menu, in French
