"""Trainings with seats, attendance and attestations: what members and trainers read.

The outbox's messages are pure renderers (`seat_message`, `attestation_message`): params (and,
for a seat, its state of the moment) in, an `Outgoing` out, None when the news is stale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import segno
from telegram import InlineKeyboardMarkup

from bot.callbacks import AttendanceMark, AttendancePick, DropSeat, TakeSeat
from bot.catalogue import Catalogue, Market, Training
from bot.i18n import Translator
from bot.keyboards import button, inline
from bot.services.outbox import Outgoing
from bot.services.trainings import AFTER_SESSION
from bot.views.phases import phase_label
from bot.views.seat_offers import offer_until_text
from storage.seat_offers import SEAT_PROPOSED
from storage.statuses import SeatState
from storage.trainings import (
    SEAT_HELD,
    SEAT_QUEUED,
    Attendee,
    Attestation,
    DueAttestation,
)

LABEL_MAX = 30  # a button's label on a phone


def window(training: Training) -> tuple[datetime, datetime]:
    return training.starts, training.ends + AFTER_SESSION


def _fit(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def _market(catalogue: Catalogue, training: Training) -> Market:
    market = catalogue.market(training.market_code)
    assert market is not None
    return market


def when(t: Translator, market: Market, training: Training) -> str:
    """`mardi 4 mai 2027 de 08:00 à 10:00`, in the market's time zone."""
    starts = training.starts.astimezone(market.timezone)
    return t.gettext(
        "%(date)s de %(start)s à %(end)s",
        date=t.date(starts),
        start=t.time(starts),
        end=t.time(training.ends.astimezone(market.timezone)),
    )


def held_text(t: Translator, catalogue: Catalogue, training: Training) -> str:
    text = t.gettext(
        "🎓 Votre place est réservée à la formation « %(title)s » :\n%(when)s\n📍 %(place)s\n"
        "Si vous ne pouvez pas venir, libérez-la pour un autre exposant.",
        title=training.title.get(t.locale),
        when=when(t, _market(catalogue, training), training),
        place=training.place.get(t.locale),
    )
    return t.start_rtl(text)


def held_keyboard(t: Translator, application_id: int, training: Training) -> InlineKeyboardMarkup:
    drop = DropSeat(application_id, training.code)
    return inline([[button(t.gettext("❌ Annuler ma place"), drop)]])


def seat_message(
    t: Translator,
    catalogue: Catalogue,
    now: datetime,
    template: str,
    params: Mapping[str, Any],
    state: SeatState | None,
) -> Outgoing | None:
    """A seat held (its confirmation), a wish queued, a freed seat proposed; None once the
    seat has moved on or the training has begun."""
    training = catalogue.training(str(params["training"]))
    if training is None or now >= training.starts:
        return None
    application_id = int(params["application_id"])
    title, place = training.title.get(t.locale), training.place.get(t.locale)
    moment = when(t, _market(catalogue, training), training)
    if template == SEAT_HELD and state is SeatState.HELD:
        return Outgoing(
            held_text(t, catalogue, training), held_keyboard(t, application_id, training)
        )
    if template == SEAT_QUEUED and state is SeatState.QUEUED:
        text = t.gettext(
            "⏳ La formation « %(title)s » (%(when)s) est complète. Vous êtes sur sa liste"
            " d'attente : si une place se libère, elle vous sera proposée.",
            title=title,
            when=moment,
        )
        leave = button(t.gettext("❌ Ne plus attendre"), DropSeat(application_id, training.code))
        return Outgoing(t.start_rtl(text), inline([[leave]]))
    if template == SEAT_PROPOSED and state is SeatState.PROPOSED:
        text = t.gettext(
            "🎓 Une place s'est libérée à la formation « %(title)s » :\n%(when)s\n📍 %(place)s\n"
            "La voulez-vous ?",
            title=title,
            when=moment,
            place=place,
        )
        until = params.get("until")  # offers queued before offers expired have none
        if isinstance(until, str):
            text += "\n" + offer_until_text(t, _market(catalogue, training), until)
        rows = [
            [button(t.gettext("✅ Prendre la place"), TakeSeat(application_id, training.code))],
            [button(t.gettext("❌ Non merci"), DropSeat(application_id, training.code))],
        ]
        return Outgoing(t.start_rtl(text), inline(rows))
    return None


