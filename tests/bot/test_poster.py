"""The poster: a printable A4 PNG whose QR code opens the bot on the market, and Arabic drawn
joined and right to left whichever way Pillow lays text out."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageStat

from bot.catalogue import Catalogue
from bot.i18n import I18n
from bot.views.lettering import Lettering, has_raqm
from bot.views.poster import deep_link, poster_png

I18N = I18n()
ENGINES = [
    pytest.param(
        True,
        id="libraqm",
        marks=pytest.mark.skipif(not has_raqm(), reason="Pillow without libraqm here"),
    ),
    pytest.param(False, id="arabic-reshaper"),
]


def render(lettering: Lettering, text: str, size: int = 60) -> Image.Image:
    """`text` drawn on a white strip, cropped to its ink."""
    image = Image.new("L", (1600, size * 2), 255)
    lettering.draw(ImageDraw.Draw(image), (10, size // 2), text, size, anchor="la")
    box = ImageChops.invert(image).getbbox()
    assert box is not None, f"nothing drawn for {text!r}"
    return image.crop((box[0], 0, box[2], image.height))


def alike(left: Image.Image, right: Image.Image) -> bool:
    """The same drawing, give or take anti-aliasing at another sub-pixel offset."""
    assert left.size == right.size
    return ImageStat.Stat(ImageChops.difference(left, right)).mean[0] < 3


@pytest.mark.parametrize("by_pillow", ENGINES)
def test_arabic_letters_are_joined(by_pillow: bool) -> None:
    lettering = Lettering(shaped_by_pillow=by_pillow)
    word = "مكناس"  # every letter but the last two joins the next: their forms change
    joined = lettering.width(word, 60)
    apart = sum(lettering.width(letter, 60) for letter in word)
    assert joined < apart * 0.9, (joined, apart)


@pytest.mark.parametrize("by_pillow", ENGINES)
def test_arabic_reads_right_to_left(by_pillow: bool) -> None:
    """ "إفران جهة فاس." ends on the left: its first word at the right end, its full stop at the
    left end."""
    lettering = Lettering(shaped_by_pillow=by_pillow)
    whole = render(lettering, "إفران جهة فاس.")
    without_first_word = render(lettering, "جهة فاس.")
    without_stop = render(lettering, "إفران جهة فاس")
    for part in (without_first_word, without_stop):
        assert whole.width > part.width + 5
    on_the_left = whole.crop((0, 0, without_first_word.width, whole.height))
    assert alike(on_the_left, without_first_word)
    on_the_right = whole.crop((whole.width - without_stop.width, 0, whole.width, whole.height))
    assert alike(on_the_right, without_stop)


@pytest.mark.parametrize("by_pillow", ENGINES)
def test_the_poster_is_a4_and_its_qr_code_opens_the_market(
    catalogue: Catalogue, by_pillow: bool
) -> None:
    market = catalogue.market("ifrane")
    assert market is not None
    link = deep_link("souk_test_bot", market.code)
    assert link == "https://t.me/souk_test_bot?start=ifrane"
    png = poster_png(
        [I18N.translator("fr"), I18N.translator("ar")],
        market,
        market.phases,
        link,
        Lettering(shaped_by_pillow=by_pillow),
    )
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    dpi = image.info["dpi"][0]
    assert dpi >= 150
    width_mm, height_mm = (side / dpi * 25.4 for side in image.size)
    assert abs(width_mm - 210) < 1 and abs(height_mm - 297) < 1
    (found,) = zxingcpp.read_barcodes(image.convert("L"))
    assert found.format == zxingcpp.BarcodeFormat.QRCode
    assert found.text == link


def test_many_phases_still_fit_the_page(catalogue: Catalogue) -> None:
    """A market with a long name and six phases: the letters shrink, the QR code stays whole."""
    market = catalogue.market("ifrane")
    assert market is not None
    phases = market.phases * 2
    link = deep_link("a_rather_long_bot_username_bot", market.code)
    png = poster_png([I18N.translator("fr"), I18N.translator("ar")], market, phases, link)
    image = Image.open(io.BytesIO(png)).convert("L")
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [link]
    bottom = image.crop((0, image.height - 40, image.width, image.height))
    assert ImageChops.invert(bottom).getbbox() is None  # nothing cut at the bottom edge
