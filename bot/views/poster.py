"""The call-for-applications poster: an A4 PNG for office walls, in French and in Arabic.

Top to bottom: the call, the market's name, its town and region, the phases open to applications
with their dates and deadlines (French on the left, Arabic on the right), a QR code of the bot's
deep link to the market, what to do with it, the link in letters, and the organizer.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import segno
from babel.dates import format_date
from PIL import Image, ImageDraw

from bot.catalogue import Market, Phase
from bot.i18n import Translator
from bot.views.lettering import Lettering

DPI = 200  # A4 at 200 dpi: sharp when printed, about 100 KB
WIDTH, HEIGHT = round(210 / 25.4 * DPI), round(297 / 25.4 * DPI)  # 1654 x 2339
MARGIN = 110
GREEN = "#0b6e4f"
GREY = "#444444"
QR_SIDE = 720  # about 9 cm: a phone reads it from a few steps away
GAPS = 5  # between the blocks: band, names, places, phases, code, link


def deep_link(bot_username: str, market_code: str) -> str:
    """https://t.me/<bot>?start=<market>: opens the bot on that market's application.

    Payloads are at most 64 characters of [A-Za-z0-9_-]
    (https://core.telegram.org/bots/features#deep-linking); market codes are [a-z0-9-]."""
    return f"https://t.me/{bot_username}?start={market_code}"


def _phase_lines(t: Translator, phase: Phase) -> tuple[str, str]:
    """`Phase 1 : du 3 au 9 mai 2027` in words (a dash between days reads badly in Arabic),
    and its deadline."""
    same_month = (phase.starts.year, phase.starts.month) == (phase.ends.year, phase.ends.month)
    dates = t.gettext(
        "Phase %(number)s : du %(start)s au %(end)s",
        number=phase.number,
        start=format_date(phase.starts, "d" if same_month else "d MMMM", locale=t.babel_locale),
        end=format_date(phase.ends, "d MMMM y", locale=t.babel_locale),
    )
    deadline = t.gettext(
        "Candidatures jusqu'au %(date)s",
        date=format_date(phase.application_deadline, "d MMMM y", locale=t.babel_locale),
    )
    return dates, deadline


class _Page:
    """A cursor down the page: each block is drawn under the previous one, its letters at
    `scale` (a long name or many phases: everything smaller, so that it fits)."""

    def __init__(self, lettering: Lettering, scale: float, spread: float = 0.0) -> None:
        self.image = Image.new("RGB", (WIDTH, HEIGHT), "white")
        self.canvas = ImageDraw.Draw(self.image)
        self.lettering = lettering
        self.scale = scale
        self.spread = spread  # added between blocks, when the page has room to spare
        self.y = 0.0

    def gap(self) -> None:
        self.y += self.spread

    def centred(
        self, text: str, size: int, *, bold: bool = False, fill: str = "black", gap: float = 0.25
    ) -> None:
        size = round(size * self.scale)
        for line in self.lettering.wrap(text, size, WIDTH - 2 * MARGIN, bold):
            self.lettering.draw(self.canvas, (WIDTH / 2, self.y), line, size, bold=bold, fill=fill)
            self.y += size * 1.45
        self.y += size * gap

    def columns(self, left: Sequence[tuple[str, bool]], right: Sequence[tuple[str, bool]]) -> None:
        """Two columns of (line, bold): the first from the left margin, the second (Arabic)
        from the right one."""
        size, top = round(40 * min(self.scale, 1.0)), self.y  # half a page wide: never larger
        half = (WIDTH - 2 * MARGIN) / 2 - 20
        bottoms = []
        for lines, x, anchor in ((left, MARGIN, "la"), (right, WIDTH - MARGIN, "ra")):
            y = top
            for text, bold in lines:
                for line in self.lettering.wrap(text, size, half, bold):
                    self.lettering.draw(
                        self.canvas, (x, y), line, size, bold=bold, fill=GREY, anchor=anchor
                    )
                    y += size * 1.5
            bottoms.append(y)
        self.y = max(bottoms) + 30

    def band(self, lines: Sequence[str], size: int) -> None:
        size = round(size * self.scale)
        height = len(lines) * size * 1.5 + 90
        self.canvas.rectangle((0, 0, WIDTH, height), fill=GREEN)
        self.y = 45
        for line in lines:
            self.lettering.draw(
                self.canvas, (WIDTH / 2, self.y), line, size, bold=True, fill="white"
            )
            self.y += size * 1.5
        self.y = height + 60

    def qr(self, link: str) -> None:
        code = segno.make(link, error="m")
        modules = code.symbol_size(border=4)[0]
        scale = max(1, round(QR_SIDE * self.scale) // modules)
        buffer = io.BytesIO()
        code.save(buffer, kind="png", scale=scale, border=4)
        picture = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
        self.image.paste(picture, (round((WIDTH - picture.width) / 2), round(self.y)))
        self.y += picture.height + 30

    def link(self, link: str) -> None:
        size = round(52 * self.scale)
        while size > 24 and self.lettering.width(link, size, True) > WIDTH - 2 * MARGIN:
            size -= 2
        self.lettering.draw(self.canvas, (WIDTH / 2, self.y), link, size, bold=True, fill=GREEN)
        self.y += size * 1.8

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.image.save(buffer, format="PNG", dpi=(DPI, DPI), optimize=True)
        return buffer.getvalue()


def poster_png(
    translators: Sequence[Translator],
    market: Market,
    phases: Sequence[Phase],
    link: str,
    lettering: Lettering | None = None,
) -> bytes:
    """The poster, for two languages (French then Arabic): each block in one, then the other."""
    chosen = lettering or Lettering.best()
    bottom = HEIGHT - MARGIN / 2
    scale = 1.15
    while True:
        page = _draw(_Page(chosen, scale), translators, market, phases, link)
        if page.y <= bottom or scale < 0.5:
            break
        scale -= 0.05
    if page.y < bottom:  # room left (one phase): shared out between the blocks
        spread = min((bottom - page.y) / GAPS, 150)
        page = _draw(_Page(chosen, scale, spread), translators, market, phases, link)
    return page.png()


def _draw(
    page: _Page,
    translators: Sequence[Translator],
    market: Market,
    phases: Sequence[Phase],
    link: str,
) -> _Page:
    page.band([t.gettext("Appel à candidatures") for t in translators], 64)
    page.gap()
    for t in translators:
        page.centred(market.name.get(t.locale), 54, bold=True)
    for t in translators:
        place = t.gettext(
            "%(town)s — %(region)s",
            town=market.place.get(t.locale),
            region=market.region.get(t.locale),
        )
        page.centred(place, 40, fill=GREY, gap=0.1)
    page.y += 30
    page.gap()
    blocks = []
    for t in translators:
        lines: list[tuple[str, bool]] = []
        for phase in phases:
            dates, deadline = _phase_lines(t, phase)
            lines += [(dates, True), (deadline, False)]
        blocks.append(lines)
    page.columns(blocks[0], blocks[-1] if len(blocks) > 1 else [])
    page.gap()
    page.qr(link)
    for t in translators:
        page.centred(
            t.gettext("Scannez le code avec votre téléphone pour candidater sur Telegram."),
            36,
            gap=0.1,
        )
    page.y += 20
    page.link(link)
    page.gap()
    for t in translators:
        page.centred(market.organizer.get(t.locale), 28, fill=GREY, gap=0.1)
    page.gap()
    return page
