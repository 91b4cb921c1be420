"""The entry journey over HTTP: language picker, menus, market information, help, fallbacks."""

from __future__ import annotations

from tests.e2e.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram, FakeUser


def pick(user: FakeUser, language: str) -> None:
    user.send_command("/start")
    picker = user.expect_message()
    assert picker.button_texts() == ["Français", "العربية"]
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


def test_info_lists_three_ifrane_phases_in_french_then_arabic(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="fr")
    pick(user, "Français")
    user.expect_message()  # menu
    user.send_command("/info")
    overview = user.expect_message()
    assert "Ifrane" in (overview.text or "")
    ifrane = user.expect_message()
    text = ifrane.text or ""
    for number in (1, 2, 3):
        assert f"Phase {number}" in text
    assert text.count("70 exposants") == 3
    assert "mai 2027" in text and "juin 2027" in text and "juillet 2027" in text
    assert "Formations" in text and "Marketing" in text
    mohammedia = user.expect_message()
    assert "1000 m²" in (mohammedia.text or "").replace("\u202f", "").replace(
        " ", ""
    ) or "1 000" in (mohammedia.text or "")

    user.send_command("/language")
    user.expect_message()
    user.press("العربية")
    user.expect_message()  # menu in Arabic
    user.send_command("/info")
    user.expect_message()
    arabic = user.expect_message().text or ""
    assert "ماي" in arabic and "يونيو" in arabic and "يوليوز" in arabic
    assert arabic.count("70") >= 3


def test_deep_link_opens_market_after_language_choice(
    fake: FakeTelegram, bot: BotProcess, new_user_id: int
) -> None:
    user = fake.user(new_user_id, language_code="ar")
    user.send_command("/start", "mohammedia")
    picker = user.expect_message()
    assert picker.has_button("Français")
    user.press("Français")
    market = user.expect_message()
    assert "Mohammedia" in (market.text or "")
    # Later, with the language known, the link opens the market straight away.
    user.send_command("/start", "ifrane")
    assert "Ifrane" in (user.expect_message().text or "")


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


def test_command_menus_set_per_language(fake: FakeTelegram, bot: BotProcess) -> None:
    by_language = {key[2]: value for key, value in fake.commands.items()}
    assert {"fr", "ar"} <= set(by_language)
    assert [c["command"] for c in by_language["ar"]][:2] == ["start", "apply"]
    assert by_language["ar"][1]["description"] != by_language["fr"][1]["description"]
