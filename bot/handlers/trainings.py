"""Trainings on the market ground: a member takes or gives up a seat (buttons), a trainer
shows the session's QR code and marks by hand (`/attendance`), a member signs in by scanning
it (`/start att_...`, from bot/handlers/start.py), anyone checks an attestation (`/verify`),
and the job that issues attestations once a session (or a phase) is over."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import BaseHandler

from bot.callbacks import AttendanceMark, AttendancePick, DropSeat, TakeSeat
from bot.catalogue import Training
from bot.context import BotContext
from bot.handlers.audience import MEMBERS, team
from bot.handlers.common import answer_button, edit_pressed, refuse_button, reply, sender_id
from bot.ratelimit import PACED
from bot.services.trainings import Scan, new_code
from bot.views import trainings as view

log = logging.getLogger(__name__)

TRAINERS = team("train")
# `/start att_<token>`: a session's QR code (bot/views/trainings.py, attendance_link).
ATTENDANCE_PREFIX = "att_"


async def take_button(update: Update, context: BotContext, pressed: TakeSeat) -> None:
    t, services = context.t, context.services
    training = await services.trainings.take(
        pressed.application_id, pressed.training, sender_id(update)
    )
    if training is None:
        await refuse_button(update, context)
        return
    await answer_button(update, view.taken_prefix(t))
    await edit_pressed(update)
    await reply(
        update,
        context,
        view.held_text(t, services.catalogue, training),
        view.held_keyboard(t, pressed.application_id, training),
    )


async def drop_button(update: Update, context: BotContext, pressed: DropSeat) -> None:
    t, services = context.t, context.services
    if not await services.trainings.drop(
        pressed.application_id, pressed.training, sender_id(update)
    ):
        await refuse_button(update, context)
        return
    await answer_button(update)
    await edit_pressed(update)
    await reply(
        update, context, view.dropped_text(t, services.catalogue.training(pressed.training))
    )


async def attendance_command(update: Update, context: BotContext) -> None:
    """`/attendance <training>`: its QR code and the list to mark by hand; without one (or an
    unknown one), a button per training still to come or under way."""
    t, services = context.t, context.services
    args = context.args or []
    training = services.catalogue.training(args[0].lower()) if args else None
    if training is None:
        upcoming = services.trainings.upcoming()[:10]
        await reply(update, context, view.pick_text(t, upcoming), view.pick_keyboard(t, upcoming))
        return
    await _show_session(update, context, training)


async def pick_button(update: Update, context: BotContext, pressed: AttendancePick) -> None:
    training = context.services.catalogue.training(pressed.training)
    if training is None:
        await refuse_button(update, context)
        return
    await answer_button(update)
    await edit_pressed(update)
    await _show_session(update, context, training)


async def _show_session(update: Update, context: BotContext, training: Training) -> None:
    t, services = context.t, context.services
    chat = update.effective_chat
    if chat is None:
        return
    token = await services.trainings.token(training)
    png = view.qr_png(view.attendance_link(context.bot.username, token))
    await context.bot.send_photo(
        chat.id, png, caption=view.qr_caption(t, services.catalogue, training)
    )
    attendees = await services.trainings.attendees(training)
    await context.bot.send_message(
        chat.id,
        view.attendees_text(t, training, attendees),
        reply_markup=view.attendees_keyboard(training, attendees),
        rate_limit_args=PACED,  # right after the photo, in the same chat
    )


async def mark_button(update: Update, context: BotContext, pressed: AttendanceMark) -> None:
    t, services = context.t, context.services
    training = services.catalogue.training(pressed.training)
    if training is None:
        await refuse_button(update, context)
        return
    marked = await services.trainings.mark(training, pressed.application_id, sender_id(update))
    if marked is None:
        await refuse_button(update, context)
        return
    await answer_button(update)
    attendees = await services.trainings.attendees(training)
    await edit_pressed(
        update,
        view.attendees_keyboard(training, attendees),
        view.attendees_text(t, training, attendees),
    )


async def open_attendance(update: Update, context: BotContext, token: str) -> None:
    """`/start att_<token>`: the member who scanned a session's QR code signs in."""
    t, services = context.t, context.services
    scanned = await services.trainings.scan(token, sender_id(update))
    training = scanned.training
    if scanned.outcome is Scan.UNKNOWN or training is None:
        text = view.scan_unknown(t)
    elif scanned.outcome is Scan.OUTSIDE:
        text = view.scan_outside(t, services.catalogue, training)
    elif scanned.outcome is Scan.NO_SEAT:
        text = view.scan_no_seat(t, training)
    else:
        text = view.scan_signed(t, training)
    await reply(update, context, text)


async def verify_command(update: Update, context: BotContext) -> None:
    """`/verify <code>`: anyone may check an attestation."""
    t, services = context.t, context.services
    text = " ".join(context.args or [])
    code, found = await services.trainings.verify(text) if text else ("", None)
    await reply(update, context, view.verify_text(t, services.catalogue, found, code))


async def issue_attestations(context: BotContext) -> None:
    """Every 15 s: attestations for sessions (and their hour after) and phases that are over.
    Each is stored with its outbox message in one transaction: issued once, sent once."""
    services = context.services
    if services.operations.storage_loss is not None:
        return
    i18n, catalogue = services.i18n, services.catalogue
    for due in await services.trainings.due():
        code = new_code()
        params: dict[str, object] = {
            "application_id": due.application_id,
            "kind": due.kind,
            "subject": due.subject,
            "code": code,
        }
        for locale in ("fr", "ar"):
            texts = view.attestation_texts(
                i18n.translator(locale), catalogue, due, code, context.bot.username
            )
            if texts is None:
                break
            params[locale] = texts
        else:
            if await services.trainings.issue(due, code, params):
                log.info("attestation issued (%s %s)", due.kind, due.subject)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MEMBERS.command("verify", verify_command),
        MEMBERS.route(TakeSeat, take_button, stale=refuse_button),
        MEMBERS.route(DropSeat, drop_button, stale=refuse_button),
        TRAINERS.command("attendance", attendance_command),
        TRAINERS.route(AttendancePick, pick_button, stale=refuse_button),
        TRAINERS.route(AttendanceMark, mark_button, stale=refuse_button),
    ]
