"""The outbox's templates: every kind of message the bot sends on its own, named once.

A delivery row stores its template's value; `bot/views/outbox.py` maps each `Template` to the
pure function that renders it (a test fails if one has no renderer). In `storage/` because
storage queues some of them itself (a broadcast, its report) and imports nothing from `bot/`.
"""

from __future__ import annotations

from enum import StrEnum


class Template(StrEnum):
    # To an applicant, about an application.
    DECISION = "decision"
    PHASE_SOON = "phase_soon"
    TRAINING_SOON = "training_soon"
    CONFIRM_SOON = "confirm_soon"
    DRAFT_DEADLINE = "draft_deadline"
    # A broadcast to its recipients, and its report to its author.
    BROADCAST = "broadcast"
    BROADCAST_REPORT = "broadcast_report"
    # To the team, about the bot itself.
    ERROR_REPORT = "error_report"
    OUTBOX_INTERRUPTED = "outbox_interrupted"  # deliveries caught in flight by a crash
    OUTBOX_UNDELIVERED = "outbox_undelivered"
    OUTBOX_OUTAGE = "outbox_outage"
    OUTBOX_RECOVERED = "outbox_recovered"
    # Joining the team (bot/services/team.py): the welcome, an invitation opened (to the admin
    # who invited), an invitation refused (to the person who opened it).
    TEAM_WELCOME = "team_welcome"
    INVITE_OPENED = "invite_opened"
    INVITE_REFUSED = "invite_refused"
    # To the organizers, about applications: one event at once, or the day's digest.
    ORGANIZER_EVENT = "organizer_event"
    ORGANIZER_DIGEST = "organizer_digest"
    # The help desk: a member's question to each organizer, the answer to the member.
    TICKET_NEW = "ticket_new"
    TICKET_ANSWER = "ticket_answer"
    # The impact survey, the day after a phase (bot/services/impact.py), and its one reminder.
    IMPACT_SURVEY = "impact_survey"
    IMPACT_REMINDER = "impact_reminder"
    # The market day (bot/services/stands.py): each exhibitor's stand card, and the absentees
    # of the first day for the organizers.
    STAND_CARD = "stand_card"
    STANDS_ABSENT = "stands_absent"
    # Trainings (storage/trainings.py): a seat held (its confirmation), a wish queued on a full
    # training, a freed seat proposed, an offer left unanswered that went to the next
    # (storage/seat_offers.py); an attestation of participation (a PDF).
    TRAINING_SEAT = "training_seat"
    TRAINING_QUEUED = "training_queued"
    TRAINING_PROPOSED = "training_proposed"
    TRAINING_LAPSED = "training_lapsed"
    ATTESTATION = "attestation"


# The reminders, planned and re-planned by `bot/services/reminders.py`.
REMINDERS = frozenset(
    {
        Template.PHASE_SOON,
        Template.TRAINING_SOON,
        Template.CONFIRM_SOON,
        Template.DRAFT_DEADLINE,
    }
)
# Messages about one application: their params carry its `application_id`, and they are
# dropped at send time if the application has moved on.
ABOUT_AN_APPLICATION = REMINDERS | {Template.DECISION}
# Messages to the team about the bot itself: their own failures are logged, never reported
# (a report about a report that cannot reach an admin would never end).
TEAM = frozenset(
    {
        Template.OUTBOX_INTERRUPTED,
        Template.OUTBOX_UNDELIVERED,
        Template.OUTBOX_OUTAGE,
        Template.OUTBOX_RECOVERED,
        Template.ERROR_REPORT,
        Template.BROADCAST_REPORT,
    }
)

# The organizers' notices: sent only while the recipient still decides on applications.
ORGANIZER_NOTICES = frozenset({Template.ORGANIZER_EVENT, Template.ORGANIZER_DIGEST})
# The help desk's messages: their params carry a `ticket_id`; dropped once it is erased.
HELP_DESK = frozenset({Template.TICKET_NEW, Template.TICKET_ANSWER})
# The impact survey: its params carry the `application_id`; the question shown is the first
# one still unanswered when it is sent, and nothing is sent once the survey is finished.
IMPACT_SURVEYS = frozenset({Template.IMPACT_SURVEY, Template.IMPACT_REMINDER})
# A training seat's news: sent only while the seat is still in the state it tells.
TRAINING_SEATS = frozenset(
    {
        Template.TRAINING_SEAT,
        Template.TRAINING_QUEUED,
        Template.TRAINING_PROPOSED,
        Template.TRAINING_LAPSED,
    }
)


def template_of(value: str) -> Template | None:
    """A stored row's template; None for one this version does not know (a newer bot's row,
    after a rollback): such a row is dropped, not sent."""
    try:
        return Template(value)
    except ValueError:
        return None
