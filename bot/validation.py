"""Pure validators for what users type: each returns the clean value or raises ValidationError.

`ValidationError.message` is a French msgid marked with `N_()` (translated later, in the
user's language) and `params` fill its `%(name)s` placeholders. Messages are short,
imperative and give an example, for users who read with difficulty. Counts appear only as
"label : number", never inside a sentence, so that no message needs a plural form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import phonenumbers

from bot.cleaning import clean_text, normalize_digits
from bot.i18n import N_

__all__ = [
    "ValidationError",
    "clean_text",
    "normalize_digits",
    "parse_contact_phone",
    "parse_cooperative_register",
    "parse_count",
    "parse_free_text",
    "parse_ice",
    "parse_person_name",
    "parse_phone",
    "parse_rnae",
    "parse_structure_name",
    "parse_town",
    "phone_search_key",
]


class ValidationError(ValueError):
    """User input was refused; `message % params` (after translation) tells the user why."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params: dict[str, object] = params

    def render(self, gettext: Callable[[str], str] | None = None) -> str:
        """The message translated by `gettext` (French msgid if None), placeholders filled."""
        template = gettext(self.message) if gettext is not None else self.message
        return template % self.params

    def __str__(self) -> str:
        return self.render()


def parse_announcement(text: str, *, max_length: int) -> str:
    """An organizer's announcement: several lines kept (at most one blank line between them),
    each cleaned like a one-line answer."""
    lines = [clean_text(line) for line in text.replace("\r\n", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    announcement = "\n".join(kept).strip()
    if not announcement:
        raise ValidationError(N_("Le message est vide. Écrivez le texte de l'annonce."))
    if len(announcement) > max_length:
        raise ValidationError(
            N_("Le message est trop long (%(length)s caractères, %(limit)s au plus)."),
            length=len(announcement),
            limit=max_length,
        )
    return announcement


def _has_letter(text: str) -> bool:
    return any(unicodedata.category(char).startswith("L") for char in text)


# --------------------------------------------------------------------------------------------
# Free text and names
# --------------------------------------------------------------------------------------------


def parse_free_text(text: str, *, min_length: int = 2, max_length: int = 200) -> str:
    """A single-line answer of `min_length` to `max_length` characters, cleaned."""
    cleaned = clean_text(text)
    if not cleaned:
        raise ValidationError(N_("Écrivez votre réponse."))
    if len(cleaned) < min_length:
        raise ValidationError(
            N_("Réponse trop courte. Nombre minimum de caractères : %(minimum)s."),
            minimum=min_length,
        )
    if len(cleaned) > max_length:
        raise ValidationError(
            N_("Réponse trop longue. Nombre maximum de caractères : %(maximum)s."),
            maximum=max_length,
        )
    return cleaned


def parse_person_name(text: str) -> str:
    """A person's name: 2 to 80 characters with at least one letter (any script)."""
    cleaned = clean_text(text)
    if not cleaned:
        raise ValidationError(N_("Écrivez le nom et le prénom. Exemple : Fatima Alaoui."))
    if len(cleaned) < 2:
        raise ValidationError(N_("Ce nom est trop court. Exemple : Fatima Alaoui."))
    if len(cleaned) > 80:
        raise ValidationError(
            N_("Ce nom est trop long. Nombre maximum de caractères : %(maximum)s."), maximum=80
        )
    if not _has_letter(cleaned):
        raise ValidationError(N_("Écrivez le nom avec des lettres. Exemple : Fatima Alaoui."))
    return cleaned


def parse_structure_name(text: str) -> str:
    """A cooperative, association or company name: 2 to 120 characters with a letter."""
    cleaned = clean_text(text)
    if not cleaned:
        raise ValidationError(
            N_("Écrivez le nom de votre structure. Exemple : Coopérative Tifawin.")
        )
    if len(cleaned) < 2:
        raise ValidationError(N_("Ce nom est trop court. Exemple : Coopérative Tifawin."))
    if len(cleaned) > 120:
        raise ValidationError(
            N_("Ce nom est trop long. Nombre maximum de caractères : %(maximum)s."), maximum=120
        )
    if not _has_letter(cleaned):
        raise ValidationError(N_("Écrivez le nom avec des lettres. Exemple : Coopérative Tifawin."))
    return cleaned


def parse_town(text: str) -> str:
    """A town or village name: 2 to 60 characters with a letter."""
    cleaned = clean_text(text)
    if not cleaned:
        raise ValidationError(N_("Écrivez le nom de la ville ou du village. Exemple : Azrou."))
    if len(cleaned) < 2:
        raise ValidationError(N_("Ce nom est trop court. Exemple : Azrou."))
    if len(cleaned) > 60:
        raise ValidationError(
            N_("Ce nom est trop long. Nombre maximum de caractères : %(maximum)s."), maximum=60
        )
    if not _has_letter(cleaned):
        raise ValidationError(N_("Écrivez le nom avec des lettres. Exemple : Azrou."))
    return cleaned


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

# After clean_text every space (NBSP, thin and narrow spaces too) is " ". Thousands are
# grouped by three with a space, a dot ("1.000", as in Moroccan French) or the Arabic
# thousands separator U+066C.
_PLAIN_NUMBER = re.compile(r"[0-9]+")
_GROUPED_NUMBER = re.compile(r"[0-9]{1,3}(?:[ .\u066c][0-9]{3})+")
_DECIMAL_NUMBER = re.compile(r"[0-9][0-9 .\u066c]*[.,\u066b\u060c][0-9]+")
_MINUS_SIGNS = ("-", "\u2212", "\u2013")
_MAX_COUNT_DIGITS = 15


def parse_count(text: str, *, minimum: int = 0, maximum: int = 100_000) -> int:
    """A whole number such as "12", "1 200", "1.200" or "١٢", between minimum and maximum."""
    cleaned = normalize_digits(clean_text(text))
    if not cleaned:
        raise ValidationError(N_("Écrivez un nombre. Exemple : 12."))
    if cleaned.startswith(_MINUS_SIGNS) and _has_digit(cleaned):
        raise ValidationError(N_("Écrivez un nombre sans le signe moins. Exemple : 12."))
    if _PLAIN_NUMBER.fullmatch(cleaned) or _GROUPED_NUMBER.fullmatch(cleaned):
        digits = re.sub(r"[^0-9]", "", cleaned).lstrip("0") or "0"
        # Python refuses int() on very long digit strings: anything this long is too big.
        value = int(digits) if len(digits) <= _MAX_COUNT_DIGITS else None
        if value is None or not minimum <= value <= maximum:
            raise ValidationError(
                N_("Écrivez un nombre entre %(minimum)s et %(maximum)s."),
                minimum=minimum,
                maximum=maximum,
            )
        return value
    if _DECIMAL_NUMBER.fullmatch(cleaned):
        raise ValidationError(N_("Écrivez un nombre entier, sans virgule. Exemple : 12."))
    raise ValidationError(N_("Écrivez seulement le nombre, en chiffres. Exemple : 12."))


def _has_digit(text: str) -> bool:
    return any("0" <= char <= "9" for char in text)


# --------------------------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------------------------

# What a person may type around the digits of a phone number.
_PHONE_CHARS = re.compile(r"\(?\+?[0-9 ().\-/]+")
_E164 = re.compile(r"\+[0-9]{8,15}")
_MOROCCO = 212
# Moroccan numbers accepted: fixed lines (5...) and mobiles (6..., 7...).
_MOROCCAN_FIRST_DIGITS = ("5", "6", "7")
_MAX_PHONE_DIGITS = 17


def parse_phone(text: str) -> str:
    """A phone number typed by the user, as E.164 ("+212612345678").

    Moroccan numbers may be written 0612345678, 06 12 34 56 78, 06-12-34-56-78,
    +212612345678, 00212612345678 or 212612345678, in Latin or Arabic-Indic digits; they
    must be valid mobiles (6, 7) or fixed lines (5). A valid foreign number is accepted when
    written in international form, with "+" (or "00") and its country code.
    """
    cleaned = normalize_digits(clean_text(text))
    if not cleaned:
        raise ValidationError(N_("Écrivez votre numéro de téléphone. Exemple : 0612345678."))
    if not _PHONE_CHARS.fullmatch(cleaned) or not _has_digit(cleaned):
        raise ValidationError(N_("Écrivez seulement les chiffres du numéro. Exemple : 0612345678."))
    digits = re.sub(r"[^0-9]", "", cleaned)
    international = "+" in cleaned or digits.startswith("00")
    if international:
        candidate = "+" + (digits[2:] if digits.startswith("00") else digits)
    else:
        candidate = digits
    return _checked_number(candidate)


def phone_search_key(text: str) -> str | None:
    """What an organizer typed in a search, as the E.164 form phones are stored in, if it is
    a phone number in any form `parse_phone` reads (06..., 6..., 212..., +212..., 00212...,
    spaces, dashes, dots, Arabic-Indic digits); None if it is not one."""
    try:
        return parse_phone(text)
    except ValidationError:
        return None


def parse_contact_phone(phone_number: str) -> str:
    """The phone number of a Telegram contact, as E.164.

    Telegram sends international numbers, often without the "+": "212612345678". A number
    in Moroccan national form ("0612345678") is read as Moroccan.
    """
    cleaned = normalize_digits(clean_text(phone_number))
    if not _PHONE_CHARS.fullmatch(cleaned) or not _has_digit(cleaned):
        raise ValidationError(
            N_("Ce contact n'a pas de numéro valide. Écrivez votre numéro. Exemple : 0612345678.")
        )
    digits = re.sub(r"[^0-9]", "", cleaned)
    if digits.startswith("00"):
        candidate = "+" + digits[2:]
    elif digits.startswith("0") and "+" not in cleaned:
        candidate = digits
    else:
        candidate = "+" + digits
    return _checked_number(candidate)


def _checked_number(candidate: str) -> str:
    """E.164 form of `candidate` ("+..." international, or Moroccan national digits)."""
    foreign_refused = ValidationError(
        N_("Ce numéro n'est pas valide. Exemple : 0612345678 ou +33612345678.")
    )
    moroccan_refused = ValidationError(
        N_("Ce numéro ne semble pas marocain. Exemple : 0612345678.")
    )
    if len(candidate.lstrip("+")) > _MAX_PHONE_DIGITS:
        raise moroccan_refused
    try:
        number = phonenumbers.parse(candidate, "MA")
    except phonenumbers.NumberParseException:
        raise (foreign_refused if candidate.startswith("+") else moroccan_refused) from None
    e164: str = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if number.country_code == _MOROCCO:
        national = str(number.national_number)
        if not phonenumbers.is_valid_number(number) or not national.startswith(
            _MOROCCAN_FIRST_DIGITS
        ):
            raise moroccan_refused
    elif not candidate.startswith("+") or not phonenumbers.is_valid_number(number):
        raise foreign_refused
    if not _E164.fullmatch(e164):
        raise foreign_refused
    return e164


# --------------------------------------------------------------------------------------------
# Identifiers
# --------------------------------------------------------------------------------------------

_ICE_LENGTH = 15
_RNAE_MIN, _RNAE_MAX = 5, 20


def _without_spaces(text: str) -> str:
    return clean_text(normalize_digits(text)).replace(" ", "")


def parse_ice(text: str) -> str:
    """The ICE (Identifiant commun de l'entreprise): exactly 15 digits, spaces removed.

    No checksum rule is public, so only the format is checked.
    """
    value = _without_spaces(text)
    if not value:
        raise ValidationError(N_("Écrivez le numéro ICE. Exemple : 001234567000089."))
    if not value.isascii() or not value.isdigit():
        raise ValidationError(
            N_("L'ICE contient seulement des chiffres. Exemple : 001234567000089.")
        )
    if len(value) != _ICE_LENGTH:
        raise ValidationError(
            N_("L'ICE a 15 chiffres. Chiffres écrits : %(count)s. Exemple : 001234567000089."),
            count=len(value),
        )
    return value


def parse_cooperative_register(text: str) -> str:
    """The number in the cooperatives' local register, such as "1234/2020".

    1 to 30 characters: digits, letters, "/" and "-"; spaces are collapsed (and removed
    around "/" and "-"); it must contain a digit.
    """
    cleaned = normalize_digits(clean_text(text))
    cleaned = re.sub(r" ?([/-]) ?", r"\1", cleaned)
    if not cleaned:
        raise ValidationError(
            N_("Écrivez le numéro d'inscription de la coopérative. Exemple : 1234/2020.")
        )
    allowed = all(
        char.isalpha() or (char.isascii() and char.isdigit()) or char in "/- " for char in cleaned
    )
    if not allowed:
        raise ValidationError(
            N_("Écrivez seulement des chiffres, des lettres, / ou -. Exemple : 1234/2020.")
        )
    if len(cleaned) > 30:
        raise ValidationError(
            N_("Ce numéro est trop long. Nombre maximum de caractères : %(maximum)s."),
            maximum=30,
        )
    if not _has_digit(cleaned):
        raise ValidationError(N_("Le numéro doit contenir des chiffres. Exemple : 1234/2020."))
    return cleaned


def parse_rnae(text: str) -> str:
    """The auto-entrepreneur's national register (RNAE) number: 5 to 20 digits."""
    value = _without_spaces(text)
    if not value:
        raise ValidationError(N_("Écrivez le numéro RNAE. Exemple : 12345678."))
    if not value.isascii() or not value.isdigit():
        raise ValidationError(
            N_("Le numéro RNAE contient seulement des chiffres. Exemple : 12345678.")
        )
    if not _RNAE_MIN <= len(value) <= _RNAE_MAX:
        raise ValidationError(
            N_("Le RNAE a de 5 à 20 chiffres. Chiffres écrits : %(count)s. Exemple : 12345678."),
            count=len(value),
        )
    return value


# SQLite integers are 64-bit: every number of 18 digits fits, and no id of ours is longer.
MAX_ID_DIGITS = 18


def parse_id(field: str) -> int | None:
    """A number from a command argument, or None if it is not one.

    Only ASCII digits: `str.isdigit()` also accepts "²" (which `int()` refuses) and "٣" (which
    it reads), and a forged id too long for SQLite would raise OverflowError in the query.
    """
    if not field.isascii() or not field.isdigit() or len(field) > MAX_ID_DIGITS:
        return None
    return int(field)
