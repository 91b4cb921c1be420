"""My application (/status): each application with its status; confirm or decline an
acceptance, get its calendar file, withdraw with confirmation."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot import keyboards
from bot.callbacks import Correct, MenuItem, OpenMenu, Resume, Withdraw, WithdrawConfirmed
from bot.context import BotContext
from bot.handlers.audience import MEMBERS
from bot.handlers.common import answer_button, reply, sender_id
from bot.handlers.decisions import deadline_of
from bot.handlers.fallback import stale_button
from bot.handlers.questionnaire import informs
from bot.views import application as view
from bot.views import decisions
from bot.views import structures as structures_view
from bot.views.decisions import TO_CONFIRM
from storage.statuses import may_withdraw


async def status_command(update: Update, context: BotContext) -> None:
    t, service = context.t, context.services.applications
    user_id = sender_id(update)
    applications = await context.services.application_records.of_user(user_id)
    draft = await service.draft(user_id)
    if not applications and draft is None:
        text = t.gettext("Vous n'avez pas encore de candidature.")
        await reply(update, context, text, keyboards.main_menu(t))
        return
    names = {s.id: s.name for s in await service.structures(user_id)}
    if len(names) > 1:  # a facilitator: every structure filed for, then their applications
        await reply(update, context, t.start_rtl(structures_view.filer_overview(t, names)))
    applications = sorted(applications, key=lambda a: (a.structure_id or 0, a.id))
    if draft is not None:
        text = t.gettext(
            "📝 Candidature en cours, pas encore envoyée : %(market)s, phase %(number)s.",
            market=draft.form.market.name.get(t.locale),
            number=draft.form.phase.number,
        )
        name = names.get(draft.application.structure_id or 0) or draft.values.get("structure_name")
        if isinstance(name, str) and name:
            text = f"{structures_view.structure_line(t, name)}\n{text}"
        markup = keyboards.inline(
            [[keyboards.button(t.gettext("▶️ Continuer"), Resume(draft.application.id))]]
        )
        await reply(update, context, t.start_rtl(text), markup)
    for application in applications:
        market = service.catalogue.market(application.phase_code.rsplit("-", 1)[0])
        text = view.application_line(t, market, application)
        if application.structure_id in names:
            name = names[application.structure_id]
            text = f"{structures_view.structure_line(t, name)}\n{text}"
        deadline = await deadline_of(context, application)
        if market is not None and deadline is not None and application.status in TO_CONFIRM:
            text += "\n" + decisions.status_deadline_line(t, deadline, market)
        # Confirm / Decline for an acceptance or an offer (defect 5), and the calendar file.
        rows = decisions.answer_rows(t, application, calendar=True)
        if service.may_correct(application):
            rows.append(
                [keyboards.button(t.gettext("✏️ Corriger mes réponses"), Correct(application.id))]
            )
        if may_withdraw(application.status):
            rows.append(
                [keyboards.button(t.gettext("↩️ Retirer ma candidature"), Withdraw(application.id))]
            )
        await reply(
            update,
            context,
            t.start_rtl(text),
            keyboards.inline(rows) if rows else None,
        )


async def _own_application_id(update: Update, context: BotContext, wanted: int) -> int | None:
    application = await context.services.application_records.get(wanted)
    if application is None or application.user_id != sender_id(update):
        return None
    return application.id


async def withdraw_button(update: Update, context: BotContext, pressed: Withdraw) -> None:
    """Ask for confirmation."""
    application_id = await _own_application_id(update, context, pressed.application_id)
    if application_id is None:
        await stale_button(update, context)
        return
    t = context.t
    await answer_button(update)
    markup = keyboards.inline(
        [
            [keyboards.button(t.gettext("Oui, retirer"), WithdrawConfirmed(application_id))],
            [keyboards.button(t.gettext("Non, garder"), OpenMenu(MenuItem.STATUS))],
        ]
    )
    await reply(
        update, context, t.gettext("Retirer votre candidature ? Votre place sera libérée."), markup
    )


async def withdraw_confirmed_button(
    update: Update, context: BotContext, pressed: WithdrawConfirmed
) -> None:
    """A freed place goes to the first on the waiting list."""
    application_id = await _own_application_id(update, context, pressed.application_id)
    service, t = context.services.applications, context.t
    changes = await service.withdraw(sender_id(update), application_id) if application_id else None
    if changes is None:
        await stale_button(update, context)
        return
    await answer_button(update)
    text = t.gettext("Votre candidature est retirée.")
    await reply(update, context, text, keyboards.main_menu(t))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.command("status", informs(status_command)),
        MEMBERS.route(Withdraw, withdraw_button),
        MEMBERS.route(WithdrawConfirmed, withdraw_confirmed_button),
    ]
