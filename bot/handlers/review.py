"""/review, /app and /find: application cards, decisions, rejection reasons (organizers)."""

from __future__ import annotations

from telegram import InputMediaPhoto, Update
from telegram.ext import ApplicationHandlerStop, BaseHandler

from bot import keyboards
from bot.callbacks import CardAction, RejectFor, ReviewCard
from bot.context import BotContext
from bot.handlers.access import may
from bot.handlers.audience import team
from bot.handlers.common import answer_button, reply
from bot.handlers.fallback import stale_button
from bot.services.applications import Draft, Outcome
from bot.validation import ValidationError, clean_text, parse_free_text, phone_search_key
from bot.views import console
from storage.statuses import Status

ALL = "all"
OTHER_REASON = "other"
REJECT_NOTE = "reject_note"
MAX_SEARCH = 120  # the longest name an answer holds (validation.parse_structure_name)
# The card's buttons that decide (the others navigate, or show the media).
DECIDING = frozenset({CardAction.ACCEPT, CardAction.WAITLIST, CardAction.REJECT})


def _known_scope(context: BotContext, scope: str) -> str:
    """The scope itself if it names a phase or a market, else `all`: whatever was typed after
    /review or forged in a button, the card's buttons carry a short ASCII code."""
    catalogue = context.services.catalogue
    if catalogue.phase(scope) is not None or catalogue.market(scope) is not None:
        return scope
    return ALL


def _scope_phases(context: BotContext, scope: str) -> list[str]:
    """A scope is a phase code (`ifrane-2`), a market code (`ifrane`) or `all`."""
    catalogue = context.services.catalogue
    if catalogue.phase(scope) is not None:
        return [scope]
    market = catalogue.market(scope)
    markets = [market] if market else list(catalogue.markets)
    return [phase.code for m in markets for phase in m.phases]


async def _card(context: BotContext, application_id: int) -> Draft | None:
    services = context.services
    application = await services.application_records.get(application_id)
    form = services.applications.form_for(application.phase_code) if application else None
    if application is None or form is None or application.status == Status.DRAFT:
        return None
    return Draft(application, await services.application_records.answers(application.id), form)


async def _applicant_locale(context: BotContext, user_id: int) -> str | None:
    """The language the applicant's messages are written in (their choice, else French)."""
    user = await context.services.users.get(user_id)
    return context.services.i18n.translator(user.locale if user else None).locale


async def show_card(update: Update, context: BotContext, application_id: int, scope: str) -> None:
    t, services = context.t, context.services
    card = await _card(context, application_id)
    if card is None:
        await reply(update, context, t.gettext("Candidature introuvable."))
        return
    duplicates = await services.console.others_with_same_contact(application_id)
    values = card.values
    has_media = bool(values.get("photos")) or isinstance(values.get("products"), dict)
    corrections = await services.application_records.corrections(application_id)
    locale = await _applicant_locale(context, card.application.user_id)
    filed_for = await services.console.structures_filed(card.application.user_id)
    await reply(
        update,
        context,
        console.card_text(
            t, services.catalogue, card, duplicates, corrections, locale, filed_for=filed_for
        ),
        console.card_keyboard(t, card.application, scope, has_media),
    )


async def review_command(update: Update, context: BotContext) -> None:
    """`/review [market] [phase]`: the first submitted application waiting for a decision."""
    args = context.args or []
    scope = _known_scope(
        context, f"{args[0]}-{args[1]}" if len(args) >= 2 else (args[0] if args else ALL)
    )
    queue = await context.services.console.review_queue(_scope_phases(context, scope))
    if not queue:
        await reply(update, context, context.t.gettext("Aucune candidature à examiner."))
        return
    count = context.t.ngettext(
        "%(count)s candidature à examiner.", "%(count)s candidatures à examiner.", len(queue)
    )
    await reply(update, context, count)
    await show_card(update, context, queue[0], scope)


async def app_command(update: Update, context: BotContext) -> None:
    """`/app <reference>`"""
    reference = (context.args or [""])[0]
    application = await context.services.console.by_reference(reference)
    if application is None:
        await reply(update, context, context.t.gettext("Aucune candidature avec cette référence."))
        return
    await show_card(update, context, application.id, ALL)


async def find_command(update: Update, context: BotContext) -> None:
    """`/find <text>`: by reference, phone, register number or part of a name."""
    t, services = context.t, context.services
    # Cleaned like the answers searched (no bidi marks from a copied Arabic name...).
    text = clean_text(" ".join(context.args or []))
    if len(text) < 2:
        await reply(update, context, t.gettext("Écrivez ce que vous cherchez : /find Tifawin"))
        return
    if len(text) > MAX_SEARCH:  # longer than any name: and SQLite refuses huge LIKE patterns
        await reply(
            update,
            context,
            t.gettext(
                "Recherche trop longue. Nombre maximum de caractères : %(maximum)s.",
                maximum=MAX_SEARCH,
            ),
        )
        return
    found = await services.console.search(text, phone=phone_search_key(text))
    if not found:
        await reply(update, context, t.gettext("Rien trouvé."))
        return
    names = await services.console.structure_names([application.id for application in found])
    await reply(
        update,
        context,
        console.found_text(t, services.catalogue, found, names),
        console.found_keyboard(found, names, ALL),
    )


