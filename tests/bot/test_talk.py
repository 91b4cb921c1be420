"""What people write instead of pressing a button: the normaliser, the matcher and the
keywords file's validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.talk import (
    Intent,
    KeywordsError,
    bundled_keywords,
    load_keywords,
    main,
    normalise,
    understand,
)

# ---- the normaliser -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("BONJOUR", "bonjour"),
        ("Marché", "marche"),
        ("Où ? à côté, déjà", "ou a cote deja"),
        ("Salaaaam!!!", "salam"),
        ("merciii 🙏🙏", "merci"),
        ("m'inscrire", "m inscrire"),
        ("bghit-nsjel...", "bghit nsjel"),
        ("  salam\n\talikoum  ", "salam alikoum"),
        # Arabic: alef forms, teh marbuta, alef maksura, tatweel, diacritics, repeats
        ("أين", "اين"),
        ("إمتى", "امتي"),
        ("آش", "اش"),
        ("السلامة", "السلامه"),
        ("متى", "متي"),
        ("مرحبـــا", "مرحبا"),
        ("شُكْرًا", "شكرا"),
        ("شكراااا", "شكرا"),
        ("السوق؟", "السوق"),
        ("ٱلسلام", "السلام"),
        ("\u200fطلبي\u200f", "طلبي"),  # right-to-left marks around a word
        ("ﻻ", "لا"),  # a presentation form
        ("👍", ""),
    ],
)
def test_normalise(written: str, normalised: str) -> None:
    assert normalise(written) == normalised


# ---- the matcher, over the bundled table ----------------------------------------------------

KEYWORDS = bundled_keywords()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # greetings, thanks, goodbyes: French, Arabic, Darija in both scripts
        ("salam", Intent.GREETING),
        ("Salaaam !", Intent.GREETING),
        ("السلام عليكم", Intent.GREETING),
        ("السلام عليكم ورحمة الله", Intent.GREETING),
        ("Bonjour", Intent.GREETING),
        ("slm", Intent.GREETING),
        ("salam alikoum", Intent.GREETING),
        ("Merci !", Intent.THANKS),
        ("شكرا", Intent.THANKS),
        ("شكراً جزيلاً", Intent.THANKS),
        ("bslama", Intent.GOODBYE),
        ("بسلامة", Intent.GOODBYE),
        # Apply
        ("bghit nsjel", Intent.APPLY),
        ("Bghiiit nsjel 🙏", Intent.APPLY),
        ("بغيت نشارك", Intent.APPLY),
        ("nsjel", Intent.APPLY),
        ("تسجيل", Intent.APPLY),
        ("Inscription", Intent.APPLY),
        ("je veux m'inscrire", Intent.APPLY),
        ("salam, bghit nsjel", Intent.APPLY),  # a screen named wins over the greeting
        # the markets
        ("fin", Intent.MARKETS),
        ("فين", Intent.MARKETS),
        ("blasa", Intent.MARKETS),
        ("date ?", Intent.MARKETS),
        ("امتى", Intent.MARKETS),
        ("إمتى السوق", Intent.MARKETS),
        ("marché", Intent.MARKETS),
        ("Marche", Intent.MARKETS),
        ("السوق", Intent.MARKETS),
        ("أين السوق؟", Intent.MARKETS),
        # my application
        ("talab", Intent.STATUS),
        ("طلبي", Intent.STATUS),
        ("ma candidature", Intent.STATUS),
        ("Mon DOSSIER", Intent.STATUS),
        ("dossier", Intent.STATUS),
    ],
)
def test_understands(text: str, intent: Intent) -> None:
    match = understand(KEYWORDS, text)
    assert match.found
    assert match.intent is intent, (text, match)


@pytest.mark.parametrize(
    "text",
    [
        "finance",  # "fin" is a whole word only
        "salamander",
        "Coopérative Tifawin",
        "12",
        "🙂",
        "",
    ],
)
def test_whole_words_only(text: str) -> None:
    assert understand(KEYWORDS, text).found is False


def test_two_screens_named_is_no_guess() -> None:
    match = understand(KEYWORDS, "fin souk ? bghit nsjel")  # markets and apply
    assert match.found and match.intent is None


def test_small_talk_together_is_the_first_of_greeting_thanks_goodbye() -> None:
    assert understand(KEYWORDS, "merci, bslama").intent is Intent.THANKS
    assert understand(KEYWORDS, "salam, choukran").intent is Intent.GREETING


def test_the_language_of_the_words() -> None:
    assert understand(KEYWORDS, "bonjour").locale == "fr"
    assert understand(KEYWORDS, "salam").locale == "ar"
    assert understand(KEYWORDS, "السلام عليكم").locale == "ar"


def test_whole_message_small_talk() -> None:
    """Mid-form, only a message that is nothing but a greeting is not an answer."""
    whole = KEYWORDS.whole("Salaaam 👋")
    assert whole is not None and whole.intent is Intent.GREETING
    assert KEYWORDS.whole("Coopérative Salam") is None


# ---- the file's validation ------------------------------------------------------------------

GOOD = """
[languages]
fr = "fr"
darija_latin = "ar"

