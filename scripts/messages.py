"""Extract the msgids from the code into messages.pot and merge them into every catalog.

Usage: python scripts/messages.py [--check]
  --check  exit 1 if a catalog is missing a msgid or has an untranslated entry (no writing).

`pybabel update` rewrites the Arabic Plural-Forms header with Babel's own expression, whose
slots 4 and 5 are swapped against CLDR and GNU gettext (Babel issue 816); this script keeps the
GNU expression instead.

Tamazight (`zgh`): Babel's CLDR data has no plural rule for it, so `pybabel` would write
`nplurals=1` and "1 place" and "70 places" would share one form. Tamazight nouns have a
singular and a plural (ⴰⴷⵖⴰⵔ / ⵉⴷⵖⴰⵔⵏ, "place / places"): the catalog uses two forms, one for
1 and one for every other count, as CLDR's one/other for the Tamazight of the Middle Atlas
(`tzm`) does for the counts the bot shows. To list what a catalog still lacks, and fill it:
`python scripts/untranslated.py zgh`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "bot" / "locales"
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
PLURAL_FORMS = {
    "ar": (
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
        "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
    ),
    "fr": "nplurals=2; plural=(n > 1);",
    "zgh": "nplurals=2; plural=(n != 1);",
}


def extract() -> Catalog:
    template = Catalog(project="souk-bot", charset="utf-8")
    method_map = [("bot/**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def untranslated(catalog: Catalog) -> list[Message]:
    """Entries without a translation, or with a plural form left empty."""
    return [
        m
        for m in catalog
        if m.id
        and catalog.locale_identifier != "fr"
        and not all(m.string if isinstance(m.string, tuple) else (m.string,))
    ]


def merged(po_path: Path, template: Catalog) -> Catalog:
    """The catalog at `po_path`, updated in memory to the msgids of the code."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parent.parent.name)
    catalog.update(template, no_fuzzy_matching=True)
    return catalog


def save(po_path: Path, catalog: Catalog) -> None:
    locale = po_path.parent.parent.name
    catalog.fuzzy = False
    if locale in PLURAL_FORMS:
        catalog._num_plurals, catalog._plural_expr = (  # keep the GNU expression
            int(PLURAL_FORMS[locale].split(";")[0].split("=")[1]),
            PLURAL_FORMS[locale].split("plural=")[1].rstrip(";"),
        )
    with po_path.open("wb") as out:
        write_po(out, catalog, width=100, ignore_obsolete=True, include_previous=False)


def main(check: bool) -> int:
    template = extract()
    if not check:
        with (LOCALES / "messages.pot").open("wb") as out:
            write_po(out, template, width=100, omit_header=False)
    problems = 0
    for po_path in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        catalog = merged(po_path, template)
        missing = untranslated(catalog)
        for message in missing:
            print(f"{catalog.locale_identifier}: untranslated: {message.id!r}")
        problems += len(missing)
        if not check:
            save(po_path, catalog)
    return 1 if check and problems else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
