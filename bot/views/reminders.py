"""/reminders: the events that concern me, each on its own date, with when I will be reminded.

One message per application, short enough for a phone: what (the market and phase, a
training, a deadline), when (in the market's own time zone), where, and each reminder in
words ("rappel la veille à 18:00").
"""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date
from telegram import InlineKeyboardMarkup

from bot import keyboards
from bot.callbacks import ReminderSetting, SetReminders
from bot.catalogue import Market
from bot.i18n import Translator
from bot.services.reminders import Event, Reminder
from bot.views.phases import phase_label


def when_text(t: Translator, market: Market, moment: datetime) -> str:
    """`lundi 3 mai 2027 à 10:00`, in the market's own time zone."""
    local = moment.astimezone(market.timezone)
    return t.gettext("%(day)s à %(time)s", day=t.date(local), time=t.time(local))


def phase_name(t: Translator, event: Event) -> str:
    return phase_label(t, event.market, event.phase)


def _when(t: Translator, event: Event, moment: datetime) -> str:
    return when_text(t, event.market, moment)


def reminder_line(t: Translator, event: Event, reminder: Reminder) -> str:
    """`🔔 rappel la veille à 18:00`, counted in days from the event, in the market's zone."""
    zone = event.market.timezone
    at, day = reminder.at.astimezone(zone), event.starts.astimezone(zone).date()
    days_before = (day - at.date()).days
    time = t.time(at)
    if days_before == 0:
        text = t.gettext("rappel le jour même à %(time)s", time=time)
    elif days_before == 1:
        text = t.gettext("rappel la veille à %(time)s", time=time)
    else:
        date = format_date(at, "EEEE d MMMM", locale=t.babel_locale)
        text = t.gettext("rappel le %(date)s à %(time)s", date=date, time=time)
    if reminder.stopped:
        return t.gettext("🔕 %(reminder)s : arrêté", reminder=text)
    return t.gettext("🔔 %(reminder)s", reminder=text)


def event_lines(t: Translator, event: Event, now: datetime) -> list[str]:
    starts = event.starts.astimezone(event.market.timezone)
    if event.kind == "phase":
        setup = event.phase.setup_at
        lines = [
            t.gettext("🏪 %(phase)s", phase=phase_name(t, event)),
            t.gettext("📅 %(when)s", when=_when(t, event, starts))
            if setup is None
            else t.gettext(
                "📅 %(when)s (installation des stands à %(setup)s)",
                when=_when(t, event, starts),
                setup=t.time(setup),
            ),
            t.gettext("📍 %(place)s", place=event.phase.place.get(t.locale)),
        ]
    elif event.kind == "training" and event.training is not None:
        lines = [
            t.gettext("🎓 Formation : %(title)s", title=event.training.title.get(t.locale)),
            t.gettext("📅 %(when)s", when=_when(t, event, starts)),
            t.gettext("📍 %(place)s", place=event.training.place.get(t.locale)),
        ]
    elif event.kind == "confirm":
        lines = [
            t.gettext("✅ Confirmez votre présence (%(phase)s)", phase=phase_name(t, event)),
            t.gettext("📅 avant le %(when)s", when=_when(t, event, starts)),
        ]
    else:
        lines = [
            t.gettext("📝 Terminez votre candidature (%(phase)s)", phase=phase_name(t, event)),
            t.gettext("📅 avant le %(when)s", when=_when(t, event, starts)),
        ]
    coming = [reminder for reminder in event.reminders if reminder.at > now]
    lines += [reminder_line(t, event, reminder) for reminder in coming]
    if not coming:
        lines.append(t.gettext("Plus de rappel prévu."))
    return lines


def reminders_messages(t: Translator, events: list[Event], now: datetime, off: bool) -> list[str]:
    """One message per application (soonest first); the last one says what the button does."""
    if not events:
        return [
            t.start_rtl(
                t.gettext(
                    "Aucun rendez-vous à venir. Après une candidature acceptée, vous verrez ici "
                    "le marché, vos formations et la date de chaque rappel."
                )
            )
        ]
    by_application: dict[int, list[Event]] = {}
    for event in events:
        by_application.setdefault(event.application.id, []).append(event)
    messages = []
    for number, group in enumerate(by_application.values()):
        reference = group[0].application.reference
        blocks = ["\n".join(event_lines(t, event, now)) for event in group]
        if reference:  # a draft has none, and its one line says what it is about
            title = t.gettext("🗓 Vos rendez-vous (%(reference)s) :", reference=t.isolate(reference))
            blocks.insert(0, title)
        if number == len(by_application) - 1:
            blocks.append(essential_text(t, off))
        messages.append(t.start_rtl("\n\n".join(blocks)))
    return messages


def essential_text(t: Translator, off: bool) -> str:
    """What the button stops, and what always stays."""
    if off:
        return t.gettext(
            "🔕 Le rappel 7 jours avant le marché est arrêté. Restent : le rappel de la veille "
            "du marché, ceux des formations et ceux qui demandent une action."
        )
    return t.gettext(
        "ℹ️ Le bouton arrête seulement le rappel 7 jours avant le marché. Restent toujours : "
        "le rappel de la veille du marché, ceux des formations et ceux qui demandent une action."
    )


def toggle_keyboard(t: Translator, off: bool) -> InlineKeyboardMarkup:
    toggle = (
        keyboards.button(
            t.gettext("🔔 Rappel aussi 7 jours avant"), SetReminders(ReminderSetting.ON)
        )
        if off
        else keyboards.button(
            t.gettext("🔕 Pas de rappel 7 jours avant"), SetReminders(ReminderSetting.OFF)
        )
    )
    return keyboards.inline([[toggle]])
