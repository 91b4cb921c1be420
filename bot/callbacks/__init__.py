"""Every button's callback data: one small typed class per action, the only home of the codes.

A class packs itself (`ConfirmOffer(42, OfferChoice.YES).pack() == "cf:42:y"`), parses itself
(`ConfirmOffer.parse("cf:42:y")`, None for anything malformed) and names its route
(`ConfirmOffer.pattern()`). The wire format is `<code>:<field>:<field>...`, the codes and field
spellings of the buttons already sent: a button in a chat from before an upgrade still means the
same. Telegram limits callback data to 1-64 BYTES
(https://core.telegram.org/bots/api#inlinekeyboardbutton): short ASCII codes, never labels, and
every parsed value is still checked against the database by its handler.

Fields are typed: `int` (an id: ASCII digits, at most 18 to fit SQLite's integers, no leading
zero), `str` (a code: letters, digits, `_` and `-`), `bool` (`y`/`n`), a `StrEnum` (its
values), and trailing `X | None = None` fields that a button may leave out.
"""

from bot.callbacks.data import (
    MAX_CALLBACK_BYTES,
    SEPARATOR,
    CallbackData,
    action,
    callback_classes,
)
from bot.callbacks.members import (
    ALL_MARKETS,
    CLOSE_GRID,
    BackToSummary,
    CalendarFile,
    Cancel,
    CancelConfirmed,
    Choose,
    ChooseLanguage,
    ChooseMarket,
    ChoosePhase,
    ConfirmOffer,
    Consent,
    Correct,
    CorrectAnswer,
    Done,
    EditAnswer,
    EraseData,
    HearQuestions,
    MenuItem,
    OfferChoice,
    OpenMenu,
    PlayPrompt,
    ReminderSetting,
    Resume,
    SetReminders,
    ShowMarket,
    Skip,
    Submit,
    Toggle,
    Withdraw,
    WithdrawConfirmed,
)
from bot.callbacks.team import (
    ANY_VALUE,
    BroadcastAction,
    BroadcastStep,
    CardAction,
    OfferFreed,
    PosterFor,
    RejectFor,
    ReviewCard,
    SetNotices,
    VoiceLanguage,
    VoicePick,
    VoiceRemove,
)

__all__ = [
    "ALL_MARKETS",
    "ANY_VALUE",
    "CLOSE_GRID",
    "MAX_CALLBACK_BYTES",
    "SEPARATOR",
    "BackToSummary",
    "BroadcastAction",
    "BroadcastStep",
    "CalendarFile",
    "CallbackData",
    "Cancel",
    "CancelConfirmed",
    "CardAction",
    "Choose",
    "ChooseLanguage",
    "ChooseMarket",
    "ChoosePhase",
    "ConfirmOffer",
    "Consent",
    "Correct",
    "CorrectAnswer",
    "Done",
    "EditAnswer",
    "EraseData",
    "HearQuestions",
    "MenuItem",
    "OfferChoice",
    "OfferFreed",
    "OpenMenu",
    "PlayPrompt",
    "PosterFor",
    "RejectFor",
    "ReminderSetting",
    "Resume",
    "ReviewCard",
    "SetNotices",
    "SetReminders",
    "ShowMarket",
    "Skip",
    "Submit",
    "Toggle",
    "VoiceLanguage",
    "VoicePick",
    "VoiceRemove",
    "Withdraw",
    "WithdrawConfirmed",
    "action",
    "callback_classes",
]
