"""Broadcasts: an organizer's announcement to a chosen audience, built step by step.

Steps (the draft's `stage`): audience -> one text per language (`text:fr`, `text:ar`, ...; after
the first, "the same text for everyone" ends them) -> photo (optional) -> preview -> sending.
Each step is saved as it is given; starting queues one outbox row per recipient in one
transaction, so a restart continues where the sending stopped, with no one twice or skipped.
"""

from __future__ import annotations

from dataclasses import asdict, replace

from bot.catalogue import Catalogue
from bot.catalogue.model import SUPPORTED_TEXT_LOCALES
from bot.clock import Clock
from bot.i18n import N_
from bot.validation import ValidationError, parse_announcement
from storage.broadcasts import (
    AUDIENCES,
    EVERYONE_WHO_STARTED,
    Audience,
    Broadcast,
    BroadcastRepository,
    Progress,
)

EVERYONE = "*"  # texts key: one text for every language
FILTERS = ("market", "phase", "status", "sector", "province", "language")
# The filters that read an application: they mean nothing for people who never applied.
APPLICATION_FILTERS = ("market", "phase", "sector", "province")


def filters_for(audience: Audience) -> tuple[str, ...]:
    """The filters that apply to an audience (everyone who started the bot: language only)."""
    if audience.status == EVERYONE_WHO_STARTED:
        return tuple(name for name in FILTERS if name not in APPLICATION_FILTERS)
    return FILTERS


AUDIENCE, PHOTO, PREVIEW = "audience", "photo", "preview"
TEXT_PREFIX = "text:"
MAX_TEXT = 4096  # https://core.telegram.org/bots/api#sendmessage
MAX_CAPTION = 1024  # https://core.telegram.org/bots/api#sendphoto


def text_for(broadcast: Broadcast, locale: str, fallback: str) -> str:
    """The text a recipient reads: theirs, else the one for everyone, else the first written."""
    texts = broadcast.texts
    return texts.get(locale) or texts.get(EVERYONE) or texts.get(fallback) or ""