def dropped_text(t: Translator, training: Training | None) -> str:
    title = training.title.get(t.locale) if training else "—"
    return t.start_rtl(
        t.gettext(
            "C'est noté : vous n'êtes plus inscrit à la formation « %(title)s ». Merci de"
            " laisser la place à un autre exposant.",
            title=title,
        )
    )


def taken_prefix(t: Translator) -> str:
    return t.gettext("✅ C'est noté.")


# --- attendance (trainers and members) ---------------------------------------------------------


def attendance_link(bot_username: str, token: str) -> str:
    """Deep-link payloads are at most 64 characters of [A-Za-z0-9_-]
    (https://core.telegram.org/bots/features#deep-linking): "att_" and a 24-character token."""
    return f"https://t.me/{bot_username}?start=att_{token}"


def qr_png(link: str) -> bytes:
    import io

    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=12, border=4)
    return out.getvalue()


def pick_text(t: Translator, trainings: Sequence[Training]) -> str:
    if not trainings:
        return t.gettext("Aucune formation à venir dans le catalogue.")
    return t.start_rtl(t.gettext("Présence à quelle formation ?"))


def pick_keyboard(t: Translator, trainings: Sequence[Training]) -> InlineKeyboardMarkup:
    rows = [
        [
            button(
                _fit(
                    f"{training.starts.day}/{training.starts.month} · {training.title.get(t.locale)}"
                ),
                AttendancePick(training.code),
            )
        ]
        for training in trainings
    ]
    return inline(rows)


def qr_caption(t: Translator, catalogue: Catalogue, training: Training) -> str:
    market = _market(catalogue, training)
    phase = market.phase(training.phase_number)
    _, until = window(training)
    text = t.gettext(
        "📷 Présence à « %(title)s » (%(phase)s), %(when)s.\nLes participants scannent ce code"
        " avec l'appareil photo de leur téléphone. Il est valable pendant la séance et jusqu'à"
        " %(until)s.",
        title=training.title.get(t.locale),
        phase=phase_label(t, market, phase) if phase else "",
        when=when(t, market, training),
        until=t.time(until.astimezone(market.timezone)),
    )
    return t.start_rtl(text)


def attendees_text(t: Translator, training: Training, attendees: Sequence[Attendee]) -> str:
    present = sum(a.attended for a in attendees)
    text = t.ngettext(
        "« %(title)s » : %(count)s place réservée, %(present)s présent(s). Touchez un nom pour"
        " le marquer présent ou absent.",
        "« %(title)s » : %(count)s places réservées, %(present)s présent(s). Touchez un nom pour"
        " le marquer présent ou absent.",
        len(attendees),
        title=training.title.get(t.locale),
        present=present,
    )
    return t.start_rtl(text)


def attendees_keyboard(training: Training, attendees: Sequence[Attendee]) -> InlineKeyboardMarkup:
    rows = [
        [
            button(
                _fit(("✅ " if a.attended else "▫️ ") + (a.structure_name or a.person_name or "?")),
                AttendanceMark(training.code, a.application_id),
            )
        ]
        for a in attendees
    ]
    return inline(rows)


def scan_unknown(t: Translator) -> str:
    return t.gettext("⛔ Ce code de présence n'est pas valable.")


def scan_outside(t: Translator, catalogue: Catalogue, training: Training) -> str:
    market = _market(catalogue, training)
    starts, until = window(training)
    text = t.gettext(
        "⛔ Ce code de présence n'est valable que pendant la séance de « %(title)s » et l'heure"
        " qui suit : le %(date)s de %(start)s à %(until)s. Votre présence n'est pas enregistrée ;"
        " adressez-vous au formateur.",
        title=training.title.get(t.locale),
        date=t.date(starts.astimezone(market.timezone)),
        start=t.time(starts.astimezone(market.timezone)),
        until=t.time(until.astimezone(market.timezone)),
    )
    return t.start_rtl(text)


def scan_no_seat(t: Translator, training: Training) -> str:
    text = t.gettext(
        "⛔ Vous n'avez pas de place réservée à « %(title)s » : adressez-vous au formateur.",
        title=training.title.get(t.locale),
    )
    return t.start_rtl(text)


def scan_signed(t: Translator, training: Training) -> str:
    text = t.gettext(
        "✅ Présence enregistrée : « %(title)s ». Votre attestation de participation vous sera"
        " envoyée après la séance.",
        title=training.title.get(t.locale),
    )
    return t.start_rtl(text)


# --- attestations ------------------------------------------------------------------------------


