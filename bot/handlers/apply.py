"""Starting an application: market, phase, consent; and resuming a draft."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot import keyboards
from bot.callbacks import (
    ALL_MARKETS,
    ChooseMarket,
    ChoosePhase,
    Consent,
    ContactPerson,
    PickStructure,
    Resume,
)
from bot.catalogue import Phase
from bot.context import BotContext
from bot.handlers.audience import MEMBERS
from bot.handlers.common import answer_button, edit_pressed, reply, reply_with_prompt, sender_id
from bot.handlers.fallback import stale_button
from bot.handlers.questionnaire import show_step
from bot.services.applications import Draft, Refusal
from bot.services.voice import CONSENT
from bot.views import application as view
from bot.views import structures as structures_view
from bot.views.structures import ANOTHER
from storage.applications import Application
from storage.structures import Structure


async def apply_command(update: Update, context: BotContext) -> None:
    """/apply, the menu's Apply: resume the draft if there is one, else choose a market."""
    service = context.services.applications
    draft = await service.draft(sender_id(update))
    if draft is not None:
        await offer_to_resume(update, context, draft)
        return
    args = context.args or []
    wanted = service.catalogue.market(args[0]) if args else None
    if wanted is not None:
        await show_phases(update, context, wanted.code)
        return
    await choose_market(update, context)


async def apply_to_market(update: Update, context: BotContext, market_code: str) -> None:
    """A market's deep link (the poster's QR code): the draft waiting, else the market's phases
    to apply to."""
    draft = await context.services.applications.draft(sender_id(update))
    if draft is not None:
        await offer_to_resume(update, context, draft)
        return
    await show_phases(update, context, market_code)


async def offer_to_resume(update: Update, context: BotContext, draft: Draft) -> None:
    """A draft is waiting: continue it (at its first unanswered question) or choose again."""
    t = context.t
    market = draft.form.market
    text = t.gettext(
        "Vous avez une candidature en cours : %(market)s, phase %(number)s. Continuer ?",
        market=market.name.get(t.locale),
        number=draft.form.phase.number,
    )
    markup = keyboards.inline(
        [
            [keyboards.button(t.gettext("▶️ Continuer"), Resume(draft.application.id))],
            [keyboards.button(t.gettext("🔄 Choisir un autre marché"), ChooseMarket(ALL_MARKETS))],
        ]
    )
    await reply(update, context, t.start_rtl(text), markup)


async def choose_market(update: Update, context: BotContext) -> None:
    markets = context.services.catalogue.markets
    if len(markets) == 1:
        await show_phases(update, context, markets[0].code)
        return
    t = context.t
    await reply(
        update,
        context,
        t.gettext("À quel marché voulez-vous participer ?"),
        view.markets_keyboard(t, markets),
    )


async def show_phases(update: Update, context: BotContext, market_code: str) -> None:
    t, service = context.t, context.services.applications
    market = service.catalogue.market(market_code)
    if market is None:
        await choose_market(update, context)
        return
    availabilities = await service.market_availability(market)
    await reply(
        update,
        context,
        view.phases_text(t, market, availabilities),
        view.phases_keyboard(t, availabilities),
    )


async def apply_button(update: Update, context: BotContext, pressed: ChooseMarket) -> None:
    """A market from a market card, or all of them to choose again."""
    await answer_button(update)
    market = pressed.market
    if market != ALL_MARKETS and context.services.catalogue.market(market):
        await show_phases(update, context, market)
    else:
        await choose_market(update, context)


async def tell_existing(update: Update, context: BotContext, existing: Application) -> None:
    t = context.t
    market = context.services.catalogue.market(existing.phase_code.rsplit("-", 1)[0])
    text = "\n".join(
        [
            t.gettext("Vous avez déjà une candidature pour cette phase :"),
            view.application_line(t, market, existing),
        ]
    )
    await reply(update, context, t.start_rtl(text), keyboards.main_menu(t))


async def tell_refusal(update: Update, context: BotContext, refusal: Refusal) -> None:
    t = context.t
    texts = {
        Refusal.UNKNOWN_PHASE: t.gettext("Cette phase n'existe plus."),
        Refusal.CLOSED: t.gettext("Les candidatures pour cette phase sont fermées."),
        Refusal.DEADLINE_PASSED: t.gettext("La date limite de candidature est passée."),
    }
    await reply(update, context, texts[refusal], keyboards.main_menu(t))


