"""A calendar file (.ics, RFC 5545) of an exhibitor's phase and trainings, to add to a phone's
agenda in one tap.

Written by hand (a few lines, no runtime dependency). Times are written in UTC ("Z" form,
RFC 5545 section 3.3.5, form #2): every calendar application converts them to the phone's
zone, and no VTIMEZONE component has to describe Africa/Casablanca's history.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.i18n import Translator
from bot.views.contact import contact_line
from bot.views.decisions import Decided

PRODID = "-//Souk bot//Marches solidaires//FR"
UID_DOMAIN = "souk-bot"
CRLF = "\r\n"
MAX_LINE_OCTETS = 75  # RFC 5545 section 3.1: longer content lines are folded


def escape(text: str) -> str:
    """TEXT values (RFC 5545 section 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, each continuation starting with a
    space; never inside a UTF-8 character (Arabic letters take two octets)."""
    pieces: list[str] = []
    current, size, limit = "", 0, MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, MAX_LINE_OCTETS - 1  # the leading space counts
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(
    uid: str, stamp: datetime, starts: datetime, ends: datetime, fields: dict[str, str]
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(starts)}",
        f"DTEND:{utc(ends)}",
    ]
    lines += [f"{name}:{escape(value)}" for name, value in fields.items() if value]
    return [*lines, "END:VEVENT"]


def calendar_file(t: Translator, decided: Decided, now: datetime) -> bytes:
    """The phase as one event (with its place, set-up time and the organizers' contact), and
    one event per training chosen; titles in the member's language.

    UIDs stay the same from one download to the next, so that a calendar application updates
    its events instead of adding them twice."""
    market, phase = decided.market, decided.phase
    name = market.name.get(t.locale)
    details = [t.gettext("Référence : %(reference)s", reference=t.isolate(decided.reference or ""))]
    setup = phase.setup_at
    if setup is not None:
        details.append(
            t.gettext(
                "Installation du stand : %(date)s à %(time)s",
                date=t.date(setup),
                time=t.time(setup),
            )
        )
    contact = contact_line(t, market)
    if contact:
        details.append(contact)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    lines += _event(
        f"{decided.application_id}-{phase.code}@{UID_DOMAIN}",
        now,
        phase.starts,
        phase.ends,
        {
            "SUMMARY": t.gettext("%(market)s — phase %(number)s", market=name, number=phase.number),
            "LOCATION": phase.place.get(t.locale),
            "DESCRIPTION": "\n".join(details),
        },
    )
    for training in decided.trainings:
        lines += _event(
            f"{decided.application_id}-{training.code}@{UID_DOMAIN}",
            now,
            training.starts,
            training.ends,
            {
                "SUMMARY": t.gettext("Formation : %(title)s", title=training.title.get(t.locale)),
                "LOCATION": training.place.get(t.locale),
                "DESCRIPTION": name,
            },
        )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines).encode("utf-8")


def file_name(decided: Decided) -> str:
    """ASCII, from the reference: "IFR-1-0042.ics"."""
    return f"{decided.reference or decided.phase.code}.ics"
