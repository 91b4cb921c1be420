"""The organizer console's buttons: review cards, reasons, broadcasts, notices, voice prompts."""

from __future__ import annotations

from enum import StrEnum

from bot.callbacks.data import CallbackData, action


class CardAction(StrEnum):
    SHOW = "show"
    PREVIOUS = "prev"
    NEXT = "next"
    MEDIA = "med"
    REJECT = "rej"
    ACCEPT = "acc"
    WAITLIST = "wl"


@action
class ReviewCard(CallbackData):
    """A review card's buttons; `scope` (a market, a phase or `all`) is the queue it walks."""

    CODE = "rv"
    action: CardAction
    application_id: int
    scope: str


@action
class RejectFor(CallbackData):
    CODE = "rj"
    application_id: int
    reason: str
    scope: str


class BroadcastAction(StrEnum):
    FILTER = "f"  # name: the filter's options
    VALUE = "v"  # name, value (ANY_VALUE: no filter)
    AUDIENCE = "a"
    WRITE = "go"
    SAME_TEXT = "same"
    SKIP_LANGUAGE = "skip"  # an optional language (not fr/ar): its readers get the first text
    NO_PHOTO = "nophoto"
    PREVIEW = "pv"  # name: the language to preview
    SEND = "send"
    RESTART = "re"
    DISCARD = "x"
    STOP = "stop"  # `draft_id` is then the broadcast being sent


# `BroadcastStep(VALUE, draft, name, ANY_VALUE)`: that filter set to "all".
ANY_VALUE = "-"


@action
class BroadcastStep(CallbackData):
    CODE = "bc"
    action: BroadcastAction
    draft_id: int
    name: str | None = None
    value: str | None = None


@action
class SetNotices(CallbackData):
    CODE = "ntfy"  # /notifications: told at once (y) or in the daily digest (n)
    immediate: bool


@action
class OfferFreed(CallbackData):
    CODE = "offree"  # A freed place of `phase`, to the first on its waiting list
    phase: str


@action
class VoiceLanguage(CallbackData):
    CODE = "vo"  # /voice: the prompts of one language
    locale: str


@action
class VoicePick(CallbackData):
    CODE = "vp"  # /voice: record this prompt next
    locale: str
    prompt: str


@action
class VoiceRemove(CallbackData):
    CODE = "vx"
    locale: str
    prompt: str


@action
class PosterFor(CallbackData):
    CODE = "pst"  # /poster: the printable call for applications of this market
    market: str


@action
class GrantRole(CallbackData):
    CODE = "tgr"  # /grant in reply to a forwarded message: the role chosen for that person
    user_id: int
    role: str


@action
class InviteRole(CallbackData):
    CODE = "tinv"  # /invite without a role: the role of the link to create
    role: str


@action
class InviteAnswer(CallbackData):
    CODE = "tinva"  # an admin confirms (or not) the person who opened an invite link
    invite_id: int
    confirm: bool


@action
class SwitchPhase(CallbackData):
    CODE = "tph"  # /close or /open without a phase: the phase chosen
    phase: str
    is_open: bool


class TicketAction(StrEnum):
    OPEN = "o"  # show the question (from /questions)
    ANSWER = "a"  # the organizer's next text is the answer
    CANCEL = "x"  # not answering after all


@action
class TicketButton(CallbackData):
    CODE = "tk"
    action: TicketAction
    ticket_id: int


@action
class AttendancePick(CallbackData):
    """`/attendance` without a training: which one (its QR code and list follow)."""

    CODE = "atdp"
    training: str


@action
class AttendanceMark(CallbackData):
    """The trainer marks a seat holder present or absent by hand."""

    CODE = "atdm"
    training: str
    application_id: int


@action
class ImpactMarket(CallbackData):
    CODE = "impm"  # /impact without a market: the market's report
    market: str


class StandsAction(StrEnum):
    SHOW = "s"  # /stands without a phase: the phase chosen
    ACCEPT = "ok"  # every proposed stand confirmed, the cards sent
    CHANGE = "ch"  # `application_id`: the stands this exhibitor could take
    ARRIVALS = "ar"  # /arrivals without a phase: the phase chosen
    RELOCATE = "mv"  # the confirmed stands, one of which is to move


@action
class StandsButton(CallbackData):
    CODE = "std"
    action: StandsAction
    phase: str
    application_id: int | None = None


@action
class MoveToStand(CallbackData):
    CODE = "stmv"  # this exhibitor takes this stand (its holder takes theirs)
    phase: str
    application_id: int
    stand: str


@action
class PickFreeStand(CallbackData):
    CODE = "stpk"  # a confirmed exhibitor's new stand, a free one: asked to confirm
    phase: str
    application_id: int
    stand: str


@action
class ConfirmMove(CallbackData):
    CODE = "stcf"  # the move confirmed: from `old` (to refuse a stale screen) to `new`
    phase: str
    application_id: int
    old: str
    new: str


@action
class MarkArrived(CallbackData):
    CODE = "arr"  # /arrivals: an expected exhibitor marked arrived by hand
    phase: str
    application_id: int