[greeting]
fr = ["bonjour"]
darija_latin = ["salam"]
[thanks]
fr = ["merci"]
[goodbye]
fr = ["au revoir"]
[apply]
darija_latin = ["bghit nsjel"]
[markets]
fr = ["marché"]
[status]
fr = ["dossier"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "keywords.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(KeywordsError) as raised:
        load_keywords(write(tmp_path, text))
    return str(raised.value)


def test_a_good_file_loads(tmp_path: Path) -> None:
    keywords = load_keywords(write(tmp_path, GOOD))
    assert understand(keywords, "Salaam").intent is Intent.GREETING
    assert understand(keywords, "MARCHE").intent is Intent.MARKETS


def test_the_bundled_file_is_valid_and_checked_by_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 0
    assert "greeting:" in capsys.readouterr().out


def test_unknown_intent(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD + '[weather]\nfr = ["pluie"]\n')
    assert "[weather]: unknown intent" in found and "greeting" in found


def test_unknown_language(tmp_path: Path) -> None:
    found = problems(
        tmp_path, GOOD.replace('[thanks]\nfr = ["merci"]', '[thanks]\nes = ["gracias"]')
    )
    assert "[thanks] es: unknown language; declare it under [languages]" in found


def test_a_language_answered_in_a_language_the_bot_lacks(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace('darija_latin = "ar"', 'darija_latin = "ary"'))
    assert "[languages] darija_latin: 'ary' is not a language of the bot" in found


def test_a_word_under_two_headings(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace('fr = ["dossier"]', 'fr = ["dossier", "Marche"]'))
    assert "'Marche' is also under [markets]" in found


def test_words_that_are_not_words(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace('fr = ["merci"]', 'fr = ["🙏", 12]'))
    assert "[thanks] fr #1: '🙏' has no letters or digits to match" in found
    assert "[thanks] fr #2: 12 is not text" in found


def test_an_empty_or_missing_list(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace('fr = ["au revoir"]', "fr = []"))
    assert "[goodbye] fr: must be a list of words" in found
    found = problems(tmp_path, GOOD.replace('[status]\nfr = ["dossier"]', ""))
    assert "[status]: missing" in found


def test_not_toml_and_no_languages(tmp_path: Path) -> None:
    assert "not valid TOML" in problems(tmp_path, "[greeting\n")
    assert "[languages]: missing" in problems(tmp_path, GOOD.split("[greeting]")[1])
    with pytest.raises(KeywordsError, match="cannot read the file"):
        load_keywords(tmp_path / "absent.toml")


def test_every_problem_at_once(tmp_path: Path) -> None:
    text = GOOD.replace('fr = ["merci"]', 'fr = ["!!"]').replace('fr = ["dossier"]', "es = []")
    found = problems(tmp_path, text)
    assert "[thanks] fr #1" in found and "[status] es" in found
    assert all(line.startswith(str(tmp_path)) for line in found.splitlines())
