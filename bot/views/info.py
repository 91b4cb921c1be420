"""Market information as the user reads it: phases, dates, places, poles, trainings."""

from __future__ import annotations

from bot.catalogue import Market, Phase, Training
from bot.i18n import Translator


def phase_line(t: Translator, market: Market, phase: Phase) -> str:
    return t.gettext(
        "📅 Phase %(number)s : du %(start)s au %(end)s",
        number=phase.number,
        start=t.date(phase.starts),
        end=t.date(phase.ends),
    )


def training_line(t: Translator, training: Training) -> str:
    hours, minutes = divmod(int(training.duration.total_seconds()) // 60, 60)
    duration = (
        t.ngettext("%(count)s h", "%(count)s h", hours)
        if not minutes
        else t.gettext("%(hours)s h %(minutes)s", hours=hours, minutes=f"{minutes:02d}")
    )
    return t.gettext(
        "• %(title)s : %(date)s à %(time)s (%(duration)s), %(place)s, %(seats)s",
        title=training.title.get(t.locale),
        date=t.date(training.starts),
        time=t.time(training.starts),
        duration=duration,
        place=training.place.get(t.locale),
        seats=t.ngettext("%(count)s place", "%(count)s places", training.seats),
    )


def phase_block(t: Translator, market: Market, phase: Phase) -> str:
    lines = [
        phase_line(t, market, phase),
        t.gettext("📍 %(place)s", place=phase.place.get(t.locale)),
        t.ngettext("👥 %(count)s exposant", "👥 %(count)s exposants", phase.capacity),
        t.gettext("⏳ Candidatures jusqu'au %(date)s", date=t.date(phase.application_deadline)),
    ]
    if phase.setup_time is not None:
        lines.append(
            t.gettext("🔧 Installation des stands à %(time)s", time=t.time(phase.setup_time))
        )
    trainings = market.trainings_for(phase.number)
    if trainings:
        lines.append(t.gettext("🎓 Formations pour les exposants :"))
        lines.extend(training_line(t, training) for training in trainings)
    return "\n".join(lines)


def market_text(t: Translator, market: Market) -> str:
    parts = [
        f"🏪 {market.name.get(t.locale)}",
        t.gettext("Organisé par : %(organizer)s", organizer=market.organizer.get(t.locale)),
        market.description.get(t.locale),
    ]
    if market.area_m2:
        parts.append(
            t.ngettext(
                "%(places)s exposants sur %(count)s m²",
                "%(places)s exposants sur %(count)s m²",
                market.area_m2,
                places=sum(phase.capacity for phase in market.phases),
            )
        )
    if market.poles:
        parts.append(t.gettext("Pôles :"))
        parts.extend(
            f"• {pole.name.get(t.locale)} — {pole.description.get(t.locale)}"
            for pole in market.poles
        )
    parts.extend(phase_block(t, market, phase) for phase in market.phases)
    return t.start_rtl("\n\n".join(parts))


def markets_overview(t: Translator, markets: tuple[Market, ...]) -> str:
    lines = [t.gettext("Les marchés ouverts aux candidatures :")]
    for market in markets:
        total = sum(phase.capacity for phase in market.phases)
        lines.append(
            t.ngettext(
                "🏪 %(name)s — %(phases)s, %(count)s place",
                "🏪 %(name)s — %(phases)s, %(count)s places",
                total,
                name=market.name.get(t.locale),
                phases=t.ngettext("%(count)s phase", "%(count)s phases", len(market.phases)),
            )
        )
    return t.start_rtl("\n".join(lines))
