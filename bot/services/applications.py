"""Applications as applicants fill them in: who may apply, drafts, answers, corrections.
The decisions (submission, status changes) are in `bot/services/decisions.py`.

Plain async functions over repositories: testable without Telegram.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot import questionnaire as form_
from bot.catalogue import Catalogue
from bot.clock import Clock
from bot.questionnaire import MAX_PHOTOS, TRAINING_FULL, TRAININGS, Ask, FormContext, Kind, Question
from bot.services.application_types import Availability, Draft, Duplicate, Refusal
from bot.services.decisions import (
    Change,
    Decisions,
    Outcome,
    confirmation_deadline,
    decision_deliveries,
)
from bot.services.reminders import QuietHours
from bot.validation import ValidationError
from storage.applications import (
    Application,
    ApplicationRepository,
)
from storage.catalogue import CatalogueRepository
from storage.statuses import LIVE, Status
from storage.structures import FORGET, PROFILE, Structure

__all__ = [
    "CONSENT_VERSION",
    "ApplicationService",
    "Availability",
    "Change",
    "Draft",
    "Duplicate",
    "Outcome",
    "Refusal",
    "confirmation_deadline",
    "decision_deliveries",
    "kind_accepts_text",
]

# Bump when the consent text changes: each consent row records the version the user saw.
CONSENT_VERSION = "2026-11-23"


class ApplicationService(Decisions):
    def __init__(
        self,
        repository: ApplicationRepository,
        phases: CatalogueRepository,
        catalogue: Catalogue,
        clock: Clock,
        quiet_hours: QuietHours | None = None,
    ) -> None:
        self.repository = repository
        self._phases = phases
        self.catalogue = catalogue
        self._clock = clock
        self._quiet_hours = quiet_hours

    def form_for(self, phase_code: str) -> FormContext | None:
        phase = self.catalogue.phase(phase_code)
        market = self.catalogue.market(phase.market_code) if phase else None
        if phase is None or market is None:
            return None
        return FormContext(self.catalogue, market, phase)

    async def _with_seats(self, draft: Draft) -> Draft:
        """On the trainings question, which ones are full (one query, only there)."""
        step = draft.step
        if not isinstance(step, Ask) or step.question.key != TRAININGS:
            return draft
        full = await self.repository.full_trainings(draft.form.phase.code, draft.application.id)
        return replace(draft, form=replace(draft.form, full=full))

    async def can_apply(
        self, phase_code: str, structure_id: int | None = None
    ) -> Refusal | Application | None:
        """None if one may apply; else the reason, or the structure's live application in the
        phase. The account does not count: a facilitator files for several structures."""
        phase = self.catalogue.phase(phase_code)
        if phase is None:
            return Refusal.UNKNOWN_PHASE
        availability = await self.availability(phase)
        if not availability.open:
            closed = self._clock() >= phase.application_deadline
            return Refusal.DEADLINE_PASSED if closed else Refusal.CLOSED
        if structure_id is None:
            return None
        return await self.repository.live_of_structure(structure_id, phase_code)

    async def start(
        self,
        user_id: int,
        phase_code: str,
        structure_id: int | None = None,
        *,
        through_facilitator: bool = False,
    ) -> Draft | Refusal | Application:
        """After consent: open the draft, with the stored profile of `structure_id` (one the
        user filed for) as its first answers. A draft for another phase or structure is
        replaced; a draft for this phase and structure is kept as it is: an older consent
        screen pressed again (a second Apply, a double tap, an update delivered again after a
        crash) must not erase its answers."""
        if structure_id is not None and await self.structure_of(user_id, structure_id) is None:
            return Refusal.UNKNOWN_PHASE  # a forged button: nothing to apply with
        refusal = await self.can_apply(phase_code, structure_id)
        if refusal is not None:
            return refusal
        current = await self.repository.draft_of(user_id)
        same = current is not None and current.phase_code == phase_code
        if current is not None and same and current.structure_id == structure_id:
            kept = await self.draft(user_id)
            if kept is not None:
                return kept
        if current is not None:
            await self._forget_reminders(current.id)
            await self.repository.delete_draft(current.id)
        await self.end_corrections(user_id)  # the answers to come are for the new draft
        await self.repository.create_draft(
            user_id,
            phase_code,
            CONSENT_VERSION,
            self._clock(),
            structure_id=structure_id,
            through_facilitator=through_facilitator,
        )
        draft = await self.draft(user_id)
        assert draft is not None
        await self._replan(draft.application)
        return draft

    async def structures(self, user_id: int) -> list[Structure]:
        """The structures this account filed for, to apply with again."""
        return await self.repository.structures_of(user_id)

    async def structure_of(self, user_id: int, structure_id: int) -> Structure | None:
        """The structure, if this account files for it."""
        structure = await self.repository.structure(structure_id)
        if structure is None or structure.erased or structure.filer_id != user_id:
            return None
        return structure

    async def profile_changes(self, draft: Draft) -> tuple[Structure, list[str]] | None:
        """The stored profile's answers that this application changed (the summary asks
        whether to update the profile too), with the structure; None if none."""
        structure_id = draft.application.structure_id
        if structure_id is None:
            return None
        structure = await self.structure_of(draft.application.user_id, structure_id)
        if structure is None:
            return None
        values = draft.values
        asked = {question.key for question in form_.applicable(values, draft.form)}
        changed = [
            key
            for key in PROFILE
            if key in structure.profile
            and (
                (key in asked and key in values and values[key] != structure.profile[key])
                or key not in asked
            )
        ]
        return (structure, changed) if changed else None

    async def update_profile(self, draft: Draft) -> Structure | None:
        """The filer chose: the structure's profile takes this application's answers (and
        forgets those that no longer apply, another legal form's register number)."""
        found = await self.profile_changes(draft)
        if found is None:
            return None
        structure, keys = found
        values = draft.values
        await self.repository.update_profile(
            structure.id, {key: values.get(key, FORGET) for key in keys}, self._clock()
        )
        return structure

    async def decline_consent(self, user_id: int, phase_code: str) -> None:
        await self.repository.record_consent(
            user_id, phase_code, CONSENT_VERSION, accepted=False, now=self._clock()
        )

    async def draft(self, user_id: int) -> Draft | None:
        found = await self.repository.draft_with_answers(user_id)
        if found is None:
            return None
        application, answers = found
        form = self.form_for(application.phase_code)
        if form is None:  # the phase left the catalogue: the draft cannot go on
            return None
        return await self._with_seats(Draft(application, answers, form))

    async def answer(self, draft: Draft, question: Question, value: Any) -> None:
        """Save an accepted answer; raise ValidationError if a cross-answer rule refuses it."""
        values = draft.values
        if question.check is not None and value is not None:
            question.check(value, values)
        values[question.key] = value
        stale = form_.stale_answers(values, draft.form)
        if draft.application.status != Status.DRAFT:
            await self._save_correction(draft, question, value, values, stale)
            return
        await self.repository.save_answer(
            draft.application.id,
            question.key,
            value,
            self._clock(),
            drop=stale,
            editing_done=draft.application.editing == question.key,
        )

    async def parse_and_answer(self, draft: Draft, question: Question, text: str) -> Any:
        """Parse typed text for the question; raises ValidationError with a translatable reason."""
        assert question.parse is not None
        value = question.parse(text)
        await self.answer(draft, question, value)
        return value

    async def toggle(self, draft: Draft, question: Question, code: str) -> list[str]:
        """Tick or untick one option of a multi-select; the selection is saved at once.

        Raises ValidationError for another kind of question or an unknown option (a forged
        or stale button): nothing is saved then."""
        if question.kind is not Kind.MULTI or code not in form_.choice_codes(question, draft.form):
            raise ValidationError("unknown choice")
        selected = list(draft.pending(question) or [])
        if code not in selected and code in draft.form.full:
            raise ValidationError(TRAINING_FULL)
        selected = [c for c in selected if c != code] if code in selected else [*selected, code]
        await self.repository.save_answer(
            draft.application.id, question.key, selected, self._clock(), complete=False
        )
        return selected

    async def finish(self, draft: Draft, question: Question) -> None:
        """Done on a multi-select or photos question: the selection so far is the answer.

        Raises ValidationError on any other question, and on photos before the first one
        (Skip is the button for no photo): only the buttons the question shows may answer it."""
        value = draft.pending(question)
        if question.kind is not Kind.MULTI and not (question.kind is Kind.PHOTOS and value):
            raise ValidationError("nothing to finish")
        await self.answer(draft, question, list(value) if value else [])

    async def skip(self, draft: Draft, question: Question) -> None:
        await self.answer(draft, question, None)

    async def add_photo(self, draft: Draft, question: Question, file_id: str) -> int:
        """Keep one more photo; the question completes by itself at MAX_PHOTOS."""
        photos = [*list(draft.pending(question) or []), file_id][:MAX_PHOTOS]
        if len(photos) >= MAX_PHOTOS:
            await self.answer(draft, question, photos)
        else:
            await self.repository.save_answer(
                draft.application.id, question.key, photos, self._clock(), complete=False
            )
        return len(photos)

    async def edit(self, draft: Draft, question_key: str) -> bool:
        if question_key not in {q.key for q in form_.applicable(draft.values, draft.form)}:
            return False
        await self.repository.set_editing(draft.application.id, question_key)
        return True

    # Corrections: an applicant edits an answer of a sent, live application through the same
    # questions. `editing` marks the question being asked; answers go to it before the draft.

    def may_correct(self, application: Application) -> bool:
        """Live (not decided against, not withdrawn) and its phase not over yet."""
        phase = self.catalogue.phase(application.phase_code)
        return application.status in LIVE and phase is not None and self._clock() < phase.ends

    async def correctable(self, user_id: int) -> list[Application]:
        return [a for a in await self.repository.of_user(user_id) if self.may_correct(a)]

    async def _sent(self, application: Application | None) -> Draft | None:
        form = self.form_for(application.phase_code) if application else None
        if application is None or form is None:
            return None
        return Draft(application, await self.repository.answers(application.id), form)

    async def correction_of(self, user_id: int, application_id: int) -> Draft | None:
        """The user's own sent application, if it may still be corrected."""
        application = await self.repository.get(application_id)
        if application is None or application.user_id != user_id:
            return None
        return await self._sent(application) if self.may_correct(application) else None

    async def in_progress(self, user_id: int, prefer: int | None = None) -> Draft | None:
        """Where the user's answers go: the application `prefer` (a button's id) if it is the
        draft or under correction, else a correction under way, else the draft.

        One query: every update of the questionnaire starts here."""
        correction = draft = None
        for application, answers in await self.repository.in_progress_of(user_id):
            form = self.form_for(application.phase_code)
            if form is None:
                continue
            if application.status == Status.DRAFT:
                draft = Draft(application, answers, form)
            elif correction is None and self.may_correct(application):
                correction = Draft(application, answers, form)
        candidates = [await self._with_seats(d) for d in (correction, draft) if d]
        for candidate in candidates:
            if candidate.application.id == prefer:
                return candidate
        return candidates[0] if candidates else None

    async def reload(self, draft: Draft) -> Draft | None:
        """The same application as saved now; None once it is neither a draft nor correctable."""
        found = await self.repository.get_with_answers(draft.application.id)
        if found is None or found[0].user_id != draft.application.user_id:
            return None
        application, answers = found
        if application.status != Status.DRAFT and not self.may_correct(application):
            return None
        return await self._with_seats(Draft(application, answers, draft.form))

    async def start_correction(self, draft: Draft, question_key: str) -> bool:
        """Ask one question of a sent application again; one correction at a time."""
        if draft.application.status == Status.DRAFT or not self.may_correct(draft.application):
            return False
        if question_key not in {q.key for q in form_.applicable(draft.values, draft.form)}:
            return False
        await self.end_corrections(draft.application.user_id, keep=draft.application.id)
        await self.repository.set_editing(draft.application.id, question_key)
        return True

    async def leave_edit(self, draft: Draft) -> None:
        """Back to the summary without answering. A draft's answer stays as it was; a sent
        application keeps the options ticked so far (each tick was saved as it was made, and
        it must not be left without an answer)."""
        key = draft.application.editing or ""
        pending = draft.answers.get(key)
        sent = draft.application.status != Status.DRAFT
        if sent and key in form_.BY_KEY and pending is not None and not pending.complete:
            await self.finish(draft, form_.BY_KEY[key])
        await self.repository.set_editing(draft.application.id, None)

    async def end_corrections(self, user_id: int, keep: int | None = None) -> None:
        for application in await self.repository.being_corrected(user_id):
            if application.id != keep and (sent := await self._sent(application)) is not None:
                await self.leave_edit(sent)

    async def _save_correction(
        self,
        draft: Draft,
        question: Question,
        value: Any,
        values: dict[str, Any],
        stale: list[str],
    ) -> None:
        """A corrected answer is recorded (organizers see what changed and when), and the
        copies used to spot duplicates follow it. A change that makes a new question apply
        (another legal form: another register number) asks it next."""
        remaining = {key: v for key, v in values.items() if key not in stale}
        step = form_.next_step(remaining, draft.form)
        phone = remaining.get("phone")
        await self.repository.save_correction(
            draft.application.id,
            question.key,
            value,
            self._clock(),
            drop=stale,
            editing=step.question.key if isinstance(step, Ask) else None,
            phone=phone if isinstance(phone, str) else None,
            identifier=form_.identifier(remaining),
        )
        if question.key == TRAININGS:
            await self._replan(draft.application)

    async def cancel(self, draft: Draft) -> bool:
        await self._forget_reminders(draft.application.id)
        return await self.repository.delete_draft(draft.application.id)


def kind_accepts_text(question: Question) -> bool:
    return question.kind in {Kind.TEXT, Kind.TEXT_OR_VOICE, Kind.COUNT, Kind.PHONE}
