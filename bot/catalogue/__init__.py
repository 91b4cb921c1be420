"""The catalogue of markets: a TOML file edited by organizers, validated once at start-up.

`model` holds what the rest of the bot reads (markets, phases, trainings, choices); `parser`
turns a file into it, or into a `CatalogueError` naming the file, the key and the reason;
`python -m bot.catalogue FILE` checks a file without starting the bot.
"""

from bot.catalogue.model import (
    DEFAULT_CATALOGUE_PATH,
    SHORT_NAME_MAX,
    SUPPORTED_TEXT_LOCALES,
    Catalogue,
    CatalogueError,
    Contact,
    LocalizedText,
    Location,
    Market,
    Option,
    Phase,
    Pole,
    Stand,
    Training,
)
from bot.catalogue.parser import load_catalogue, parse_catalogue

__all__ = [
    "DEFAULT_CATALOGUE_PATH",
    "SHORT_NAME_MAX",
    "SUPPORTED_TEXT_LOCALES",
    "Catalogue",
    "CatalogueError",
    "Contact",
    "LocalizedText",
    "Location",
    "Market",
    "Option",
    "Phase",
    "Pole",
    "Stand",
    "Training",
    "load_catalogue",
    "parse_catalogue",
]
