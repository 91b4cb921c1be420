"""/info for a small screen: one short card per market, then a phase's details on demand.

A card says where and when, the places left in each phase, the opening hours and whom to
call, in a few lines; each phase has its button, which shows the phase's details and
trainings (and the handler sends a map pin of the venue). Every message stays under about
1,000 characters, and nothing is said twice.
"""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date
from telegram import InlineKeyboardMarkup

from bot import keyboards
from bot.callbacks import ChoosePhase, ShowMarket
from bot.catalogue import Market, Phase, Training
from bot.i18n import Translator
from bot.services.applications import Availability
from bot.views.buttons import day_range, fit, phase_labels
from bot.views.contact import contact_line


def town(t: Translator, market: Market) -> str:
    """`Ifrane, Région Fès-Meknès`: the market's town and region, the venue pin's address."""
    return t.join([market.place.get(t.locale), market.region.get(t.locale)])


def _places(t: Translator, availability: Availability) -> str:
    if not availability.open:
        return t.gettext("candidatures fermées")
    if availability.waitlist_only:
        return t.gettext("complet, liste d'attente")
    return t.ngettext("%(count)s place libre", "%(count)s places libres", availability.places_left)


def _hours(t: Translator, market: Market) -> str | None:
    if market.opens is None or market.closes is None:
        return None
    return t.gettext(
        "🕙 Ouvert chaque jour de %(opens)s à %(closes)s",
        opens=t.time(market.opens),
        closes=t.time(market.closes),
    )


def phase_line(t: Translator, availability: Availability) -> str:
    """`📅 Phase 2 : 7–13 juin 2027 · 67 places libres`, on the card and above the phase choice."""
    phase = availability.phase
    return t.gettext(
        "📅 Phase %(number)s : %(dates)s %(year)s · %(places)s",
        number=phase.number,
        dates=day_range(t, phase.starts, phase.ends),
        year=phase.ends.year,
        places=_places(t, availability),
    )


def market_card(t: Translator, market: Market, availabilities: list[Availability]) -> str:
    lines = [f"🏪 {market.name.get(t.locale)}", t.gettext("📍 %(town)s", town=town(t, market))]
    if market.area_m2:
        lines.append(
            t.ngettext(
                "📐 %(places)s exposants sur %(area)s m²",
                "📐 %(places)s exposants sur %(area)s m²",
                market.area_m2,
                places=sum(phase.capacity for phase in market.phases),
                area=t.isolate(t.number(market.area_m2)),
            )
        )
    lines += [phase_line(t, availability) for availability in availabilities]
    lines += [line for line in (_hours(t, market), contact_line(t, market)) if line]
    lines.append(t.gettext("👇 Touchez une phase : détails, formations et plan d'accès."))
    return t.start_rtl("\n".join(lines))


def market_keyboard(
    t: Translator, market: Market, availabilities: list[Availability]
) -> InlineKeyboardMarkup:
    rows = [
        [keyboards.button(label, ShowMarket(market.code, a.phase.number))]
        for a, label in zip(availabilities, phase_labels(t, availabilities), strict=True)
    ]
    return keyboards.inline([*rows, keyboards.back_to_menu(t)])


def _day(t: Translator, moment: datetime) -> str:
    """`mardi 8 juin`: a day of the phase, whose year the details already say."""
    return format_date(moment, "EEEE d MMMM", locale=t.babel_locale)


def training_line(t: Translator, training: Training, with_place: bool) -> str:
    hours = t.gettext("%(start)s–%(end)s", start=t.time(training.starts), end=t.time(training.ends))
    if with_place:
        return t.ngettext(
            "• %(title)s : %(date)s, %(hours)s, %(place)s (%(count)s place)",
            "• %(title)s : %(date)s, %(hours)s, %(place)s (%(count)s places)",
            training.seats,
            title=training.title.get(t.locale),
            date=_day(t, training.starts),
            hours=hours,
            place=training.place.get(t.locale),
        )
    return t.ngettext(
        "• %(title)s : %(date)s, %(hours)s (%(count)s place)",
        "• %(title)s : %(date)s, %(hours)s (%(count)s places)",
        training.seats,
        title=training.title.get(t.locale),
        date=_day(t, training.starts),
        hours=hours,
    )


def _trainings(t: Translator, trainings: tuple[Training, ...]) -> list[str]:
    """The trainings of a phase; their place said once when they share it."""
    if not trainings:
        return []
    places = {training.place.get(t.locale) for training in trainings}
    if len(places) == 1:
        header = t.gettext("🎓 Formations — %(place)s :", place=places.pop())
        return [header, *(training_line(t, training, False) for training in trainings)]
    header = t.gettext("🎓 Formations pour les exposants :")
    return [header, *(training_line(t, training, True) for training in trainings)]


def phase_text(t: Translator, market: Market, availability: Availability) -> str:
    phase = availability.phase
    same_year = phase.starts.year == phase.ends.year
    lines = [
        t.gettext(
            "🏪 %(market)s — phase %(number)s",
            market=market.short_name.get(t.locale),
            number=phase.number,
        ),
        t.gettext(
            "📅 Du %(start)s au %(end)s",
            start=_day(t, phase.starts) if same_year else t.date(phase.starts),
            end=t.date(phase.ends),
        ),
        t.gettext("📍 %(place)s", place=phase.place.get(t.locale)),
    ]
    if market.poles:
        poles = t.join(pole.name.get(t.locale) for pole in market.poles)
        lines.append(t.gettext("🏛 Pôles : %(poles)s", poles=poles))
    if phase.setup_at is not None:
        lines.append(
            t.gettext(
                "🔧 Installation des stands le premier jour à %(time)s",
                time=t.time(phase.setup_at),
            )
        )
    lines.append(
        t.ngettext(
            "👥 %(count)s exposant : %(places)s",
            "👥 %(count)s exposants : %(places)s",
            phase.capacity,
            places=_places(t, availability),
        )
    )
    if availability.open:
        lines.append(
            t.gettext(
                "⏳ Candidatures jusqu'au %(date)s à %(time)s",
                date=t.date(phase.application_deadline),
                time=t.time(phase.application_deadline),
            )
        )
    lines += _trainings(t, market.trainings_for(phase.number))
    return t.start_rtl("\n".join(lines))


def phase_keyboard(
    t: Translator, market: Market, availability: Availability
) -> InlineKeyboardMarkup:
    rows = []
    if availability.open:
        apply = t.gettext("📝 Candidater à la phase %(number)s", number=availability.phase.number)
        rows.append([keyboards.button(apply, ChoosePhase(availability.phase.code))])
    back = fit(f"◀️ {market.short_name.get(t.locale)}", t.gettext("◀️ Retour"))
    rows.append([keyboards.button(back, ShowMarket(market.code))])
    rows.append(keyboards.back_to_menu(t))
    return keyboards.inline(rows)


def venue(t: Translator, market: Market, phase: Phase) -> tuple[float, float, str, str] | None:
    """The map pin of a phase (latitude, longitude, title, address), if the catalogue has it."""
    if phase.location is None:
        return None
    return (
        phase.location.latitude,
        phase.location.longitude,
        phase.place.get(t.locale),
        town(t, market),
    )
