from __future__ import annotations

import copy
import tomllib

from bot.catalogue import DEFAULT_CATALOGUE_PATH, parse_catalogue
from bot.i18n import I18n
from bot.views.contact import contact_line

FSI, PDI = "\u2068", "\u2069"


def _market(contact: dict[str, str] | None):  # type: ignore[no-untyped-def]
    data = tomllib.loads(DEFAULT_CATALOGUE_PATH.read_text("utf-8"))
    market = copy.deepcopy(data)["markets"][0]
    if contact is None:
        market.pop("contact")
    else:
        market["contact"] = contact
    data["markets"][0] = market
    return parse_catalogue(data, "markets.toml").markets[0]


def test_contact_line_in_arabic_isolates_the_number_and_uses_the_arabic_comma() -> None:
    t = I18n().translator("ar")
    line = contact_line(t, _market({"phone": "0535000000", "telegram": "souk_ifrane"}))
    assert line is not None and "05 35 00 00 00" in line
    assert line is not None
    assert f"{FSI}05 35 00 00 00{PDI}، {FSI}@souk_ifrane{PDI}" in line
    assert "Organisateurs" not in line


def test_contact_line_in_french() -> None:
    t = I18n().translator("fr")
    line = contact_line(t, _market({"telegram": "souk_ifrane"}))
    assert line == "☎️ Organisateurs : @souk_ifrane"


def test_no_contact_no_line() -> None:
    assert contact_line(I18n().translator("fr"), _market(None)) is None
