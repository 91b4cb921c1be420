"""Who the crowd's applicants are: one `Persona` each, with unique phones, register numbers,
names and the texts they type (tests/e2e/crowd.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.questionnaire import LED_BY

# -- who the applicants are ------------------------------------------------------------------


def number_word(number: int) -> str:
    """A capitalised made-up word unique to `number` (letters only: names refuse digits)."""
    letters = ""
    number += 26**3  # at least four letters
    while number:
        number, rest = divmod(number, 26)
        letters = "bcdfghjklmnpqrstvwxzaeiouy"[rest] + letters
    return letters.capitalize()


@dataclass(frozen=True)
class Persona:
    """What one applicant answers. Every identifying value is unique to the applicant."""

    user_id: int
    language: str  # "fr" or "ar"
    phase: str  # e.g. "ifrane-1"
    legal_form: str  # "cooperative" (register typed), "association", "auto_entrepreneur" (skip)
    structure_name: str
    coop_register: str
    town: str
    products: str  # typed, unless `voice`
    voice: bool  # a voice note instead of typed products
    members: int
    women_members: int
    led_by: str
    contact_name: str
    phone: str  # E.164, as stored
    share_contact: bool  # the share-contact button, else typed in the national format
    photo: bool  # one photo then Done, else Skip

    @property
    def market(self) -> str:
        return self.phase.rsplit("-", 1)[0]

    @property
    def typed_phone(self) -> str:
        national = "0" + self.phone.removeprefix("+212")
        return " ".join([national[:2], *(national[i : i + 2] for i in range(2, 10, 2))])

    def personal_data(self) -> list[str]:
        """Strings that identify the applicant and must never reach a log line."""
        found = [
            self.structure_name,
            self.town,
            self.contact_name,
            self.phone,
            self.phone.removeprefix("+"),  # as a shared contact sends it
            "0" + self.phone.removeprefix("+212"),
            self.typed_phone,
        ]
        if not self.voice:
            found.append(self.products)
        if self.legal_form == "cooperative":
            found.append(self.coop_register)
        return found


def persona(index: int, user_id: int, phases: Sequence[str] = ("ifrane-1",)) -> Persona:
    """The `index`-th applicant of a crowd: languages, legal forms, phones, typed or shared
    numbers, voice notes and photos vary with it, so the crowd covers every kind of answer."""
    word = number_word(user_id)
    language = "ar" if index % 2 else "fr"
    members = 10 + index % 40
    legal_form = ("cooperative", "association", "auto_entrepreneur")[index % 3]
    prefix = "تعاونية النور" if language == "ar" else "Coopérative Tifawin"
    return Persona(
        user_id=user_id,
        language=language,
        phase=phases[index % len(phases)],
        legal_form=legal_form,
        structure_name=f"{prefix} {word}",
        coop_register=f"{user_id}/2020",
        town=f"Azrou {word}ine",
        products=f"Tapis brodés et coussins {word}",
        voice=index % 5 == 4,
        members=members,
        women_members=index % 10,
        led_by=LED_BY[index % len(LED_BY)].code,
        contact_name=f"Fatima {word}i",
        phone=f"+2126{user_id % 100_000_000:08d}",
        share_contact=index % 2 == 0,
        photo=index % 7 == 0,
    )


ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def typed_number(number: int, arabic: bool) -> str:
    """A count as typed: Arabic-Indic digits for Arabic speakers (the bot accepts both)."""
    return str(number).translate(ARABIC_DIGITS) if arabic else str(number)
