"""The buttons members see: language, menu, markets, the form, decisions, their data."""

from __future__ import annotations

from enum import StrEnum

from bot.callbacks.data import CallbackData, action


@action
class ChooseLanguage(CallbackData):
    CODE = "lang"
    locale: str


class MenuItem(StrEnum):
    HOME = "home"
    APPLY = "apply"
    INFO = "info"
    STATUS = "status"
    LANGUAGE = "lang"
    HELP = "help"
    ASK = "ask"  # a question for the organizers (the help desk)


@action
class OpenMenu(CallbackData):
    CODE = "menu"
    item: MenuItem


@action
class ShowMarket(CallbackData):
    CODE = "mkt"  # A market's card, or with `phase` (its number) that phase
    market: str
    phase: int | None = None


# `ChooseMarket(ALL_MARKETS)`: choose a market again.
ALL_MARKETS = "all"


@action
class ChooseMarket(CallbackData):
    CODE = "apply"
    market: str


@action
class ChoosePhase(CallbackData):
    CODE = "ph"
    phase: str


@action
class Consent(CallbackData):
    CODE = "cons"
    phase: str
    yes: bool
    structure: int | None = None  # a structure the member filed for before; 0: a new one
    facilitator: bool | None = None  # the filer is not the contact person


@action
class PickStructure(CallbackData):
    CODE = "stru"  # Apply to `phase` with a structure filed for before; 0: another structure
    phase: str
    structure: int


@action
class ContactPerson(CallbackData):
    CODE = "ctp"  # "Are you the contact person of this structure?" for a new structure
    phase: str
    yes: bool


@action
class EraseStructure(CallbackData):
    """/delete_my_data: one structure's data. Without `asked`, the question; with it (when
    it was asked, a Unix time), the erasure."""

    CODE = "dst"
    structure: int
    asked: int | None = None


@action
class UpdateProfile(CallbackData):
    CODE = "prof"  # The summary's answers that differ from the structure's profile go into it
    application_id: int


@action
class Resume(CallbackData):
    CODE = "res"
    application_id: int


@action
class Choose(CallbackData):
    CODE = "a"  # One option of a single-choice question
    application_id: int
    question: str
    choice: str


@action
class Toggle(CallbackData):
    CODE = "t"  # Tick or untick one option of a multiple-choice question
    application_id: int
    question: str
    choice: str


@action
class Done(CallbackData):
    CODE = "d"
    application_id: int
    question: str


@action
class Skip(CallbackData):
    CODE = "s"
    application_id: int
    question: str


# `EditAnswer(app)` shows the summary's ✏️ buttons, `EditAnswer(app, CLOSE_GRID)` puts the
# summary's buttons back (no question key is "-"), `EditAnswer(app, key)` edits that answer.
CLOSE_GRID = "-"


@action
class EditAnswer(CallbackData):
    CODE = "e"
    application_id: int
    question: str | None = None


@action
class BackToSummary(CallbackData):
    CODE = "back"  # Leave the question being edited, of a draft or of a correction
    application_id: int


@action
class Submit(CallbackData):
    CODE = "sub"
    application_id: int


@action
class Cancel(CallbackData):
    CODE = "can"
    application_id: int


@action
class CancelConfirmed(CallbackData):
    CODE = "cany"
    application_id: int


@action
class Withdraw(CallbackData):
    CODE = "wd"
    application_id: int


@action
class WithdrawConfirmed(CallbackData):
    CODE = "wdy"
    application_id: int


class OfferChoice(StrEnum):
    YES = "y"  # I come
    NO = "n"  # I will not come: asks first
    NO_CONFIRMED = "x"  # yes, I will not come
    KEEP = "k"  # no, I keep my place


@action
class ConfirmOffer(CallbackData):
    CODE = "cf"
    application_id: int
    choice: OfferChoice


@action
class CalendarFile(CallbackData):
    CODE = "ics"
    application_id: int


class ReminderSetting(StrEnum):
    ON = "on"
    OFF = "off"


@action
class SetReminders(CallbackData):
    CODE = "rem"  # The reminder 7 days before, on or off
    setting: ReminderSetting


@action
class Correct(CallbackData):
    CODE = "cor"
    application_id: int


@action
class CorrectAnswer(CallbackData):
    CODE = "ce"
    application_id: int
    question: str


@action
class EraseData(CallbackData):
    """`EraseData(True, asked)` erases (`asked`: when the question was asked, a Unix time);
    `EraseData(False)` keeps everything."""

    CODE = "del"
    yes: bool
    asked: int | None = None


@action
class PlayPrompt(CallbackData):
    CODE = "play"  # 🔊 under a question: the member's language, or the organizer's choice
    prompt: str
    locale: str | None = None


@action
class HearQuestions(CallbackData):
    CODE = "hear"  # /settings: every question read out as it comes
    on: bool


@action
class StopAsking(CallbackData):
    CODE = "askx"  # the member pressed "Ask a question", then changed their mind


@action
class TakeSeat(CallbackData):
    """A training seat freed and proposed: take it (storage/trainings.py)."""

    CODE = "sttk"
    application_id: int
    training: str


@action
class DropSeat(CallbackData):
    """Give up a training seat, refuse one proposed, or leave a training's waiting list."""

    CODE = "stdx"
    application_id: int
    training: str


@action
class SurveyAnswer(CallbackData):
    CODE = "srv"  # the impact survey after a phase: one answer (bot/services/impact.py)
    application_id: int
    question: str
    choice: str
