"""Every keyboard the bot draws, drawn for tests/bot/test_button_labels.py: with the bundled
catalogue and with one whose names are as long as the parser allows, in every language. Add a
new keyboard to `KEYBOARDS` (and, if its labels are built from data, its function to
`BUILT_LABELS_CHECKED`)."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot import keyboards
from bot.callbacks import InviteRole, StandsAction
from bot.catalogue import DEFAULT_CATALOGUE_PATH, Catalogue, parse_catalogue
from bot.catalogue.model import BUTTON_TEXT_MAX, SHORT_NAME_MAX
from bot.i18n import I18n, Translator
from bot.questionnaire import QUESTIONS, FormContext, Kind, applicable, choice_codes
from bot.services.applications import Availability, Draft
from bot.services.helpdesk import Asker
from bot.services.impact import CHOICES, STEPS
from bot.services.voice import prompt_labels as voice_prompt_labels
from bot.views import application as application_view
from bot.views import broadcast as broadcast_view
from bot.views import console as console_view
from bot.views import decisions as decisions_view
from bot.views import helpdesk as helpdesk_view
from bot.views import impact as impact_view
from bot.views import impact_report as impact_report_view
from bot.views import info as info_view
from bot.views import organizer_events as organizer_view
from bot.views import poster_screens
from bot.views import structures as structures_view
from bot.views import team_console as team_view
from bot.views import trainings as trainings_view
from bot.views import voice as voice_view
from bot.views.privacy import delete_confirm_keyboard
from storage.applications import Answer, Application
from storage.broadcasts import Audience, Broadcast
from storage.structures import Structure
from storage.tickets import Ticket
from storage.trainings import Attendee

ROOT = Path(__file__).resolve().parents[2]
I18N = I18n()
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


def _bundled() -> dict[str, Any]:
    return tomllib.loads(DEFAULT_CATALOGUE_PATH.read_text("utf-8"))


def _long(length: int) -> dict[str, str]:
    """A name of `length` characters in each language: wide Latin, Arabic and Tifinagh letters."""
    return {"fr": "W" * length, "ar": "م" * length, "zgh": "ⵣ" * length}


def longest_catalogue() -> Catalogue:
    """The bundled catalogue with every name on a button as long as the parser allows, phases
    of 9,999 places, and a phase across two long month names (28 September - 3 October)."""
    data = copy.deepcopy(_bundled())
    for key in ("sectors", "provinces", "programmes", "stand_needs", "reject_reasons"):
        for option in data[key]:
            option["name"] = _long(BUTTON_TEXT_MAX)
    for market in data["markets"]:
        market["name"] = _long(200)
        market["short_name"] = _long(SHORT_NAME_MAX)
        for phase in market["phases"]:
            phase["capacity"] = 9999
        for training in market.get("trainings", []):
            training["title"] = _long(BUTTON_TEXT_MAX)
    ifrane = data["markets"][0]
    last = ifrane["phases"][-1]
    last["starts"] = last["starts"].replace(month=9, day=28)
    last["ends"] = last["ends"].replace(month=10, day=3)
    last["application_deadline"] = last["application_deadline"].replace(month=9, day=1)
    ifrane["trainings"] = [t for t in ifrane["trainings"] if t["phase"] != last["number"]]
    return parse_catalogue(data, "longest.toml")


CATALOGUES = {
    "bundled": lambda: parse_catalogue(_bundled(), "markets.toml"),
    "longest": longest_catalogue,
}


@dataclass(frozen=True)
class Env:
    t: Translator
    catalogue: Catalogue

    def availabilities(self) -> Iterator[tuple[Availability, ...]]:
        """Every phase, with all its places free, one left, none left, and closed."""
        for market in self.catalogue.markets:
            for left, is_open in ((None, True), (1, True), (0, True), (None, False)):
                yield tuple(
                    Availability(p, p.capacity if left is None else left, is_open)
                    for p in market.phases
                )

    def drafts(self) -> Iterator[Draft]:
        """For every phase and legal form, a draft with every question answered (every
        choice ticked), being edited, and one with nothing ticked."""
        for market in self.catalogue.markets:
            for phase in market.phases:
                form = FormContext(self.catalogue, market, phase)
                for legal_form in choice_codes(QUESTIONS[0], form):
                    values: dict[str, Any] = {"legal_form": legal_form}
                    for question in applicable(values, form):
                        codes = choice_codes(question, form)
                        values.setdefault(question.key, codes if question.kind is Kind.MULTI else 1)
                    for editing, ticked in ((None, True), ("trainings", False)):
                        answers = {
                            key: Answer(
                                value if ticked or not isinstance(value, list) else [], True
                            )
                            for key, value in values.items()
                        }
                        status = "draft" if editing is None else "submitted"
                        application = Application(
                            999_999_999, 1, phase.code, status, "IFR-99-9999", editing, "", None
                        )
                        yield Draft(application, answers, form)


def _questions(env: Env) -> Iterator[Markup]:
    for draft in env.drafts():
        for question in applicable(draft.values, draft.form):
            edited = replace(draft, application=replace(draft.application, editing=question.key))
            yield application_view.question_keyboard(env.t, draft, question)
            yield application_view.question_keyboard(env.t, edited, question)


def _broadcast(env: Env) -> Iterator[Markup]:
    t, catalogue = env.t, env.catalogue
    codes = {
        "market": [m.code for m in catalogue.markets],
        "phase": [p.code for m in catalogue.markets for p in m.phases],
        "status": list(broadcast_view.STATUS_NAMES),
        "sector": [o.code for o in catalogue.sectors],
        "province": [o.code for o in catalogue.provinces],
        "language": list(I18N.locales),
    }
    for audience in broadcast_view.STATUS_NAMES:
        yield broadcast_view.audience_keyboard(t, 999_999, Audience(status=audience))
    for name, values in codes.items():
        yield broadcast_view.options_keyboard(t, catalogue, I18N, 999_999, name, values)
    yield broadcast_view.text_keyboard(t, 999_999, True)
    yield broadcast_view.text_keyboard(t, 999_999, False)
    yield broadcast_view.text_keyboard(t, 999_999, False, optional=True)
    yield broadcast_view.photo_keyboard(t, 999_999)
    draft = Broadcast(
        999_999, 1, "draft", "preview", Audience(), {"fr": "x"}, None, 0, None, None, "", None, None
    )
    for reach in (1, 2, 99_999):
        yield broadcast_view.preview_keyboard(t, I18N, draft, "fr", reach)
    yield broadcast_view.history_keyboard(t, [(replace(draft, status="sending"), None)])  # type: ignore[list-item]


def _helpdesk(env: Env) -> Iterator[Markup]:
    """The queue's buttons (a reference and the member's first name, as long as Telegram
    allows: 64), the ticket's, the prompts'."""
    asked = datetime(2027, 5, 1, tzinfo=UTC)
    for name in ("", "Fatima", "W" * 64, "م" * 64):
        ticket = Ticket(999_999_999_999_999_999, 1, name, "ar", "voice", None, "f", asked)
        yield helpdesk_view.queue_keyboard(env.t, [(ticket, Asker(()))])
        yield helpdesk_view.ticket_keyboard(env.t, ticket)
        yield helpdesk_view.answer_prompt_keyboard(env.t, ticket)
    yield helpdesk_view.ask_keyboard(env.t)
    yield helpdesk_view.answer_keyboard(env.t)


# Every keyboard the bot draws, by name: add yours here.
def _stands(env: Env) -> Iterator[Markup]:
    """/stands and /arrivals with exhibitors' names as long as the form allows (120) and
    stand numbers as long as the catalogue allows (8)."""
    from bot.catalogue import Stand
    from bot.services.stands import Board
    from bot.views import stands as stands_view
    from storage.stands import Assignment, Exhibitor

    market = env.catalogue.markets[0]
    from bot.views import stand_moves

    pole = market.poles[0].code
    phase = replace(
        market.phases[0], stands=(Stand("ABCD-123", pole, 9, True), Stand("WXYZ-789", pole))
    )
    people = {i: Exhibitor(i, i, "IFR-1-0001", "م" * 120, None, None, ()) for i in (1, 2)}
    for confirmed in (False, True):
        assignments = [Assignment(i, i, phase.code, "ABCD-123", confirmed, None) for i in people]
        board = Board(phase, market, people, assignments, {})
        yield stands_view.board_keyboard(env.t, board)
        yield stands_view.change_keyboard(board, 1)
        yield stands_view.arrivals_keyboard(board, True)
        yield stand_moves.choose_keyboard(board)
        yield stand_moves.free_keyboard(board, 1)
        yield stand_moves.confirm_keyboard(env.t, board, assignments[0], "WXYZ-789")
    yield stands_view.phases_keyboard(
        env.t, [(m, p) for m in env.catalogue.markets for p in m.phases], StandsAction.SHOW
    )


KEYBOARDS: dict[str, Callable[[Env], Iterator[Markup]]] = {
    "main menu": lambda env: iter([keyboards.main_menu(env.t)]),
    "language picker": lambda env: iter([keyboards.language_picker(I18N)]),
    "markets to apply to": lambda env: iter(
        [application_view.markets_keyboard(env.t, env.catalogue.markets)]
    ),
    "phases to apply to": lambda env: (
        application_view.phases_keyboard(env.t, list(a)) for a in env.availabilities()
    ),
    "consent": lambda env: iter(
        application_view.consent_keyboard(env.t, "ifrane-1", structure, facilitator)
        for structure in (None, 0, 999_999_999)
        for facilitator in (False, True)
    ),
    "structure to apply with": lambda env: iter(
        [
            structures_view.choice_keyboard(
                env.t,
                "mohammedia-1",
                [Structure(999_999_999, 1, True, False, {"structure_name": "م" * 120})],
            )
        ]
    ),
    "update the profile": lambda env: iter([structures_view.profile_keyboard(env.t, 999_999_999)]),
    "erase one structure": lambda env: iter(
        [
            delete_confirm_keyboard(
                env.t,
                2_000_000_000,
                [Structure(999_999_999, 1, True, False, {"structure_name": "م" * 120})],
            ),
            structures_view.erase_structure_keyboard(env.t, 999_999_999, 2_000_000_000),
        ]
    ),
    "questions": _questions,
    "summary": lambda env: (application_view.summary_keyboard(env.t, d) for d in env.drafts()),
    "summary's ✏️ grid": lambda env: (
        application_view.summary_grid_keyboard(env.t, d) for d in env.drafts()
    ),
    "corrections": lambda env: (
        application_view.correction_keyboard(env.t, d) for d in env.drafts()
    ),
    "/info market cards": lambda env: (
        info_view.market_keyboard(env.t, env.catalogue.market(a[0].phase.market_code), list(a))  # type: ignore[arg-type]
        for a in env.availabilities()
    ),
    "/info phase details": lambda env: (
        info_view.phase_keyboard(env.t, env.catalogue.market(x.phase.market_code), x)  # type: ignore[arg-type]
        for a in env.availabilities()
        for x in a
    ),
    "decision: confirm": lambda env: iter(
        [keyboards.inline(decisions_view.confirm_rows(env.t, 999_999_999))]
    ),
    "privacy: erase all": lambda env: iter([delete_confirm_keyboard(env.t, 2_000_000_000)]),
    "review card": lambda env: (
        console_view.card_keyboard(env.t, replace(d.application, status=status), "all", True)
        for d in list(env.drafts())[:1]
        for status in (*console_view.DECISIONS, "accepted")
    ),
    "reject reasons": lambda env: iter(
        [console_view.reasons_keyboard(env.t, env.catalogue, 999_999_999, "all")]
    ),
    "broadcast wizard": _broadcast,
    "/voice languages": lambda env: iter(
        [voice_view.languages_keyboard([(code, I18N.native_name(code)) for code in I18N.locales])]
    ),
    "/voice prompts": lambda env: (
        voice_view.prompts_keyboard(env.t, env.t.locale, recorded)
        for recorded in ((), voice_prompt_labels())  # ▫️ and ✅ before each label
    ),
    "/voice recording": lambda env: iter(
        [voice_view.record_keyboard(env.t, "ar", "legal_form", exists=True)]
    ),
    "/settings": lambda env: (voice_view.settings_keyboard(env.t, on) for on in (False, True)),
    "/notifications": lambda env: (
        organizer_view.notifications_keyboard(env.t, immediate) for immediate in (True, False)
    ),
    "offer a freed place": lambda env: iter(
        [
            organizer_view.offer_keyboard(
                env.t, env.catalogue, [p.code for m in env.catalogue.markets for p in m.phases]
            )
            or InlineKeyboardMarkup([])
        ]
    ),
    "/poster markets": lambda env: iter(
        [poster_screens.markets_keyboard(env.t, env.catalogue.markets)]
    ),
    "team roles": lambda env: iter([team_view.roles_keyboard(env.t, InviteRole)]),
    "phases to close or open": lambda env: (
        team_view.phases_keyboard(
            env.t, [(m, p) for m in env.catalogue.markets for p in m.phases], is_open
        )
        for is_open in (True, False)
    ),
    "/find results": lambda env: iter(
        [
            console_view.found_keyboard(
                [d.application for d in list(env.drafts())[:1]],
                {999_999_999: "م" * 120},
                "all",
            )
        ]
    ),
    "help desk": _helpdesk,
    "impact survey": lambda env: (
        impact_view.survey_screen(
            env.t, "م" * 40, 999_999_999_999, step, CHOICES.get(step, ()), first=True
        )[1]
        for step in STEPS
    ),
    "/impact markets": lambda env: iter(
        [impact_report_view.markets_keyboard(env.t, env.catalogue.markets)]
    ),
    "stands and arrivals": _stands,
    "/attendance trainings": lambda env: iter(
        [
            trainings_view.pick_keyboard(
                env.t, [t for m in env.catalogue.markets for t in m.trainings]
            )
        ]
    ),
    "/attendance list": lambda env: (
        trainings_view.attendees_keyboard(training, [Attendee(1, "م" * 120, "", attended)])
        for training in env.catalogue.markets[0].trainings[:1]
        for attended in (True, False)
    ),
}

# Functions whose buttons have labels built from data or placeholders: KEYBOARDS draws each,
# or the comment says why it fits.
BUILT_LABELS_CHECKED = {
    ("bot/keyboards.py", "language_picker"),
    (
        "bot/keyboards.py",
        "market_rows",
    ),  # drawn by the markets keyboards of /apply, /poster, /impact
    ("bot/views/application.py", "phases_keyboard"),
    ("bot/views/application.py", "markets_keyboard"),
    ("bot/views/application.py", "question_keyboard"),
    ("bot/views/application.py", "edit_grid"),
    ("bot/views/application.py", "consent_keyboard"),
    ("bot/views/structures.py", "choice_keyboard"),
    ("bot/views/structures.py", "erase_rows"),
    ("bot/views/info.py", "market_keyboard"),
    ("bot/views/info.py", "phase_keyboard"),
    ("bot/views/console.py", "card_keyboard"),
    ("bot/views/console.py", "reasons_keyboard"),
    ("bot/views/broadcast.py", "audience_keyboard"),
    ("bot/views/broadcast.py", "choose"),
    ("bot/views/broadcast.py", "options_keyboard"),
    ("bot/views/broadcast.py", "preview_keyboard"),
    ("bot/views/broadcast.py", "history_keyboard"),
    ("bot/views/voice.py", "languages_keyboard"),
    ("bot/views/voice.py", "prompts_keyboard"),
    ("bot/views/organizer_events.py", "notifications_keyboard"),
    ("bot/views/organizer_events.py", "offer_keyboard"),
    ("bot/views/poster_screens.py", "markets_keyboard"),
    ("bot/views/helpdesk.py", "queue_keyboard"),
    ("bot/views/impact.py", "survey_screen"),
    ("bot/views/impact_report.py", "markets_keyboard"),
    # The list of sent applications to correct: "✏️ IFR-1-0042 · Marché d'Ifrane", fitted.
    ("bot/handlers/correct.py", "correct_command"),
    ("bot/views/console.py", "found_keyboard"),
    ("bot/views/team_console.py", "roles_keyboard"),
    ("bot/views/team_console.py", "phases_keyboard"),
    ("bot/views/stands.py", "phases_keyboard"),
    ("bot/views/trainings.py", "pick_keyboard"),
    ("bot/views/trainings.py", "attendees_keyboard"),
    ("bot/views/stands.py", "board_keyboard"),
    ("bot/views/stands.py", "change_keyboard"),
    ("bot/views/stand_moves.py", "choose_keyboard"),
    ("bot/views/stand_moves.py", "free_keyboard"),
    ("bot/views/stands.py", "arrivals_keyboard"),
}
