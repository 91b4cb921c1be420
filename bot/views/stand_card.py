"""The stand card: a picture an exhibitor shows on arrival, and its caption.

Pure: `StandCard` (everything the card says, read from the outbox row's params and the
catalogue) in, a caption and PNG bytes out. Tifinagh gets its own bundled font (Noto Sans
Tifinagh, OFL): Noto Sans has none of its letters.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from bot.catalogue import Market, Phase, Stand
from bot.i18n import Translator
from bot.views.lettering import FONTS, Lettering, _font
from bot.views.phases import phase_label

WIDTH = 900
MARGIN = 60
GREEN = "#1b5e20"
MARK = "#d32f2f"
QR_SIDE = 420
PLAN_HEIGHT = 420
TIFINAGH_FONT = "NotoSansTifinagh-Regular.ttf"


def _is_tifinagh(text: str) -> bool:
    return any("\u2d30" <= char <= "\u2d7f" for char in text)


def _runs(text: str) -> list[str]:
    """Tifinagh and the rest in turn: the Tifinagh font has no digits nor Latin letters, and
    Noto Sans no Tifinagh (a date reads "ⴰⵢⵏⴰⵙ 3 ⵎⴰⵢⵢⵓ 2027"). Spaces go with the run before."""
    runs: list[str] = []
    for char in text:
        if runs and (char == " " or _is_tifinagh(char) == _is_tifinagh(runs[-1][0])):
            runs[-1] += char
        else:
            runs.append(char)
    return runs


class _Lettering(Lettering):
    """Lettering that also draws Tifinagh, run by run (left to right, as Tifinagh is written)."""

    def font(self, text: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        if _is_tifinagh(text):
            return _font(TIFINAGH_FONT, size, self.shaped_by_pillow)
        return super().font(text, size, bold)

    def width(self, text: str, size: int, bold: bool = False) -> float:
        if not _is_tifinagh(text):
            return super().width(text, size, bold)
        return sum(super(_Lettering, self).width(run, size, bold) for run in _runs(text))

    def draw(
        self,
        canvas: ImageDraw.ImageDraw,
        xy: tuple[float, float],
        text: str,
        size: int,
        *,
        bold: bool = False,
        fill: str = "black",
        anchor: str = "ma",
    ) -> None:
        if not _is_tifinagh(text):
            super().draw(canvas, xy, text, size, bold=bold, fill=fill, anchor=anchor)
            return
        x = xy[0] - self.width(text, size, bold) / 2
        # Each run at the line's baseline, so that Tifinagh and digits sit on one line.
        baseline = xy[1] + self.font("ⴰ", size, bold).getmetrics()[0]
        for run in _runs(text):
            super().draw(canvas, (x, baseline), run, size, bold=bold, fill=fill, anchor="ls")
            x += super().width(run, size, bold)


assert (FONTS / TIFINAGH_FONT).exists()


@dataclass(frozen=True)
class StandCard:
    market: Market
    phase: Phase
    stand: Stand
    structure: str
    reference: str
    link: str  # the deep link the QR code opens
    moved_from: str | None = None  # a new card after a move: the stand of the card it replaces


def caption(t: Translator, card: StandCard) -> str:
    phase = card.phase
    zone = card.market.timezone
    setup = phase.setup_at or phase.starts
    text = t.gettext(
        "🏷 Votre stand : %(stand)s, %(pole)s\n%(phase)s, du %(first)s au %(last)s\n"
        "📍 %(place)s\n🔧 Installation le %(day)s à %(time)s.\n"
        "Montrez ce code QR à l'accueil en arrivant : l'équipe enregistre votre arrivée.",
        stand=t.isolate(card.stand.number),
        pole=_pole_name(t, card),
        phase=phase_label(t, card.market, phase),
        first=t.date(phase.starts.astimezone(zone)),
        last=t.date(phase.ends.astimezone(zone)),
        place=phase.place.get(t.locale),
        day=t.date(setup.astimezone(zone)),
        time=t.time(setup.astimezone(zone)),
    )
    if card.moved_from is not None:
        moved = t.gettext(
            "🔁 Votre stand a changé : %(old)s → %(new)s. Cette carte remplace la précédente, "
            "qui ne sert plus.",
            old=t.isolate(card.moved_from),
            new=t.isolate(card.stand.number),
        )
        text = moved + "\n" + text
    return t.start_rtl(text)


def _pole_name(t: Translator, card: StandCard) -> str:
    pole = card.market.pole(card.stand.pole)
    return pole.name.get(t.locale) if pole is not None else card.stand.pole


def _replaces(t: Translator, card: StandCard) -> tuple[str, str]:
    """On a card sent after a move: a sentence, then "E12 → E20" on a line of its own (the
    Arabic font has no Latin letters: a line mixing them would show empty boxes)."""
    if card.moved_from is None:
        return "", ""
    return (
        t.gettext("Nouvelle carte : votre stand a changé"),
        f"{card.moved_from} > {card.stand.number}",  # the fonts have no arrow
    )


def _details(t: Translator, card: StandCard) -> list[str]:
    stand = card.stand
    lines = []
    if stand.size_m2 is not None:
        lines.append(t.gettext("Surface : %(size)s m²", size=t.isolate(stand.size_m2)))
    if stand.electricity:
        lines.append(t.gettext("Avec électricité"))
    return lines


def draw(t: Translator, card: StandCard) -> bytes:
    """The card as a PNG, in the reader's language."""
    lettering = _Lettering.best()
    zone = card.market.timezone
    phase = card.phase
    setup = phase.setup_at or phase.starts
    plan = _plan(phase.plan, card.stand)
    height = 1420 + (plan.height + 40 if plan is not None else 0)
    image = Image.new("RGB", (WIDTH, height), "white")
    canvas = ImageDraw.Draw(image)
    canvas.rectangle((0, 0, WIDTH, 190), fill=GREEN)
    y = 30.0
    for line in (
        card.market.name.get(t.locale),
        phase_label(t, card.market, phase).replace("·", "-"),
    ):
        size = _fit(lettering, line, 44, WIDTH - 2 * MARGIN)
        lettering.draw(canvas, (WIDTH / 2, y), line, size, bold=True, fill="white")
        y += size * 1.7
    y = 220.0
    dates = t.gettext(
        "du %(first)s au %(last)s",
        first=t.date(phase.starts.astimezone(zone)),
        last=t.date(phase.ends.astimezone(zone)),
    )
    for line, size, bold, fill in (
        (dates, 34, False, "black"),
        (t.gettext("Stand"), 40, True, GREEN),
        (card.stand.number, 110, True, GREEN),
        (_pole_name(t, card), 44, True, "black"),
        *((line, 32, False, "black") for line in _details(t, card)),
        (
            t.gettext(
                "Installation : %(day)s à %(time)s",
                day=t.short_date(setup.astimezone(zone)),
                time=t.time(setup.astimezone(zone)),
            ),
            34,
            False,
            "black",
        ),
        (card.structure, 36, True, "black"),
        (t.isolate(card.reference), 30, False, "#555555"),
        *((line, 30, True, MARK) for line in _replaces(t, card)),
    ):
        if not line:
            continue
        line = line.replace("·", "-")  # Noto Naskh Arabic has no middle dot
        fitted = _fit(lettering, line, size, WIDTH - 2 * MARGIN, bold)
        lettering.draw(canvas, (WIDTH / 2, y), line, fitted, bold=bold, fill=fill)
        y += fitted * 1.6
    if plan is not None:
        y += 10
        image.paste(plan, (round((WIDTH - plan.width) / 2), round(y)))
        canvas.rectangle(
            (
                (WIDTH - plan.width) / 2 - 2,
                y - 2,
                (WIDTH + plan.width) / 2 + 2,
                y + plan.height + 2,
            ),
            outline="#999999",
            width=2,
        )
        y += plan.height + 30
    qr = _qr(card.link)
    image.paste(qr, (round((WIDTH - qr.width) / 2), round(y)))
    y += qr.height + 10
    hint = t.gettext("À montrer à l'accueil en arrivant")
    lettering.draw(canvas, (WIDTH / 2, y), hint, _fit(lettering, hint, 32, WIDTH - 2 * MARGIN))
    y += 70
    image = image.crop((0, 0, WIDTH, round(y)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _fit(lettering: Lettering, text: str, size: int, width: float, bold: bool = False) -> int:
    while size > 18 and lettering.width(text, size, bold) > width:
        size -= 2
    return size


def _qr(link: str) -> Image.Image:
    code = segno.make(link, error="m")
    modules = code.symbol_size(border=4)[0]
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=max(1, QR_SIDE // modules), border=4)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def _plan(path: Path | None, stand: Stand) -> Image.Image | None:
    """The plan scaled to the card, the stand circled in red when the catalogue says where."""
    if path is None:
        return None
    try:
        with Image.open(path) as opened:
            plan = opened.convert("RGB")
    except OSError:
        return None  # the file went away since start-up: the card goes without it
    if stand.at is not None:
        marker = ImageDraw.Draw(plan)
        x, y = stand.at
        radius = max(12, plan.width // 40)
        for grow in range(0, 6):
            marker.ellipse(
                (x - radius - grow, y - radius - grow, x + radius + grow, y + radius + grow),
                outline=MARK,
            )
    plan.thumbnail((WIDTH - 2 * MARGIN, PLAN_HEIGHT))
    return plan