async def phase_button(update: Update, context: BotContext, pressed: ChoosePhase) -> None:
    """Check the phase is open to this user, then show the consent screen."""
    service = context.services.applications
    phase = service.catalogue.phase(pressed.phase)
    market = service.catalogue.market(phase.market_code) if phase else None
    if phase is None or market is None:
        await stale_button(update, context)
        return
    await answer_button(update)
    draft = await service.draft(sender_id(update))
    if draft is not None and draft.application.phase_code == phase.code:
        await service.end_corrections(sender_id(update))  # answers go to the draft now
        await show_step(update, context, draft)  # never restart a draft by accident
        return
    verdict = await service.can_apply(phase.code)
    if isinstance(verdict, Refusal):
        await tell_refusal(update, context, verdict)
        return
    structures = await service.structures(sender_id(update))
    if structures:
        keyboard = structures_view.choice_keyboard(context.t, phase.code, structures)
        await reply(update, context, structures_view.choice_text(context.t), keyboard)
    else:
        await show_consent(update, context, phase, None, facilitator=False)


async def show_consent(
    update: Update,
    context: BotContext,
    phase: Phase,
    structure: Structure | None,
    facilitator: bool,
) -> None:
    service = context.services.applications
    market = service.catalogue.market(phase.market_code)
    assert market is not None
    availability = await service.availability(phase)
    await reply_with_prompt(
        update,
        context,
        view.consent_text(
            context.t,
            market,
            availability.waitlist_only,
            context.services.settings.retention_months,
            facilitator=facilitator,
            structure=structure,
        ),
        view.consent_keyboard(
            context.t, phase.code, structure.id if structure else None, facilitator
        ),
        CONSENT,
    )


async def pick_structure_button(
    update: Update, context: BotContext, pressed: PickStructure
) -> None:
    """A structure filed for before (its profile answers the form), or another one."""
    service, user_id = context.services.applications, sender_id(update)
    phase = service.catalogue.phase(pressed.phase)
    structure = (
        await service.structure_of(user_id, pressed.structure)
        if pressed.structure != ANOTHER
        else None
    )
    if phase is None or (structure is None and pressed.structure != ANOTHER):
        await stale_button(update, context)
        return
    await answer_button(update)
    if structure is None:
        await show_consent(update, context, phase, None, facilitator=False)
        return
    verdict = await service.can_apply(phase.code, structure.id)
    if isinstance(verdict, Refusal):
        await tell_refusal(update, context, verdict)
    elif isinstance(verdict, Application):
        await tell_existing(update, context, verdict)
    else:
        await show_consent(update, context, phase, structure, not structure.contact_is_filer)


async def contact_person_button(
    update: Update, context: BotContext, pressed: ContactPerson
) -> None:
    """ "Am I the contact person?" answered on the consent screen of a new structure: a
    facilitator's consent screen, or the member's own again."""
    service = context.services.applications
    phase = service.catalogue.phase(pressed.phase)
    if phase is None:
        await stale_button(update, context)
        return
    await answer_button(update)
    await edit_pressed(update)
    verdict = await service.can_apply(phase.code)
    if isinstance(verdict, Refusal):
        await tell_refusal(update, context, verdict)
        return
    await show_consent(update, context, phase, None, facilitator=not pressed.yes)


async def consent_button(update: Update, context: BotContext, pressed: Consent) -> None:
    """Accepted opens the draft; declined stores only the refusal."""
    service, t = context.services.applications, context.t
    phase_code = pressed.phase
    if service.catalogue.phase(phase_code) is None:
        await stale_button(update, context)
        return
    await answer_button(update)
    await edit_pressed(update)
    draft = await service.draft(sender_id(update))
    if draft is not None and draft.application.phase_code == phase_code:
        # A second consent screen for the same phase (the phase button tapped twice), or the
        # second tap of a double tap: the draft goes on, its answers are never erased.
        await service.end_corrections(sender_id(update))
        await show_step(update, context, draft)
        return
    if not pressed.yes:
        await service.decline_consent(sender_id(update), phase_code)
        text = t.gettext("D'accord. Aucune donnée n'est enregistrée. Revenez quand vous voulez.")
        await reply(update, context, text, keyboards.main_menu(t))
        return
    result = await service.start(
        sender_id(update),
        phase_code,
        pressed.structure or None,
        through_facilitator=bool(pressed.facilitator),
    )
    if isinstance(result, Refusal):
        await tell_refusal(update, context, result)
    elif isinstance(result, Application):
        await tell_existing(update, context, result)
    else:
        await show_step(update, context, result)


async def resume_button(update: Update, context: BotContext, pressed: Resume) -> None:
    """Continue the draft at its first unanswered question."""
    draft = await context.services.applications.draft(sender_id(update))
    if draft is None or pressed.application_id != draft.application.id:
        await stale_button(update, context)
        return
    await answer_button(update)
    await context.services.applications.end_corrections(sender_id(update))
    await show_step(update, context, draft)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.command("apply", apply_command),
        MEMBERS.route(ChooseMarket, apply_button),
        MEMBERS.route(ChoosePhase, phase_button),
        MEMBERS.route(Consent, consent_button),
        MEMBERS.route(Resume, resume_button),
        MEMBERS.route(PickStructure, pick_structure_button),
        MEMBERS.route(ContactPerson, contact_person_button),
    ]