class BroadcastService:
    def __init__(
        self,
        repository: BroadcastRepository,
        catalogue: Catalogue,
        locales: tuple[str, ...],
        clock: Clock,
    ) -> None:
        self.repository = repository
        self.catalogue = catalogue
        self.locales = locales
        self._clock = clock
        self._started: dict[int, Broadcast] = {}  # texts never change once sending starts

    async def open_draft(self, author_id: int) -> Broadcast:
        """The author's draft, resumed where they left it, or a new one."""
        draft = await self.repository.draft_of(author_id)
        return draft or await self.repository.create_draft(author_id, self._clock())

    def options(self, name: str, audience: Audience) -> list[str]:
        """The codes a filter may take (the labels are the view's business)."""
        catalogue = self.catalogue
        if name not in filters_for(audience):
            return []
        if name == "market":
            return [market.code for market in catalogue.markets]
        if name == "phase":
            markets = [m for m in catalogue.markets if audience.market in (None, m.code)]
            return [phase.code for market in markets for phase in market.phases]
        if name == "status":
            return list(AUDIENCES)
        if name == "sector":
            return [option.code for option in catalogue.sectors]
        if name == "province":
            return [option.code for option in catalogue.provinces]
        if name == "language":
            return list(self.locales)
        return []

    async def set_filter(self, draft: Broadcast, name: str, code: str | None) -> Audience | None:
        """Narrow (or widen, with None) the audience; None if the choice is not on offer."""
        if name not in FILTERS or draft.stage != AUDIENCE:
            return None
        if code is not None and code not in self.options(name, draft.audience):
            return None
        values = asdict(draft.audience) | {name: code or ("all" if name == "status" else None)}
        if values["status"] == EVERYONE_WHO_STARTED:
            values |= dict.fromkeys(APPLICATION_FILTERS)  # people who never applied have none
        audience = Audience(**values)
        if (
            name == "market"
            and audience.phase
            and code
            and audience.phase.rsplit("-", 1)[0] != code
        ):
            audience = replace(audience, phase=None)  # a phase of another market
        await self.repository.update_draft(draft.id, audience=audience)
        return audience

    async def reach(self, audience: Audience) -> int:
        return await self.repository.reach(audience)

    async def to_texts(self, draft: Broadcast) -> str:
        stage = TEXT_PREFIX + self.locales[0]
        await self.repository.update_draft(draft.id, stage=stage)
        return stage

    async def back_to_audience(self, draft: Broadcast) -> None:
        """Start again: the texts and the photo are chosen anew."""
        await self.repository.update_draft(draft.id, stage=AUDIENCE, texts={}, clear_photo=True)

    async def write(self, draft: Broadcast, raw: str) -> str:
        """Save the text of the current language; returns the next stage.

        Raises ValidationError for an empty or too long text (nothing is saved then).
        """
        locale = draft.stage.removeprefix(TEXT_PREFIX)
        text = parse_announcement(raw, max_length=MAX_TEXT)
        texts = {**draft.texts, locale: text}
        stage = self._after(locale)
        await self.repository.update_draft(draft.id, stage=stage, texts=texts)
        return stage

    def _after(self, locale: str) -> str:
        position = self.locales.index(locale) if locale in self.locales else len(self.locales)
        return (
            TEXT_PREFIX + self.locales[position + 1] if position + 1 < len(self.locales) else PHOTO
        )

    @staticmethod
    def optional(locale: str) -> bool:
        """A language the organizers may leave out (Tamazight...), as in the catalogue: its
        readers then get the first text (`text_for`). French and Arabic are always written."""
        return locale not in SUPPORTED_TEXT_LOCALES

    async def skip_language(self, draft: Broadcast) -> str | None:
        """No text in the current, optional, language; returns the next stage."""
        locale = draft.stage.removeprefix(TEXT_PREFIX)
        if not draft.stage.startswith(TEXT_PREFIX) or not self.optional(locale):
            return None
        stage = self._after(locale)
        await self.repository.update_draft(draft.id, stage=stage)
        return stage

    async def same_text_for_everyone(self, draft: Broadcast) -> bool:
        """After the first language: the first text goes to everyone."""
        first = self.locales[0]
        if not draft.stage.startswith(TEXT_PREFIX) or first not in draft.texts:
            return False
        await self.repository.update_draft(
            draft.id, stage=PHOTO, texts={EVERYONE: draft.texts[first]}
        )
        return True

    async def add_photo(self, draft: Broadcast, file_id: str | None) -> None:
        """A photo (or none) and on to the preview; a caption holds at most 1,024 characters."""
        if file_id is not None:
            longest = max((len(text) for text in draft.texts.values()), default=0)
            if longest > MAX_CAPTION:
                raise ValidationError(
                    N_(
                        "Avec une photo, le texte doit faire au plus %(limit)s caractères"
                        " (le vôtre en a %(length)s). Envoyez l'annonce sans photo."
                    ),
                    limit=MAX_CAPTION,
                    length=longest,
                )
        await self.repository.update_draft(
            draft.id, stage=PREVIEW, photo=file_id, clear_photo=file_id is None
        )

    async def start(self, draft: Broadcast, chat_id: int, message_id: int) -> int | None:
        """Queue the deliveries; the number of recipients, or None if already started."""
        if draft.stage != PREVIEW:
            return None
        return await self.repository.start(draft.id, chat_id, message_id, self._clock())

    async def started(self, broadcast_id: int) -> Broadcast | None:
        """A broadcast past its draft, from memory after the first of its thousands of sends."""
        cached = self._started.get(broadcast_id)
        if cached is not None:
            return cached
        broadcast = await self.repository.get(broadcast_id)
        if broadcast is None or broadcast.status == "draft":
            return None
        if len(self._started) >= 64:
            self._started.clear()
        self._started[broadcast_id] = broadcast
        return broadcast

    async def discard(self, draft: Broadcast) -> bool:
        return await self.repository.discard_draft(draft.id)

    async def cancel(self, broadcast_id: int) -> bool:
        return await self.repository.cancel(broadcast_id, self._clock())

    async def progress(self, broadcast_id: int) -> Progress:
        return await self.repository.progress(broadcast_id)

    async def finish_if_done(self, broadcast_id: int) -> bool:
        return await self.repository.finish_if_done(broadcast_id, self._clock())