def attestation_texts(
    t: Translator, catalogue: Catalogue, due: DueAttestation, code: str, bot_username: str
) -> dict[str, str] | None:
    """The attestation's title, body and verification line in `t`'s language; None if what it
    attests left the catalogue."""
    names = {"person": due.person_name, "structure": due.structure_name}
    if due.kind == "training":
        training = catalogue.training(due.subject)
        if training is None:
            return None
        market = _market(catalogue, training)
        body = t.gettext(
            "Nous attestons que %(person)s, de la structure « %(structure)s », a suivi la"
            " formation « %(title)s » le %(when)s, à %(place)s.",
            title=training.title.get(t.locale),
            when=when(t, market, training),
            place=training.place.get(t.locale),
            **names,
        )
    else:
        phase = catalogue.phase(due.subject)
        held_by = catalogue.market(phase.market_code) if phase else None
        if phase is None or held_by is None:
            return None
        market = held_by
        body = t.gettext(
            "Nous attestons que %(person)s, de la structure « %(structure)s », a participé comme"
            " exposant à « %(market)s » (phase %(number)s), du %(start)s au %(end)s, à %(place)s.",
            number=phase.number,
            market=market.name.get(t.locale),
            start=t.short_date(phase.starts.astimezone(market.timezone)),
            end=t.short_date(phase.ends.astimezone(market.timezone)),
            place=phase.place.get(t.locale),
            **names,
        )
    organizer = t.gettext("Organisateur : %(organizer)s", organizer=market.organizer.get(t.locale))
    return {
        "title": t.gettext("Attestation de participation"),
        "body": f"{body}\n\n{organizer}",
        # The command itself goes on a line of its own (attestation_pdf): inside an Arabic
        # sentence, its leading "/" would be laid out at the wrong end.
        "code_line": t.gettext(
            "Pour vérifier cette attestation, envoyez au bot @%(bot)s :", bot=bot_username
        ),
    }


def attestation_message(t: Translator, catalogue: Catalogue, params: Mapping[str, Any]) -> Outgoing:
    """The attestation as a PDF document, its caption in the recipient's language."""
    subject = str(params["subject"])
    training = catalogue.training(subject)
    phase = catalogue.phase(subject)
    market = catalogue.market(phase.market_code) if phase else None
    if training is not None:
        what = t.gettext("formation « %(title)s »", title=training.title.get(t.locale))
    elif phase is not None and market is not None:
        what = phase_label(t, market, phase)
    else:
        what = subject
    caption = t.gettext(
        "📄 Votre attestation de participation : %(what)s.\nCode de vérification : %(code)s",
        what=what,
        code=t.isolate(params["code"]),
    )
    name = f"attestation-{params['code']}.pdf"
    # Imported when the first attestation is made, as matplotlib and openpyxl are: fpdf brings
    # numpy and fontTools, about 30 MiB and a quarter of a second at every start otherwise.
    from bot.views.attestation_pdf import attestation_pdf

    return Outgoing(t.start_rtl(caption), document=(name, attestation_pdf(params)))


def verify_text(t: Translator, catalogue: Catalogue, found: Attestation | None, code: str) -> str:
    if not code:
        return t.gettext(
            "Envoyez /verify suivi du code de l'attestation, par exemple /verify K7QM-4XPD-9TRA."
        )
    if found is None:
        return t.start_rtl(
            t.gettext("❌ Aucune attestation ne porte le code %(code)s.", code=t.isolate(code))
        )
    names = {"person": t.isolate(found.person_name), "structure": t.isolate(found.structure_name)}
    training = catalogue.training(found.subject) if found.kind == "training" else None
    phase = catalogue.phase(found.subject) if found.kind == "phase" else None
    market = catalogue.market(phase.market_code) if phase else None
    if training is not None:
        what = t.gettext(
            "%(person)s (%(structure)s) a suivi la formation « %(title)s », %(when)s.",
            title=training.title.get(t.locale),
            when=when(t, _market(catalogue, training), training),
            **names,
        )
    elif phase is not None and market is not None:
        what = t.gettext(
            "%(person)s (%(structure)s), exposant : %(phase)s.",
            phase=phase_label(t, market, phase),
            **names,
        )
    else:
        what = t.gettext("%(person)s (%(structure)s).", **names)
    text = t.gettext(
        "✅ Attestation valable (code %(code)s), délivrée le %(issued)s :\n%(what)s",
        code=t.isolate(found.code),
        issued=t.short_date(found.issued_at),
        what=what,
    )
    return t.start_rtl(text)
