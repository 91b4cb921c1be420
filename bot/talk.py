"""What people write instead of pressing a button: greetings, thanks, and words that name what
they want (apply, the markets, their application), in French, Arabic and Darija in both scripts.

The words are data (`bot/locales/keywords.toml`), validated at start-up with clear errors. Pure:
no Telegram, no database.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from bot.i18n import LOCALES_DIR

KEYWORDS_PATH = LOCALES_DIR / "keywords.toml"
# The languages the bot can answer in (bot/locales/<code>/): a word list's replies go to one.
REPLY_LOCALES = tuple(
    sorted(po.parent.parent.name for po in LOCALES_DIR.glob("*/LC_MESSAGES/*.po"))
)


class Intent(StrEnum):
    """What a message asks for. Small talk gets a short answer and the menu; the others open
    a screen."""

    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    APPLY = "apply"
    MARKETS = "markets"
    STATUS = "status"


SMALL_TALK = frozenset({Intent.GREETING, Intent.THANKS, Intent.GOODBYE})


# ---- normalising ----------------------------------------------------------------------------

# Arabic letters written in several ways: one form each, so that "إسلام" and "اسلام", "طلبية" and
# "طلبيه", "مرحبا" and "مرحبآ" match. Hamza above/below and madda go with the other marks.
_ARABIC_FORMS = str.maketrans(
    {
        "\u0671": "\u0627",  # ٱ alef wasla -> ا
        "\u0629": "\u0647",  # ة teh marbuta -> ه
        "\u0649": "\u064a",  # ى alef maksura -> ي
        "\u06cc": "\u064a",  # ی Farsi yeh (some keyboards) -> ي
        "\u06a9": "\u0643",  # ک keheh -> ك
        "\u0640": None,  # ـ tatweel, only stretches a word
    }
)
# Runs of one letter ("salaaam", "merciii", "شكرااا") count as one; words are normalised the same
# way, so "allah" and "alah" are one word too.
_REPEATS = re.compile(r"(.)\1+")


def normalise(text: str) -> str:
    """Lower case, without accents, Arabic diacritics, tatweel or letter variants, each run of
    a letter as one letter, punctuation and emoji as spaces; words separated by one space."""
    # NFKD splits "é" into "e" + accent and "أ" into "ا" + hamza: dropping the marks (Mn) then
    # removes French accents, Arabic short vowels, shadda, hamza above/below and madda at once.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = [
        char if unicodedata.category(char)[0] in "LN" else " "
        for char in decomposed.translate(_ARABIC_FORMS)
        if unicodedata.category(char) != "Mn"
    ]
    words = "".join(kept).split()
    return " ".join(_REPEATS.sub(r"\1", word) for word in words)


def words_of(text: str) -> tuple[str, ...]:
    return tuple(normalise(text).split())


# ---- the table ------------------------------------------------------------------------------


class KeywordsError(ValueError):
    """Every problem found in the keywords file, one per line, each naming where it is."""

    def __init__(self, file: str, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{file}: {problem}" for problem in self.problems))


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    intent: Intent
    locale: str  # the language to answer in when the user has not chosen one
    written: str  # as written in the file, for error messages and the README


@dataclass(frozen=True)
class Keywords:
    phrases: tuple[Phrase, ...]

    @cached_property
    def _by_first_word(self) -> dict[str, list[Phrase]]:
        # A message of 4,096 characters is checked against each phrase starting at its words
        # only, not against the whole table at every word.
        index: dict[str, list[Phrase]] = {}
        for phrase in self.phrases:
            index.setdefault(phrase.words[0], []).append(phrase)
        return index

    def matches(self, text: str) -> list[Phrase]:
        """Every phrase found in `text` as whole words, once each."""
        words = words_of(text)
        found: dict[tuple[str, ...], Phrase] = {}
        for start, word in enumerate(words):
            for phrase in self._by_first_word.get(word, ()):
                if words[start : start + len(phrase.words)] == phrase.words:
                    found.setdefault(phrase.words, phrase)
        return list(found.values())

    def whole(self, text: str) -> Phrase | None:
        """The phrase that is the whole message ("Salam !", "merci 🙏"), if any."""
        words = words_of(text)
        candidates = self._by_first_word.get(words[0], []) if words else []
        return next((phrase for phrase in candidates if phrase.words == words), None)


@dataclass(frozen=True)
class Match:
    """What to do with a message: one intent, or None (nothing found, or several screens
    named at once: no guessing, the menu)."""

    intent: Intent | None
    locale: str | None  # the language of the words found, when they agree
    found: bool  # False: no word of the table at all


def understand(keywords: Keywords, text: str) -> Match:
    """A screen named alone wins over small talk ("salam, bghit nsjel" opens Apply); two
    screens named leave the choice to the menu. Small talk alone answers the first of
    greeting, thanks, goodbye ("salam, merci" is a greeting)."""
    matches = keywords.matches(text)
    if not matches:
        return Match(None, None, found=False)
    intents = {phrase.intent for phrase in matches}
    screens = intents - SMALL_TALK
    if screens:
        intent = next(iter(screens)) if len(screens) == 1 else None
    else:
        intent = next(talk for talk in Intent if talk in intents)  # in the order of Intent
    locales = {phrase.locale for phrase in matches if intent is None or phrase.intent is intent}
    return Match(intent, locales.pop() if len(locales) == 1 else None, found=True)


# ---- loading --------------------------------------------------------------------------------


def load_keywords(
    path: Path | str = KEYWORDS_PATH, locales: Iterable[str] = REPLY_LOCALES
) -> Keywords:
    """Read and validate the keywords file; `KeywordsError` lists every problem found."""
    file = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise KeywordsError(file, [f"cannot read the file: {exc.strerror or exc}"]) from exc
    except UnicodeDecodeError as exc:
        raise KeywordsError(file, ["the file is not UTF-8 text (save it as UTF-8)"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise KeywordsError(file, [f"not valid TOML: {exc}"]) from exc
    return parse_keywords(data, file, tuple(locales))


def parse_keywords(data: Mapping[str, Any], file: str, locales: tuple[str, ...]) -> Keywords:
    problems: list[str] = []
    languages = _languages(data.get("languages"), locales, problems)
    phrases: list[Phrase] = []
    seen: dict[tuple[str, ...], Phrase] = {}
    known = ", ".join(intent.value for intent in Intent)
    for name, lists in data.items():
        if name == "languages":
            continue
        if name not in Intent.__members__.values():
            problems.append(f"[{name}]: unknown intent; the intents are {known}")
            continue
        if not isinstance(lists, dict):
            problems.append(f"[{name}]: must be a table of word lists, one per language")
            continue
        for language, words in lists.items():
            where = f"[{name}] {language}"
            if language not in languages:
                problems.append(f"{where}: unknown language; declare it under [languages]")
                continue
            if not isinstance(words, list) or not words:
                problems.append(f'{where}: must be a list of words, like ["salam", "slm"]')
                continue
            for index, written in enumerate(words, start=1):
                phrase = _phrase(written, Intent(name), languages[language], f"{where} #{index}")
                if isinstance(phrase, str):
                    problems.append(phrase)
                    continue
                other = seen.setdefault(phrase.words, phrase)
                if other.intent is not phrase.intent:
                    problems.append(
                        f"{where} #{index}: {written!r} is also under [{other.intent}]"
                        f" (as {other.written!r}): a word may lead to one place only"
                    )
                elif other is phrase:
                    phrases.append(phrase)
    for intent in Intent:
        if intent.value not in data:
            problems.append(f"[{intent}]: missing (an empty table would never match)")
    if problems:
        raise KeywordsError(file, problems)
    return Keywords(tuple(phrases))


def _languages(value: Any, locales: tuple[str, ...], problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        problems.append(
            '[languages]: missing; list each word language and the bot language to answer in, like darija = "ar"'
        )
        return {}
    languages: dict[str, str] = {}
    for name, locale in value.items():
        if locale not in locales:
            problems.append(
                f"[languages] {name}: {locale!r} is not a language of the bot ({', '.join(locales)})"
            )
        else:
            languages[name] = locale
    return languages


def _phrase(written: Any, intent: Intent, locale: str, where: str) -> Phrase | str:
    """The phrase, or the problem with it."""
    if not isinstance(written, str):
        return f"{where}: {written!r} is not text; put it in quotes"
    words = words_of(written)
    if not words:
        return f"{where}: {written!r} has no letters or digits to match"
    if len(written) > 60:
        return f"{where}: {written[:20]!r}... is longer than 60 characters"
    return Phrase(words, intent, locale, written)


@cache
def bundled_keywords() -> Keywords:
    """The bundled table, read once (start-up checks it first: `python -m bot` stops on an error)."""
    return load_keywords(KEYWORDS_PATH)


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.talk [file]`: check a keywords file; the problems, or a count per heading."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    try:
        keywords = load_keywords(args[0] if args else KEYWORDS_PATH)
    except KeywordsError as error:
        print(error, file=sys.stderr)
        return 2
    for intent in Intent:
        count = sum(1 for phrase in keywords.phrases if phrase.intent is intent)
        print(f"{intent}: {count} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