async def review_button(update: Update, context: BotContext, pressed: ReviewCard) -> None:
    """A card's button: navigate the queue of `scope`, show the media, decide."""
    action, application_id = pressed.action, pressed.application_id
    scope = _known_scope(context, pressed.scope)
    user = update.effective_user
    assert user is not None
    if action in DECIDING and not await may(context, user.id, "decide"):
        await stale_button(update, context)  # a button is answered once: check first
        return
    await answer_button(update)
    if action in {CardAction.SHOW, CardAction.PREVIOUS, CardAction.NEXT}:
        target: int | None = application_id
        if action is not CardAction.SHOW:
            forward = action is CardAction.NEXT
            target = await _neighbour(context, application_id, scope, forward=forward)
        if target is None:
            await reply(update, context, context.t.gettext("Fin de la liste."))
        else:
            await show_card(update, context, target, scope)
    elif action is CardAction.MEDIA:
        await _send_media(update, context, application_id)
    elif action is CardAction.REJECT:
        markup = console.reasons_keyboard(
            context.t, context.services.catalogue, application_id, scope
        )
        await reply(update, context, context.t.gettext("Motif du refus ?"), markup)
    else:
        await decide(
            update,
            context,
            application_id,
            Status.ACCEPTED if action is CardAction.ACCEPT else Status.WAITLISTED,
            None,
            scope,
        )


async def reject_button(update: Update, context: BotContext, pressed: RejectFor) -> None:
    """A reason of the catalogue; "other" asks for the organizer's words."""
    catalogue = context.services.catalogue
    application_id, reason = pressed.application_id, pressed.reason
    if catalogue.reject_reason(reason) is None:
        await stale_button(update, context)
        return
    await answer_button(update)
    scope = _known_scope(context, pressed.scope)
    if reason == OTHER_REASON and context.user_data is not None:
        # The next text from this organizer is the reason (disposable UI state: lost on a
        # restart, which only means choosing the reason again).
        context.user_data[REJECT_NOTE] = (application_id, scope)
        application = await context.services.application_records.get(application_id)
        locale = await _applicant_locale(context, application.user_id) if application else None
        await reply(update, context, console.reason_prompt(context.t, locale))
        return
    await decide(update, context, application_id, Status.REJECTED, reason, scope)


async def reject_note(update: Update, context: BotContext) -> None:
    """The free-text reason after "Other"; any other message goes on to the other handlers."""
    pending = context.user_data.pop(REJECT_NOTE, None) if context.user_data is not None else None
    message = update.message
    if pending is None or message is None or not message.text or message.text.startswith("/"):
        return
    user = update.effective_user
    if user is None or not await may(context, user.id, "decide"):
        return
    try:
        note = parse_free_text(message.text, min_length=3, max_length=300)
    except ValidationError as error:
        context.user_data[REJECT_NOTE] = pending  # type: ignore[index]
        await reply(update, context, context.t.gettext(error.message, **error.params))
        raise ApplicationHandlerStop from None
    application_id, scope = pending
    await decide(update, context, application_id, Status.REJECTED, note, scope)
    raise ApplicationHandlerStop


async def decide(
    update: Update,
    context: BotContext,
    application_id: int,
    status: Status,
    reason: str | None,
    scope: str,
) -> None:
    t, services = context.t, context.services
    assert update.effective_user is not None
    outcome, _ = await services.applications.set_status(
        application_id, status, update.effective_user.id, reason
    )
    if outcome is Outcome.FULL:
        markup = keyboards.inline(
            [
                [
                    keyboards.button(
                        t.gettext("⏳ Liste d'attente"),
                        ReviewCard(CardAction.WAITLIST, application_id, scope),
                    )
                ]
            ]
        )
        await reply(
            update,
            context,
            t.gettext("Cette phase est complète. Mettre sur la liste d'attente ?"),
            markup,
        )
        return
    if outcome is Outcome.ILLEGAL:
        await reply(
            update, context, t.gettext("Décision impossible : la candidature a déjà changé.")
        )
        await show_card(update, context, application_id, scope)
        return
    await reply(update, context, t.gettext("✅ Décision enregistrée, le candidat est prévenu."))
    queue = await services.console.review_queue(_scope_phases(context, scope))
    if queue:
        await show_card(update, context, queue[0], scope)
    else:
        await reply(update, context, t.gettext("Aucune candidature à examiner."))


async def _neighbour(
    context: BotContext, application_id: int, scope: str, forward: bool
) -> int | None:
    queue = await context.services.console.review_queue(_scope_phases(context, scope))
    if not queue:
        return None
    if application_id not in queue:
        return queue[0]
    index = queue.index(application_id) + (1 if forward else -1)
    return queue[index] if 0 <= index < len(queue) else None


async def _send_media(update: Update, context: BotContext, application_id: int) -> None:
    card = await _card(context, application_id)
    chat = update.effective_chat
    if card is None or chat is None:
        return
    values, caption = card.values, console.media_caption(context.t, card)
    photos = values.get("photos") or []
    if len(photos) == 1:  # an album holds 2 to 10 items (sendMediaGroup refuses one)
        await context.bot.send_photo(chat.id, photos[0], caption=caption)
    elif photos:
        # An album shows the caption of its first item under the whole album.
        await context.bot.send_media_group(
            chat.id,
            [
                InputMediaPhoto(file_id, caption=caption if index == 0 else None)
                for index, file_id in enumerate(photos)
            ],
        )
    products = values.get("products")
    if isinstance(products, dict) and "voice" in products:
        await context.bot.send_voice(chat.id, products["voice"], caption=caption)


REVIEWERS = team("review")
DECIDERS = team("decide")


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        REVIEWERS.command("review", review_command),
        REVIEWERS.command("app", app_command),
        REVIEWERS.command("find", find_command),
        REVIEWERS.route(ReviewCard, review_button),
        DECIDERS.route(RejectFor, reject_button),
    ]
